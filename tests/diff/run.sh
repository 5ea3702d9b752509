#!/usr/bin/env bash
# Differential tests: run the same bare-metal programs on QEMU and on rivet
# and require byte-identical UART output (and a clean finisher exit).
#
# usage: tests/diff/run.sh RIVET [--cases N] [--seed S] [--insns M]
#                          [--jobs J] [--timeout SEC] [--only RE] [--skip RE]
#                          [--quirks] [--smp 2 [--smp-modes M] [--h1-seed S]]
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
#   --smp 2    two-hart mode (also DIFF_SMP=2): every unit runs with -smp 2,
#              hart 0 running the program as above and hart 1 an independent
#              one in its own memory (rand_NNN: case file NNN of seed
#              --h1-seed, default seed + 1; sig_X: sig_X itself, the next
#              sig unit, and one rand file of seed --h1-seed), both outputs
#              compared with QEMU's -smp 2 run; see smp.h.  Units are named
#              <hart 0>+<hart 1>.
#   --smp-modes M  rivet runs compared in the two-hart mode (default
#              "threads single", or DIFF_SMP_MODES): threads = rivet's
#              default (one host thread per hart), single = -accel
#              tcg,thread=single
#
# Units are the generated rand_NNN programs and every tests/diff/sig_*.S.
# Prints "PASS diff/<unit> (K cases)" or "FAIL diff/<unit>: case C differs:
# ..." per unit, then the totals; exits non-zero if any unit fails.  The
# two-hart mode prints "diff-smp2/<unit>" (threads) and
# "diff-smp2-single/<unit>" (thread=single) instead of "diff/<unit>".
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
        -I "$HERE" -Wl,--no-relax -Wl,--no-warn-rwx-segments)

# ---- internal entry points (run in parallel through xargs) ----------------

# --internal-build ROLE ELF RUNTIME SOURCE H1BIN: assemble and link one
# program.  ROLE one: as link.ld says; h1: hart 1's program of the two-hart
# mode, plus its flat image ELF.bin; main: hart 0's program of the two-hart
# mode, with smp_rt.S and hart 1's image H1BIN.
if [ "${1:-}" = --internal-build ]; then
    role=$2 elf=$3 rt=$4 src=$5 h1bin=$6
    extra=()
    case $role in
        one) flags=(-T "$HERE/link.ld") ;;
        h1) flags=(-T "$HERE/link_h1.ld" -DDIFF_HART=1) ;;
        main) flags=(-T "$HERE/link_smp.ld" -DDIFF_SMP_MAIN "-DH1_BIN=\"$h1bin\"")
              extra=("$HERE/smp_rt.S") ;;
    esac
    if ! "$CC" "${CFLAGS[@]}" "${flags[@]}" -o "$elf.tmp" "$rt" "$src" "${extra[@]}" 2>"$elf.log"; then
        echo "build failed: $src" >&2
        sed 's/^/    /' "$elf.log" | head -20 >&2
        exit 1
    fi
    if [ "$role" = h1 ] && ! riscv64-unknown-elf-objcopy -O binary "$elf.tmp" "$elf.bin" 2>"$elf.log"; then
        echo "objcopy failed: $elf" >&2
        exit 1
    fi
    mv "$elf.tmp" "$elf"
    rm -f "$elf.log"
    exit 0
fi

# --internal-run qemu|rivet ELF OUTPREFIX MODE: one emulator run; writes
# OUTPREFIX.out (UART), .err (stderr) and .rc (exit status, 124 = timeout).
# MODE: one (one hart), smp2 (-smp 2; QEMU's MTTCG, rivet's threads) or
# smp2-single (-smp 2 -accel tcg,thread=single).
if [ "${1:-}" = --internal-run ]; then
    kind=$2 elf=$3 out=$4 mode=$5
    opts=()
    # shellcheck disable=SC2054  # the comma belongs to the -accel value
    case $mode in
        smp2) opts=(-smp 2) ;;
        smp2-single) opts=(-smp 2 -accel tcg,thread=single) ;;
    esac
    if [ "$kind" = qemu ]; then
        cmd=("$QEMU" -M virt "${opts[@]}" -bios none -kernel "$elf" -display none -monitor none -serial stdio)
    elif [ "$RIVET" = qemu ]; then
        # rivet's own command line, to check that -nographic changes nothing
        cmd=("$QEMU" -M virt "${opts[@]}" -bios none -kernel "$elf" -nographic)
    else
        cmd=("$RIVET" -M virt "${opts[@]}" -bios none -kernel "$elf" -nographic)
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
SMP=${DIFF_SMP:-1} SMP_MODES=${DIFF_SMP_MODES:-threads single} H1_SEED=''
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
        --smp) SMP=$2; shift 2 ;;
        --smp-modes) SMP_MODES=$2; shift 2 ;;
        --h1-seed) H1_SEED=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
