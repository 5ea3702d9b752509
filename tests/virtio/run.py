#!/usr/bin/env python3
"""virtio devices end to end: Linux on a virtio disk (legacy and modern
transports), user networking through libslirp, virtio-rng, the ring checks
(a bare-metal program feeding malformed rings) and bad options.

usage: run.py RIVET GUEST_DIR [test-name ...]
Prints PASS/FAIL/SKIP virtio/<name>; exit status 1 if any failed."""
import hashlib
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "boot"))
from console import Console, ConsoleTimeout, free_port  # noqa: E402

RIVET, GUEST = sys.argv[1], sys.argv[2]
LOGDIR = os.path.join("build", "tests", "virtio")
IMAGE = os.path.join(GUEST, "Image")
ROOTFS = os.path.join(GUEST, "rootfs.cpio.gz")
DISK = os.path.join(GUEST, "rootfs.ext4")
TMP = tempfile.mkdtemp(prefix="rivet-virtio-")
LIVE = []
MODERN = ["-global", "virtio-mmio.force-legacy=false"]

BAD_LOG = ["Oops", "WARNING:", "BUG:", "Kernel panic", "Call Trace", "I/O error",
           "EXT4-fs error", "Unable to handle kernel", "virtio_mmio: probe of"]


class Skip(Exception):
    pass


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fresh_disk(name):
    path = os.path.join(TMP, name + ".ext4")
    shutil.copyfile(DISK, path)
    return path


def boot(name, extra, append="console=ttyS0", initrd=True):
    argv = [RIVET, "-M", "virt", "-m", "256M", "-bios", "default", "-kernel", IMAGE,
            "-append", append, "-d", "guest_errors", "-D", os.path.join(LOGDIR, name + ".errors")]
    if initrd:
        argv += ["-initrd", ROOTFS]
    con = Console(argv + list(extra), log_path=os.path.join(LOGDIR, name + ".log"))
    LIVE.append(con)
    return con


def kill_live():
    """A failed test leaves its rivet running: end it."""
    while LIVE:
        con = LIVE.pop()
        if con._reap(block=False) is None:
            os.kill(con.pid, 9)
            con._reap(block=True)


def disk_boot(name, disk, extra=(), drive_opts="", blockdev=False):
    drive = ["-blockdev", "driver=raw,node-name=d0,file.driver=file,file.filename=" + disk] \
        if blockdev else ["-drive", "file=%s,if=none,id=d0,format=raw%s" % (disk, drive_opts)]
    return boot(name, [*drive, "-device", "virtio-blk-device,drive=d0", *extra],
                append="root=/dev/vda rw console=ttyS0", initrd=False)


def check_log(con):
    text = con.transcript.decode(errors="replace")
    for bad in BAD_LOG:
        assert bad not in text, "kernel log contains %r:\n%s" % (bad, con.tail(40))


def poweroff(con):
    con.send("poweroff\n")
    con.expect("reboot: Power down", 60)
    con.wait_exit(30)
    assert con.status == 0, "rivet exited with %s" % con.status


def e2fsck_clean(disk):
    r = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
    assert r.returncode == 0, "e2fsck -fn %s: status %d\n%s" % (disk, r.returncode, r.stdout + r.stderr)


def run(con, command, timeout=60):
    """The last line of a command's output (a long command's echo wraps)."""
    out = con.run(command, timeout).splitlines()
    return out[-1].strip() if out else ""


def transport_version(con):
    """The Version register of the disk's slot (the first device: 0x10008000)."""
    return run(con, "devmem 0x10008004 32")


# ---- the disk -----------------------------------------------------------------

