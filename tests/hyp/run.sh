#!/usr/bin/env bash
# Tests of rivet-hv (hyp/), the partitioning hypervisor, on an emulator with
# the H extension. Builds the hypervisor and its test guests, then runs
# tests/hyp/hyp_tests.py. Linux boots are SKIPped when the guest (Linux
# Image, vmlinux, busybox initramfs from guest/build.sh) is not built.
#
# usage: tests/hyp/run.sh [EMULATOR]
#   EMULATOR defaults to qemu-system-riscv64 (QEMU 7.2); pass build/rivet
#   (an absolute path) to run the same tests on rivet's H extension.
#   tests/check.sh's hyp suite runs both.
# Prints "PASS hyp/<name>", "FAIL hyp/<name>: why" or "SKIP hyp/<name>: why".
set -u
cd "$(dirname "$0")/../.."
emu=${1:-qemu-system-riscv64}
if ! command -v "$emu" >/dev/null 2>&1; then
    echo "SKIP hyp/all: $emu not found"
    exit 0
fi
if ! make -s hyp hyp-tests > build/hyp-build.log 2>&1; then
    tail -20 build/hyp-build.log
    echo "FAIL hyp/build: make hyp hyp-tests failed (log: build/hyp-build.log)"
    exit 1
fi
echo "PASS hyp/build"
exec python3 tests/hyp/hyp_tests.py "$emu" "${RIVET_CACHE:-$HOME/.cache/rivet}"
