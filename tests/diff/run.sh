#!/usr/bin/env bash
# Differential tests: run the same bare-metal programs on QEMU and on rivet
# and require byte-identical UART output (and a clean finisher exit).
#
# usage: tests/diff/run.sh RIVET [--cases N] [--seed S] [--insns M]
#                          [--jobs J] [--timeout SEC] [--only RE] [--skip RE]
#                          [--quirks]
#   RIVET      path to the rivet binary, or "qemu" to run QEMU on both sides
#              (self-check of the suite).
#   --cases N  random cases in total (default 2500, 50 per program)
#   --seed S   generator seed (default 1)
#   --insns M  random instructions per case (default 200)
#   --jobs J   emulator runs in parallel (default: number of CPUs)
#   --timeout  seconds per emulator run (default 30)
#   --only RE  only units whose name matches the (extended) regex
#   --skip RE  leave out units whose name matches the regex
#   --quirks   also compare sig_quirks, which records where QEMU 7.2 deviates
#              from the spec (left out by default: a spec-following rivet
#              fails it; see sig_quirks.S)
#
# Units are the generated rand_NNN programs and every tests/diff/sig_*.S.
# Prints "PASS diff/<unit> (K cases)" or "FAIL diff/<unit>: case C differs:
# ..." per unit, then the totals; exits non-zero if any unit fails.
#
# Everything goes to build/tests/diff/ (or $DIFF_OUT; give concurrent runs
# different ones).  QEMU's outputs are cached there in qemu-cache/, keyed by
# a hash of the ELF and the QEMU version, so a re-run only runs rivet.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SELF=$HERE/$(basename "$0")
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${DIFF_OUT:-$ROOT/build/tests/diff}
QEMU=${QEMU:-qemu-system-riscv64}
CC=riscv64-unknown-elf-gcc
# shellcheck disable=SC2054  # the commas belong to -march, not to the array
CFLAGS=(-march=rv64gc_zba_zbb_zbc_zbs -mabi=lp64d -mcmodel=medany -nostdlib -nostartfiles
        -I "$HERE" -T "$HERE/link.ld" -Wl,--no-relax -Wl,--no-warn-rwx-segments)

# ---- internal entry points (run in parallel through xargs) ----------------

# --internal-build ELF RUNTIME SOURCE: assemble and link one program.
if [ "${1:-}" = --internal-build ]; then
    elf=$2 rt=$3 src=$4
    if ! "$CC" "${CFLAGS[@]}" -o "$elf.tmp" "$rt" "$src" 2>"$elf.log"; then
        echo "build failed: $src" >&2
        sed 's/^/    /' "$elf.log" | head -20 >&2
        exit 1
    fi
    mv "$elf.tmp" "$elf"
    rm -f "$elf.log"
    exit 0
fi

# --internal-run qemu|rivet ELF OUTPREFIX: one emulator run; writes
# OUTPREFIX.out (UART), .err (stderr) and .rc (exit status, 124 = timeout).
if [ "${1:-}" = --internal-run ]; then
    kind=$2 elf=$3 out=$4
    if [ "$kind" = qemu ]; then
        cmd=("$QEMU" -M virt -bios none -kernel "$elf" -display none -monitor none -serial stdio)
    elif [ "$RIVET" = qemu ]; then
        # rivet's own command line, to check that -nographic changes nothing
        cmd=("$QEMU" -M virt -bios none -kernel "$elf" -nographic)
    else
        cmd=("$RIVET" -M virt -bios none -kernel "$elf" -nographic)
    fi
    # Output is capped (a runaway guest printing in a loop must not fill the
    # disk): the reference outputs are ~100 KiB per unit.
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" </dev/null 2>"$out.err" | head -c $((8 << 20)) >"$out.out"
    echo "${PIPESTATUS[0]}" >"$out.rc"
    truncate -s '<65536' "$out.err"
    exit 0
fi

# ---- arguments -------------------------------------------------------------

usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
RIVET=$1; shift
CASES=2500 SEED=1 INSNS=200 JOBS=$(nproc 2>/dev/null || echo 2) TIMEOUT=30 ONLY='' SKIP='' QUIRKS=0
while [ $# -gt 0 ]; do
    case $1 in
        --cases) CASES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --insns) INSNS=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --skip) SKIP=$2; shift 2 ;;
        --quirks) QUIRKS=1; shift ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
