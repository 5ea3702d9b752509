#!/usr/bin/env bash
# Replays the seed corpus and every past crasher of each harness through
# its replay binary (built by `make fuzz-regress`). Prints PASS/FAIL lines.
# usage: tests/fuzz/regress.sh REPLAY-DIR HARNESS...
set -u
cd "$(dirname "$0")/../.."
dir=$1; shift
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fails=0
for h in "$@"; do
    inputs=()
    for d in tests/fuzz/corpus/$h tests/fuzz/regress/$h; do
        [ -d "$d" ] && inputs+=("$d")
    done
    log=$dir/regress-$h.log
    out=$("$dir/replay_$h" "${inputs[@]}" 2>"$log")
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS fuzz-regress/$h (${out##*: })"
    else
        echo "FAIL fuzz-regress/$h: exit status $rc on $(grep '^replay: ' "$log" | tail -n 1 | cut -c9-)" \
             "$(grep -m2 'ERROR\|runtime error' "$log" | tr '\n' '|')"
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
