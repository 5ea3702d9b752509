#!/usr/bin/env python3
"""Bring-up diagnostics: deliberately broken guests, each asserting the
exact explanation rivet prints (src/diag/).

usage: run.py RIVET GUEST_DIR [test-name ...]
Prints PASS/FAIL diag/<name> per test; exit status 1 if any failed.
Needs dtc (device-tree-compiler) for the edited device trees."""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

RIVET, GUEST = os.path.abspath(sys.argv[1]), sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
VMLINUX = os.path.join(GUEST, "vmlinux")
IMAGE = os.path.join(GUEST, "Image")
POWEROFF = os.path.join(GUEST, "poweroff.cpio.gz")
SYSMAP = os.path.join(GUEST, "linux-source-6.1", "System.map")
TMP = tempfile.mkdtemp(prefix="rivet-diag-")
LOGDIR = os.path.join("build", "tests", "diag")

# The explanations, word for word: the tests fail when rivet says anything else.
SEED_FINDING = ("/soc/serial@10000000: interrupt-parent: phandle 4 is /soc/test@100000 "
                "(sifive,test1), which is not an interrupt controller on this board; Linux finds "
                "no irq domain for it and defers this device's probe forever, so its driver never "
                "binds")
SEED_DIAGNOSIS = ("rivet: diagnosis: the kernel says \"unable to open an initial console\": no "
                  "console driver registered (no \"printk: console [...] enabled\" in the log) "
                  "because " + SEED_FINDING)
SEED_NEXT = ("rivet:   next step: fix that in the device tree (rivet dtb-check FILE.dtb lists "
             "every finding), or boot with rivet's own tree (drop -dtb)")
TTYS1_DIAGNOSIS = ("rivet: diagnosis: the kernel says \"unable to open an initial console\": no "
                   "console driver registered (no \"printk: console [...] enabled\" in the log) "
                   "because /chosen: bootargs: console=ttyS1, but the tree has 1 8250 UART "
                   "(ttyS0); no console driver takes it, so Linux prints nothing after the boot "
                   "console and /dev/console fails (unable to open an initial console)")
TTYS1_NEXT = "rivet:   next step: boot with console=ttyS0 (the board's one UART)"
NOMEM_DIAGNOSIS = ("rivet: diagnosis: /: memory: no memory node (device_type = \"memory\"); "
                   "Linux finds no RAM and stops in early boot (setup_bootmem/memblock), before "
                   "any console; the kernel stopped there: \"Oops - store (or AMO) access fault "
                   "[#1]\"")
EARLYCON_DIAGNOSIS = ("rivet: diagnosis: the kernel has printed nothing since the firmware handed "
                      "over: there is no earlycon in the bootargs, so its messages wait in the "
                      "ring buffer for a real console that never came")
EARLYCON_NEXT = ("rivet:   next step: add earlycon=sbi (or earlycon=uart8250,mmio,0x10000000) to "
                 "-append to see the kernel's messages as they are written")
ROOT_DIAGNOSIS = ("rivet: diagnosis: the kernel says \"Kernel panic - not syncing: VFS: Unable to "
                  "mount root fs on unknown-block(0,0)\": root=/dev/vda names the root device, and no "
                  "block device of that name was found (the partitions it lists are all it has)")
NOINIT_DIAGNOSIS = ("rivet: diagnosis: the kernel says \"Kernel panic - not syncing: VFS: Unable "
                    "to mount root fs on unknown-block(0,0)\": the initramfs has no /init, so the "
                    "kernel did not run it and looked for a root device instead, and there is none")
NOEXEC_DIAGNOSIS = ("rivet: diagnosis: the kernel says \"Failed to execute /init (error -13)\": "
                    "/init is not executable (mode 0644)")
CORRUPT_DIAGNOSIS = ("rivet: diagnosis: the kernel says \"Initramfs unpacking failed: read "
                     "error\": %s (gzip compression): the gzip stream is truncated")
