#!/usr/bin/env python3
"""gdb-multiarch (batch mode) against rivet's GDB stub, with Linux booted from
vmlinux under -S: breakpoints, registers, memory, stepping, finish, Ctrl-C
(SIGINT to gdb), threads per hart, detach and reconnect, and a guest that
still answers at its shell afterwards; plus bad input to the stub.

usage: gdb_test.py RIVET GUEST_DIR
Prints PASS/FAIL debug/<name> per test; exit status 1 if any failed."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
from console import Console, free_port  # noqa: E402

RIVET, GUEST = os.path.abspath(sys.argv[1]), sys.argv[2]
VMLINUX = os.path.join(GUEST, "vmlinux")
ROOTFS = os.path.join(GUEST, "rootfs.cpio.gz")
LOGDIR = os.path.join("build", "tests", "debug")
GDB = "gdb-multiarch"


def boot(name, port, extra=()):
    argv = [RIVET, "-M", "virt", "-m", "256M", "-kernel", VMLINUX, "-initrd", ROOTFS,
            "-append", "console=ttyS0", "-S", "-gdb", "tcp:127.0.0.1:%d" % port, *extra]
    return Console(argv, log_path=os.path.join(LOGDIR, name + ".log"))


def gdb(con, port, commands, sigint_after=None, timeout=120):
    """Run gdb-multiarch in batch mode, draining the console meanwhile;
    SIGINT to gdb `sigint_after` seconds after the text 'SIGINT-NOW' shows."""
    argv = [GDB, "-q", "-batch", "-nx", VMLINUX, "-ex", "set pagination off",
            "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:%d" % port]
    for c in commands:
        if c.startswith("python\n"):  # a multi-line block: through a script file
            path = os.path.join(LOGDIR, "gdb-%d-%d.py.gdb" % (port, len(argv)))
            with open(path, "w") as f:
                f.write(c + "\nend\n")
            argv += ["-x", path]
        else:
            argv += ["-ex", c]
    return gdb_argv(con, argv, sigint_after, timeout, port)


def gdb_argv(con, argv, sigint_after=None, timeout=120, port=0):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.set_blocking(p.stdout.fileno(), False)
    out, end, armed, sent = b"", time.monotonic() + timeout, None, 0
    while p.poll() is None and time.monotonic() < end:
        con._read(0.05)
        chunk = p.stdout.read()
        if chunk:
            out += chunk
        # one SIGINT, sigint_after seconds after each SIGINT-NOW marker
        if sigint_after is not None and armed is None and out.count(b"SIGINT-NOW") > sent:
            armed = time.monotonic() + sigint_after
        if armed and time.monotonic() > armed:
            p.send_signal(signal.SIGINT)
            armed, sent = None, sent + 1
    if p.poll() is None:
        p.kill()
    rest = p.stdout.read()
    out = (out + (rest or b"")).decode(errors="replace")
    with open(os.path.join(LOGDIR, "gdb-%d.log" % port), "a") as f:
        f.write(out + "\n----\n")
    return out


def need(text, pattern, what):
    if not re.search(pattern, text, re.M):
        raise AssertionError("%s: no match for %r in gdb output:\n%s" % (what, pattern, text[-3000:]))


def shell_answers(con):
    con.send("\n")
    con.wait_prompt(180)
    con.send("echo dbg-$((6*7))\n")
    con.expect(r"\ndbg-42", 30)  # the computed value, not the echo of the command


def test_kernel_smp4():
    """-smp 4 on threads: the whole first session, then reconnect."""
    port = free_port()
    con = boot("kernel-smp4", port, ["-smp", "4"])
    try:
        out = gdb(con, port, [
            "p $priv", "info threads", "break start_kernel", "continue", "bt",
            "info registers", "x/4i $pc", "stepi", "p/x $pc", "p $mstatus",
            "break setup_arch", "continue", "finish", "delete",
            "watch *(unsigned long *)&jiffies", "continue", "delete",
            "echo SIGINT-NOW\\n", "continue", "info threads", "detach"], sigint_after=3)
        need(out, r"^\$1 = 3$", "p $priv at reset (M-mode)")
        need(out, r"^\* 1\s+Thread 1", "info threads: thread 1")
        need(out, r"^\s+4\s+Thread 4", "info threads: thread 4")
        need(out, r"Breakpoint 1, .*start_kernel", "break start_kernel")
        need(out, r"^#0 .*start_kernel", "bt")
        need(out, r"^ra\s+0x", "info registers: ra")
        need(out, r"^sp\s+0x", "info registers: sp")
        need(out, r"=> 0x[0-9a-f]+ <start_kernel>:", "x/4i $pc")
        need(out, r"<start_kernel\+[0-9]+>:", "x/4i $pc: next instructions")
        need(out, r"^\$2 = 0xffffffff[0-9a-f]+$", "stepi moved on")
        need(out, r"^\$3 = \d+$", "p $mstatus")
        need(out, r"Breakpoint 2, .*setup_arch", "break setup_arch")
        need(out, r"setup_arch \(\)\n0x[0-9a-f]+ in start_kernel \(\)", "finish back in start_kernel")
        need(out, r"Hardware watchpoint \d+: .*\n\nOld value = \d+\nNew value = \d+", "watch on threads")
        need(out, r"SIGINT", "Ctrl-C stopped the kernel")
        need(out, r"(?s)SIGINT.*\s4\s+Thread 4", "info threads after Ctrl-C")
        shell_answers(con)
        out = gdb(con, port, ["info threads", "p/x $pc", "monitor info status", "detach"])
        need(out, r"^\s+4\s+Thread 4", "reconnect: info threads")
        need(out, r"VM status: paused", "monitor command through qRcmd")
        shell_answers(con)
        gdb(con, port, ["kill"])  # ends rivet, as QEMU
        assert con.wait_exit(20) == 0, "rivet still running after gdb's kill"
    finally:
        con.kill()


# Step the hart over an ecall with a raw vCont;s (gdb's own stepi steps over
# ecall with a breakpoint after it): the step must end in M-mode at the
# trap vector, one instruction later.
STEP_INTO_TRAP = r"""python
import re
for i in range(400):
    if re.search(r":\s+ecall\s*$", gdb.execute("x/i $pc", to_string=True).strip()):
        break
    gdb.execute("stepi", to_string=True)