case $SMP in
    1|2) ;;
    *) echo "run.sh: --smp must be 1 or 2 (hart 0 and hart 1)" >&2; exit 2 ;;
esac
for m in $SMP_MODES; do
    case $m in threads|single) ;; *) echo "run.sh: --smp-modes: unknown mode '$m'" >&2; exit 2 ;; esac
done
[ -n "$H1_SEED" ] || H1_SEED=$((SEED + 1))
for tool in "$QEMU" "$CC" python3 timeout sha256sum riscv64-unknown-elf-objcopy; do
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

# SMP=2: every unit is a pair, hart 0's program + hart 1's (see smp.h).
if [ "$SMP" = 2 ]; then LABEL='diff-smp2'; else LABEL='diff'; fi

# units: name<TAB>runtime<TAB>source (one hart: the programs; two harts:
# the programs hart 0 runs)
units=()
if [ "$CASES" -gt 0 ]; then
    gen_list=$(python3 "$HERE/gen.py" --seed "$SEED" --cases "$CASES" --insns "$INSNS" --out "$OUT/src") || {
        echo "run.sh: generator failed" >&2; exit 2; }
    mapfile -t gen_srcs <<<"$gen_list"
    for src in "${gen_srcs[@]}"; do
        units+=("$(basename "$src" .S)	$HERE/rand_rt.S	$src")
    done
fi
sig_units=()
for src in "$HERE"/sig_*.S; do
    [ "$src" = "$HERE/sig_rt.S" ] && continue
    if [ "$src" = "$HERE/sig_quirks.S" ] && [ $QUIRKS = 0 ]; then
        echo "SKIP $LABEL/sig_quirks (QEMU 7.2 deviations from the spec; --quirks compares them)"
        continue
    fi
    sig_units+=("$(basename "$src" .S)	$HERE/sig_rt.S	$src")
done
units+=("${sig_units[@]}")

