#!/usr/bin/env bash
# Runs every test suite against one rivet binary and ends with
# "N passed, N failed". usage: tests/check.sh RIVET [suite...]
# Suites: isa diff diffsmp diffh jit board boot diag smp h kvm hyp guestfuzz gdb qmp sdtrig
# (default: all), and smpboot (one Linux boot with -smp 4, for the TSan
# build). h runs the H-extension programs on rivet and on Spike; hyp runs
# rivet-hv on rivet and on QEMU 7.2; kvm is Linux's KVM in the guest with
# -cpu rv64,h=true (tests/kvm/run.py qemu runs it on QEMU). The boot suite builds the
# guest (Linux + busybox) first, or reuses the cached one; the jit suite
# reruns the ISA and differential tests with every block compiled at once.
set -u
cd "$(dirname "$0")/.."
RIVET=$1; shift
SUITES=${*:-isa diff diffsmp diffh jit board boot virtio diag smp h kvm hyp guestfuzz gdb qmp sdtrig}
LOG=build/tests/check.log
mkdir -p build/tests
: > "$LOG"

# run_suite TITLE CMD...: show and log the suite's lines; PREFIX (if set)
# is put before each test's name, to tell reruns apart.
run_suite() {
    echo "== $1" | tee -a "$LOG"
    shift
    "$@" 2>&1 | sed "s/^\(PASS\|FAIL\|SKIP\) /\1 ${PREFIX:-}/" | tee -a "$LOG"
}

for s in $SUITES; do
    case $s in
    isa)   run_suite "ISA and privileged tests" tests/run_isa.sh "$RIVET" $(make -s print-isa-elfs) ;;
    diff)  run_suite "differential tests against QEMU" tests/diff/run.sh "$RIVET" ;;
    diffh) # random V-mode (H extension) programs against Spike, the reference (tests/diffh; SKIP without Spike)
        run_suite "V-mode differential tests against Spike" tests/diffh/run.sh "$RIVET" ;;
    diffsmp)  # hart 0 and hart 1 each run a differential program (tests/diff/smp.h)
        run_suite "differential tests against QEMU, -smp 2, threaded and thread=single" tests/diff/run.sh "$RIVET" --smp 2 ;;
    jit)
        export RIVET_JIT=eager PREFIX=jit:
        run_suite "ISA tests, every block compiled" tests/run_isa.sh "$RIVET" $(make -s print-isa-elfs)
        run_suite "differential tests, every block compiled" tests/diff/run.sh "$RIVET"
        unset RIVET_JIT PREFIX ;;
    sdtrig) run_suite "Sdtrig debug triggers (bare metal, rivet and QEMU 7.2)" tests/debug/sdtrig_test.sh "$RIVET" ;;
    gdb|qmp)  # tests/debug: gdb-multiarch batch sessions, or QMP and the monitor over sockets, against Linux
        if [ "$s" = gdb ] && ! command -v gdb-multiarch > /dev/null; then
            echo "SKIP debug/gdb: gdb-multiarch not installed (tools/install-deps.sh)" | tee -a "$LOG"
        elif guest/build.sh > build/tests/guest-build.log 2>&1; then
            run_suite "debugging: $s" python3 "tests/debug/${s}_test.py" "$RIVET" "$(guest/build.sh --print)"
        else
            echo "FAIL $s/guest-build: guest/build.sh failed (log: build/tests/guest-build.log)" | tee -a "$LOG"
        fi ;;
    board) run_suite "board, boot flow and command line" tests/board/run.sh "$RIVET" ;;
    guestfuzz) run_suite "guest-behaviour fuzzing: hostile programs, invariants and QEMU" tests/guestfuzz/run.sh "$RIVET" ;;
    boot)
        if guest/build.sh > build/tests/guest-build.log 2>&1; then
            run_suite "Linux boots" python3 tests/boot/linux_boot.py "$RIVET" "$(guest/build.sh --print)"
        else
            tail -20 build/tests/guest-build.log
            echo "FAIL boot/guest-build: guest/build.sh failed (log: build/tests/guest-build.log)" | tee -a "$LOG"
        fi ;;
    diag)  # deliberately broken guests: rivet's explanation, word for word (needs dtc)
        if guest/build.sh > build/tests/guest-build.log 2>&1; then
            run_suite "bring-up diagnostics: dtb-check, -d boot, the kernel log and explained failures" python3 tests/diag/run.py "$RIVET" "$(guest/build.sh --print)"
        else
            echo "FAIL diag/guest-build: guest/build.sh failed (log: build/tests/guest-build.log)" | tee -a "$LOG"
        fi ;;
    virtio)  # virtio disks (ext4 root), user networking, rng, malformed rings, options
        guest/build.sh > build/tests/guest-build.log 2>&1 || echo "FAIL virtio/guest-build: guest/build.sh failed (log: build/tests/guest-build.log)" | tee -a "$LOG"
        run_suite "virtio devices" python3 tests/virtio/run.py "$RIVET" "$(guest/build.sh --print)" ;;
    smp)   run_suite "SMP programs, -smp 2/4/8, threaded and thread=single" tests/smp/run.sh "$RIVET" ;;
    smpboot)  # one Linux boot with -smp 4 on threads (for the TSan build: make TSAN=1 check SUITES=smp,smpboot)
        if guest/build.sh > build/tests/guest-build.log 2>&1; then
            # nowatchdog: a sanitizer build runs the harts far slower than
            # real time, which the soft-lockup watchdog would report
            RIVET_BOOT_APPEND=nowatchdog run_suite "Linux with -smp 4 on threads" \
                python3 tests/boot/linux_boot.py "$RIVET" "$(guest/build.sh --print)" smp4
        else
            echo "FAIL smpboot/guest-build: guest/build.sh failed (log: build/tests/guest-build.log)" | tee -a "$LOG"
        fi ;;
    kvm)   # Linux's KVM on rivet's H extension
        if guest/build.sh > build/tests/guest-build.log 2>&1; then
            run_suite "Linux's KVM in the guest (kvmtest): -cpu rv64 with h=true, h=true,sstc=false, h=false" python3 tests/kvm/run.py "$RIVET" "$(guest/build.sh --print)"
        else
            tail -20 build/tests/guest-build.log
            echo "FAIL kvm/guest-build: guest/build.sh failed (log: build/tests/guest-build.log)" | tee -a "$LOG"
        fi ;;
    h)     # the bare-metal H-extension programs (tests/h), on rivet and on Spike,
           # the reference (SKIP where ../shared/tools/spike is absent)
        run_suite "hypervisor extension (tests/h)" tests/h/run.sh "$RIVET"
        PREFIX=spike: run_suite "hypervisor extension on Spike, the reference" tests/h/run.sh spike ;;
    hyp)   # rivet-hv (hyp/) on rivet's H extension, and on QEMU 7.2 (the proof it is not tuned to rivet)
        run_suite "rivet-hv, the hypervisor in hyp/, on rivet" tests/hyp/run.sh "$(realpath "$RIVET")"
        PREFIX=qemu: run_suite "rivet-hv, the hypervisor in hyp/, on qemu-system-riscv64" tests/hyp/run.sh ;;
    *) echo "tests/check.sh: unknown suite '$s'" >&2; exit 2 ;;
    esac
done

passed=$(grep -c '^PASS ' "$LOG")
failed=$(grep -c '^FAIL ' "$LOG")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