ecall = int(gdb.parse_and_eval("$pc")) & (2**64 - 1)
gdb.execute("maintenance packet vCont;s:1", to_string=True)
gdb.execute("maintenance flush register-cache", to_string=True)
u = lambda e: int(gdb.parse_and_eval(e)) & (2**64 - 1)
print("STEP-INTO-TRAP priv=%d pc=%#x mtvec=%#x mepc=%#x mcause=%d ecall=%#x" % (
    u("$priv"), u("$pc"), u("$mtvec"), u("$mepc"), u("$mcause"), ecall))
gdb.execute("maintenance packet vCont;s:1", to_string=True)
gdb.execute("maintenance flush register-cache", to_string=True)
print("STEP-IN-HANDLER pc=%#x" % u("$pc"))"""


def test_kernel_single():
    """One hart, harts in turn on one thread: break, step, physical mode,
    register writes, write and read watchpoints on jiffies, a step into
    the firmware's trap handler."""
    port = free_port()
    con = boot("kernel-single", port)
    try:
        out = gdb(con, port, [
            "break start_kernel", "continue", "stepi", "stepi", "p/x $pc",
            "p/x $satp", "maintenance packet Qqemu.PhyMemMode:1", "x/2wx 0x80000000",
            "maintenance packet Qqemu.PhyMemMode:0", "x/2wx $pc",
            "set $a7 = 0x1234", "p/x $a7", "delete",
            "watch *(unsigned long *)&jiffies", "continue", "delete",
            "rwatch *(unsigned long *)&jiffies", "continue", "delete",
            "break sbi_ecall", "continue", "delete", STEP_INTO_TRAP,
            "p $time", "shell sleep 1", "p $time - $", "detach"])
        need(out, r"Breakpoint 1, .*start_kernel", "break start_kernel")
        need(out, r"^\$1 = 0xffffffff[0-9a-f]+$", "stepi")
        need(out, r'received: "OK"', "Qqemu.PhyMemMode")
        need(out, r"^0x80000000:\s+0x[0-9a-f]+\s+0x", "physical read")
        need(out, r"^\$3 = 0x1234$", "register write")
        m = re.search(r"Hardware watchpoint 2: .*\n\nOld value = (\d+)\nNew value = (\d+)", out)
        assert m and int(m.group(2)) == int(m.group(1)) + 1, "watch jiffies:\n" + out[-2000:]
        need(out, r"Hardware read watchpoint 3: .*\n\nValue = \d+", "rwatch jiffies")
        m = re.search(r"STEP-INTO-TRAP priv=(\d+) pc=(\w+) mtvec=(\w+) mepc=(\w+) mcause=(\d+) ecall=(\w+)", out)
        assert m, "step into a trap handler:\n" + out[-2000:]
        priv, pc, mtvec, mepc, mcause, ecall = m.groups()
        assert (priv, pc, mepc, mcause) == ("3", mtvec, ecall, "9"), m.group(0)
        m = re.search(r"^\$\d+ = \d+\n\$\d+ = (-?\d+)$", out, re.M)
        assert m and 0 <= int(m.group(1)) < 100000, "guest time ran while stopped:\n" + out[-600:]
        m2 = re.search(r"STEP-IN-HANDLER pc=(\w+)", out)
        assert m2 and int(m2.group(1), 16) in (int(mtvec, 16) + 2, int(mtvec, 16) + 4), out[-1500:]
        shell_answers(con)
    finally:
        con.kill()