STORM_DIAGNOSIS = ("rivet: diagnosis: hart 0 keeps trapping on instruction fetch at 0x0, where "
                   "there is no memory: it jumped to the wrong address (code run where it was not "
                   "linked), and the trap vector (mtvec 0x0, stvec 0x0) leads back into the same "
                   "fault; it began with instruction access fault at 0xffffffff80300000 (tval "
                   "0xffffffff80300000)")

failures = 0


def run(argv, timeout=30, stdin=subprocess.DEVNULL, name=None):
    """(exit status, stderr) of rivet; the console goes to a file."""
    p = subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    err = p.stderr.decode(errors="replace")
    if name:
        with open(os.path.join(LOGDIR, name + ".log"), "w") as f:
            f.write(err)
    return p.returncode, err, p.stdout.decode(errors="replace")


def boot(name, kernel=VMLINUX, initrd=POWEROFF, append="console=ttyS0", extra=(), silence=2,
         timeout=30):
    argv = [RIVET, "-M", "virt,silence=%d" % silence, "-m", "256M", "-kernel", kernel,
            "-serial", "file:" + os.path.join(TMP, name + ".console"), *extra]
    if initrd:
        argv += ["-initrd", initrd]
    if append:
        argv += ["-append", append]
    return run(argv, timeout=timeout, name=name)


def boot_until(name, want, deadline=25, **kw):
    """Boot until stderr holds `want` (the guest may wait forever), then stop it."""
    argv = [RIVET, "-M", "virt,silence=%d" % kw.get("silence", 2), "-m", "256M",
            "-kernel", kw.get("kernel", VMLINUX), "-serial", "null",
            "-append", kw.get("append", "console=ttyS0"), *kw.get("extra", ())]
    if kw.get("initrd", POWEROFF):
        argv += ["-initrd", kw.get("initrd", POWEROFF)]
    log = open(os.path.join(LOGDIR, name + ".log"), "w+")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    end = time.time() + deadline
    while time.time() < end and p.poll() is None:
        log.seek(0)
        if want in log.read():
            break
        time.sleep(0.2)
    if p.poll() is None:
        p.terminate()
        p.wait(5)
    log.seek(0)
    return log.read()


def dts_of(dtb):
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], check=True,
                          capture_output=True, text=True).stdout


def dtb_from(dts, name):
    path = os.path.join(TMP, name + ".dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"], input=dts,
                   check=True, capture_output=True, text=True)
    return path


def rivet_dtb():
    """rivet's own device tree, as -M virt,dumpdtb= writes it."""
    path = os.path.join(TMP, "virt.dtb")
    if not os.path.exists(path):
        run([RIVET, "-M", "virt,dumpdtb=" + path, "-m", "256M", "-kernel", VMLINUX,
             "-initrd", POWEROFF, "-append", "console=ttyS0"])
    return path


def seed_dtb():
    """The seed's bug: the serial node's interrupt-parent points at the SiFive
    test device, made to look like an interrupt controller."""
    dts = dts_of(rivet_dtb())
    serial = re.search(r"serial@10000000 \{.*?\};", dts, re.S).group(0)
    dts = dts.replace(serial, re.sub(r"interrupt-parent = <0x\w+>", "interrupt-parent = <0x04>",
                                     serial))
    dts = re.sub(r"(test@100000 \{)", r"\1\n\t\t\tinterrupt-controller;\n\t\t\t#interrupt-cells = <0x01>;",
                 dts)
    return dtb_from(dts, "seed")


def cpio(name, *edits):
    path = os.path.join(TMP, name + ".cpio.gz")
    subprocess.run([sys.executable, os.path.join(HERE, "mkcpio.py"), POWEROFF, path, *edits],
                   check=True)
    return path


def expect(text, *wants):
    for w in wants:
        assert w in text, "missing %r in:\n%s" % (w, text[-3000:])


# ---- the device-tree checker --------------------------------------------------------

