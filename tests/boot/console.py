"""Drive rivet (or QEMU) on a pseudo-terminal, as a person at a terminal would.

Every wait is bounded; when one times out, the exception carries the last
console lines so that a failing test explains itself."""
import os
import pty
import re
import select
import signal
import socket
import time


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ConsoleTimeout(Exception):
    pass


class Console:
    def __init__(self, argv, log_path=None):
        self.argv = argv
        self.buf = b""          # unconsumed output
        self.transcript = b""   # everything, for diagnostics
        self.log = open(log_path, "wb") if log_path else None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        self.status = None

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            self._reap(block=True)
            return None
        self.buf += data
        self.transcript += data
        if self.log:
            self.log.write(data)
            self.log.flush()
        return True

    def tail(self, lines=25):
        text = self.transcript.decode(errors="replace").replace("\r", "")
        return "\n".join(text.splitlines()[-lines:])

    def expect(self, pattern, timeout=60):
        """Wait for a regex; return its match and consume output up to it."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m
            left = end - time.monotonic()
            if left <= 0 or self._read(min(left, 0.2)) is None and not rx.search(self.buf):
                if left <= 0 or self.status is not None:
                    report = self.ask_diagnosis() if self.status is None else ""
                    raise ConsoleTimeout(
                        "waited %ss for %r; %s; last console lines:\n%s%s"
                        % (timeout, pattern, "emulator exited with %s" % self.status
                           if self.status is not None else "still running", self.tail(), report))

    def ask_diagnosis(self):
        """A hung guest: ask rivet for its diagnosis (Ctrl-A d: each hart's
        state and the kernel log), so that a failure says where it hung.
        Harmless elsewhere: QEMU and plain -serial stdio ignore it."""
        mark = len(self.transcript)
        try:
            os.write(self.fd, b"\x01d")
        except OSError:
            return ""
        end = time.monotonic() + 5
        while time.monotonic() < end and b"end of diagnosis" not in self.transcript[mark:]:
            if self._read(0.2) is None and self.status is not None:
                break
        text = self.transcript[mark:].decode(errors="replace").replace("\r", "")
        return "\nrivet's diagnosis (Ctrl-A d):\n" + text if "diagnosis" in text else ""

    def send(self, data, char_delay=0.0):
        data = data.encode() if isinstance(data, str) else data
        if not char_delay:
            os.write(self.fd, data)
            return
        for b in data:
            os.write(self.fd, bytes([b]))
            time.sleep(char_delay)

    # busybox ash's prompt from guest/rootfs/etc/profile: "<cwd> # "
    PROMPT = rb"[~/][^\r\n#]* # "

    def wait_prompt(self, timeout=120):
        return self.expect(self.PROMPT, timeout)

    def run(self, command, timeout=60):
        """Type a shell command, wait for the next prompt, return its output."""
        self.send(command + "\n")
        m = self.expect(rb"(?s)(.*?)\r?\n" + self.PROMPT, timeout)
        lines = m.group(1).decode(errors="replace").replace("\r", "").split("\n")
        if lines and command in lines[0]:
            lines = lines[1:]  # the echo of what was typed
        return "\n".join(lines).strip()

    def _reap(self, block):
        if self.status is not None:
            return self.status
        pid, st = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid:
            self.status = os.waitstatus_to_exitcode(st)
        return self.status

    def wait_exit(self, timeout=30):
        end = time.monotonic() + timeout
        while self._reap(block=False) is None:
            if time.monotonic() > end:
                raise ConsoleTimeout("emulator did not exit within %ss; last console lines:\n%s"
                                     % (timeout, self.tail()))
            self._read(0.1)
        while self._read(0.05):
            pass
        return self.status

    def kill(self):
        if self._reap(block=False) is None:
            os.kill(self.pid, signal.SIGKILL)
            self._reap(block=True)
        os.close(self.fd)
        if self.log:
            self.log.close()