def build_codewrite():
    """tests/debug/codewrite.S as a bare-metal ELF at 0x80000000, or None."""
    elf = os.path.join(LOGDIR, "codewrite.elf")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "codewrite.S")
    try:
        subprocess.run(["riscv64-unknown-elf-gcc", "-march=rv64gc", "-mabi=lp64d", "-nostdlib",
                        "-nostartfiles", "-Wl,-N", "-Wl,--no-warn-rwx-segments", "-Ttext=0x80000000", "-o", elf, src], check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return elf


def test_code_write():
    """A write to code (here, a hot loop's) reaches the decoded and compiled code."""
    elf = build_codewrite()
    if not elf:
        print("SKIP debug/gdb-code_write (riscv64-unknown-elf-gcc not installed)")
        return
    port = free_port()
    con = Console([RIVET, "-M", "virt", "-bios", "none", "-kernel", elf, "-S",
                   "-gdb", "tcp:127.0.0.1:%d" % port], log_path=os.path.join(LOGDIR, "code-write.log"))
    try:
        argv = [GDB, "-q", "-batch", "-nx", elf, "-ex", "target remote 127.0.0.1:%d" % port,
                "-ex", "echo SIGINT-NOW\\n", "-ex", "continue", "-ex", "p $s0 > 100000",
                "-ex", "set {int}&patch = 0x00200513", "-ex", "x/i patch",
                "-ex", "echo SIGINT-NOW\\n", "-ex", "continue",  # no breakpoint: no flush
                "-ex", "p $pc >= (long)&done", "-ex", "kill"]
        out = gdb_argv(con, argv, sigint_after=1, timeout=60)
        need(out, r"^\$1 = 1$", "the loop ran hot before the write")
        need(out, r"li\s+a0,\s*2", "the write landed")
        need(out, r"^\$2 = 1$", "the loop saw the new code and left")
    finally:
        con.kill()


def raw(port, data, close_early=False):
    time.sleep(0.5)  # the stub notices the previous client has gone
    s = socket.create_connection(("127.0.0.1", port), 5)
    s.sendall(data)
    if not close_early:
        # The ack and the reply may come in separate segments: read until a
        # refusal or a whole packet has arrived, or 2 s have passed.
        got = b""
        deadline = time.monotonic() + 2
        while b"-" not in got and not re.search(rb"\$[^#]*#..", got):
            s.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            got += chunk
        s.close()
        return got
    s.close()
    return b""


def test_bad_input():
    """Garbage, overlong and half packets, a second client; the guest runs on."""
    port = free_port()
    con = boot("bad-input", port)
    try:
        out = gdb(con, port, ["continue"], timeout=3)  # attach, let it run, vanish
        raw(port, b"hello garbage\x00\xff" * 100, close_early=True)
        reply = raw(port, b"$" + b"m" * 20000 + b"#00")
        assert b"-" in reply, "overlong packet not refused: %r" % reply[:40]
        raw(port, b"$m80000000,4", close_early=True)           # mid-packet
        reply = raw(port, b"$qSupported#37")
        assert b"PacketSize" in reply, "stub no longer answers: %r" % reply
        shell_answers(con)
        con.expect(r"", 1)
        assert b"packet longer than" in con.transcript, "no message for the overlong packet"
    finally:
        con.kill()
    # -gdb unix:PATH,server answers on the socket
    import tempfile
    path = os.path.join(tempfile.mkdtemp(prefix="rivet-gdb-"), "gdb.sock")
    p = subprocess.Popen([RIVET, "-kernel", VMLINUX, "-S", "-serial", "null", "-gdb", "unix:%s,server" % path],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(path):
                break
            time.sleep(0.05)
        u = socket.socket(socket.AF_UNIX)
        u.connect(path)
        u.settimeout(5)
        u.sendall(b"$qSupported#37")
        got = b""
        while b"#" not in got[1:]:
            got += u.recv(4096)
        assert b"PacketSize" in got, got
        u.sendall(b"+$k#6b")
        assert p.wait(10) == 0, "k did not end rivet"
    finally:
        if p.poll() is None:
            p.kill()
    # a port in use, and a bad spec: one clear line each
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    busy = s.getsockname()[1]
    r = subprocess.run([RIVET, "-kernel", VMLINUX, "-gdb", "tcp:127.0.0.1:%d" % busy, "-serial", "null"],
                       capture_output=True, text=True, timeout=20)
    s.close()
    assert r.returncode != 0 and "Address already in use" in r.stderr, r.stderr
    for spec, msg in (("tcp::1234x", "not a port number"), ("serial0", "expected tcp:"),
                      ("tcp:127.0.0.1:1,bogus", "unknown option")):
        r = subprocess.run([RIVET, "-kernel", VMLINUX, "-gdb", spec], capture_output=True,
                           text=True, timeout=20)
        assert r.returncode != 0 and msg in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    tests = [test_kernel_smp4, test_kernel_single, test_bad_input, test_code_write]
    want = sys.argv[3:]
    failed = 0
    for t in tests:
        name = t.__name__[5:]
        if want and name not in want:
            continue
        try:
            t()
            print("PASS debug/gdb-%s" % name, flush=True)
        except Exception:
            failed += 1
            print("FAIL debug/gdb-%s" % name, flush=True)
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
