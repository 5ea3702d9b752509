#!/usr/bin/env python3
"""End-to-end boots of Linux 6.1 + busybox through OpenSBI on rivet.

usage: linux_boot.py RIVET GUEST_DIR [test-name ...]
Prints PASS/FAIL boot/<name> per test; exit status 1 if any failed."""
import datetime
import os
import re
import shutil
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console, ConsoleTimeout  # noqa: E402

RIVET, GUEST = sys.argv[1], sys.argv[2]
LOGDIR = os.path.join("build", "tests", "boot")
IMAGE = os.path.join(GUEST, "Image")
VMLINUX = os.path.join(GUEST, "vmlinux")
ROOTFS = os.path.join(GUEST, "rootfs.cpio.gz")
POWEROFF = os.path.join(GUEST, "poweroff.cpio.gz")

# Kernel-log lines that mean something went wrong even if the boot went on.
BAD_LOG = ["Oops", "WARNING:", "BUG:", "Kernel panic", "Unable to open an initial console",
           "unable to open an initial console", "Call Trace", "rcu_sched self-detected stall",
           "Illegal instruction", "Unable to handle kernel", "segfault"]


# RIVET_BOOT_APPEND: more kernel arguments, e.g. "nowatchdog" for the
# ThreadSanitizer build, whose harts run so much slower than real time
# that the kernel's soft-lockup watchdog (wall-clock based) misfires.
MORE_APPEND = os.environ.get("RIVET_BOOT_APPEND", "")


def boot(name, kernel=IMAGE, initrd=ROOTFS, append="console=ttyS0", extra=()):
    if MORE_APPEND:
        append += " " + MORE_APPEND
    argv = [RIVET, "-M", "virt", "-m", "256M", "-bios", "default", "-kernel", kernel,
            "-initrd", initrd, "-append", append, *extra]
    return Console(argv, log_path=os.path.join(LOGDIR, name + ".log"))


def check_kernel_log(con):
    text = con.transcript.decode(errors="replace")
    for bad in BAD_LOG:
        assert bad not in text, "kernel log contains %r:\n%s" % (bad, con.tail(40))


def test_shell():
    """Boot to the prompt, type commands, check their output, power off."""
    con = boot("shell")
    try:
        con.wait_prompt(120)
        assert con.run("echo hello-$((6*7))") == "hello-42"
        cpuinfo = con.run("cat /proc/cpuinfo")
        assert "rv64imafdc" in cpuinfo and "hart\t\t: 0" in cpuinfo, cpuinfo
        interrupts = con.run("cat /proc/interrupts")
        assert "ttyS0" in interrupts and "PLIC" in interrupts, interrupts
        year = con.run("date -u +%Y")
        assert year == str(datetime.datetime.utcnow().year), "guest date says %r" % year
        t0 = time.monotonic()
        con.run("sleep 2")
        took = time.monotonic() - t0
        assert 1.8 <= took <= 8, "sleep 2 took %.2fs of wall time" % took
        # Keys typed one at a time are echoed one at a time (RX interrupts,
        # no waiting for a full FIFO).
        for ch in "echo":
            con.send(ch)
            con.expect(ch.encode(), 5)
        con.send(" typed-slowly\n")
        con.expect(rb"\ntyped-slowly", 10)
        con.wait_prompt(10)
        # Ctrl-C interrupts a foreground job.
        con.send("sleep 100\n")
        time.sleep(1.0)
        con.send(b"\x03")
        con.wait_prompt(10)
        dmesg = con.run("dmesg")
        assert "Run /init as init process" in dmesg
        check_kernel_log(con)
        con.send("poweroff\n")
        status = con.wait_exit(60)
        assert status == 0, "rivet exited with %s after poweroff" % status
        assert b"reboot: Power down" in con.transcript
    finally:
        con.kill()


def reboot_twice(con, before_reboot=lambda: None, second_boot=(rb"OpenSBI v",), check="echo second-boot",
                 want="second-boot"):
    """At the prompt: reboot, wait for the second boot's prompt (seeing
    `second_boot` on the way), check a command there, power off."""
    try:
        con.wait_prompt(120)
        before_reboot()
        con.send("reboot\n")
        con.expect(rb"reboot: Restarting system", 60)
        for pattern in second_boot:
            con.expect(pattern, 120)
        con.wait_prompt(120)
        assert con.run(check) == want
        con.send("poweroff\n")
        assert con.wait_exit(60) == 0
    finally:
        con.kill()


def test_reboot():
    """`reboot` resets the board; it boots again to the prompt."""
    reboot_twice(boot("reboot"))


def kernel_copy(name):
    path = os.path.join(LOGDIR, name + ".Image")
    shutil.copyfile(IMAGE, path)
    return path


def test_reboot_kernel_deleted():
    """rivet keeps the -kernel file open instead of its bytes in memory: a
    reset after the file was deleted (or replaced by a rebuild) still
    boots the kernel it started with."""
    path = kernel_copy("reboot_kernel_deleted")
    reboot_twice(boot("reboot_kernel_deleted", kernel=path), before_reboot=lambda: os.unlink(path))