def persist(name, extra, want_version, blockdev=False):
    """Root on /dev/vda; a file written and synced survives poweroff and a
    second boot; e2fsck is clean after each poweroff."""
    disk = fresh_disk(name)
    con = disk_boot(name, disk, extra, blockdev=blockdev)
    con.wait_prompt(120)
    assert int(transport_version(con), 16) == want_version, "transport version"
    mounts = run(con, "grep ' / ' /proc/mounts")
    assert mounts.startswith("/dev/root / ext4 rw"), mounts
    assert run(con, "cat /sys/block/vda/ro") == "0"
    out = run(con, "dd if=/dev/urandom of=/root/data bs=4096 count=256 2>/dev/null; sync; "
                  "sha256sum /root/data")
    digest = out.split()[0]
    assert re.fullmatch(r"[0-9a-f]{64}", digest), out
    check_log(con)
    poweroff(con)
    e2fsck_clean(disk)
    con = disk_boot(name + "-2", disk, extra, blockdev=blockdev)
    con.wait_prompt(120)
    again = run(con, "sha256sum /root/data").split()[0]
    assert again == digest, "after a second boot the file reads %s, not %s" % (again, digest)
    check_log(con)
    poweroff(con)
    e2fsck_clean(disk)


def test_disk_legacy():
    persist("disk_legacy", (), 1)


def test_disk_modern():
    """The modern transport, with the disk given as a -blockdev."""
    persist("disk_modern", MODERN, 2, blockdev=True)


def test_disk_kill9():
    """Data synced before a kill -9 of rivet is on the disk; the journal
    makes the file system clean at the next boot."""
    disk = fresh_disk("kill9")
    con = disk_boot("kill9", disk)
    con.wait_prompt(120)
    digest = run(con, "dd if=/dev/urandom of=/root/synced bs=4096 count=64 2>/dev/null; sync; "
                     "sha256sum /root/synced").split()[0]
    con.send("while true; do dd if=/dev/zero of=/root/loop bs=4096 count=64 2>/dev/null; sync; done &\n")
    time.sleep(3)
    os.kill(con.pid, 9)
    con.wait_exit(10)
    con = disk_boot("kill9-2", disk)
    con.wait_prompt(120)
    again = run(con, "sha256sum /root/synced").split()[0]
    assert again == digest, "synced file reads %s after kill -9, not %s" % (again, digest)
    poweroff(con)
    e2fsck_clean(disk)


ICOUNT_INIT = """#!/bin/sh
mount -t proc proc /proc
dd if=/dev/hwrng bs=16 count=1 2>/dev/null | od -An -tx1
echo written > /root/f; sync; cat /root/f; date
poweroff -f
"""


def test_disk_icount_repeatable():
    """Under -icount the disk and the rng keep runs repeatable: two boots
    from identical images, with an init that needs no typing (host input
    arrives at host-dependent guest times), print the same bytes."""
    script = os.path.join(TMP, "icount-init")
    with open(script, "w") as f:
        f.write(ICOUNT_INIT)
    outs = []
    for i in range(2):
        disk = fresh_disk("icount%d" % i)
        r = subprocess.run(["debugfs", "-w", "-R", "write %s /icount-init" % script, disk],
                           capture_output=True, text=True)
        r2 = subprocess.run(["debugfs", "-w", "-R", "sif /icount-init mode 0100755", disk],
                            capture_output=True, text=True)
        assert r.returncode == 0 and r2.returncode == 0, r.stderr + r2.stderr
        con = boot("icount%d" % i, ["-drive", "file=%s,if=none,id=d0,format=raw" % disk,
                                    "-device", "virtio-blk-device,drive=d0", "-device", "virtio-rng-device",
                                    "-icount", "shift=0"],
                   append="root=/dev/vda rw console=ttyS0 init=/icount-init", initrd=False)
        con.expect("reboot: Power down", 120)
        con.wait_exit(30)
        assert con.status == 0 and b"written" in con.transcript, con.tail()
        outs.append(con.transcript)
    assert outs[0] == outs[1], "the two -icount runs differ:\n%s\n----\n%s" % (
        outs[0].decode(errors="replace")[-1500:], outs[1].decode(errors="replace")[-1500:])


def test_disk_snapshot():
    """snapshot=on: the guest writes, the image does not change."""
    disk = fresh_disk("snapshot")
    before = sha256(disk)
    con = disk_boot("snapshot", disk, drive_opts=",snapshot=on")
    con.wait_prompt(120)
    out = run(con, "echo overlay > /root/o; sync; cat /root/o")
    assert out == "overlay", out
    poweroff(con)
    assert sha256(disk) == before, "snapshot=on changed the image"


