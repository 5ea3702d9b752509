#!/usr/bin/env python3
"""A hostile guest cannot keep rivet from exiting (tests/board/hostile.sh).

usage: hostile.py RIVET DIR

DIR holds hostile_{1..5}.elf and hostile_kernel.elf (built by hostile.sh).
For each trap-loop shape, rivet runs on a pseudo-terminal and gets a
signal once the guest is in its loop: SIGTERM and SIGHUP with the default
console (-nographic), SIGINT with -serial stdio.  It must exit within 1 s,
and the terminal must be as before: same termios settings (what `stty -g`
shows) and stdin not left non-blocking.  Then two broken outputs: stdout
a pipe whose reader goes away after 3 lines (`rivet | head -3`: no death
by SIGPIPE), and a pipe nobody reads while the guest prints a lot
(`rivet | sleep 60`, then SIGTERM).  Prints "PASS board/hostile-<name>" or
"FAIL board/hostile-<name>: <reason>" per case.
"""

import fcntl
import os
import pty
import signal
import subprocess
import sys
import termios
import threading
import time

GRACE = 1.0          # seconds from the signal to the exit


class Pty:
    def __init__(self):
        self.master, self.slave = pty.openpty()
        self.buf = bytearray()
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self._drain, daemon=True)
        self.t.start()

    def _drain(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.buf += data
                del self.buf[:-65536]

    def seen(self, marker):
        with self.lock:
            return marker in self.buf

    def state(self):
        return (termios.tcgetattr(self.slave), fcntl.fcntl(self.slave, fcntl.F_GETFL) & os.O_NONBLOCK)

    def close(self):
        os.close(self.slave)
        try:
            os.close(self.master)
        except OSError:
            pass


def controlling_tty():
    # start_new_session already made the child a session leader
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def wait_exit(p, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if p.poll() is not None:
            return time.monotonic() - t0
        time.sleep(0.01)
    return None


def kill(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except OSError:
        pass
    p.wait()


def terminal_problem(before, after):
    if after[0] != before[0]:
        names = ["iflag", "oflag", "cflag", "lflag", "ispeed", "ospeed", "cc"]
        diff = [n for n, a, b in zip(names, before[0], after[0]) if a != b]
        return "terminal settings not restored (%s differ)" % ",".join(diff)
    if after[1]:
        return "stdin left non-blocking"
    return None


def signal_case(rivet, args, sig, ready):
    t = Pty()
    before = t.state()
    p = subprocess.Popen([rivet] + args, stdin=t.slave, stdout=t.slave, stderr=t.slave,
                         start_new_session=True, preexec_fn=controlling_tty)
    try:
        t0 = time.monotonic()
        while ready and not t.seen(ready) and time.monotonic() - t0 < 10:
            if p.poll() is not None:
                return "rivet exited (%d) before the guest was ready" % p.returncode
            time.sleep(0.01)
        if ready and not t.seen(ready):
            return "no '%s' from the guest within 10 s" % ready.decode()
        time.sleep(0.3)           # well inside the loop
        if p.poll() is not None:
            return "rivet exited (%d) on its own" % p.returncode
        os.kill(p.pid, sig)
        took = wait_exit(p, GRACE)
        if took is None:
            kill(p)
            return "still running %.1f s after %s" % (GRACE, signal.Signals(sig).name)
        if p.returncode == -signal.SIGKILL:
            return "killed by SIGKILL"
        return terminal_problem(before, t.state())
    finally:
        if p.poll() is None:
            kill(p)
        t.close()


def sigpipe_case(rivet, elf):
    """rivet ... | head -3"""
    t = Pty()
    before = t.state()
    r, w = os.pipe()
    p = subprocess.Popen([rivet, "-M", "virt", "-bios", elf, "-nographic"], stdin=t.slave,
                         stdout=w, stderr=subprocess.DEVNULL, start_new_session=True,
                         preexec_fn=controlling_tty)
    os.close(w)
    try:
        got = b""
        t0 = time.monotonic()
        while got.count(b"\n") < 3 and time.monotonic() - t0 < 10:
            data = os.read(r, 4096)
            if not data:
                break
            got += data
        os.close(r)               # head has its 3 lines and exits
        r = None
        took = wait_exit(p, GRACE + 1)
        if took is None:
            kill(p)
            return "still running 2 s after its reader went away"
        if p.returncode == -signal.SIGPIPE:
            return "killed by SIGPIPE"
        if p.returncode < 0:
            return "killed by signal %d" % -p.returncode
        return terminal_problem(before, t.state())
    finally:
        if r is not None:
            os.close(r)
        if p.poll() is None:
            kill(p)
        t.close()


def stalled_case(rivet, elf):
    """rivet ... | sleep 60, then SIGTERM"""
    t = Pty()
    before = t.state()
    r, w = os.pipe()
    p = subprocess.Popen([rivet, "-M", "virt", "-bios", elf, "-nographic"], stdin=t.slave,
                         stdout=w, stderr=subprocess.DEVNULL, start_new_session=True,
                         preexec_fn=controlling_tty)
    os.close(w)
    try:
        time.sleep(1.0)           # the pipe (64 KiB) fills within milliseconds
        if p.poll() is not None:
            return "rivet exited (%d) before the signal" % p.returncode
        os.kill(p.pid, signal.SIGTERM)
        took = wait_exit(p, GRACE)
        if took is None:
            kill(p)
            return "still running %.1f s after SIGTERM with its output stalled" % GRACE
        if p.returncode == -signal.SIGKILL:
            return "killed by SIGKILL"
        return terminal_problem(before, t.state())
    finally:
        os.close(r)
        if p.poll() is None:
            kill(p)
        t.close()


def main():
    rivet, d = sys.argv[1], sys.argv[2]
    ready = b"hostile: ready"
    shapes = [
        ("mtvec-illegal", ["-bios", os.path.join(d, "hostile_1.elf")], ready),
        ("mtvec-unmapped", ["-bios", os.path.join(d, "hostile_2.elf")], ready),
        ("bios-none-no-kernel", ["-bios", "none"], None),
        ("bios-none-kernel-faults", ["-bios", "none", "-kernel", os.path.join(d, "hostile_kernel.elf")],
         None),
        ("spin", ["-bios", os.path.join(d, "hostile_3.elf")], ready),
        ("wfi", ["-bios", os.path.join(d, "hostile_4.elf")], ready),
    ]
    cases = []
    for name, args, rdy in shapes:
        cases.append(("%s-sigterm" % name, ["-M", "virt"] + args + ["-nographic"], signal.SIGTERM, rdy))
        cases.append(("%s-sighup" % name, ["-M", "virt"] + args + ["-nographic"], signal.SIGHUP, rdy))
        cases.append(("%s-sigint" % name, ["-M", "virt"] + args + ["-serial", "stdio"], signal.SIGINT, rdy))
    failed = 0
    for name, args, sig, rdy in cases:
        why = signal_case(rivet, args, sig, rdy)
        print("FAIL board/hostile-%s: %s" % (name, why) if why else "PASS board/hostile-%s" % name,
              flush=True)
        failed += bool(why)
    chatty = os.path.join(d, "hostile_5.elf")
    for name, fn in (("sigpipe", sigpipe_case), ("stalled-stdout", stalled_case)):
        why = fn(rivet, chatty)
        print("FAIL board/hostile-%s: %s" % (name, why) if why else "PASS board/hostile-%s" % name,
              flush=True)
        failed += bool(why)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
