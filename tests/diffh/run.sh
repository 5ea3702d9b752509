#!/usr/bin/env bash
# V-mode differential tests: random hypervisor-extension programs (gen.py)
# run on Spike (the reference ISA simulator) and on rivet, outputs compared.
#
# usage: tests/diffh/run.sh RIVET [--programs N] [--first F] [--seed S]
#                           [--cases K] [--ops M] [--jobs J] [--timeout SEC]
#                           [--only RE] [--all] [--avoid LIST]
#   RIVET        the rivet binary (run with -cpu rv64,h=true), or "spike" to
#                run Spike on both sides (self-check of the suite)
#   --programs N programs (units) rand_NNN, NNN = F .. F+N-1 (default 40, F 0)
#   --seed S     generator seed (default 1)
#   --cases K    cases per program (default 20)
#   --ops M      random operations per case (default 80)
#   --jobs J     emulator runs in parallel (default: number of CPUs)
#   --timeout    seconds per emulator run (default 30)
#   --only RE    only units whose name matches the (extended) regex
#   --all        list every differing case of a failing unit
#   --avoid LIST steer the generator around known rivet deviations
#                (comma-separated, see gen.py --help and README.md)
#
# Prints "PASS diff-h/rand_NNN (K cases)" or "FAIL diff-h/rand_NNN: case C
# (...) differs: spike ... vs rivet ..." per unit, then the totals; exits 1
# if any unit fails, 2 on usage/build problems.  Spike is $SPIKE if set,
# else ../shared/tools/spike/spike or /work/shared/tools/spike/spike;
# without it the script prints "SKIP diff-h (...)" and exits 0.
# DIFFH_AVOID sets a default for --avoid.
#
# Everything goes to build/tests/diffh/ (or $DIFFH_OUT): generated sources in
# src/, ELFs, rivet's outputs in rivet/, Spike's in spike-cache/ (keyed by
# a hash of the ELF and of the Spike binary, so re-runs only run rivet).
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SELF=$HERE/$(basename "$0")
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${DIFFH_OUT:-$ROOT/build/tests/diffh}
CC=riscv64-unknown-elf-gcc
CFLAGS=(-march=rv64gc -mabi=lp64d -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2
        -I "$HERE")
SPIKE_ISA=rv64gch_zicntr_sstc

# --internal-build ELF SOURCE: link one program
if [ "${1:-}" = --internal-build ]; then
    elf=$2 src=$3
    if ! "$CC" "${CFLAGS[@]}" -T "$HERE/link.ld" -Wl,--no-warn-rwx-segments -o "$elf.tmp" \
            "$OUT/obj/rt.o" "$OUT/obj/main.o" "$src" 2>"$elf.log"; then
        echo "build failed: $src" >&2
        sed 's/^/    /' "$elf.log" | head -20 >&2
        exit 1
    fi
    mv "$elf.tmp" "$elf"
    rm -f "$elf.log"
    exit 0
fi

# --internal-run spike|rivet ELF OUTPREFIX: one emulator run; writes
# OUTPREFIX.out (UART), .err and .rc (124 = timeout)
if [ "${1:-}" = --internal-run ]; then
    kind=$2 elf=$3 out=$4
    if [ "$kind" = spike ] || [ "$RIVET" = spike ]; then
        cmd=("$SPIKE" "--isa=$SPIKE_ISA" "$elf")
    else
        # shellcheck disable=SC2054  # the comma belongs to the -cpu value
        cmd=("$RIVET" -M virt -cpu rv64,h=true -bios none -kernel "$elf" -nographic)
    fi
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" </dev/null 2>"$out.err" | head -c $((8 << 20)) >"$out.out"
    echo "${PIPESTATUS[0]}" >"$out.rc"
    truncate -s '<65536' "$out.err"
    exit 0
fi

usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
RIVET=$1; shift
PROGRAMS=40 FIRST=0 SEED=1 CASES=20 OPS=80 JOBS=$(nproc 2>/dev/null || echo 2) TIMEOUT=30 ONLY='' ALL=() AVOID=${DIFFH_AVOID:-}
while [ $# -gt 0 ]; do
    case $1 in
        --programs) PROGRAMS=$2; shift 2 ;;
        --first) FIRST=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --cases) CASES=$2; shift 2 ;;
        --ops) OPS=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --all) ALL=(--all); shift ;;
        --avoid) AVOID=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
    esac