def test_disk_readonly_and_lock():
    """readonly=on: a read-only block device; and a second instance cannot
    open for writing an image the first one uses."""
    disk = fresh_disk("readonly")
    con = boot("readonly", ["-drive", "file=%s,if=none,id=d0,format=raw,readonly=on" % disk,
                            "-device", "virtio-blk-device,drive=d0"])
    con.wait_prompt(120)
    assert run(con, "cat /sys/block/vda/ro") == "1"
    assert run(con, "dd if=/dev/vda bs=1024 skip=1 count=1 2>/dev/null | od -An -tx1 -j56 -N2") == "53 ef"
    r = subprocess.run([RIVET, "-M", "virt", "-drive", "file=%s,if=none,id=d1" % disk,
                        "-device", "virtio-blk-device,drive=d1"], capture_output=True, text=True, timeout=20)
    assert r.returncode == 1 and re.fullmatch(r"rivet: .*lock.*\n", r.stderr), \
        "second writer: status %d, stderr %r" % (r.returncode, r.stderr)
    poweroff(con)


# ---- the network and the rng ---------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


DHCP_SCRIPT = ("printf '#!/bin/sh\\n[ \"$1\" = bound ] && ifconfig $interface $ip netmask $subnet "
               "&& route add default gw $router\\nexit 0\\n' > /tmp/dhcp; chmod +x /tmp/dhcp")


def net_test(name, netopts):
    www = os.path.join(TMP, "www-" + name)
    os.makedirs(www)
    with open(os.path.join(www, "blob"), "wb") as f:
        f.write(os.urandom(1 << 20))
    want = sha256(os.path.join(www, "blob"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: QuietHandler(*a, directory=www))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fwd = free_port()
    con = boot(name, [o.replace("FWD", str(fwd)) for o in netopts])
    try:
        con.wait_prompt(120)
        run(con, DHCP_SCRIPT)
        out = run(con, "ip link set eth0 up; udhcpc -i eth0 -n -q -t 5 -s /tmp/dhcp >/dev/null 2>&1; ip -4 -o addr show eth0", 60)
        assert "inet 10.0.2.15/24" in out, out
        out = run(con, "wget -q -O /tmp/blob http://10.0.2.2:%d/blob && sha256sum /tmp/blob"
                      % server.server_address[1], 120)
        assert out.split()[0] == want, "guest fetched %r, want %s" % (out, want)
        run(con, "mkdir -p /www; cp /tmp/blob /www/blob; httpd -p 80 -h /www")
        data = urllib.request.urlopen("http://127.0.0.1:%d/blob" % fwd, timeout=60).read()
        assert hashlib.sha256(data).hexdigest() == want, "hostfwd download differs"
        check_log(con)
        poweroff(con)
    finally:
        server.shutdown()


def test_net_netdev():
    net_test("net_netdev", ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:FWD-:80",
                            "-device", "virtio-net-device,netdev=n0"])


def test_net_nic_modern():
    net_test("net_nic_modern", ["-nic", "user,hostfwd=tcp::FWD-:80", *MODERN])


