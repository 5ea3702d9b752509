#!/usr/bin/env python3
"""Linux's KVM inside the guest: boots Linux 6.1 (CONFIG_KVM=y) with the
KVM initramfs (guest/init-kvm runs /bin/kvmtest, from tests/kvm/kvmtest.c,
then powers off) on an emulator, with and without the H extension.

usage: tests/kvm/run.py EMULATOR [GUEST_DIR] [test ...]
  EMULATOR   `qemu` (qemu-system-riscv64, QEMU 7.2) or a rivet binary
  GUEST_DIR  guest/build.sh's cache (default: guest/build.sh --print)
  tests      h (KVM with -cpu rv64,h=true), h_nosstc (rv64,h=true,sstc=false: the
             guest's timer through hvip instead of vstimecmp; SKIPped if the
             emulator keeps Sstc or rejects sstc=false), noh (-cpu rv64,h=false: KVM says so and
             kvmtest reports the missing /dev/kvm); default all three
env: KVM_TIMEOUT  seconds allowed for each boot (default 300)

Prints "PASS kvm/<name>", "FAIL kvm/<name>: why" or "SKIP kvm/<name>: why";
exit status 1 if anything failed. Logs: build/tests/kvm/<test>.log."""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
from console import Console, ConsoleTimeout  # noqa: E402

LOGDIR = os.path.join(ROOT, "build", "tests", "kvm")
TIMEOUT = float(os.environ.get("KVM_TIMEOUT", "300"))

# What kvmtest checks, in the order it runs them (see kvmtest.c).
CHECKS = ["vcpu", "mmio-write", "mmio-read", "sbi-putchar", "sbi-forward", "sbi-return",
          "vs-timer", "shutdown"]

# Kernel-log lines that mean something went wrong (as in tests/boot/linux_boot.py).
BAD_LOG = ["Oops", "WARNING:", "BUG:", "Kernel panic", "Call Trace",
           "rcu_sched self-detected stall", "Unable to handle kernel", "segfault"]

failed = 0


def report(ok, name, why=""):
    global failed
    if not ok:
        failed += 1
    print("%s kvm/%s%s" % ("PASS" if ok else "FAIL", name, (": " + why) if why else ""),
          flush=True)


def boot(emu, guest, name, cpu):
    """Boot to poweroff; return (transcript text, emulator exit status, seconds)."""
    argv = [emu, "-M", "virt"] + (["-cpu", cpu] if cpu else []) + [
        "-m", "512M", "-nographic", "-bios", "default",
        "-kernel", os.path.join(guest, "Image"),
        "-initrd", os.path.join(guest, "kvm.cpio.gz"), "-append", "console=ttyS0"]
    t0 = time.monotonic()
    con = Console(argv, log_path=os.path.join(LOGDIR, name + ".log"))
    status = None
    try:
        status = con.wait_exit(TIMEOUT)
    except ConsoleTimeout:
        pass
    finally:
        con.kill()
    text = con.transcript.decode(errors="replace").replace("\r", "")
    return text, status, time.monotonic() - t0


def tail(text, n=15):
    return "\n    ".join(text.splitlines()[-n:])


def booted(name, text, status, secs):
    """The boot reached /init and powered off cleanly."""
    if "rivet guest: kvmtest exit status" not in text:
        why = ("no poweroff within %.0fs" % TIMEOUT) if status is None else \
              "the emulator exited (status %s) before kvmtest ran" % status
        report(False, name + "/boot", why + "; last lines:\n    " + tail(text))
        return False
    bad = [b for b in BAD_LOG if b in text]
    report(status == 0 and not bad, name + "/boot",
           "booted, ran kvmtest, powered off in %.1fs (emulator exit status %s)%s"
           % (secs, status, "; kernel log has " + ", ".join(map(repr, bad)) if bad else ""))
    return True