if [ "$SMP" = 2 ]; then
    # Pairs: name<TAB>runtime<TAB>source<TAB>h1 name<TAB>h1 runtime<TAB>h1 source.
    # rand_NNN + rand_NNN.sS (the same file of seed H1_SEED: other cases);
    # sig_X + sig_X (the same checks on both harts at once, each with its own
    # CLINT registers, page tables and PMP), sig_X + the next sig unit, and
    # sig_X + a rand file of seed H1_SEED (hart 0 changes satp, PMP, mtvec,
    # takes interrupts and fences while hart 1 runs random code).
    # No unit is left out of hart 1: it never touches the UART or the
    # finisher (its output goes through the mailbox) and no unit resets the
    # machine or uses the PLIC.
    declare -A h1_src=()
    if [ "$CASES" -gt 0 ]; then
        gen_list=$(python3 "$HERE/gen.py" --seed "$H1_SEED" --cases "$CASES" --insns "$INSNS" --out "$OUT/src-s$H1_SEED") || {
            echo "run.sh: generator failed" >&2; exit 2; }
        mapfile -t gen_srcs <<<"$gen_list"
        for src in "${gen_srcs[@]}"; do
            h1_src[$(basename "$src" .S)]=$src
        done
    fi
    pairs=()
    for u in "${units[@]}"; do
        IFS=$'\t' read -r name rt src <<<"$u"
        if [ "$rt" = "$HERE/rand_rt.S" ]; then
            pairs+=("$name	$rt	$src	$name.s$H1_SEED	$rt	${h1_src[$name]}")
        fi
    done
    n=${#sig_units[@]}
    h1_rand=("${!h1_src[@]}")
    nr=${#h1_rand[@]}
    for ((k = 0; k < n; k++)); do
        IFS=$'\t' read -r name rt src <<<"${sig_units[k]}"
        pairs+=("$name	$rt	$src	${sig_units[k]}")
        [ "$n" -gt 1 ] && pairs+=("$name	$rt	$src	${sig_units[(k + 1) % n]}")
        if [ "$nr" -gt 0 ]; then
            r=$(printf 'rand_%03d' $((k % nr)))
            pairs+=("$name	$rt	$src	$r.s$H1_SEED	$HERE/rand_rt.S	${h1_src[$r]}")
        fi
    done
    units=()
    for p in "${pairs[@]}"; do
        IFS=$'\t' read -r name rt src h1name h1rt h1src <<<"$p"
        units+=("$name+$h1name	$rt	$src	$h1name	$h1rt	$h1src")
    done
fi

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

# build_stale ROLE ELF RUNTIME SOURCE H1 DEPS...: queue a build when ELF is
# older than its source, its runtime, a header or a linker script (gen.py
# only rewrites sources whose text changed).
build_jobs=()
build_stale() {
    local role=$1 elf=$2 rt=$3 src=$4 h1=$5 dep
    shift 5
    for dep in "$src" "$rt" "$HERE"/*.h "$@"; do
        if ! [ "$elf" -nt "$dep" ]; then
            build_jobs+=("$role" "$elf" "$rt" "$src" "$h1")
            return
        fi
    done
}
run_builds() {
    [ ${#build_jobs[@]} -gt 0 ] || return 0
    printf '%s\0' "${build_jobs[@]}" | xargs -0 -n 5 -P "$JOBS" "$SELF" --internal-build || {
        echo "run.sh: build failed" >&2; exit 2; }
    build_jobs=()
}
if [ "$SMP" = 2 ]; then
    ELFDIR=$OUT/smp2
    mkdir -p "$ELFDIR/h1"
    # hart 1's programs first (several pairs share one), then the pairs
    declare -A seen=()
    for u in "${units[@]}"; do
        IFS=$'\t' read -r name rt src h1name h1rt h1src <<<"$u"
        [ -n "${seen[$h1name]:-}" ] && continue
        seen[$h1name]=1
        build_stale h1 "$ELFDIR/h1/$h1name.elf" "$h1rt" "$h1src" - "$HERE/link_h1.ld"
    done
    run_builds
    for u in "${units[@]}"; do
        IFS=$'\t' read -r name rt src h1name h1rt h1src <<<"$u"
        h1elf=$ELFDIR/h1/$h1name.elf
        build_stale main "$ELFDIR/$name.elf" "$rt" "$src" "$h1elf.bin" \
            "$HERE/link_smp.ld" "$HERE/smp_rt.S" "$h1elf"
    done
    run_builds
else
    ELFDIR=$OUT
    for u in "${units[@]}"; do
        IFS=$'\t' read -r name rt src <<<"$u"
        build_stale one "$OUT/$name.elf" "$rt" "$src" - "$HERE/link.ld"
    done
    run_builds
fi

# ---- run --------------------------------------------------------------------

# (label, emulator mode, rivet output directory) of each comparison
if [ "$SMP" = 2 ]; then
    QMODE=smp2
    runs=()
    for m in $SMP_MODES; do
        case $m in
            threads) runs+=("diff-smp2 smp2 rivet-smp2") ;;
            single) runs+=("diff-smp2-single smp2-single rivet-smp2-single") ;;
        esac
    done
else
    QMODE=one
    runs=("diff one rivet")
fi
qver=$("$QEMU" --version | head -1)
run_jobs=()
manifests=()
declare -A queued=()
for r in "${runs[@]}"; do
    read -r label mode rdir <<<"$r"
    mkdir -p "$OUT/$rdir"
    manifest=$OUT/manifest-$label.tsv
    [ "$label" = diff ] && manifest=$OUT/manifest.tsv
    manifests+=("$label $manifest")
    : >"$manifest"
    for u in "${units[@]}"; do
        name=${u%%	*}
        elf=$ELFDIR/$name.elf
        # Cache key: the program bytes, the QEMU build and this script's QEMU
        # command line (bump "v1" when the way QEMU is run changes).
        if [ $QMODE = one ]; then
            key=$( { cat "$elf"; echo "$qver v1"; } | sha256sum | cut -c1-32)
        else
            key=$( { cat "$elf"; echo "$qver $QMODE v1"; } | sha256sum | cut -c1-32)
        fi
        ref=$OUT/qemu-cache/$key
        if [ "$(cat "$ref.rc" 2>/dev/null)" != 0 ] && [ -z "${queued[$key]:-}" ]; then
            run_jobs+=(qemu "$elf" "$ref" "$QMODE")
            queued[$key]=1
        fi
        riv=$OUT/$rdir/$name
        rm -f "$riv.out" "$riv.rc" "$riv.err"
        run_jobs+=(rivet "$elf" "$riv" "$mode")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$ref.out" "$ref.rc" "$riv.out" "$riv.rc" "$riv.err" >>"$manifest"
    done
done
printf '%s\0' "${run_jobs[@]}" | xargs -0 -n 4 -P "$JOBS" "$SELF" --internal-run

# ---- compare ------------------------------------------------------------------

status=0
for m in "${manifests[@]}"; do
    read -r label manifest <<<"$m"
    if [ "$SMP" = 2 ]; then
        python3 "$HERE/compare.py" --label "$label" --h1 "$manifest" || status=1
    else
        python3 "$HERE/compare.py" "$manifest" || status=1
    fi
done
awk -v t0="$T0" -v t1="$(date +%s.%N)" -v l="$LABEL" 'BEGIN { printf "%s: %.1f s\n", l, t1 - t0 }'
exit $status
