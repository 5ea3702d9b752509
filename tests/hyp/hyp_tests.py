#!/usr/bin/env python3
"""rivet-hv, the partitioning hypervisor in hyp/, on an emulator with the H
extension: bare-metal guests that check the zone's SBI, virtual PLIC and
fault reports, zone configurations it must refuse, and Linux 6.1 + busybox
booted in zone 0 to a shell.

usage: hyp_tests.py EMULATOR GUEST_DIR [test-name ...]
EMULATOR is qemu-system-riscv64 (QEMU 7.2) or rivet (build/rivet): the same
command line runs on both.
Prints PASS/FAIL/SKIP hyp/<name> per test; exit status 1 if any failed."""
import os
import re
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "boot"))
from console import Console, ConsoleTimeout  # noqa: E402

EMU, GUEST = sys.argv[1], sys.argv[2]
LOGDIR = os.path.join("build", "tests", "hyp")
HV = os.path.join("build", "hyp", "rivet-hv.bin")
IMAGE = os.path.join(GUEST, "Image")
VMLINUX = os.path.join(GUEST, "vmlinux")
ROOTFS = os.path.join(GUEST, "rootfs.cpio.gz")
POWEROFF = os.path.join(GUEST, "poweroff.cpio.gz")

BAD_LOG = ["Oops", "WARNING:", "BUG:", "Kernel panic", "Unable to open an initial console",
           "unable to open an initial console", "Call Trace", "rcu_sched self-detected stall",
           "Illegal instruction", "Unable to handle kernel", "segfault", "rivet-hv: PANIC",
           "refused", "unhandled"]


class Skip(Exception):
    pass


def run(name, kernel=None, initrd=None, append="console=ttyS0", hv=HV, addr=0x90000000, extra=()):
    argv = [EMU, "-M", "virt", "-m", "1G", "-cpu", "rv64,h=true", "-nographic",
            "-bios", "default", "-kernel", hv]
    if kernel:
        argv += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (kernel, addr)]
    if initrd:
        argv += ["-initrd", initrd]
    argv += ["-append", append, *extra]
    return Console(argv, log_path=os.path.join(LOGDIR, name + ".log"))


def text(con):
    return con.transcript.decode(errors="replace").replace("\r", "")


def need_guest(*files):
    for f in files:
        if not os.path.isfile(f):
            raise Skip("%s not built (guest/build.sh)" % f)


def check_log(con):
    t = text(con)
    for bad in BAD_LOG:
        assert bad not in t, "console shows %r:\n%s" % (bad, con.tail(40))


def test_guest_sbi():
    """A bare-metal guest checks its entry state, the SBI calls, the virtual
    PLIC (32-bit and compressed accesses), timer, IPI and a UART interrupt."""
    con = run("guest_sbi", kernel="build/hyp/guest-sbi.img")
    try:
        assert con.wait_exit(60) == 0, "exit status %s" % con.status
        t = text(con)
        assert "guest0: all passed" in t, "the guest did not pass:\n%s" % con.tail(40)
        assert "FAIL" not in t, con.tail(40)
        assert "rivet-hv: the last zone shut down: powering off" in t, con.tail(10)
        assert "guest0: ok back after the reboot" in t and "rebooting the zone: images from the stash" in t, \
            con.tail(40)
        assert t.count("OpenSBI v") == 1, "the machine was reset"
    finally:
        con.kill()


