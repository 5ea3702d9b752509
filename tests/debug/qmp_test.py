#!/usr/bin/env python3
"""QMP and the human monitor driven over sockets (and Ctrl-A c on the
console) against a Linux guest: every command, with the guest's state
checked after each, events, and malformed input that must not end the
session.

usage: qmp_test.py RIVET GUEST_DIR [test ...]
Prints PASS/FAIL debug/<name> per test; exit status 1 if any failed."""
import json
import os
import re
import socket
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
from console import Console, ConsoleTimeout, free_port  # noqa: E402

RIVET, GUEST = os.path.abspath(sys.argv[1]), sys.argv[2]
IMAGE = os.path.join(GUEST, "Image")
ROOTFS = os.path.join(GUEST, "rootfs.cpio.gz")
LOGDIR = os.path.join("build", "tests", "debug")


class Qmp:
    """A QMP client that keeps events apart from replies."""

    def __init__(self, con, path):
        self.con, self.buf, self.events = con, b"", []
        end = time.monotonic() + 10
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                if time.monotonic() > end:
                    raise
                con._read(0.1)
        self.s.setblocking(False)
        self.greeting = self.recv()

    def recv(self, timeout=10):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            if time.monotonic() > end:
                raise AssertionError("no QMP message within %ss (have %r)" % (timeout, self.buf))
            try:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise AssertionError("QMP connection closed")
                self.buf += chunk
            except BlockingIOError:
                self.con._read(0.05)  # keep the console drained
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def send_raw(self, data):
        self.s.sendall(data.encode() if isinstance(data, str) else data)

    def reply(self, timeout=10):
        while True:
            m = self.recv(timeout)
            if "event" in m:
                self.events.append(m)
            else:
                return m

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.send_raw(json.dumps(msg) + "\n")
        return self.reply()

    def ok(self, name, **args):
        r = self.cmd(name, **args)
        assert "return" in r, "%s: %r" % (name, r)
        return r["return"]

    def event(self, name, timeout=10):
        end = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name:
                    return self.events.pop(i)
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("no %s event (have %r)" % (name, self.events))
            try:
                self.events.append(self.recv(left))
            except AssertionError:
                pass

    def status(self):
        return self.ok("query-status")


class Monitor:
    def __init__(self, con, port):
        self.con = con
        self.s = socket.create_connection(("127.0.0.1", port), 10)
        self.s.setblocking(False)
        self.buf = b""
        self.banner = self.until_prompt()

    def until_prompt(self, timeout=10):
        end = time.monotonic() + timeout
        while b"(qemu) " not in self.buf:
            if time.monotonic() > end:
                raise AssertionError("no monitor prompt (have %r)" % self.buf)
            try:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise AssertionError("monitor connection closed")
                self.buf += chunk
            except BlockingIOError:
                self.con._read(0.05)
        out, self.buf = self.buf.split(b"(qemu) ", 1)
        return out.decode(errors="replace").replace("\r", "")

    def run(self, line):
        self.s.sendall(line.encode() + b"\r\n")
        return self.until_prompt()


def boot(name, extra):
    argv = [RIVET, "-M", "virt", "-m", "256M", "-kernel", IMAGE, "-initrd", ROOTFS,
            "-append", "console=ttyS0", *extra]
    return Console(argv, log_path=os.path.join(LOGDIR, name + ".log"))


def shell_answers(con, word):
    con.send("echo %s-$((6*7))\n" % word)
    con.expect(r"\n%s-42" % word, 30)


def shell_silent(con, word):
    """The guest is stopped: what we type gets no answer (yet)."""
    con.send("echo %s-$((6*7))\n" % word)
    try:
        con.expect(r"\n%s-42" % word, 2)
    except ConsoleTimeout:
        return
    raise AssertionError("the guest answered while stopped")