def test_dtbcheck_clean():
    rc, err, out = run([RIVET, "dtb-check", rivet_dtb(), "-m", "256M", "-smp", "1"])
    assert rc == 0, "exit %d: %s%s" % (rc, out, err)
    expect(out, "virt.dtb: no problems found")


def test_dtbcheck_seed():
    dtb = seed_dtb()
    rc, err, out = run([RIVET, "dtb-check", dtb])
    assert rc == 1, "exit %d" % rc
    assert out == "%s: %s\n" % (dtb, SEED_FINDING), out


def test_dtbcheck_findings():
    """One finding per broken property, each naming node and property."""
    dts = dts_of(rivet_dtb())
    dts = dts.replace("timebase-frequency = <0x989680>", "timebase-frequency = <0x1000>")
    dts = dts.replace('riscv,isa = "rv64imafdc', 'riscv,isa = "rv64imafdcv')
    dts = re.sub(r"(rtc@101000 \{.*?interrupts = )<0x0b>", r"\1<0x0b 0x01>", dts, flags=re.S)
    dts = re.sub(r"(rtc@101000 \{.*?interrupt-parent = )<0x\w+>", r"\1<0x63>", dts, flags=re.S)
    dtb = dtb_from(dts, "findings")
    rc, err, out = run([RIVET, "dtb-check", dtb, "-m", "512M", "-smp", "2", "-append",
                        "console=ttyS1"])
    assert rc == 1, "exit %d" % rc
    expect(out,
           "/cpus: timebase-frequency: 4096 Hz, but the CLINT's timer counts at 10000000 Hz; "
           "Linux's clock, timestamps and timeouts run too fast",
           "/cpus/cpu@0: riscv,isa: 'v' is an extension this hart lacks",
           "/soc/rtc@101000: interrupt-parent: phandle 99 names no node",
           "/: memory: the memory nodes describe 256 MiB but -m gives 512 MiB",
           "/cpus: cpu: 1 cpu nodes for 2 harts (-smp)",
           "/chosen: bootargs: console=ttyS1, but the tree has 1 8250 UART (ttyS0)")


def test_dtbcheck_bad_input():
    junk = os.path.join(TMP, "junk.dtb")
    with open(junk, "wb") as f:
        f.write(b"not a device tree" * 10)
    rc, err, out = run([RIVET, "dtb-check", junk])
    assert rc == 1 and out == "", "exit %d, %r" % (rc, out)
    assert err == "rivet: dtb-check %s: not a valid device tree blob (FDT_ERR_BADMAGIC)\n" % junk, err
    rc, err, out = run([RIVET, "dtb-check", os.path.join(TMP, "missing.dtb")])
    assert rc == 1 and err.count("\n") == 1 and err.startswith("rivet: "), err


def test_bad_symbols_file():
    """-M virt,symbols= with a missing or foreign file: one line, exit 1."""
    bad = os.path.join(TMP, "not-a-map")
    with open(bad, "w") as f:
        f.write("garbage\n")
    for path, why in ((os.path.join(TMP, "missing.map"), "No such file or directory"),
                      (bad, "not a System.map")):
        rc, err, _ = run([RIVET, "-M", "virt,symbols=" + path, "-m", "256M", "-kernel", IMAGE,
                          "-serial", "null"])
        assert rc == 1 and err.count("\n") == 1 and err.startswith("rivet: -M virt,symbols"), err
        assert why in err, err


# ---- explained failures ------------------------------------------------------------

def test_seed_bug_boot():
    """The checker warns before the boot; Linux comes up without its real
    console; the report shows the kernel's own words and the explanation."""
    rc, err, _ = boot("seed_bug_boot", extra=("-dtb", seed_dtb()))
    expect(err, "rivet: warning: -dtb %s: %s" % (seed_dtb(), SEED_FINDING),
           "rivet: ==== guest diagnosis (rivet exits after a failed boot) ====",
           "] Warning: unable to open an initial console.",
           SEED_DIAGNOSIS + "\n" + SEED_NEXT)


