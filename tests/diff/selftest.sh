#!/usr/bin/env bash
# Checks the differential suite itself, without rivet:
#   1. gen.py is deterministic: the same seed gives byte-identical sources
#      (also between a serial and a parallel run), another seed differs;
#   2. QEMU against QEMU passes, i.e. the programs give the same output on
#      every run (the rivet side runs QEMU with rivet's -nographic flags,
#      the reference side comes from the cache or a fresh run);
#   3. damaged output is caught: tests/diff/fake_rivet.sh flipping a hex
#      digit, truncating the output, or exiting non-zero must all FAIL;
#   4. the two-hart mode (--smp 2): QEMU against QEMU passes in both modes;
#      a flipped digit in hart 1's part, only under thread=single, fails
#      exactly the diff-smp2-single units and names hart 1's case; one in
#      hart 0's part, only in the threaded runs, fails exactly diff-smp2;
#      a run where hart 1 never starts ends in hart 0's bounded wait
#      ("h1.timeout", about 20 s).
#
# usage: tests/diff/selftest.sh [--cases N]     (default 500 random cases)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
CASES=500
[ "${1:-}" = --cases ] && CASES=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0
ok()  { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# 1. determinism of the generator
python3 "$HERE/gen.py" --seed 7 --cases 120 --out "$TMP/a" --jobs 1 >/dev/null
python3 "$HERE/gen.py" --seed 7 --cases 120 --out "$TMP/b" >/dev/null
python3 "$HERE/gen.py" --seed 8 --cases 120 --out "$TMP/c" >/dev/null
if diff -r -x .gen-stamp "$TMP/a" "$TMP/b" >/dev/null; then
    ok "gen.py: same seed gives identical sources"
else
    bad "gen.py: same seed gave different sources"
fi
if diff -q "$TMP/a/rand_000.S" "$TMP/c/rand_000.S" >/dev/null; then
    bad "gen.py: different seeds gave the same source"
else
    ok "gen.py: different seeds give different sources"
fi

# 2. QEMU against QEMU
if "$HERE/run.sh" qemu --cases "$CASES" --quirks >"$TMP/qemu.log" 2>&1; then
    ok "QEMU vs QEMU: $(grep 'cases compared' "$TMP/qemu.log")"
else
    bad "QEMU vs QEMU:"; grep -v '^PASS' "$TMP/qemu.log" | sed 's/^/    /'
fi

# 3. damaged output must be caught, and reported with the case it hit
expect_fail() {   # mode, description, pattern the FAIL line must match
    if FAKE_RIVET_MODE=$1 "$HERE/run.sh" "$HERE/fake_rivet.sh" --cases 100 \
            --only 'rand_000|sig_traps' >"$TMP/fake.log" 2>&1; then
        bad "fake rivet ($2) was not caught"; return
    fi
    if [ "$(grep -c '^FAIL' "$TMP/fake.log")" -eq 2 ] && grep -q "$3" "$TMP/fake.log"; then
        ok "fake rivet ($2) caught: $(grep -m1 '^FAIL' "$TMP/fake.log" | cut -c1-110)"
    else
        bad "fake rivet ($2): unexpected report"; sed 's/^/    /' "$TMP/fake.log"
    fi
}
expect_fail flip "one hex digit flipped" '^FAIL diff/rand_000: case [0-9]* differs: qemu "'
expect_fail truncate "output cut short" 'vs rivet <end of output> (rivet exit 1)'
expect_fail exit "exit status 3" 'rivet ended with exit 3'
if FAKE_RIVET_MODE=none "$HERE/run.sh" "$HERE/fake_rivet.sh" --cases 100 \
        --only 'rand_000|sig_traps' >"$TMP/fake.log" 2>&1; then
    ok "fake rivet (unchanged output) passes"
else
    bad "fake rivet (unchanged output) failed"; sed 's/^/    /' "$TMP/fake.log"
fi

# 4. the two-hart mode
if "$HERE/run.sh" qemu --smp 2 --cases 100 >"$TMP/qemu2.log" 2>&1; then
    ok "QEMU vs QEMU, two harts: $(grep 'cases compared' "$TMP/qemu2.log" | tr '\n' ' ')"
else
    bad "QEMU vs QEMU, two harts:"; grep -v '^PASS' "$TMP/qemu2.log" | sed 's/^/    /'
fi
expect_fail_smp() {   # mode, only-if, description, mode label that must fail, pattern
    if FAKE_RIVET_MODE=$1 FAKE_RIVET_IF=$2 "$HERE/run.sh" "$HERE/fake_rivet.sh" --smp 2 --cases 100 \
            --only '^(rand_000|sig_traps)\+' >"$TMP/fake2.log" 2>&1; then
        bad "fake rivet, two harts ($3) was not caught"; return
    fi
    # every unit of mode $4 fails (rand_000+rand_000.s2, sig_traps+sig_traps,
    # sig_traps+sig_amo, sig_traps+rand_000.s2), every unit of the other passes
    local n
    n=$(grep -c "^FAIL $4/" "$TMP/fake2.log")
    if [ "$n" -ge 3 ] && [ "$(grep -c '^FAIL' "$TMP/fake2.log")" -eq "$n" ] &&
            [ "$(grep -c '^PASS' "$TMP/fake2.log")" -eq "$n" ] && grep -q "$5" "$TMP/fake2.log"; then
        ok "fake rivet, two harts ($3) caught: $(grep -m1 '^FAIL' "$TMP/fake2.log" | cut -c1-110)"
    else
        bad "fake rivet, two harts ($3): unexpected report"; sed 's/^/    /' "$TMP/fake2.log"
    fi
}
expect_fail_smp flip-h1 thread=single "hart 1's output, thread=single only" diff-smp2-single \
    '^FAIL diff-smp2-single/rand_000+rand_000.s2: hart 1 case [0-9]* differs: qemu "h1\.'
expect_fail_smp flip "-smp 2 -bios" "hart 0's output, threads only" diff-smp2 \
    '^FAIL diff-smp2/rand_000+rand_000.s2: case [0-9]* differs: qemu "'
if FAKE_RIVET_MODE=no-h1 "$HERE/run.sh" "$HERE/fake_rivet.sh" --smp 2 --smp-modes threads --cases 0 \
        --only '^sig_mrom\+sig_mrom$' >"$TMP/fake3.log" 2>&1; then
    bad "fake rivet, hart 1 never runs: not caught"
elif grep -q '^FAIL diff-smp2/sig_mrom+sig_mrom: hart 1 case [0-9]* differs: qemu "h1.case 0.*" vs rivet "h1.timeout: hart 1 did not finish" (rivet exit 1)' "$TMP/fake3.log"; then
    ok "fake rivet, hart 1 never runs: caught: $(grep -m1 '^FAIL' "$TMP/fake3.log" | cut -c1-110)"
else
    bad "fake rivet, hart 1 never runs: unexpected report"; sed 's/^/    /' "$TMP/fake3.log"
fi

echo "selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