def test_qmp_monitor():
    sock = os.path.join(tempfile.mkdtemp(prefix="rivet-qmp-"), "qmp.sock")
    mport = free_port()
    con = boot("qmp-monitor", ["-smp", "2", "-qmp", "unix:%s,server,wait=off" % sock,
                               "-monitor", "tcp:127.0.0.1:%d,server,wait=off" % mport])
    try:
        q = Qmp(con, sock)
        v = q.greeting["QMP"]["version"]["qemu"]
        assert v["major"] >= 7 and "capabilities" in q.greeting["QMP"], q.greeting
        r = q.cmd("query-status")
        assert r["error"]["class"] == "CommandNotFound", r
        assert q.ok("qmp_capabilities") == {}
        st = q.status()
        assert st["running"] is True and st["status"] == "running", st
        con.wait_prompt(180)
        shell_answers(con, "booted")

        cpus = q.ok("query-cpus-fast")
        assert [c["cpu-index"] for c in cpus] == [0, 1], cpus
        assert all(c["target"] == "riscv64" for c in cpus), cpus
        assert cpus[0]["thread-id"] != cpus[1]["thread-id"], "a thread per hart: %r" % cpus

        # what clients ask first (qmp-shell: query-commands; libvirt-style
        # probes: query-version, query-kvm, query-target)
        names = {c["name"] for c in q.ok("query-commands")}
        for n in ("qmp_capabilities", "query-status", "query-cpus-fast", "stop", "cont", "system_reset",
                  "system_powerdown", "quit", "human-monitor-command", "query-version"):
            assert n in names, (n, names)
        for n in names - {"quit", "stop", "cont", "system_reset", "system_powerdown",
                          "human-monitor-command", "qmp_capabilities"}:
            assert "return" in q.cmd(n), n  # every listed query answers
        assert q.ok("query-version")["qemu"] == v, q.ok("query-version")
        assert q.ok("query-target") == {"arch": "riscv64"}
        assert q.ok("query-kvm") == {"enabled": False, "present": False}
        q.send_raw('{"exec-oob": "query-status"}\n')
        r = q.reply()
        assert r["error"]["class"] == "GenericError" and "OOB" in r["error"]["desc"], r

        # stop / cont with the state checked each time
        assert q.ok("stop") == {}
        q.event("STOP")
        st = q.status()
        assert st["running"] is False and st["status"] == "paused", st
        regs1 = q.ok("human-monitor-command", **{"command-line": "info registers -a"})
        time.sleep(0.3)
        regs2 = q.ok("human-monitor-command", **{"command-line": "info registers -a"})
        assert "CPU#1" in regs1 and re.search(r"^ pc       [0-9a-f]{16}$", regs1, re.M), regs1
        assert re.search(r"^ x8/s0    [0-9a-f]{16} x9/s1    [0-9a-f]{16} x10/a0   [0-9a-f]{16} "
                         r"x11/a1   [0-9a-f]{16}$", regs1, re.M), regs1  # QEMU's layout
        assert regs1 == regs2, "harts moved while stopped"
        shell_silent(con, "stopped")
        assert q.ok("cont") == {}
        q.event("RESUME")
        assert q.status()["running"] is True
        con.expect(r"\nstopped-42", 30)  # typed while stopped, answered now

        # human-monitor-command output
        hmp = lambda c: q.ok("human-monitor-command", **{"command-line": c})  # noqa: E731
        assert re.match(r"\* CPU #0: thread_id=\d+\n  CPU #1: thread_id=\d+\n$", hmp("info cpus")), hmp("info cpus")
        mt = hmp("info mtree")
        assert "uart16550" in mt and "ram" in mt, mt
        assert "dev: plic" in hmp("info qtree")
        assert re.match(r"0000000000001000: 0x[0-9a-f]{8} 0x[0-9a-f]{8}\n", hmp("xp /2xw 0x1000")), hmp("xp /2xw 0x1000")
        assert re.search(r"0x0000000000001000:\s+[0-9a-f]+\s+auipc", hmp("xp /1i 0x1000")), hmp("xp /1i 0x1000")
        assert "unknown command" in hmp("no_such_command")
        assert hmp("cpu 1") == "" and hmp("info registers").startswith("CPU#1\n"), hmp("info registers")
        assert "invalid CPU index" in hmp("cpu 2")
        assert hmp("cpu 0") == "" and hmp("info registers").startswith("CPU#0\n")
        assert "info registers" in hmp("help")

        # malformed input: an error each, and the session goes on
        for bad in ('{"execute": }\n', 'hello\n', '[1, 2]\n', '{"execute": "stop" "x"}\n'):
            q.send_raw(bad)
            r = q.reply()
            assert r["error"]["class"] == "GenericError", (bad, r)
        q.send_raw('{"execute": "query-status"}}\n')  # a command, then a stray brace
        assert q.reply()["return"]["running"] is True
        assert q.reply()["error"]["class"] == "GenericError"
        r = q.cmd("no-such-command")
        assert r["error"]["class"] == "CommandNotFound", r
        q.send_raw('{"arguments": {}}\n')
        assert q.reply()["error"]["class"] == "GenericError"
        q.send_raw('{"execute": "query-status", "id": "abc"}\n')
        r = q.reply()
        assert r.get("id") == "abc" and r["return"]["running"] is True, r
        r = q.cmd("human-monitor-command")
        assert r["error"]["class"] == "GenericError", r
        q.send_raw("{" * 40000 + "\n")  # overlong and unbalanced
        q.send_raw("}" * 40000 + "\n")
        r = q.reply()
        assert r["error"]["class"] == "GenericError" and "too long" in r["error"]["desc"], r
        q.ok("query-status")

        # the monitor socket
        m = Monitor(con, mport)
        assert "monitor" in m.banner, m.banner
        assert "VM status: running" in m.run("info status")
        m.run("stop")
        q.event("STOP")
        assert q.status()["status"] == "paused"
        assert "VM status: paused" in m.run("info status")
        x = m.run("x /2xg 0x80000000")
        assert "Cannot access" in x or re.match(r"0000000080000000: 0x[0-9a-f]{16} 0x[0-9a-f]{16}", x), x
        assert re.match(r"0000000000001000: 0x[0-9a-f]{8}", m.run("xp /1xw 0x1000"))
        assert "Invalid parameter" in m.run("log nonsense")
        m.run("log none")
        m.run("cont")
        q.event("RESUME")
        shell_answers(con, "monitor")

        # Ctrl-A c: the monitor on the console, and back
        con.send(b"\x01c")
        con.expect(r"\(qemu\) ", 10)
        con.send("info status\r")
        con.expect(r"VM status: running", 10)
        con.send(b"\x01c")
        shell_answers(con, "console")

        # reset: event, and the guest boots again
        m.run("system_reset")
        q.event("RESET")
        con.expect(r"OpenSBI v", 60)
        con.wait_prompt(180)
        assert q.ok("system_powerdown") == {}
        q.event("POWERDOWN")
        shell_answers(con, "after-reset")
        assert q.ok("quit") == {}
        q.event("SHUTDOWN")
        assert con.wait_exit(20) == 0
    finally:
        con.kill()


