#!/usr/bin/env bash
# usage: tests/diffh/repro/run.sh EMULATOR
#   EMULATOR: a rivet binary, "spike" or "qemu".
# Minimal reproducers of the rivet deviations the V-mode differential suite
# found (tests/diffh/README.md, "Known differences"), written as tests/h
# programs (tests/h/h.h): each passes on Spike and QEMU 7.2 and fails on
# rivet until the deviation is fixed; then it can move to tests/h.
# Built into build/tests/diffh/repro/; prints PASS/FAIL diffh-repro/NAME.
set -u
cd "$(dirname "$0")/../../.." || exit 2
emu=${1:?usage: tests/diffh/repro/run.sh EMULATOR}
out=build/tests/diffh/repro
mkdir -p "$out"
spike=${SPIKE:-../shared/tools/spike/spike}
[ -x "$spike" ] || spike=/work/shared/tools/spike/spike
fails=0
for src in tests/diffh/repro/*.S; do
    n=$(basename "$src" .S)
    elf=$out/$n.elf
    if ! riscv64-unknown-elf-gcc -march=rv64gc_zba_zbb_zbc_zbs -mabi=lp64d -mcmodel=medany \
            -nostdlib -nostartfiles -ffreestanding -O2 -Itests/isa/common -Itests/h \
            -Ttests/isa/common/link.ld -Wl,--no-warn-rwx-segments -o "$elf" tests/h/start.S "$src"; then
        echo "FAIL diffh-repro/$n (build)"; fails=$((fails + 1)); continue
    fi
    # shellcheck disable=SC2054  # the commas belong to the -cpu value
    case $emu in
        spike) cmd=("$spike" --isa=rv64gch_zicntr_sstc "$elf") ;;
        qemu) cmd=(qemu-system-riscv64 -M virt -cpu rv64,h=true -bios none -kernel "$elf"
                   -display none -monitor none -serial stdio) ;;
        *) cmd=("$emu" -M virt -cpu rv64,h=true -bios none -kernel "$elf" -nographic) ;;
    esac
    msg=$(timeout 30 "${cmd[@]}" </dev/null 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS diffh-repro/$n"
    else
        fails=$((fails + 1))
        echo "FAIL diffh-repro/$n (exit $rc) $(head -1 <<<"$msg")"
    fi
done
exit $((fails > 0))