def test_guest_fault_report():
    """A load from a guest-physical address the zone does not map: the
    hypervisor names zone, hart, cause, sepc (and its function, when the
    kernel was an ELF with symbols), htval, the instruction, and stops the
    zone."""
    con = run("guest_fault", kernel="build/hyp/guest-fault.img")
    try:
        con.wait_exit(60)
        t = text(con)
        for want in [r"zone 0 \(linux0\), vhart 0 on hart 0: guest-physical address not mapped",
                     r"cause 21 \(load guest-page fault\), from VS-mode",
                     r"sepc 0x9000[0-9a-f]{4}", r"guest-physical 0x20000000", r"instruction at sepc: [0-9a-f]{4}",
                     r"zone 0 \(linux0\) stopped: unhandled guest trap"]:
            assert re.search(want, t), "no %r in:\n%s" % (want, con.tail(20))
        assert "FAIL" not in t
    finally:
        con.kill()
    # the same guest as an ELF: its symbols name the function at sepc
    con = run("guest_fault_elf", kernel="build/hyp/guest-fault.elf")
    try:
        con.wait_exit(60)
        t = text(con)
        for want in [r"kernel   vmlinux ELF from hpa 0x90000000 .*, \d+ function symbols kept",
                     r"sepc 0x9000[0-9a-f]{4} \(guest_main\+0x[0-9a-f]+\)"]:
            assert re.search(want, t), "no %r in:\n%s" % (want, con.tail(20))
    finally:
        con.kill()


def test_guest_virtual_instruction_report():
    """A CSR the guest may not touch (hstatus): reported as a virtual
    instruction exception, with the instruction described."""
    con = run("guest_vinst", kernel="build/hyp/guest-vinst.img")
    try:
        con.wait_exit(60)
        t = text(con)
        for want in [r"cause 22 \(virtual instruction\), from VS-mode",
                     r"instruction at sepc: [0-9a-f]{8} \(access to CSR 0x600\)",
                     r"zone 0 \(linux0\) stopped: unhandled guest trap"]:
            assert re.search(want, t), "no %r in:\n%s" % (want, con.tail(20))
        assert "FAIL" not in t
    finally:
        con.kill()


def test_refuse_no_kernel():
    """Nothing loaded at the kernel's address: refused, naming the field."""
    con = run("refuse_no_kernel")
    try:
        con.wait_exit(30)
        t = text(con)
        assert "zone 0 (linux0): refused: kernel.hpa: no Linux Image header and no ELF header at 0x90000000" in t, \
            con.tail(10)
        assert "no zone can run: powering off" in t
    finally:
        con.kill()


def test_configs():
    """The hypervisor built with each zone configuration of tests/hyp/configs/
    runs the bare-metal guest. A configuration says what it must print
    (EXPECT: lines) and any extra emulator options (QEMU:). Deliberately broken
    ones must be refused, naming the field, before any guest starts; the
    others (two zones side by side, the timer without Sstc) must pass."""
    cfgdir = os.path.join(HERE, "configs")
    names = sorted(f[:-2] for f in os.listdir(cfgdir) if f.endswith(".c"))
    assert names, "no configurations in %s" % cfgdir
    for n in names:
        src = open(os.path.join(cfgdir, n + ".c")).read()
        # ONLY-WITH: a configuration QEMU 7.2 runs unreliably: on rivet always
        only = re.search(r"ONLY-WITH: (\w+)", src)
        if only and "qemu" in os.path.basename(EMU) and not os.environ.get(only.group(1)):
            print("SKIP hyp/configs/%s: runs only with %s=1 (see the file)" % (n, only.group(1)), flush=True)
            continue
        wants = [m[0] for m in re.findall(r"EXPECT: (.*?)\s*(\*/)?$", src, re.M)]
        m = re.search(r"QEMU: (.*?)\s*(\*/)?$", src, re.M)
        extra = m.group(1).replace("guest-sbi.img", "build/hyp/guest-sbi.img").split() if m else []
        hv = os.path.join("build", "hyp", "cfg-" + n, "rivet-hv.bin")
        con = run("config_" + n, kernel="build/hyp/guest-sbi.img", hv=hv, initrd="build/hyp/guest-sbi.img",
                  extra=extra)
        try:
            status = con.wait_exit(60)
            t = text(con)
            for want in wants:
                assert want in t, "%s: no %r in:\n%s" % (n, want, con.tail(15))
            if any("refused" in w for w in wants):
                assert "hello from VS-mode" not in t, "%s: the guest ran" % n
            else:
                assert "FAIL" not in t and status == 0, "%s: exit %s\n%s" % (n, status, con.tail(15))
                assert "the last zone shut down: powering off" in t, "%s:\n%s" % (n, con.tail(15))
        finally:
            con.kill()


