#!/usr/bin/env bash
# Checks the differential suite itself, without rivet:
#   1. gen.py is deterministic: the same seed gives byte-identical sources
#      (also between a serial and a parallel run), another seed differs;
#   2. QEMU against QEMU passes, i.e. the programs give the same output on
#      every run (the rivet side runs QEMU with rivet's -nographic flags,
#      the reference side comes from the cache or a fresh run);
#   3. damaged output is caught: tests/diff/fake_rivet.sh flipping a hex
#      digit, truncating the output, or exiting non-zero must all FAIL.
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

echo "selftest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