def test_reboot_kernel_changed():
    """The -kernel file rewritten in place while the guest runs: the reset
    cannot load what rivet started with, so rivet says so and exits 1
    (instead of loading something else)."""
    path = kernel_copy("reboot_kernel_changed")
    con = boot("reboot_kernel_changed", kernel=path)
    try:
        con.wait_prompt(120)
        with open(path, "r+b") as f:  # same size, new contents and time
            f.seek(4096)
            f.write(b"\0" * 16)
        os.utime(path, (time.time() + 5, time.time() + 5))
        con.send("reboot\n")
        con.expect(r"rivet: -kernel \S+reboot_kernel_changed.Image: the file changed since "
                   r"rivet loaded it, so the reset cannot load it again", 60)
        assert con.wait_exit(30) == 1, "exit status %s" % con.status
    finally:
        con.kill()
        os.unlink(path)


def test_ctrl_a_x():
    """Ctrl-A x quits rivet, as it quits QEMU."""
    con = boot("ctrl_a_x")
    try:
        con.wait_prompt(120)
        con.send(b"\x01x")
        assert con.wait_exit(10) == 0
        assert b"terminated" in con.transcript
    finally:
        con.kill()


def poweroff_boot(name, append, kernel=IMAGE, extra=(), must_see=()):
    con = boot(name, kernel=kernel, initrd=POWEROFF, append=append, extra=extra)
    try:
        con.expect(rb"init started at", 120)
        assert con.wait_exit(60) == 0, "exit status %s" % con.status
        for s in must_see:
            assert s.encode() in con.transcript, "%r not on the console:\n%s" % (s, con.tail(60))
        check_kernel_log(con)
    finally:
        con.kill()


def test_earlycon_uart():
    poweroff_boot("earlycon_uart", "earlycon console=ttyS0",
                  must_see=["earlycon: ns16550a0 at MMIO 0x0000000010000000",
                            "printk: console [ttyS0] enabled"])


def test_earlycon_sbi():
    poweroff_boot("earlycon_sbi", "earlycon=sbi console=ttyS0",
                  must_see=["earlycon: sbi0", "printk: console [ttyS0] enabled"])


def test_vmlinux():
    """A vmlinux (ELF linked at virtual addresses) boots like the Image."""
    poweroff_boot("vmlinux", "console=ttyS0", kernel=VMLINUX,
                  must_see=["Linux version 6.1", "Run /init as init process"])


def test_serial_variants():
    for extra in (["-nographic"], ["-serial", "mon:stdio"], ["-serial", "stdio"]):
        poweroff_boot("serial_" + extra[-1].replace(":", "_").strip("-"), "console=ttyS0",
                      extra=extra)


def test_icount_repeatable():
    """-icount: the same boot prints the same bytes, run after run."""
    outputs = []
    for i in range(2):
        con = boot("icount_%d" % i, initrd=POWEROFF, append="console=ttyS0",
                   extra=["-icount", "shift=0"])
        try:
            assert con.wait_exit(120) == 0, "exit status %s" % con.status
            outputs.append(con.transcript)
        finally:
            con.kill()
    assert b"init started at" in outputs[0], "the guest did not reach /init"
    if outputs[0] != outputs[1]:
        a = outputs[0].decode(errors="replace").splitlines()
        b = outputs[1].decode(errors="replace").splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        raise AssertionError("runs differ at line %d:\n  %s\n  %s" % (
            first + 1, a[first] if first < len(a) else "(end)", b[first] if first < len(b) else "(end)"))


def test_terminal_restored():
    """The terminal leaves raw mode however rivet ends: guest poweroff,
    Ctrl-A x, SIGTERM."""
    rivet_cmd = ("%s -M virt -m 256M -bios default -kernel %s -initrd %s -append console=ttyS0"
                 % (RIVET, IMAGE, POWEROFF))
    shell_cmd = ("%s -M virt -m 256M -bios default -kernel %s -initrd %s -append console=ttyS0"
                 % (RIVET, IMAGE, ROOTFS))
    endings = {
        "poweroff": rivet_cmd,
        "sigterm": "(%s & p=$!; sleep 2; kill $p; wait $p)" % shell_cmd,
    }
    for name, cmd in endings.items():
        script = "stty -g > %s/tty.before; %s; stty -g > %s/tty.after; echo tty-done" % (
            LOGDIR, cmd, LOGDIR)
        con = Console(["sh", "-c", script], log_path=os.path.join(LOGDIR, "tty_%s.log" % name))
        try:
            con.expect(rb"tty-done", 120)
            before = open(os.path.join(LOGDIR, "tty.before")).read()
            after = open(os.path.join(LOGDIR, "tty.after")).read()
            assert before == after, "%s: terminal settings changed:\n%s\n%s" % (name, before, after)
        finally:
            con.kill()