def test_linux_shell():
    """Linux Image + busybox in zone 0: earlycon, then ttyS0; commands
    answer; ttyS0 interrupts count through the virtual PLIC; poweroff ends
    the machine with status 0."""
    need_guest(IMAGE, ROOTFS)
    con = run("linux_shell", kernel=IMAGE, initrd=ROOTFS, append="console=ttyS0 earlycon")
    try:
        con.expect(rb"rivet-hv: zone 0: entering VS-mode", 30)
        con.expect(rb"Machine model: rivet-hv,zone0", 60)
        con.expect(rb"earlycon: ns16550a0 at MMIO 0x0000000010000000", 60)
        con.expect(rb"printk: console \[ttyS0\] enabled", 120)
        con.expect(rb"printk: bootconsole \[ns16550a0\] disabled", 30)
        con.wait_prompt(120)
        assert con.run("echo hello-$((6*7))") == "hello-42"
        def uart_irqs():
            out = con.run("cat /proc/interrupts")
            line = next((l for l in out.splitlines() if "ttyS0" in l), None)
            assert line, "no ttyS0 line in /proc/interrupts:\n" + out
            assert "PLIC" in line or "SiFive" in line, line
            return int(line.split()[1])
        first = uart_irqs()
        assert con.run("uname -sr").startswith("Linux 6.1")
        cpus = con.run("grep -c ^processor /proc/cpuinfo")
        assert cpus == "1", "the zone has 1 hart; /proc/cpuinfo shows %s" % cpus
        second = uart_irqs()
        assert first > 0 and second > first, "ttyS0 interrupts did not count: %d then %d" % (first, second)
        # a long line typed at once (busybox's line editor takes up to 1023
        # characters): every RX interrupt must get through the virtual PLIC,
        # or the input stalls
        word = "0123456789abcdef" * 8
        out = con.run("echo " + " ".join([word] * 7) + " | wc -c", timeout=60)
        assert out.splitlines()[-1].strip() == str(7 * 129), "wc -c says %r" % out[-200:]
        third = uart_irqs()
        assert third > second + 20, "a 900-byte line took only %d UART interrupts" % (third - second)
        t0 = time.monotonic()
        con.run("sleep 1")
        took = time.monotonic() - t0
        assert 0.9 <= took <= 10, "sleep 1 took %.2fs" % took
        check_log(con)
        con.send("poweroff\n")
        status = con.wait_exit(60)
        assert status == 0, "exit status %s after poweroff" % status
        t = text(con)
        assert "reboot: Power down" in t and "rivet-hv: the last zone shut down: powering off" in t, con.tail(10)
        # the vPLIC's accesses were decoded from htinst or read with HLVX
        m = re.search(r"zone 0 \(linux0\): (\d+) SBI calls, (\d+) interrupts passed through, (\d+) MMIO", t)
        assert m and all(int(x) > 0 for x in m.groups()), "no (or empty) statistics line:\n%s" % con.tail(5)
    finally:
        con.kill()


