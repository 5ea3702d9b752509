#!/usr/bin/env bash
# Runs each host-input fuzz harness for a while and reports, per harness,
# executions and crashes. Exits 1 if any harness crashed.
# usage: tests/fuzz/run.sh BUILD-DIR SECONDS HARNESS...
# The committed seeds (tests/fuzz/corpus/H) and past crashers
# (tests/fuzz/regress/H) are copied, never written
# (libFuzzer may write into any corpus directory it is given): the run
# works in BUILD-DIR/corpus/H, crashers go to BUILD-DIR/crashes/.
set -u
cd "$(dirname "$0")/../.."
build=$1 secs=$2; shift 2
mkdir -p "$build/crashes"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
crashed=0
for h in "$@"; do
    work=$build/corpus/$h log=$build/fuzz-$h.log
    mkdir -p "$work"
    cp -n tests/fuzz/corpus/"$h"/* "$work"/
    # Past crashers start every run, so a regression shows in the first seconds.
    [ -d tests/fuzz/regress/"$h" ] && cp -n tests/fuzz/regress/"$h"/* "$work"/
    dict=()
    [ -f "tests/fuzz/$h.dict" ] && dict=(-dict="tests/fuzz/$h.dict")
    "$build/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -close_fd_mask=3 -print_final_stats=1 -artifact_prefix="$build/crashes/$h-" \
        "${dict[@]}" "$work" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        crashed=1
        echo "fuzz $h: CRASH after ${execs:-?} executions (exit $rc); log $log:"
        grep -m5 'ERROR\|runtime error\|SUMMARY\|Test unit written' "$log" | sed 's/^/    /'
    else
        echo "fuzz $h: ${execs:-?} executions in $secs s, no crash"
    fi
done
exit $crashed