done

if [ -z "${SPIKE:-}" ]; then
    SPIKE=$ROOT/../shared/tools/spike/spike
    [ -x "$SPIKE" ] || SPIKE=/work/shared/tools/spike/spike
fi
if [ ! -x "$SPIKE" ]; then
    echo "SKIP diff-h (Spike not found: set SPIKE=/path/to/spike; see tests/diffh/README.md)"
    exit 0
fi
for tool in "$CC" python3 timeout sha256sum; do
    command -v "$tool" >/dev/null || { echo "run.sh: '$tool' not found" >&2; exit 2; }
done
if [ "$RIVET" != spike ]; then
    [ -x "$RIVET" ] || { echo "run.sh: rivet binary '$RIVET' not found or not executable" >&2; exit 2; }
    RIVET=$(cd "$(dirname "$RIVET")" && pwd)/$(basename "$RIVET")
fi
export RIVET SPIKE TIMEOUT OUT
T0=$(date +%s.%N)
mkdir -p "$OUT/src" "$OUT/obj" "$OUT/spike-cache" "$OUT/rivet"

# ---- generate and build ------------------------------------------------------
gen_list=$(python3 "$HERE/gen.py" --seed "$SEED" --programs "$PROGRAMS" --first "$FIRST" \
           --cases "$CASES" --ops "$OPS" --avoid "$AVOID" --out "$OUT/src") || {
    echo "run.sh: generator failed" >&2; exit 2; }
mapfile -t srcs <<<"$gen_list"
for f in rt.S main.c; do
    o=$OUT/obj/${f%.*}.o
    if ! [ "$o" -nt "$HERE/$f" ] || ! [ "$o" -nt "$HERE/layout.h" ]; then
        "$CC" "${CFLAGS[@]}" -c -o "$o" "$HERE/$f" || { echo "run.sh: build of $f failed" >&2; exit 2; }
    fi
done
units=()
build=()
for src in "${srcs[@]}"; do
    name=$(basename "$src" .S)
    [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]] && continue
    units+=("$name")
    elf=$OUT/$name.elf
    if ! [ "$elf" -nt "$src" ] || ! [ "$elf" -nt "$OUT/obj/rt.o" ] || ! [ "$elf" -nt "$OUT/obj/main.o" ] ||
       ! [ "$elf" -nt "$HERE/link.ld" ]; then
        build+=("$elf" "$src")
    fi
done
[ ${#units[@]} -gt 0 ] || { echo "run.sh: no units selected" >&2; exit 2; }
if [ ${#build[@]} -gt 0 ]; then
    printf '%s\0' "${build[@]}" | xargs -0 -n 2 -P "$JOBS" "$SELF" --internal-build ||
        { echo "run.sh: build failed" >&2; exit 2; }
fi

# ---- run ---------------------------------------------------------------------
sver=$(sha256sum "$SPIKE" | cut -c1-16)
manifest=$OUT/manifest.tsv
: >"$manifest"
jobs=()
for name in "${units[@]}"; do
    elf=$OUT/$name.elf
    key=$( { cat "$elf"; echo "$sver $SPIKE_ISA v1"; } | sha256sum | cut -c1-32)
    ref=$OUT/spike-cache/$key
    if [ "$(cat "$ref.rc" 2>/dev/null)" != 0 ]; then
        jobs+=(spike "$elf" "$ref")
    fi
    riv=$OUT/rivet/$name
    rm -f "$riv.out" "$riv.rc" "$riv.err"
    jobs+=(rivet "$elf" "$riv")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$OUT/src/$name.S" "$ref.out" "$ref.rc" \
        "$riv.out" "$riv.rc" "$riv.err" >>"$manifest"
done
printf '%s\0' "${jobs[@]}" | xargs -0 -n 3 -P "$JOBS" "$SELF" --internal-run

# ---- compare -------------------------------------------------------------------
python3 "$HERE/compare.py" "${ALL[@]}" "$manifest"
status=$?
awk -v t0="$T0" -v t1="$(date +%s.%N)" 'BEGIN { printf "diff-h: %.1f s\n", t1 - t0 }'
exit $status
