#!/usr/bin/env bash
# usage: tests/h/run.sh EMULATOR [NAME...]
#   EMULATOR: a rivet binary, "spike" (the reference ISA simulator, from
#   $SPIKE or ../shared/tools/spike/spike) or "qemu" (qemu-system-riscv64).
# Runs the bare-metal hypervisor-extension programs (tests/h/*.S, built by
# `make h-tests` into build/tests/h/) and prints PASS/FAIL/SKIP h/NAME.
# A program ends through HTIF tohost (rivet, Spike) or the SiFive test
# finisher (QEMU's virt board); the exit status is the failing check.
#
# QEMU 7.2 has known H defects. A check it gets wrong sits in
#   #ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (reason) */ ... #endif
# and QEMU runs the build/tests/h/qemu/NAME.elf variant without it (the run
# says how many checks were left out); a whole program can say
# "rivet-test: skip-qemu (reason)". Spike is the reference: nothing is
# left out for it (where it departs from the spec the program says so).
set -u
cd "$(dirname "$0")/../.."
emu=${1:?usage: tests/h/run.sh EMULATOR [NAME...]}; shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for s in tests/h/*.S; do
        n=$(basename "$s" .S); [ "$n" = start ] && continue; names+=("$n")
    done
fi
spike=${SPIKE:-../shared/tools/spike/spike}
[ -x "$spike" ] || spike=/work/shared/tools/spike/spike
fails=0
# run_one NAME NOTE CMD...: run, print PASS/FAIL
run_one() {
    local n=$1 note=$2; shift 2
    local out rc
    out=$(timeout 30 "$@" </dev/null 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS h/$n$note"
    else
        fails=$((fails + 1))
        echo "FAIL h/$n$note (exit $rc)"
        [ -n "$out" ] && printf '%s\n' "$out" | tail -5 | sed 's/^/    /'
    fi
}
for n in "${names[@]}"; do
    src=tests/h/$n.S
    elf=build/tests/h/$n.elf
    note=
    case $emu in
    spike)
        if [ ! -x "$spike" ]; then echo "SKIP h/$n (spike not installed)"; continue; fi
        cmd=("$spike" --isa=rv64gch_zicntr_sstc "$elf") ;;
    qemu)
        srcs=("$src" $(sed -n 's/^#include "\(.*\.inc\)".*/tests\/h\/\1/p' "$src"))
        if grep -q 'rivet-test: skip-qemu' "${srcs[@]}"; then
            echo "SKIP h/$n (qemu: $(sed -n 's/.*rivet-test: skip-qemu (\(.*\)).*/\1/p' "${srcs[@]}" | head -1))"
            continue
        fi
        elf=build/tests/h/qemu/$n.elf
        k=$(cat "${srcs[@]}" | grep -c 'rivet-test: qemu-defect')
        [ "$k" -gt 0 ] && note=" ($k QEMU-defect blocks left out)"
        cmd=(qemu-system-riscv64 -M virt -cpu rv64,h=true -bios none -kernel "$elf"
             -display none -monitor none -serial stdio) ;;
    *)
        cmd=("$emu" -M virt -cpu rv64,h=true -bios none -kernel "$elf" -nographic) ;;
    esac
    if [ ! -f "$elf" ]; then
        fails=$((fails + 1)); echo "FAIL h/$n (no $elf: make h-tests)"; continue
    fi
    run_one "$n" "$note" "${cmd[@]}"
    if [ "$emu" = spike ]; then
        # "rivet-test: spike-also-isa=ISA": run once more with that --isa
        for isa in $(cat "$src" $(sed -n 's/^#include "\(.*\.inc\)".*/tests\/h\/\1/p' "$src") |
                     sed -n 's/.*rivet-test: spike-also-isa=\([^ ]*\).*/\1/p'); do
            run_one "$n" " (--isa=$isa)" "$spike" --isa="$isa" "$elf"
        done
    fi
done
exit $((fails > 0))
