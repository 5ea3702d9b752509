#!/usr/bin/env bash
# make bench: build (or reuse) the guest, then run bench/bench.py.
set -euo pipefail
cd "$(dirname "$0")/.."
guest/build.sh >/dev/null
make -s hyp >/dev/null
exec python3 bench/bench.py "$@"
