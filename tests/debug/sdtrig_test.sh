#!/usr/bin/env bash
# usage: tests/debug/sdtrig_test.sh RIVET
# Builds tests/debug/sdtrig.S (a tests/priv-style bare-metal program) for
# rivet and, with -DFOR_QEMU, for QEMU 7.2 (no tcontrol there), runs each
# and prints PASS/FAIL/SKIP debug/sdtrig-*.
set -u
cd "$(dirname "$0")/../.."
rivet=${1:?usage: tests/debug/sdtrig_test.sh RIVET}
out=build/tests/debug
mkdir -p "$out"
cc=riscv64-unknown-elf-gcc
flags=(-march=rv64gc_zicsr -mabi=lp64d -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2
       -Itests/isa/common -Itests/priv -Ttests/isa/common/link.ld -Wl,--no-warn-rwx-segments)
if ! command -v $cc > /dev/null; then
    echo "SKIP debug/sdtrig ($cc not installed)"; exit 0
fi
$cc "${flags[@]}" -o $out/sdtrig.elf tests/isa/common/start.S tests/debug/sdtrig.S || exit 1
$cc "${flags[@]}" -DFOR_QEMU -o $out/sdtrig-qemu.elf tests/isa/common/start.S tests/debug/sdtrig.S || exit 1
fails=0
run() {  # NAME CMD...
    local name=$1; shift
    local o rc
    o=$(timeout 20 "$@" < /dev/null 2>&1); rc=$?
    if [ $rc -eq 0 ]; then echo "PASS debug/$name"; else
        fails=$((fails + 1)); echo "FAIL debug/$name (exit $rc)"; printf '%s\n' "$o" | tail -3 | sed 's/^/    /'; fi
}
run sdtrig "$rivet" -M virt -bios none -kernel $out/sdtrig.elf -nographic
run sdtrig-single "$rivet" -M virt -bios none -kernel $out/sdtrig.elf -nographic -accel tcg,thread=single
if command -v qemu-system-riscv64 > /dev/null; then
    run sdtrig-on-qemu qemu-system-riscv64 -M virt -bios none -kernel $out/sdtrig-qemu.elf \
        -display none -monitor none -serial stdio
else
    echo "SKIP debug/sdtrig-on-qemu (qemu-system-riscv64 not installed)"
fi
[ $fails -eq 0 ]
