#!/usr/bin/env bash
# Narrow a failing random case down to the instruction where rivet and QEMU
# first disagree: builds case C alone with only its first K instruction
# groups, for K found by bisection, and prints that group and the first
# differing lines.
#
# usage: tests/diff/reduce.sh RIVET CASE [--seed S] [--insns M]
#   CASE is the number in "FAIL diff/rand_NNN: case C differs"; --seed and
#   --insns must be those of the failing run (defaults as in run.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${DIFF_OUT:-$ROOT/build/tests/diff}/reduce
QEMU=${QEMU:-qemu-system-riscv64}
# shellcheck disable=SC2054  # the commas belong to -march, not to the array
CFLAGS=(-march=rv64gc_zba_zbb_zbc_zbs -mabi=lp64d -mcmodel=medany -nostdlib -nostartfiles
        -I "$HERE" -T "$HERE/link.ld" -Wl,--no-relax -Wl,--no-warn-rwx-segments)

[ $# -ge 2 ] || { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
RIVET=$1 CASE=$2; shift 2
SEED=1 INSNS=200
while [ $# -gt 0 ]; do
    case $1 in
        --seed) SEED=$2; shift 2 ;;
        --insns) INSNS=$2; shift 2 ;;
        *) echo "reduce.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"

# differs K: 0 if the case cut to K groups gives different outputs.
differs() {
    local k=$1 base=$OUT/case$CASE-k$1
    python3 "$HERE/gen.py" --seed "$SEED" --insns "$INSNS" --single "$CASE" --limit "$k" --out "$base.S" || exit 2
    riscv64-unknown-elf-gcc "${CFLAGS[@]}" -o "$base.elf" "$HERE/rand_rt.S" "$base.S" || exit 2
    timeout 30 "$QEMU" -M virt -bios none -kernel "$base.elf" -display none -monitor none \
        -serial stdio </dev/null >"$base.qemu" 2>/dev/null
    if [ "$RIVET" = qemu ]; then
        timeout 30 "$QEMU" -M virt -bios none -kernel "$base.elf" -nographic </dev/null >"$base.rivet" 2>&1
    else
        timeout 30 "$RIVET" -M virt -bios none -kernel "$base.elf" -nographic </dev/null >"$base.rivet" 2>&1
    fi
    ! cmp -s "$base.qemu" "$base.rivet"
}

if ! differs "$INSNS"; then
    echo "case $CASE (seed $SEED, $INSNS groups): outputs are identical, nothing to reduce"
    exit 1
fi
if differs 0; then
    echo "case $CASE differs with no random instruction at all: register set-up or dump"
    k=0
else
    lo=0 hi=$INSNS          # invariant: lo agrees, hi differs
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        if differs "$mid"; then hi=$mid; else lo=$mid; fi
    done
    k=$hi
    echo "case $CASE (seed $SEED): outputs first differ after instruction group $((k - 1)):"
    python3 "$HERE/gen.py" --seed "$SEED" --insns "$INSNS" --single "$CASE" --show-group $((k - 1)) --out - | sed 's/^/    /'
fi
base=$OUT/case$CASE-k$k
echo "first differences (qemu < > rivet), program $base.S:"
diff "$base.qemu" "$base.rivet" | head -12 | sed 's/^/    /'