def test_no_dev_console():
    """No /dev/console in the initramfs, and no console driver: the kernel's
    built-in initramfs supplies /dev/console, so the initramfs is not blamed."""
    rc, err, _ = boot("no_dev_console", initrd=cpio("nocons", "drop=dev/console"),
                      extra=("-dtb", seed_dtb()))
    expect(err, SEED_DIAGNOSIS)
    assert "has no /dev/console" not in err, err


def test_console_ttys1():
    rc, err, _ = boot("console_ttys1", append="console=ttyS1")
    expect(err, TTYS1_DIAGNOSIS + "\n" + TTYS1_NEXT)


def test_console_ttys1_smp2_silent():
    """Harts on threads: the silence timer fires (SBI IPIs are no output),
    and the report holds every hart while it reads them."""
    err = boot_until("console_ttys1_smp2_silent", TTYS1_NEXT, append="console=ttyS1",
                     initrd=os.path.join(GUEST, "rootfs.cpio.gz"), extra=("-smp", "2"))
    expect(err, "rivet: ==== guest diagnosis (the guest has printed nothing for 2 s) ====",
           "rivet: hart 1: ", TTYS1_DIAGNOSIS)  # (hart 1 may be in OpenSBI, M-mode)


def test_console_ttys1_image_sysmap():
    """An Image has no symbols: System.map gives them (-M virt,symbols=)."""
    if not os.path.exists(SYSMAP):
        print("SKIP diag/console_ttys1_image_sysmap: no %s" % SYSMAP)
        return
    argv = [RIVET, "-M", "virt,silence=2,symbols=" + SYSMAP, "-m", "256M", "-kernel", IMAGE,
            "-initrd", POWEROFF, "-append", "console=ttyS1", "-serial", "null"]
    rc, err, _ = run(argv, name="console_ttys1_image_sysmap")
    expect(err, "] Warning: unable to open an initial console.", TTYS1_DIAGNOSIS)


