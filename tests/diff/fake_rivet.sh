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
set -o pipefail
mode=${FAKE_RIVET_MODE:-flip}
line=${FAKE_RIVET_LINE:-100}
out=$(qemu-system-riscv64 "$@")
rc=$?
case $mode in
    none) printf '%s\n' "$out"; exit $rc ;;
    exit) printf '%s\n' "$out"; exit 3 ;;
    truncate) printf '%s\n' "$out" | head -n "$line"; exit 1 ;;
esac
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