def test_net_tap():
    """-netdev tap on a tap interface the test creates (needs root and
    /dev/net/tun): an HTTP fetch from the host's end and one from the
    guest's httpd, both ways over the tap."""
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun") or not shutil.which("ip"):
        raise Skip("needs root, /dev/net/tun and ip(8)")
    tap = "rvtap%d" % (os.getpid() % 10000)
    host_ip, guest_ip = "10.213.77.1", "10.213.77.2"
    r = subprocess.run(["ip", "tuntap", "add", "dev", tap, "mode", "tap"], capture_output=True, text=True)
    if r.returncode:
        raise Skip("cannot create a tap interface: " + r.stderr.strip())
    try:
        subprocess.run(["ip", "addr", "add", host_ip + "/24", "dev", tap], check=True)
        subprocess.run(["ip", "link", "set", tap, "up"], check=True)
        www = os.path.join(TMP, "www-tap")
        os.makedirs(www)
        with open(os.path.join(www, "blob"), "wb") as f:
            f.write(os.urandom(1 << 20))
        want = sha256(os.path.join(www, "blob"))
        server = http.server.ThreadingHTTPServer((host_ip, 0), lambda *a: QuietHandler(*a, directory=www))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            con = boot("net_tap", ["-netdev", "tap,id=n0,ifname=%s,script=no,downscript=no" % tap,
                                   "-device", "virtio-net-device,netdev=n0"])
            con.wait_prompt(120)
            run(con, "ip link set eth0 up; ip addr add %s/24 dev eth0" % guest_ip)
            out = run(con, "wget -q -O /tmp/blob http://%s:%d/blob && sha256sum /tmp/blob"
                      % (host_ip, server.server_address[1]), 120)
            assert out.split()[0] == want, "guest fetched %r, want %s" % (out, want)
            run(con, "mkdir -p /www; cp /tmp/blob /www/blob; httpd -p 80 -h /www")
            data = urllib.request.urlopen("http://%s/blob" % guest_ip, timeout=60).read()
            assert hashlib.sha256(data).hexdigest() == want, "download from the guest differs"
            poweroff(con)
        finally:
            server.shutdown()
    finally:
        subprocess.run(["ip", "link", "del", tap], capture_output=True)


def test_rng():
    """/dev/hwrng; and the slots devices take: the highest free one first,
    in command-line order, or the one bus= names (QEMU's order)."""
    disk = os.path.join(TMP, "rng-disk.img")
    with open(disk, "wb") as f:
        f.write(bytes(1 << 20))
    con = boot("rng", ["-device", "virtio-rng-device",
                       "-drive", "file=%s,if=none,id=d0,format=raw" % disk,
                       "-device", "virtio-blk-device,drive=d0",
                       "-device", "virtio-rng-device,bus=virtio-mmio-bus.0"])
    con.wait_prompt(120)
    ids = run(con, "for a in 8 7 6 1; do devmem 0x1000${a}008 32; done | tr '\\n' ' '; echo")
    assert ids.split() == ["0x00000004", "0x00000002", "0x00000000", "0x00000004"], ids
    assert run(con, "cat /sys/class/misc/hw_random/rng_current").startswith("virtio_rng")
    out = run(con, "dd if=/dev/hwrng bs=64 count=4 2>/dev/null | od -An -tx1 | tr -d ' \\n'; echo")
    assert re.fullmatch(r"[0-9a-f]{512}", out), out
    assert len(set(out[i:i + 2] for i in range(0, 512, 2))) > 64, "hwrng bytes look constant: " + out
    poweroff(con)


def test_console():
    """virtconsole on a unix socket: the guest writes to its hvc, and a
    shell on it answers the host (a second terminal). The reference kernel
    has the SBI console (HVC_RISCV_SBI) as hvc0, so the virtio port is hvc1,
    as on QEMU with the same kernel."""
    sock = os.path.join(TMP, "hvc.sock")
    con = boot("console", ["-chardev", "socket,id=c0,path=%s,server=on,wait=off" % sock,
                           "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c0"])
    con.wait_prompt(120)
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.settimeout(30)
    run(con, "echo from-guest > /dev/hvc1")
    got = b""
    while b"from-guest" not in got:
        got += s.recv(4096)
    run(con, "setsid sh -c 'exec sh -i </dev/hvc1 >/dev/hvc1 2>&1' &")
    time.sleep(1)
    s.sendall(b"echo hvc-$((6*7))\n")
    got = b""
    while b"hvc-42" not in got:
        chunk = s.recv(4096)
        assert chunk, "the socket closed; got %r" % got
        got += chunk
    s.close()
    check_log(con)
    poweroff(con)


# ---- the ring checks and bad options ---------------------------------------------

