#!/usr/bin/env bash
# Checks the V-mode differential suite itself (no rivet needed, Spike is):
# Spike against itself passes, and fake_rivet.sh's damaged outputs are
# caught (a flipped digit, a wrong exit status) while a difference the spec
# allows (htinst 0 instead of a transformed instruction) is not.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export DIFFH_OUT=${DIFFH_OUT:-$ROOT/build/tests/diffh-selftest}
fails=0
# check NAME WANT_STATUS GREP_PATTERN RUN_ARGS...
check() {
    local name=$1 want=$2 pat=$3 out rc
    shift 3
    out=$("$HERE/run.sh" "$@" --programs 3 2>&1); rc=$?
    if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$out"; then
        echo "PASS diff-h-selftest/$name"
    elif grep -q '^SKIP' <<<"$out"; then
        echo "SKIP diff-h-selftest/$name ($(grep -m1 '^SKIP' <<<"$out"))"
    else
        fails=$((fails + 1))
        echo "FAIL diff-h-selftest/$name (exit $rc, want $want and /$pat/)"
        tail -4 <<<"$out" | sed 's/^/    /'
    fi
}
check spike-vs-spike 0 'diff-h: 3 passed, 0 failed' spike
FAKE_MODE=none check fake-none 0 'diff-h: 3 passed, 0 failed' "$HERE/fake_rivet.sh"
FAKE_MODE=flip check fake-flip 1 '^FAIL diff-h/rand_000: case .* differs: spike "trap h' "$HERE/fake_rivet.sh"
FAKE_MODE=flip FAKE_MATCH='^x17' check fake-flip-reg 1 '^FAIL diff-h/rand_000: case 0 .* differs: spike "x17' "$HERE/fake_rivet.sh"
FAKE_MODE="exit" check fake-exit 1 'output identical but rivet exited 3' "$HERE/fake_rivet.sh"
FAKE_MODE=allowed check fake-allowed 0 'PASS diff-h/rand_000 (20 cases, 1 allowed differences)' "$HERE/fake_rivet.sh"
exit $((fails > 0))
