#!/usr/bin/env bash
# A stand-in "rivet" for checking that the V-mode differential suite catches
# differences: takes rivet's command line, runs Spike on the -kernel ELF and
# damages the output on purpose.
#   FAKE_MODE=flip     (default) flip the last hex digit of the first
#                      output line matching FAKE_MATCH (default "^trap h")
#   FAKE_MODE=allowed  zero the TINST field of the first non-zero one on a
#                      trap line: a difference the spec allows, must PASS
#   FAKE_MODE=exit     keep the output but exit with status 3
#   FAKE_MODE=none     pass everything through
set -o pipefail
spike=${SPIKE:-/work/shared/tools/spike/spike}
elf=
while [ $# -gt 0 ]; do
    [ "$1" = -kernel ] && elf=$2
    shift
done
out=$("$spike" --isa=rv64gch_zicntr_sstc "$elf")
rc=$?
case ${FAKE_MODE:-flip} in
    none) printf '%s\n' "$out"; exit $rc ;;
    exit) printf '%s\n' "$out"; exit 3 ;;
    allowed)
        printf '%s\n' "$out" | awk '
            !done && $1 == "trap" && $7 !~ /^0+$/ { $7 = "0000000000000000"; done = 1 }
            { print }'
        exit $rc ;;
esac
printf '%s\n' "$out" | awk -v re="${FAKE_MATCH:-^trap h}" '
    !done && $0 ~ re {
        c = substr($0, length($0), 1)
        i = index("0123456789abcdef", c)
        if (i) {
            j = (i - 1 == int((i - 1) / 2) * 2) ? i + 1 : i - 1
            $0 = substr($0, 1, length($0) - 1) substr("0123456789abcdef", j, 1)
            done = 1
        }
    }
    { print }'
exit $rc
