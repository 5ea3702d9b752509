#!/usr/bin/env bash
# A stand-in "rivet" for checking that the differential suite catches
# differences: runs QEMU with the arguments rivet would get (QEMU accepts
# the same command line) and damages the output on purpose.
#   FAKE_RIVET_MODE=flip      (default) flip one hex digit of output line
#                             FAKE_RIVET_LINE (default 100, or the last line
#                             if the output is shorter)
#   FAKE_RIVET_MODE=truncate  stop after FAKE_RIVET_LINE lines and exit 1
#   FAKE_RIVET_MODE=exit      keep the output intact but exit with status 3
#   FAKE_RIVET_MODE=none      pass everything through unchanged
#   FAKE_RIVET_MODE=flip-h1   like flip, on line FAKE_RIVET_LINE of hart 1's
#                             part of a two-hart run ("h1." lines, smp.h)
#   FAKE_RIVET_MODE=no-h1     run with -smp 1 instead of -smp 2: hart 1 never
#                             runs, so hart 0 waits for it in vain (~20 s)
#   FAKE_RIVET_IF=STRING      damage only runs whose arguments contain
#                             STRING (e.g. thread=single), pass others through
set -o pipefail
mode=${FAKE_RIVET_MODE:-flip}
line=${FAKE_RIVET_LINE:-100}
if [ -n "${FAKE_RIVET_IF:-}" ] && [[ " $* " != *"$FAKE_RIVET_IF"* ]]; then
    mode=none
fi
args=("$@")
if [ "$mode" = no-h1 ]; then
    for i in "${!args[@]}"; do
        [ "${args[i]}" = -smp ] && args[i+1]=1
    done
fi
out=$(qemu-system-riscv64 "${args[@]}")
rc=$?
case $mode in
    no-h1) printf '%s\n' "$out"; exit $rc ;;
    none) printf '%s\n' "$out"; exit $rc ;;
    exit) printf '%s\n' "$out"; exit 3 ;;
    truncate) printf '%s\n' "$out" | head -n "$line"; exit 1 ;;
esac
if [ "$mode" = flip-h1 ]; then
    # the line number of hart 1's FAKE_RIVET_LINE-th line in the whole output
    first=$(printf '%s\n' "$out" | grep -n -m1 '^h1\.' | cut -d: -f1)
    n1=$(printf '%s\n' "$out" | grep -c '^h1\.')
    [ -n "$first" ] || { printf '%s\n' "$out"; exit $rc; }
    [ "$n1" -lt "$line" ] && line=$((n1 - 1))
    line=$((first + line - 1))
fi
n=$(printf '%s\n' "$out" | wc -l)
[ "$n" -lt "$line" ] && line=$((n - 1))
# Flip the last hex digit of that line: 0<->1, 2<->3, ..., e<->f.
printf '%s\n' "$out" | awk -v L="$line" '
    NR == L {
        c = substr($0, length($0), 1)
        i = index("0123456789abcdef", c)
        if (i) {
            j = (i - 1 == int((i - 1) / 2) * 2) ? i + 1 : i - 1
            $0 = substr($0, 1, length($0) - 1) substr("0123456789abcdef", j, 1)
        }
    }
    { print }'
exit $rc
