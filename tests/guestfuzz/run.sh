#!/usr/bin/env bash
# Guest-behaviour fuzzing: hostile bare-metal programs on rivet (invariants)
# and against QEMU (what the architecture defines).  See README.md.
#
# usage: tests/guestfuzz/run.sh RIVET [N] [SEED] [--first I] [--jobs J]
#                               [--timeout SEC] [--no-qemu] [--keep]
#   N programs (default 40) of generator seed SEED (default 1), starting at
#   program I (default 0).  Long run:  tests/guestfuzz/run.sh build-san/rivet 2000 1000
# Prints "PASS guestfuzz/s<SEED>-<I> ..." or "FAIL guestfuzz/s<SEED>-<I>: ..."
# per program, then "guestfuzz: P passed, F failed"; exits 1 if any failed.
# Work files go to build/tests/guestfuzz/ (or $GUESTFUZZ_OUT).
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ]; then
    sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
fi
rivet=$1; shift
n=40 seed=1
case ${1:-} in [0-9]*) n=$1; shift ;; esac
case ${1:-} in [0-9]*) seed=$1; shift ;; esac
for tool in riscv64-unknown-elf-gcc riscv64-unknown-elf-nm python3; do
    command -v "$tool" >/dev/null || { echo "guestfuzz: '$tool' not found" >&2; exit 2; }
done
exec python3 "$here/run.py" "$rivet" "$n" "$seed" "$@"