def test_prelaunch():
    """-S: prelaunch until cont; a busy port is refused with one line."""
    sock = os.path.join(tempfile.mkdtemp(prefix="rivet-qmp-"), "qmp.sock")
    con = boot("qmp-prelaunch", ["-S", "-qmp", "unix:%s,server,wait=off" % sock])
    try:
        q = Qmp(con, sock)
        q.ok("qmp_capabilities")
        st = q.status()
        assert st == {"status": "prelaunch", "singlestep": False, "running": False}, st
        hmp = q.ok("human-monitor-command", **{"command-line": "info registers"})
        assert re.search(r"pc\s+0000000000001000", hmp), hmp
        q.ok("cont")
        q.event("RESUME")
        con.wait_prompt(180)
        q.ok("quit")
        assert con.wait_exit(20) == 0
    finally:
        con.kill()


def test_bad_specs():
    """Bad -qmp/-monitor specs and a busy port: one clear line, exit status 1."""
    import subprocess
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    busy = s.getsockname()[1]
    cases = [(["-qmp", "tcp:127.0.0.1:%d,server,wait=off" % busy], "Address already in use"),
             (["-monitor", "tcp:127.0.0.1:%d,server,wait=off" % busy], "Address already in use"),
             (["-qmp", "unix:"], "bad unix socket path"),
             (["-qmp", "stdio"], "expected tcp:"),
             (["-monitor", "tcp::70000"], "not a port number"),
             (["-serial", "null", "-monitor", "stdio"], "not the multiplexed console")]
    try:
        for args, msg in cases:
            r = subprocess.run([RIVET, "-kernel", IMAGE, *args], capture_output=True, text=True,
                               timeout=20)
            assert r.returncode == 1 and msg in r.stderr and len(r.stderr.splitlines()) == 1, \
                (args, r.returncode, r.stderr)
    finally:
        s.close()


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    want = sys.argv[3:]
    failed = 0
    for t in (test_qmp_monitor, test_prelaunch, test_bad_specs):
        name = t.__name__[5:]
        if want and name not in want:
            continue
        try:
            t()
            print("PASS debug/%s" % name, flush=True)
        except Exception:
            failed += 1
            print("FAIL debug/%s" % name, flush=True)
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