def build_badring():
    """tests/virtio/badring.c with tests/board's start-up code."""
    elf = os.path.join("build", "tests", "virtio", "badring.elf")
    board = os.path.join(HERE, "..", "board")
    srcs = [os.path.join(board, "crt.S"), os.path.join(HERE, "badring.c")]
    deps = srcs + [os.path.join(board, "link.ld"), os.path.join(board, "bm.h")]
    if os.path.exists(elf) and all(os.path.getmtime(d) <= os.path.getmtime(elf) for d in deps):
        return elf
    cc = "riscv64-unknown-elf-gcc"
    if not shutil.which(cc):
        raise Skip("%s not found" % cc)
    r = subprocess.run([cc, "-march=rv64imac_zicsr", "-mabi=lp64", "-mcmodel=medany", "-nostdlib",
                        "-nostartfiles", "-ffreestanding", "-O2", "-Wall", "-Wextra", "-Werror",
                        "-Wl,--no-warn-rwx-segments", "-T", os.path.join(board, "link.ld"),
                        "-I", board, "-o", elf, *srcs], capture_output=True, text=True)
    assert r.returncode == 0, "building badring.elf:\n" + r.stderr
    return elf


def test_bad_rings():
    """tests/virtio/badring.c: each malformed ring sets DEVICE_NEEDS_RESET
    with one guest_errors line; rivet keeps running and the device works
    again after a reset. Both transports."""
    elf = build_badring()
    log = os.path.join(LOGDIR, "badring.errors")
    for extra in ([], MODERN):
        r = subprocess.run([RIVET, "-M", "virt", "-bios", "none", "-kernel", elf, "-nographic",
                            "-device", "virtio-rng-device", "-d", "guest_errors", "-D", log, *extra],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        cases = re.findall(r"^case (\S+): (\S+)", r.stdout, re.M)
        assert r.returncode == 0 and len(cases) == 16 and all(s == "ok" for _, s in cases), \
            "status %d, output:\n%s" % (r.returncode, r.stdout[-3000:])
        bad = [c for c, _ in cases if not c.startswith("good")]
        with open(log) as f:
            resets = [ln for ln in f if "device needs reset" in ln]
        assert len(resets) == len(bad), "%d bad rings, %d guest_errors lines:\n%s" % (
            len(bad), len(resets), "".join(resets))


BAD_OPTIONS = [
    (["-drive", "file=/nonexistent.img,if=none,id=d0", "-device", "virtio-blk-device,drive=d0"],
     r"/nonexistent\.img.*No such file"),
    (["-drive", "file=DISK,if=none,id=d0,format=qcow2", "-device", "virtio-blk-device,drive=d0"],
     r"qcow2.*qemu-img convert -O raw"),
    (["-drive", "file=QCOW,if=none,id=d0", "-device", "virtio-blk-device,drive=d0"],
     r"is a qcow2 image.*qemu-img convert"),
    (["-drive", "file=ODD,if=none,id=d0", "-device", "virtio-blk-device,drive=d0"],
     r"not a multiple of 512"),
    (["-drive", "file=DISK,id=d0"], r"interface|if=none"),
    (["-blockdev", "driver=qcow2,node-name=d0,file.driver=file,file.filename=DISK",
      "-device", "virtio-blk-device,drive=d0"], r"^rivet: -blockdev .*qemu-img convert"),
    (["-blockdev", '{"driver":"raw"}'], r"JSON"),
    (["-blockdev", "driver=raw,node-name=d0"], r"filename"),
    (["-device", "virtio-blk-device,drive=nope"], r"drive 'nope' not found"),
    (["-device", "virtio-blk-device"], r"needs drive="),
    (["-device", "virtio-net-device,netdev=n9"], r"netdev 'n9' not found"),
    (["-netdev", "tapx,id=n0"], r"backend 'tapx'"),
    (["-netdev", "tap,id=n0,ifname=t0,script=/etc/qemu-ifup", "-device", "virtio-net-device,netdev=n0"],
     r"script=/etc/qemu-ifup: rivet runs no scripts"),
    (["-netdev", "user,id=n0,hostfwd=tcp::notaport-:22", "-device", "virtio-net-device,netdev=n0"],
     r"host forwarding rule"),
    (["-netdev", "user,id=n0,net=300.1.2.3/24", "-device", "virtio-net-device,netdev=n0"], r"net=300"),
    (["-nic", "user,model=e1000"], r"model 'e1000'"),
    (["-device", "virtio-net-device,netdev=n0,mac=zz", "-netdev", "user,id=n0"], r"mac=zz"),
    (["-device", "virtio-rng-device,bus=virtio-mmio-bus.9"], r"virtio-mmio-bus\.9"),
    (["-device", "virtio-rng-device,bus=virtio-mmio-bus.1", "-device", "virtio-rng-device,bus=virtio-mmio-bus.1"],
     r"already in use"),
    (["-device", "virtio-rng-device,frob=1"], r"no property 'frob'"),
    (["-global", "virtio-mmio.force-legacy=maybe"], r"on or off"),
    (["-device", "virtio-gpu-device"], r"unsupported device"),
    (["-device", "virtconsole,chardev=c0"], r"no virtio-serial-device"),
    (["-device", "virtio-serial-device", "-device", "virtconsole,chardev=c9"], r"chardev 'c9' not found"),
    (["-chardev", "telnetx,id=c0"], r"backend 'telnetx'"),
    (["-chardev", "socket,id=c0"], r"path= or a port="),
    (["-chardev", "socket,id=c0,path=ODD,server=on,wait=off", "-device", "virtio-serial-device",
      "-device", "virtconsole,chardev=c0"], r"cannot listen on .*odd\.img"),  # and ODD survives
    (["-chardev", "stdio,id=c0", "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c0"],
     r"stdio is already"),
]


def test_bad_options():
    qcow = os.path.join(TMP, "img.qcow2")
    with open(qcow, "wb") as f:
        f.write(b"QFI\xfb" + bytes(508))
    odd = os.path.join(TMP, "odd.img")
    with open(odd, "wb") as f:
        f.write(bytes(1000))
    disk = os.path.join(TMP, "small.img")
    with open(disk, "wb") as f:
        f.write(bytes(1 << 20))
    for argv, want in BAD_OPTIONS:
        argv = [a.replace("DISK", disk).replace("QCOW", qcow).replace("ODD", odd) for a in argv]
        r = subprocess.run([RIVET, "-M", "virt", "-bios", "none", *argv], capture_output=True,
                           text=True, timeout=20, stdin=subprocess.DEVNULL)
        lines = r.stderr.splitlines()
        assert r.returncode == 1 and len(lines) == 1 and lines[0].startswith("rivet: ") and \
            re.search(want, lines[0]), "%s: status %d, stderr %r (want /%s/)" % (
                " ".join(argv), r.returncode, r.stderr, want)
        assert os.path.getsize(odd) == 1000, "a user's file given as a socket path was removed"


# ---- U-Boot ---------------------------------------------------------------------

UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"  # Debian's u-boot-qemu
BOOTDISK = os.path.join(GUEST, "boot.img")  # MBR, ext4 partition 1, extlinux.conf
UBOOT_PROMPT = rb"\r?\n=> "


def uboot(name, extra=()):
    """U-Boot started by OpenSBI (-kernel), as on QEMU, with a copy of the
    guest's partitioned boot disk."""
    if not os.path.exists(UBOOT):
        raise Skip("no %s (Debian package u-boot-qemu)" % UBOOT)
    disk = os.path.join(TMP, name + ".img")
    shutil.copyfile(BOOTDISK, disk)
    argv = [RIVET, "-M", "virt", "-m", "512M", "-kernel", UBOOT,
            "-drive", "file=%s,if=none,id=d0,format=raw" % disk, "-device", "virtio-blk-device,drive=d0",
            "-d", "guest_errors", "-D", os.path.join(LOGDIR, name + ".errors"), *extra]
    con = Console(argv, log_path=os.path.join(LOGDIR, name + ".log"))
    LIVE.append(con)
    return con, disk


def uboot_cmd(con, command, timeout=30):
    """Type a U-Boot command; its output, up to the next prompt."""
    con.send(command + "\n")
    m = con.expect(rb"(?s)(.*?)" + UBOOT_PROMPT, timeout)
    lines = m.group(1).decode(errors="replace").replace("\r", "").split("\n")
    if lines and command in lines[0]:
        lines = lines[1:]
    return "\n".join(lines).strip()


def linux_from_disk(con, disk):
    """The kernel U-Boot started ran the initramfs, which switched to the root
    on /dev/vda1; the shell works there; poweroff leaves the disk clean."""
    con.expect(r"rivet initramfs: switching to the root on /dev/vda1", 120)
    con.expect(r"disk root, init started", 60)
    con.wait_prompt(60)
    mounts = run(con, "grep ' / ' /proc/mounts")
    assert mounts.startswith("/dev/vda1 / ext4 rw"), mounts
    assert "initrd=" not in run(con, "cat /proc/cmdline")
    check_log(con)
    poweroff(con)
    r = subprocess.run(["e2fsck", "-fn", disk + "?offset=1048576"], capture_output=True, text=True)
    assert r.returncode == 0, "e2fsck of partition 1: %s" % (r.stdout + r.stderr)


def test_uboot_prompt():
    """A key during "Hit any key to stop autoboot" gives the => prompt; the
    virtio commands see the disk and its files; `boot` then runs the
    distro boot from it."""
    con, disk = uboot("uboot_prompt")
    con.expect(r"Hit any key to stop autoboot", 120)
    con.send(" ")
    con.expect(UBOOT_PROMPT, 10)
    assert b"Scanning virtio" not in con.transcript, "autoboot ran on after the key"
    out = uboot_cmd(con, "virtio scan")
    out = uboot_cmd(con, "virtio info")
    assert "QEMU VirtIO Block Device" in out and "65.0 MB" in out, out
    out = uboot_cmd(con, "part list virtio 0")
    assert re.search(r"^\s*1\s+2048\s+131072\s+\S+\s+83 Boot", out, re.M), out
    out = uboot_cmd(con, "ext4ls virtio 0:1 /boot")
    for want in ("Image", "initramfs.cpio.gz", "extlinux"):
        assert re.search(r"\s%s\s*$" % re.escape(want), out, re.M), "ext4ls lacks %s:\n%s" % (want, out)
    out = uboot_cmd(con, "ext4load virtio 0:1 ${kernel_addr_r} /boot/Image")
    size = os.path.getsize(IMAGE)
    assert "%d bytes read" % size in out, "ext4load: %s (want %d bytes)" % (out, size)
    con.send("boot\n")
    linux_from_disk(con, disk)


def test_uboot_distro_boot_modern():
    """No key: autoboot's distro boot finds extlinux.conf on the (modern
    transport's) disk and starts Linux with the initramfs."""
    con, disk = uboot("uboot_distro_modern", MODERN)
    con.expect(r"Scanning virtio 0:1", 120)
    con.expect(r"Retrieving file: /boot/initramfs.cpio.gz", 60)
    linux_from_disk(con, disk)


TESTS = [test_bad_options, test_bad_rings, test_rng, test_disk_legacy, test_disk_modern,
         test_disk_snapshot, test_disk_readonly_and_lock, test_disk_icount_repeatable, test_disk_kill9, test_net_netdev,
         test_net_nic_modern, test_net_tap, test_console, test_uboot_prompt, test_uboot_distro_boot_modern]


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
            print("PASS virtio/%s (%.1fs)" % (name, time.monotonic() - t0), flush=True)
        except Skip as e:
            print("SKIP virtio/%s: %s" % (name, e), flush=True)
        except (AssertionError, ConsoleTimeout, OSError, subprocess.SubprocessError) as e:
            failed += 1
            msg = str(e) or traceback.format_exc()
            print("FAIL virtio/%s: %s" % (name, msg.replace("\n", "\n    ")), flush=True)
        kill_live()
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