def test_linux_smp():
    """-smp 2: zone 0 gets both harts (HSM hart_start); the UART's interrupt
    moved to CPU1 arrives there through the virtual PLIC; IPIs count; CPU1
    goes offline and comes back (HSM hart_stop/hart_start)."""
    need_guest(IMAGE, ROOTFS)
    con = run("linux_smp", kernel=IMAGE, initrd=ROOTFS, extra=["-smp", "2"])
    try:
        con.expect(rb"zone 0 \"linux0\": 2 hart\(s\)", 30)
        con.expect(rb"smp: Brought up 1 node, 2 CPUs", 120)
        con.wait_prompt(120)
        assert con.run("grep -c ^processor /proc/cpuinfo") == "2"
        irq = con.run("awk '/ttyS0/ {print $1}' /proc/interrupts").rstrip(":")
        assert irq.isdigit(), "no ttyS0 in /proc/interrupts"
        con.run("echo 2 > /proc/irq/%s/smp_affinity" % irq)
        def cpu1():
            line = next(l for l in con.run("cat /proc/interrupts").splitlines() if "ttyS0" in l)
            return int(line.split()[2])
        before = cpu1()
        assert con.run("echo on-cpu1") == "on-cpu1"
        after = cpu1()
        assert after > before, "ttyS0 interrupts on CPU1 did not count: %d then %d" % (before, after)
        con.run("for i in 1 2 3 4; do (i=0; while [ $i -lt 500 ]; do i=$((i+1)); done) & done; wait")
        ipis = next(l for l in con.run("cat /proc/interrupts").splitlines() if "Rescheduling" in l).split()
        assert int(ipis[1]) + int(ipis[2]) > 0, "no rescheduling IPIs: %s" % ipis
        # CPU hotplug: SBI HSM hart_stop, then hart_start again, twice
        for _ in range(2):
            con.run("echo 0 > /sys/devices/system/cpu/cpu1/online")
            assert con.run("cat /sys/devices/system/cpu/online") == "0"
            con.run("echo 1 > /sys/devices/system/cpu/cpu1/online")
            assert con.run("cat /sys/devices/system/cpu/online") == "0-1"
        check_log(con)
        con.send("poweroff\n")
        assert con.wait_exit(60) == 0, "exit status %s" % con.status
    finally:
        con.kill()


def test_linux_reboot():
    """`reboot` in the zone (-smp 2) reboots the zone alone, from the stash
    of its images: the machine does not reset, Linux comes back on both
    harts, twice; the UART's interrupts work after each reboot."""
    need_guest(IMAGE, ROOTFS)
    con = run("linux_reboot", kernel=IMAGE, initrd=ROOTFS, extra=["-smp", "2"])
    try:
        con.wait_prompt(120)
        for n in range(2):
            con.send("reboot\n")
            con.expect(rb"rivet-hv: zone 0 \(linux0\): rebooting the zone: images from the stash", 60)
            con.expect(rb"smp: Brought up 1 node, 2 CPUs", 60)
            con.wait_prompt(120)
            assert con.run("echo boot-%d" % (n + 2)) == "boot-%d" % (n + 2)
            line = next(l for l in con.run("cat /proc/interrupts").splitlines() if "ttyS0" in l)
            assert int(line.split()[1]) > 0, line
        assert text(con).count("OpenSBI v") == 1, "the machine was reset"
        check_log(con)
        con.send("poweroff\n")
        assert con.wait_exit(60) == 0, "exit status %s" % con.status
    finally:
        con.kill()


def test_linux_vmlinux():
    """The same kernel as a vmlinux ELF, placed by the hypervisor."""
    need_guest(VMLINUX, POWEROFF)
    con = run("linux_vmlinux", kernel=VMLINUX, initrd=POWEROFF, append="console=ttyS0")
    try:
        con.expect(rb"kernel   vmlinux ELF from hpa 0x90000000", 30)
        con.expect(rb"init started at", 120)
        assert con.wait_exit(60) == 0, "exit status %s" % con.status
        check_log(con)
    finally:
        con.kill()


TESTS = [test_guest_sbi, test_guest_fault_report, test_guest_virtual_instruction_report, test_refuse_no_kernel, test_configs,
         test_linux_shell, test_linux_smp, test_linux_reboot,
         test_linux_vmlinux]


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
            print("PASS hyp/%s (%.1fs)" % (name, time.monotonic() - t0), flush=True)
        except Skip as e:
            print("SKIP hyp/%s: %s" % (name, e), flush=True)
        except Exception as e:  # noqa: BLE001 (any failure is the test's)
            failed += 1
            msg = str(e) if isinstance(e, (AssertionError, ConsoleTimeout)) and str(e) else traceback.format_exc()
            print("FAIL hyp/%s: %s" % (name, msg.replace("\n", "\n    ")), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
