#!/usr/bin/env bash
# usage: tests/smp/run.sh EMULATOR [NAME...]
#   EMULATOR is a path to rivet, or "qemu" for qemu-system-riscv64.
# Runs each bare-metal SMP program (build/tests/smp/NAME.elf, built by
# `make smp-tests`; default: every tests/smp/*.c) with -smp 2, 4 and 8
# (SMP_COUNTS), each with one host thread per hart and again with
# -accel tcg,thread=single, and prints one line per run:
#   PASS smp/NAME-smpN[-single] (S s)    or    FAIL ... and the output's tail.
# A program's source may carry "smp-test: machine=OPTS" for the -M value
# (default virt), or "smp-test: skip-qemu (reason)" when QEMU 7.2 cannot
# run it correctly. SMP_TIMEOUT (default 30) bounds each run, in seconds.
set -u
cd "$(dirname "$0")/../.."
emu=${1:?usage: tests/smp/run.sh EMULATOR [NAME...]}; shift
counts=${SMP_COUNTS:-2 4 8}
timeout_s=${SMP_TIMEOUT:-30}
if [ $# -eq 0 ]; then
    set -- $(for f in tests/smp/*.c; do basename "$f" .c; done)
fi
fails=0
for name in "$@"; do
    src=tests/smp/$name.c
    elf=build/tests/smp/$name.elf
    machine=$(sed -n 's/.*smp-test: machine=\([^ ]*\).*/\1/p' "$src" 2>/dev/null | head -1)
    machine=${machine:-virt}
    if [ "$emu" = qemu ] && grep -q 'smp-test: skip-qemu' "$src" 2>/dev/null; then
        echo "SKIP smp/$name (qemu: $(sed -n 's/.*smp-test: skip-qemu (\(.*\)).*/\1/p' "$src" | head -1))"
        continue
    fi
    for n in $counts; do
        for mode in threads single; do
            label=smp/$name-smp$n
            accel=()
            if [ $mode = single ]; then
                label=$label-single
                accel=(-accel tcg,thread=single)
            fi
            if [ ! -f "$elf" ]; then
                echo "FAIL $label (no $elf: run make smp-tests)"
                fails=$((fails + 1)); continue
            fi
            if [ "$emu" = qemu ]; then
                cmd=(qemu-system-riscv64 -M "$machine" -bios none -smp "$n" "${accel[@]}"
                     -kernel "$elf" -display none -monitor none -serial stdio)
            else
                cmd=("$emu" -M "$machine" -bios none -smp "$n" "${accel[@]}"
                     -kernel "$elf" -nographic)
            fi
            t0=$(date +%s%N)
            out=$(timeout "$timeout_s" "${cmd[@]}" </dev/null 2>&1); rc=$?
            t=$(( ($(date +%s%N) - t0) / 1000000 ))
            secs=$(printf '%d.%02d' $((t / 1000)) $((t % 1000 / 10)))
            if [ $rc -eq 0 ]; then
                echo "PASS $label (${secs} s)"
            else
                fails=$((fails + 1))
                if [ $rc -eq 124 ]; then
                    echo "FAIL $label (timeout after $timeout_s s)"
                else
                    echo "FAIL $label (exit $rc, ${secs} s)"
                fi
                [ -n "$out" ] && printf '%s\n' "$out" | tail -5 | sed 's/^/    /'
            fi
            if [ -n "${SMP_VERBOSE:-}" ] && [ -n "$out" ]; then
                printf '%s\n' "$out" | sed 's/^/    /'
            fi
        done
    done
done
exit $((fails > 0))