def kvm_boot(emu, guest, name, cpu, sstc):
    """Boot with H: the kernel finds it, KVM initialises, kvmtest passes.
    sstc False: the CPU must not offer Sstc, so that KVM drives the guest's
    timer through hvip.VSTIP and a host hrtimer instead of vstimecmp."""
    text, status, secs = boot(emu, guest, name, cpu)
    if not sstc and status not in (None, 0) and "rivet guest:" not in text and "sstc" in text:
        print("SKIP kvm/%s/boot: the emulator does not take %s: %s"
              % (name, cpu, text.strip().splitlines()[-1]), flush=True)
        return
    if not booted(name, text, status, secs):
        return
    m = re.search(r"rivet guest: isa\s+(\S+)", text)
    isa = m.group(1) if m else "(no isa line)"
    base, exts = isa.split("_")[0], isa.split("_")[1:]
    report(base.startswith("rv64") and "h" in base[4:], name + "/isa",
           "/proc/cpuinfo isa %s%s" % (isa, "" if "h" in base[4:] else ", without h"))
    if not sstc and "sstc" in exts:
        print("SKIP kvm/%s/kvmtest: the emulator ignored %s (isa %s)" % (name, cpu, isa),
              flush=True)
        return
    kvm_lines = re.findall(r"kvm \[\d+\]: .*", text)
    lines = sorted(set(kvm_lines), key=kvm_lines.index)
    ok = any("hypervisor extension available" in line for line in lines) and \
        any("G-stage page table format" in line for line in lines)
    report(ok, name + "/detect",
           "; ".join(lines) if lines else "no \"kvm [N]:\" lines in the kernel log")
    m = re.search(r"^kvmtest: FAIL no /dev/kvm.*$", text, re.M)
    if m:
        report(False, name + "/kvmtest", m.group(0)[len("kvmtest: FAIL "):])
        return
    results = {m.group(2): (m.group(1), m.group(3)) for m in
               re.finditer(r"^kvmtest: (PASS|FAIL) (\S+?): (.*)$", text, re.M)}
    for check in CHECKS:
        if check in results:
            verdict, detail = results[check]
            report(verdict == "PASS", name + "/" + check, detail)
        else:
            report(False, name + "/" + check, "kvmtest did not get this far")
    for check, (verdict, detail) in results.items():
        if check not in CHECKS:
            report(verdict == "PASS", name + "/" + check, detail)
    m = re.search(r"^kvmtest: done, (\d+) passed, (\d+) failed", text, re.M)
    report(bool(m) and m.group(2) == "0" and int(m.group(1)) == len(CHECKS), name + "/kvmtest",
           m.group(0)[len("kvmtest: "):] if m else "kvmtest printed no summary")


def test_h(emu, guest):
    """-cpu rv64,h=true (with Sstc, if the CPU has it)."""
    kvm_boot(emu, guest, "h", "rv64,h=true", True)


def test_h_nosstc(emu, guest):
    """-cpu rv64,h=true,sstc=false: the VS timer without vstimecmp."""
    kvm_boot(emu, guest, "h_nosstc", "rv64,h=true,sstc=false", False)


def test_noh(emu, guest):
    """-cpu rv64,h=false (QEMU 7.2 has H by default): KVM says the extension
    is missing, kvmtest that /dev/kvm is."""
    text, status, secs = boot(emu, guest, "noh", "rv64,h=false")
    if not booted("noh", text, status, secs):
        return
    ok = bool(re.search(r"kvm \[\d+\]: hypervisor extension not available", text))
    lines = re.findall(r"kvm \[\d+\]: .*", text)
    report(ok, "noh/detect", "; ".join(sorted(set(lines))) or "no \"kvm [N]:\" lines")
    m = re.search(r"^kvmtest: FAIL no /dev/kvm.*$", text, re.M)
    ok = bool(m) and "rivet guest: kvmtest exit status 2" in text
    report(ok, "noh/kvmtest", "kvmtest reports " + m.group(0)[len("kvmtest: FAIL "):]
           if m else "kvmtest did not report the missing /dev/kvm")


TESTS = {"h": test_h, "h_nosstc": test_h_nosstc, "noh": test_noh}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    emu = sys.argv[1]
    if emu == "qemu":
        emu = "qemu-system-riscv64"
    args = sys.argv[2:]
    guest = None
    if args and os.path.isdir(args[0]):
        guest = args.pop(0)
    if guest is None:
        guest = subprocess.run([os.path.join(ROOT, "guest", "build.sh"), "--print"],
                               capture_output=True, text=True).stdout.strip()
    wanted = args or list(TESTS)
    for w in wanted:
        if w not in TESTS:
            sys.exit("run.py: unknown test %r (have: %s)" % (w, " ".join(TESTS)))
    missing = [f for f in ("Image", "kvm.cpio.gz") if not os.path.isfile(os.path.join(guest, f))]
    if missing:
        print("SKIP kvm/all: %s not built in %s (run guest/build.sh)" % (" and ".join(missing), guest))
        return 0
    if not (os.path.sep in emu and os.access(emu, os.X_OK)) and \
            subprocess.run(["sh", "-c", "command -v " + emu], capture_output=True).returncode:
        print("SKIP kvm/all: emulator %s not found" % emu)
        return 0
    os.makedirs(LOGDIR, exist_ok=True)
    for w in wanted:
        TESTS[w](emu, guest)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
