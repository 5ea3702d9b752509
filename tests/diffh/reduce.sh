#!/usr/bin/env bash
# usage: tests/diffh/reduce.sh RIVET PROGRAM CASE [--seed S] [--ops M] [--avoid LIST]
# Builds case CASE of program PROGRAM (rand_NNN of run.sh) alone, then with
# only its first K random operations, and bisects K down to the first
# operation after which rivet and Spike differ.  Prints that operation (the
# lines gen.py emitted for it), the first differing output line, and leaves
# the reduced program in build/tests/diffh/reduce/ (case.S, case.elf,
# spike.out, rivet.out) for a closer look.  Needs Spike (see run.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[ $# -ge 3 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
RIVET=$1 PROG=$2 CASE=$3; shift 3
SEED=1 OPS=80 AVOID=''
while [ $# -gt 0 ]; do
    case $1 in
        --seed) SEED=$2; shift 2 ;;
        --ops) OPS=$2; shift 2 ;;
        --avoid) AVOID=$2; shift 2 ;;
        *) echo "reduce.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
if [ -z "${SPIKE:-}" ]; then
    SPIKE=$ROOT/../shared/tools/spike/spike
    [ -x "$SPIKE" ] || SPIKE=/work/shared/tools/spike/spike
fi
[ -x "$SPIKE" ] || { echo "reduce.sh: Spike not found (SPIKE=...)" >&2; exit 2; }
W=$ROOT/build/tests/diffh/reduce
mkdir -p "$W"
CC=riscv64-unknown-elf-gcc
CFLAGS=(-march=rv64gc -mabi=lp64d -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2 -I "$HERE")

# differs K: 0 if the outputs differ (beyond what compare.py allows) with
# the first K operations (K = "" for all of them)
differs() {
    python3 "$HERE/gen.py" --seed "$SEED" --ops "$OPS" --avoid "$AVOID" --single "$PROG" "$CASE" \
        ${1:+--limit "$1"} --out "$W/case.S" >/dev/null || exit 2
    "$CC" "${CFLAGS[@]}" -T "$HERE/link.ld" -Wl,--no-warn-rwx-segments -o "$W/case.elf" \
        "$HERE/rt.S" "$HERE/main.c" "$W/case.S" || exit 2
    timeout 30 "$SPIKE" --isa=rv64gch_zicntr_sstc "$W/case.elf" >"$W/spike.out" 2>/dev/null
    echo $? >"$W/spike.rc"
    timeout 30 "$RIVET" -M virt -cpu rv64,h=true -bios none -kernel "$W/case.elf" -nographic \
        >"$W/rivet.out" 2>"$W/rivet.err" </dev/null
    echo $? >"$W/rivet.rc"
    printf 'case\t%s\t%s\t%s\t%s\t%s\t%s\n' "$W/case.S" "$W/spike.out" "$W/spike.rc" \
        "$W/rivet.out" "$W/rivet.rc" "$W/rivet.err" >"$W/manifest.tsv"
    ! python3 "$HERE/compare.py" --label reduce "$W/manifest.tsv" >"$W/compare.txt"
}
if ! differs ""; then
    echo "program $PROG case $CASE (seed $SEED): no difference"
    exit 0
fi
lo=0 hi=$OPS            # differs with hi operations, not with lo (0: set-up only)
if differs 0; then
    echo "program $PROG case $CASE: differs before any random operation (set-up, or the end-of-case dump):"
    head -1 "$W/compare.txt"
    exit 1
fi
while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if differs "$mid"; then hi=$mid; else lo=$mid; fi
done
differs "$hi"
echo "program $PROG case $CASE (seed $SEED): first difference after operation $hi:"
python3 - "$W/case.S" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("case_"))
end = next(i for i, l in enumerate(lines) if "li a6, 0x" in l and i > start)
# the last operation: lines after the last "li xN" run that sets up registers
body = lines[start + 1:end]
print("\n".join(body[-6:]))
PY
head -1 "$W/compare.txt"
echo "(reduced program and outputs in $W)"
exit 1