# A deterministic 4 MiB file and its digest, made in the guest.
MAKE_DATA = "seq 1 500000 > /tmp/data; dd if=/tmp/data of=/tmp/d bs=1k count=4096 2>/dev/null"


def smp_shell(name, harts, extra=()):
    """Boot with `harts` harts: every hart online, parallel jobs on each
    hart give the result one hart gives, poweroff ends rivet with 0."""
    con = boot(name, extra=["-smp", str(harts), *extra])
    try:
        con.wait_prompt(180)
        assert con.run("nproc") == str(harts), con.tail(20)
        cpuinfo = con.run("cat /proc/cpuinfo")
        for h in range(harts):
            assert "hart\t\t: %d" % h in cpuinfo, "hart %d missing:\n%s" % (h, cpuinfo)
        con.run(MAKE_DATA, timeout=120)
        alone = con.run("taskset 1 sha256sum /tmp/d", timeout=120).split()[0]
        # One job pinned to each hart, all at once.
        jobs = " ".join("taskset %d sha256sum /tmp/d > /tmp/r%d &" % (1 << h, h) for h in range(harts))
        con.run(jobs + " wait", timeout=300)
        # Only the digests: the shell may print its "[1]+ Done" job notices
        # around the next command's output.
        out = con.run("cat /tmp/r*", timeout=30)
        sums = re.findall(r"\b[0-9a-f]{64}\b", out)
        assert sums == [alone] * harts, "parallel digests differ: %s vs %s" % (out, alone)
        interrupts = con.run("cat /proc/interrupts")
        assert "IPI" in interrupts or "RISC-V INTC" in interrupts, interrupts
        check_kernel_log(con)
        con.send("poweroff\n")
        assert con.wait_exit(60) == 0, "exit status %s" % con.status
    finally:
        con.kill()


def test_smp2():
    """-smp 2, one host thread per hart."""
    smp_shell("smp2", 2)


def test_smp4():
    """-smp 4, one host thread per hart."""
    smp_shell("smp4", 4)


def test_smp4_single_thread():
    """-smp 4 with every hart on one host thread (-accel tcg,thread=single)."""
    smp_shell("smp4_single", 4, extra=["-accel", "tcg,thread=single"])


def test_smp8_poweroff():
    """-smp 8 reaches /init and powers off."""
    poweroff_boot("smp8", "console=ttyS0", extra=["-smp", "8"],
                  must_see=["smp: Brought up 1 node, 8 CPUs"])


def test_smp2_reboot():
    """-smp 2: reboot resets every hart; the second boot brings both up."""
    reboot_twice(boot("smp2_reboot", extra=["-smp", "2"]),
                 second_boot=(rb"Brought up 1 node, 2 CPUs",), check="nproc", want="2")


def test_smp2_vmlinux_earlycon():
    """The single-hart boot paths with -smp 2: vmlinux, both earlycons."""
    poweroff_boot("smp2_vmlinux", "earlycon console=ttyS0", kernel=VMLINUX, extra=["-smp", "2"],
                  must_see=["earlycon: ns16550a0", "Brought up 1 node, 2 CPUs"])
    poweroff_boot("smp2_earlycon_sbi", "earlycon=sbi console=ttyS0", extra=["-smp", "2"],
                  must_see=["earlycon: sbi0", "printk: console [ttyS0] enabled"])


def test_smp2_icount_repeatable():
    """-icount with two harts: they run in turn on one thread, repeatably."""
    outputs = []
    for i in range(2):
        con = boot("smp2_icount_%d" % i, initrd=POWEROFF, append="console=ttyS0",
                   extra=["-smp", "2", "-icount", "shift=0"])
        try:
            assert con.wait_exit(120) == 0, "exit status %s" % con.status
            outputs.append(con.transcript)
        finally:
            con.kill()
    assert b"Brought up 1 node, 2 CPUs" in outputs[0], "the second hart did not come up"
    assert outputs[0] == outputs[1], "the two -icount runs printed different bytes"


TESTS = [test_shell, test_reboot, test_reboot_kernel_deleted, test_reboot_kernel_changed, test_ctrl_a_x, test_earlycon_uart, test_earlycon_sbi,
         test_vmlinux, test_serial_variants, test_icount_repeatable, test_terminal_restored,
         test_smp2, test_smp4, test_smp4_single_thread, test_smp8_poweroff, test_smp2_reboot,
         test_smp2_vmlinux_earlycon, test_smp2_icount_repeatable]


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    wanted = sys.argv[3:]
    failed = 0
    for t in TESTS:
        name = t.__name__[len("test_"):]
        if wanted and name not in wanted:
            continue
        t0 = time.monotonic()
        try:
            t()
            print("PASS boot/%s (%.1fs)" % (name, time.monotonic() - t0), flush=True)
        except (AssertionError, ConsoleTimeout, OSError) as e:
            failed += 1
            msg = str(e) or traceback.format_exc()
            print("FAIL boot/%s: %s" % (name, msg.replace("\n", "\n    ")), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