for tool in "$QEMU" "$CC" python3 timeout sha256sum; do
    command -v "$tool" >/dev/null || { echo "run.sh: '$tool' not found" >&2; exit 2; }
done
if [ "$RIVET" != qemu ]; then
    [ -x "$RIVET" ] || { echo "run.sh: rivet binary '$RIVET' not found or not executable" >&2; exit 2; }
    RIVET=$(cd "$(dirname "$RIVET")" && pwd)/$(basename "$RIVET")
fi
export RIVET TIMEOUT QEMU
T0=$(date +%s.%N)
mkdir -p "$OUT/src" "$OUT/qemu-cache" "$OUT/rivet"

# ---- generate and build ------------------------------------------------------

# units: name<TAB>runtime<TAB>source
units=()
if [ "$CASES" -gt 0 ]; then
    gen_list=$(python3 "$HERE/gen.py" --seed "$SEED" --cases "$CASES" --insns "$INSNS" --out "$OUT/src") || {
        echo "run.sh: generator failed" >&2; exit 2; }
    mapfile -t gen_srcs <<<"$gen_list"
    for src in "${gen_srcs[@]}"; do
        units+=("$(basename "$src" .S)	$HERE/rand_rt.S	$src")
    done
fi
for src in "$HERE"/sig_*.S; do
    [ "$src" = "$HERE/sig_rt.S" ] && continue
    if [ "$src" = "$HERE/sig_quirks.S" ] && [ $QUIRKS = 0 ]; then
        echo "SKIP diff/sig_quirks (QEMU 7.2 deviations from the spec; --quirks compares them)"
        continue
    fi
    units+=("$(basename "$src" .S)	$HERE/sig_rt.S	$src")
done
if [ -n "$ONLY$SKIP" ]; then
    kept=()
    for u in "${units[@]}"; do
        name=${u%%	*}
        [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]] && continue
        [ -n "$SKIP" ] && [[ $name =~ $SKIP ]] && continue
        kept+=("$u")
    done
    units=("${kept[@]}")
fi
[ ${#units[@]} -gt 0 ] || { echo "run.sh: no units selected" >&2; exit 2; }

# Rebuild an ELF when it is older than its source, its runtime, a header or
# the linker script (gen.py only rewrites sources whose text changed).
build_jobs=()
for u in "${units[@]}"; do
    IFS=$'\t' read -r name rt src <<<"$u"
    elf=$OUT/$name.elf
    stale=0
    for dep in "$src" "$rt" "$HERE"/*.h "$HERE/link.ld"; do
        [ "$elf" -nt "$dep" ] || { stale=1; break; }
    done
    [ $stale = 1 ] && build_jobs+=("$elf" "$rt" "$src")
done
if [ ${#build_jobs[@]} -gt 0 ]; then
    printf '%s\0' "${build_jobs[@]}" | xargs -0 -n 3 -P "$JOBS" "$SELF" --internal-build || {
        echo "run.sh: build failed" >&2; exit 2; }
fi

# ---- run --------------------------------------------------------------------

qver=$("$QEMU" --version | head -1)
run_jobs=()
manifest=$OUT/manifest.tsv
: >"$manifest"
for u in "${units[@]}"; do
    IFS=$'\t' read -r name rt src <<<"$u"
    elf=$OUT/$name.elf
    # Cache key: the program bytes, the QEMU build and this script's QEMU
    # command line (bump "v1" when the way QEMU is run changes).
    key=$( { cat "$elf"; echo "$qver v1"; } | sha256sum | cut -c1-32)
    ref=$OUT/qemu-cache/$key
    if [ "$(cat "$ref.rc" 2>/dev/null)" != 0 ]; then
        run_jobs+=(qemu "$elf" "$ref")
    fi
    riv=$OUT/rivet/$name
    rm -f "$riv.out" "$riv.rc" "$riv.err"
    run_jobs+=(rivet "$elf" "$riv")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$ref.out" "$ref.rc" "$riv.out" "$riv.rc" "$riv.err" >>"$manifest"
done
printf '%s\0' "${run_jobs[@]}" | xargs -0 -n 3 -P "$JOBS" "$SELF" --internal-run

# ---- compare ------------------------------------------------------------------

python3 "$HERE/compare.py" "$manifest"
status=$?
awk -v t0="$T0" -v t1="$(date +%s.%N)" 'BEGIN { printf "diff: %.1f s\n", t1 - t0 }'
exit $status
