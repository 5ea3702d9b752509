#!/usr/bin/env bash
# usage: tests/run_isa.sh EMULATOR ELF...
#   EMULATOR is a path to rivet, or "qemu" for qemu-system-riscv64.
# Runs each bare-metal test with -bios none and prints PASS/FAIL per test.
# A test may carry a line "rivet-test: qemu-args=..." to add QEMU options,
# or "rivet-test: skip-qemu (reason)" when QEMU 7.2 cannot run it.
set -u
emu=$1; shift
fails=0
for elf in "$@"; do
    name=${elf#build/tests/}; name=${name%.elf}
    src=$(ls tests/"$name".[Sc] 2>/dev/null | head -1)
    extra=()
    if [ "$emu" = qemu ]; then
        if grep -q 'rivet-test: skip-qemu' "$src" 2>/dev/null; then
            echo "SKIP $name (qemu)"; continue
        fi
        qa=$(sed -n 's/.*rivet-test: qemu-args=\(.*\)$/\1/p' "$src" 2>/dev/null | head -1)
        cmd=(qemu-system-riscv64 -M virt -bios none -kernel "$elf" -display none -monitor none -serial stdio $qa)
    else
        cmd=("$emu" -M virt -bios none -kernel "$elf" -nographic)
    fi
    out=$(timeout 20 "${cmd[@]}" </dev/null 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS $name"
    else
        fails=$((fails + 1))
        echo "FAIL $name (exit $rc)"
        [ -n "$out" ] && printf '%s\n' "$out" | tail -5 | sed 's/^/    /'
    fi
done
exit $((fails > 0))