def test_vmcoreinfo_klog():
    """No symbols at all: the ring buffer is found through VMCOREINFO in RAM,
    and records that wrap around the text ring read back whole."""
    image = os.path.join(TMP, "fake.Image")
    lines = subprocess.run([sys.executable, os.path.join(HERE, "fakeklog.py"), image], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    argv = [RIVET, "-M", "virt,silence=1", "-bios", "none", "-kernel", image, "-serial", "null"]
    log = open(os.path.join(LOGDIR, "vmcoreinfo_klog.log"), "w+")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    time.sleep(3)
    p.terminate()
    p.wait(5)
    err = open(log.name).read()
    expect(err, "rivet: kernel log (the printk ring buffer in guest memory, found through "
           "VMCOREINFO; 4 records):\n" + "".join("  %s\n" % l for l in lines))


def test_no_memory_node_no_earlycon():
    dts = re.sub(r"\n\tmemory@80000000 \{.*?\};", "", dts_of(rivet_dtb()), flags=re.S)
    err = boot_until("no_memory_node", EARLYCON_NEXT, extra=("-dtb", dtb_from(dts, "nomem")))
    expect(err, "rivet: ==== guest diagnosis (the guest has printed nothing for 2 s) ====",
           "Kernel panic - not syncing", NOMEM_DIAGNOSIS, EARLYCON_DIAGNOSIS, EARLYCON_NEXT)


def test_memory_node_beyond_ram():
    """The tree says 512 MiB, -m gives 256: the kernel faults in early boot."""
    dts = dts_of(rivet_dtb()).replace("reg = <0x00 0x80000000 0x00 0x10000000>",
                                      "reg = <0x00 0x80000000 0x00 0x20000000>")
    err = boot_until("memory_node_beyond_ram", EARLYCON_NEXT, extra=("-dtb", dtb_from(dts, "bigmem")))
    expect(err, "rivet: diagnosis: /memory@80000000: reg: 0x80000000-0xa0000000 is not all RAM "
           "(RAM is 0x80000000-0x90000000); Linux will use memory that does not exist and fault "
           "or hang early (memblock/vmalloc failures); the kernel stopped there: \"Oops - store "
           "(or AMO) access fault [#1]\"", EARLYCON_DIAGNOSIS)


def test_root_without_disk():
    err = boot_until("root_without_disk", "end of diagnosis", initrd=None,
                     append="console=ttyS0 root=/dev/vda")
    expect(err, "guest diagnosis (kernel panic)", ROOT_DIAGNOSIS)


def test_init_missing():
    err = boot_until("init_missing", "end of diagnosis", initrd=cpio("noinit", "drop=init"))
    expect(err, NOINIT_DIAGNOSIS)


def test_init_not_executable():
    err = boot_until("init_not_executable", "end of diagnosis",
                     initrd=cpio("noexec", "chmod=init:644"))
    expect(err, NOEXEC_DIAGNOSIS)


def test_init_script_without_shell():
    """/init is a #!/bin/sh script, but there is no /bin/sh."""
    err = boot_until("init_script_without_shell", "end of diagnosis",
                     initrd=cpio("nosh", "drop=bin/sh"))
    expect(err, "rivet: diagnosis: the kernel says \"Failed to execute /init (error -2)\": /init "
           "is a script for /bin/sh, which is not in the initramfs")


def test_corrupt_initramfs():
    path = cpio("corrupt", "truncate=600000")
    err = boot_until("corrupt_initramfs", "end of diagnosis", initrd=path)
    expect(err, CORRUPT_DIAGNOSIS % path)


def test_trap_storm():
    """A program run at an address it was not built for: `lui t0, 0x80300;
    jr t0` jumps where nothing is, and with no trap vector the hart faults
    at 0 for ever."""
    prog = os.path.join(TMP, "wrong.bin")
    with open(prog, "wb") as f:
        f.write(bytes.fromhex("b7023080 67800200"))
    argv = [RIVET, "-M", "virt,silence=1", "-bios", "none", "-kernel", prog, "-serial", "null"]
    log = open(os.path.join(LOGDIR, "trap_storm.log"), "w+")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    time.sleep(3)
    p.terminate()
    p.wait(5)
    log.seek(0)
    err = log.read()
    expect(err, "rivet: hart 0: M-mode, pc 0x0: trap storm: instruction access fault at the same pc",
           STORM_DIAGNOSIS)


def test_trap_storm_vector():
    """An extension the hart lacks: a vector instruction with the trap vector
    pointing at itself (auipc; addi; csrw mtvec; vsetvli) traps for ever."""
    prog = os.path.join(TMP, "vector.bin")
    with open(prog, "wb") as f:
        f.write(bytes.fromhex("97020000 9382c200 73905230 d7720501"))
    argv = [RIVET, "-M", "virt,silence=1", "-bios", "none", "-kernel", prog, "-serial", "null"]
    log = open(os.path.join(LOGDIR, "trap_storm_vector.log"), "w+")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    time.sleep(3)
    p.terminate()
    p.wait(5)
    err = open(log.name).read()
    expect(err, "rivet: diagnosis: hart 0 takes an illegal-instruction trap at 0x8000000c over and "
           "over (instruction 0x10572d7, a vector (V) instruction): the code uses an extension "
           "this hart lacks (rivet has RV64GC, Zba/Zbb/Zbc/Zbs and Sstc), or it runs at an "
           "address it was not built for")


# ---- the timeline ------------------------------------------------------------------

STAGES = ["reset: 1 hart at 0x1000", "firmware entry at 0x80000000",
          "hart 0 enters S-mode at 0x80200000 <_start>: inside -kernel; a0=0 (its hartid); "
          "a1=0x8fe00000 (a device tree)", "MMU on: hart 0 writes satp=",
          "first console output from S-mode, through the UART (no earlycon: the real console)",
          "first U-mode instruction at", "the guest powered off (status 0)"]


def test_timeline():
    rc, err, _ = boot("timeline", extra=("-d", "boot"), silence=60)  # a loaded host is slow
    assert rc == 0, "exit %d" % rc
    summary = err[err.index("rivet: boot summary"):]
    pos = [summary.find(s) for s in STAGES]
    assert -1 not in pos and pos == sorted(pos), "stages missing or out of order:\n" + summary
    expect(summary, "initramfs unpacked (Freeing initrd memory)",
           "real console registered: [ttyS0]", "never: user space never waited for console input",
           "rivet exits with status 0")
    assert "guest diagnosis" not in err, "a healthy boot was diagnosed:\n" + err


def test_timeline_json():
    rc, err, _ = boot("timeline_json", extra=("-d", "boot,json"), silence=60)
    obj = json.loads(err)
    names = [s["stage"] for s in obj["stages"]]
    assert names[:4] == ["reset", "firmware", "s_mode", "mmu_on"] and names[-1] == "end", names
    assert {"s_console_output", "real_console", "initramfs", "u_mode"} <= set(names), names
    assert obj["exit_status"] == 0 and obj["boot_failed"] is False, obj
    assert [m["stage"] for m in obj["missing"]] == ["stdin_read"], obj["missing"]


def test_shell_ready_no_false_alarm():
    """A shell waiting for input is a healthy boot: silence then is no failure."""
    want = "user space waits for console input (the shell is ready)"
    argv = [RIVET, "-M", "virt,silence=2", "-m", "256M", "-kernel", VMLINUX, "-initrd",
            os.path.join(GUEST, "rootfs.cpio.gz"), "-append", "console=ttyS0", "-serial", "null",
            "-d", "boot"]
    log = open(os.path.join(LOGDIR, "shell_ready_no_false_alarm.log"), "w+")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    end = time.time() + 40
    while time.time() < end and want not in open(log.name).read():
        time.sleep(0.2)
    time.sleep(4)  # twice the silence limit
    p.terminate()
    p.wait(5)
    err = open(log.name).read()
    expect(err, want, "the guest neither powered off nor reset")
    assert "guest diagnosis" not in err, err


def test_ctrl_a_d():
    """Ctrl-A d asks for the report at any time; Ctrl-A h lists it."""
    argv = [RIVET, "-M", "virt", "-m", "256M", "-kernel", VMLINUX, "-initrd",
            os.path.join(GUEST, "rootfs.cpio.gz"), "-append", "console=ttyS0", "-serial",
            "mon:stdio"]
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(4)
    p.stdin.write(b"\x01h\x01d")
    p.stdin.flush()
    time.sleep(2)
    p.stdin.write(b"\x01x")
    p.stdin.flush()
    out, err = p.communicate(timeout=20)
    out, err = out.decode(errors="replace"), err.decode(errors="replace")
    with open(os.path.join(LOGDIR, "ctrl_a_d.log"), "w") as f:
        f.write(err)
    expect(out, "C-a d    show the guest diagnosis (kernel log, harts)")
    expect(err, "rivet: ==== guest diagnosis (Ctrl-A d) ====",
           "rivet: kernel log (the printk ring buffer in guest memory, ", "rivet: hart 0: S-mode")


def main():
    global failures
    os.makedirs(LOGDIR, exist_ok=True)
    if not shutil.which("dtc"):
        print("SKIP diag/all: dtc (device-tree-compiler) is not installed")
        return 0
    tests = [(n[5:], f) for n, f in globals().items() if n.startswith("test_")]
    only = sys.argv[3:]
    for name, fn in tests:
        if only and name not in only:
            continue
        try:
            fn()
            print("PASS diag/%s" % name, flush=True)
        except Exception as e:  # noqa: BLE001 - report and go on
            failures += 1
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            print("FAIL diag/%s: %s (log: %s/%s.log)" % (name, first, LOGDIR, name), flush=True)
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failures else 0


sys.exit(main())
