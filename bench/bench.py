#!/usr/bin/env python3
"""Side-by-side benchmarks of rivet and qemu-system-riscv64 on the same guest.

usage: bench/bench.py RIVET [--runs N] [--workload-runs N] [--only boot|workload|smp|hyp|io] [--jobs a,b]

boot:     OpenSBI + Linux + an initramfs whose /init powers off at once;
          runs alternate rivet/QEMU after one warm-up run of each.
boot:     also boot to the shell prompt (rootfs.cpio.gz), then poweroff.
workload: guest/init-bench's jobs, each in its own boot (benchjobs=NAME):
          sha256, gzip, sort, floating point (awk, a C FFT), fork+exec of a
          static program 2,000 times, pipe ping-pong, 64 MiB through tmpfs;
          timed inside the guest (from /proc/uptime), with the peak RSS.
hyp:      Linux to poweroff in a zone of rivet-hv against the same kernel
          booted directly, and the zone boot on rivet against QEMU.
io:       virtio: the guest's dd of 256 MiB to and from a raw disk image
          (direct I/O, virtio-blk) and a 64 MiB HTTP download from a server
          on the host's loopback through user networking (libslirp,
          virtio-net), timed inside the guest, in one boot per run.
smp:      boot with -smp 2 and -smp 4, and the workload as one job on -smp 1
          against two copies at once on -smp 2 (throughput gained).
Reports medians of wall time, CPU time (user+sys) and peak RSS, and the
ratio rivet/QEMU. Nothing here is asserted: the numbers are for reading."""
import argparse
import functools
import http.server
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

GUEST = subprocess.run(["guest/build.sh", "--print"], capture_output=True, text=True).stdout.strip()
QEMU = "qemu-system-riscv64"


def command(emu, initrd, append, smp=1):
    common = ["-M", "virt", "-m", "256M", "-smp", str(smp), "-bios", "default",
              "-kernel", os.path.join(GUEST, "Image"), "-initrd", os.path.join(GUEST, initrd),
              "-append", append]
    if emu == QEMU:
        return [QEMU, *common, "-display", "none", "-serial", "stdio", "-monitor", "none"]
    return [emu, *common, "-serial", "stdio"]


HV = os.path.join("build", "hyp", "rivet-hv.bin")


def zone_command(emu):
    """Linux in zone 0 of rivet-hv (hyp/), as README's command line."""
    common = ["-M", "virt", "-m", "1G", "-cpu", "rv64,h=true", "-bios", "default", "-kernel", HV,
              "-device", "loader,file=%s,addr=0x90000000,force-raw=on" % os.path.join(GUEST, "Image"),
              "-initrd", os.path.join(GUEST, "poweroff.cpio.gz"), "-append", "console=ttyS0 quiet"]
    if emu == QEMU:
        return [QEMU, *common, "-display", "none", "-serial", "stdio", "-monitor", "none"]
    return [emu, *common, "-serial", "stdio"]


def direct_h_command(emu):
    """The same kernel booted directly, with the same -m and -cpu."""
    cmd = command(emu, "poweroff.cpio.gz", "console=ttyS0 quiet")
    cmd[cmd.index("256M")] = "1G"
    return cmd[:1] + ["-cpu", "rv64,h=true"] + cmd[1:]


def bench_hyp(rivet, runs):
    """Linux to poweroff in a zone against the same kernel booted directly
    (on rivet), and the whole stack on rivet against QEMU."""
    res = {"direct": [], "zone": [], "qemu-zone": []}
    measure(zone_command(rivet))
    measure(zone_command(QEMU))
    for _ in range(runs):
        res["direct"].append(measure(direct_h_command(rivet))[0])
        res["zone"].append(measure(zone_command(rivet))[0])
        res["qemu-zone"].append(measure(zone_command(QEMU))[0])
    d, z, q = med(res["direct"]), med(res["zone"]), med(res["qemu-zone"])
    return ["| rivet: Linux in a zone / booted directly (-cpu rv64,h=true) | %.3f s | %.3f s | %.2fx |"
            % (z, d, z / d),
            row("Linux in a zone of rivet-hv, to poweroff: wall", z, q, "s", "%.3f")]


# A run that takes longer than this has hung (QEMU 7.2 with -smp 4 on this
# 2-core machine once spun for 15 minutes); it is killed and reported.
HANG_SECONDS = 600


def measure(argv):
    """Run once; return (wall s, cpu s, peak RSS MiB, stdout)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    watchdog = threading.Timer(HANG_SECONDS, p.kill)
    watchdog.start()
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    watchdog.cancel()
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        hung = " (killed: no exit after %d s)" % HANG_SECONDS if wall >= HANG_SECONDS else ""
        sys.exit("bench: %s exited with %s%s:\n%s" % (argv[0], status, hung,
                                                     out[-2000:].decode(errors="replace")))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out.decode(errors="replace")


def med(xs):
    return statistics.median(xs)


def row(name, r, q, unit, fmt="%.2f"):
    ratio = r / q if q else float("nan")
    return "| %s | %s %s | %s %s | %.2fx |" % (name, fmt % r, unit, fmt % q, unit, ratio)


def bench_boot(rivet, runs, smp=1):
    append = "console=ttyS0 quiet"
    res = {rivet: [], QEMU: []}
    for emu in (rivet, QEMU):
        measure(command(emu, "poweroff.cpio.gz", append, smp))  # warm-up: page cache, CPU clocks
    for _ in range(runs):
        for emu in (rivet, QEMU):
            res[emu].append(measure(command(emu, "poweroff.cpio.gz", append, smp)))
    rows = []
    tag = "" if smp == 1 else " (-smp %d)" % smp
    for i, (name, unit, fmt) in enumerate([("boot to poweroff%s: wall" % tag, "s", "%.3f"),
                                           ("boot to poweroff%s: CPU" % tag, "s", "%.3f"),
                                           ("boot to poweroff%s: peak RSS" % tag, "MiB", "%.0f")]):
        rows.append(row(name, med([x[i] for x in res[rivet]]), med([x[i] for x in res[QEMU]]),
                        unit, fmt))
    return rows


def workload_jobs(emu, smp, par):
    append = "console=ttyS0 quiet benchpar=%d benchjobs=sha256,gzip,sort" % par
    wall, cpu, rss, out = measure(command(emu, "bench.cpio.gz", append, smp))
    jobs = {m.group(1): float(m.group(2)) for m in re.finditer(r"bench: (\w+) ([0-9.]+) ", out)}
    if set(jobs) != {"sha256", "gzip", "sort"}:
        sys.exit("bench: %s did not report every job:\n%s" % (emu, out[-1500:]))
    return jobs


def bench_smp_throughput(rivet, runs):
    """The workload as one job on one hart, then as two copies at once on
    two harts: throughput gained = 2 * t(one) / t(two), per emulator."""
    rows = []
    for emu, label in ((rivet, "rivet"), (QEMU, "QEMU")):
        one, two = [], []
        for _ in range(runs):
            one.append(workload_jobs(emu, 1, 1))
            two.append(workload_jobs(emu, 2, 2))
        for job in ("sha256", "gzip", "sort"):
            t1 = med([r[job] for r in one])
            t2 = med([r[job] for r in two])
            gain = 2 * t1 / t2 if t2 else float("nan")
            rows.append("| %s %s: 1 job on -smp 1 / 2 jobs on -smp 2 | %.2f s | %.2f s | %.2fx throughput |"
                        % (label, job, t1, t2, gain))
    return rows


# The guest jobs (guest/init-bench), each booted on its own so that its row
# also gets the peak RSS of the host process that ran it.
JOBS = ["sha256", "gzip", "sort", "fp_awk", "fp_fft", "forkexec", "pipe", "tmpfs"]


def run_job(emu, job):
    append = "console=ttyS0 quiet benchjobs=%s" % job
    wall, cpu, rss, out = measure(command(emu, "bench.cpio.gz", append))
    m = re.search(r"bench: %s ([0-9.]+) " % job, out)
    if not m:
        sys.exit("bench: %s did not report %s:\n%s" % (emu, job, out[-1500:]))
    return float(m.group(1)), rss


def bench_workload(rivet, runs, jobs):
    rows = []
    for job in jobs:
        res = {rivet: [], QEMU: []}
        for _ in range(runs):
            for emu in (rivet, QEMU):
                res[emu].append(run_job(emu, job))
        r = res[rivet]
        q = res[QEMU]
        rows.append(row("guest %s (timed in guest)" % job, med([x[0] for x in r]),
                        med([x[0] for x in q]), "s"))
        rows.append(row("guest %s: peak RSS" % job, med([x[1] for x in r]),
                        med([x[1] for x in q]), "MiB", "%.0f"))
    return rows


IO_JOBS = {"disk_write": "written", "disk_read": "read", "net_http": "fetched"}
IO_MIB = {"disk_write": 256, "disk_read": 256, "net_http": 64}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def io_command(emu, disk, port):
    devices = ["-drive", "file=%s,if=none,id=d0,format=raw" % disk,
               "-device", "virtio-blk-device,drive=d0",
               "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"]
    append = "console=ttyS0 quiet benchjobs=%s benchport=%d" % (",".join(IO_JOBS), port)
    return command(emu, "bench.cpio.gz", append) + devices


def run_io(emu, disk, port):
    out = measure(io_command(emu, disk, port))[3]
    times = {}
    for job, word in IO_JOBS.items():
        m = re.search(r"bench: %s ([0-9.]+) %s" % (job, word), out)
        if not m:
            sys.exit("bench: %s did not finish %s:\n%s" % (emu, job, out[-1500:]))
        times[job] = float(m.group(1))
    return times


def bench_io(rivet, runs):
    """virtio-blk and virtio-net throughput, each emulator on a fresh sparse
    288 MiB raw image and the same 64 MiB file served on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="rivet-bench-") as tmp:
        with open(os.path.join(tmp, "blob"), "wb") as f:
            f.write(os.urandom(64 << 20))
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(QuietHandler, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        res = {rivet: [], QEMU: []}
        try:
            for i in range(runs):
                for emu in (rivet, QEMU):
                    disk = os.path.join(tmp, "disk.img")
                    with open(disk, "wb") as f:
                        f.truncate(288 << 20)
                    res[emu].append(run_io(emu, disk, port))
                    os.unlink(disk)
        finally:
            server.shutdown()
    rows = []
    for job in IO_JOBS:
        r, q = med([x[job] for x in res[rivet]]), med([x[job] for x in res[QEMU]])
        rows.append("| guest %s, %d MiB: time (MiB/s) | %.2f s (%.0f) | %.2f s (%.0f) | %.2fx |"
                    % (job, IO_MIB[job], r, IO_MIB[job] / r, q, IO_MIB[job] / q, r / q))
    return rows


PROMPT = re.compile(rb"[~/][^\r\n#]* # ")


def boot_to_prompt(emu):
    """Seconds from start until the shell prompt, and the peak RSS."""
    argv = command(emu, "rootfs.cpio.gz", "console=ttyS0 quiet")
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    seen = b""
    while not PROMPT.search(seen):
        chunk = os.read(p.stdout.fileno(), 4096)
        if not chunk:
            sys.exit("bench: %s ended before the prompt:\n%s" % (emu, seen[-1500:]))
        seen += chunk
    took = time.monotonic() - t0
    p.stdin.write(b"poweroff\n")
    p.stdin.flush()
    p.stdout.read()
    _, _, ru = os.wait4(p.pid, 0)
    return took, ru.ru_maxrss / 1024


def bench_prompt(rivet, runs):
    res = {rivet: [], QEMU: []}
    for _ in range(runs):
        for emu in (rivet, QEMU):
            res[emu].append(boot_to_prompt(emu))
    return [row("boot to shell prompt: wall", med([x[0] for x in res[rivet]]),
                med([x[0] for x in res[QEMU]]), "s", "%.3f"),
            row("boot to shell prompt: peak RSS", med([x[1] for x in res[rivet]]),
                med([x[1] for x in res[QEMU]]), "MiB", "%.0f")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rivet")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workload-runs", type=int, default=1)
    ap.add_argument("--only", choices=["boot", "workload", "smp", "hyp", "io"])
    ap.add_argument("--jobs", default=",".join(JOBS),
                    help="guest jobs for the workload rows (default: all: %s)" % ",".join(JOBS))
    a = ap.parse_args()
    qv = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print("rivet %s vs %s; guest in %s" % (a.rivet, qv, GUEST))
    print("| measure | rivet | QEMU | rivet/QEMU |\n|---|---|---|---|")
    if a.only in (None, "boot"):
        for r in bench_boot(a.rivet, a.runs) + bench_prompt(a.rivet, a.runs):
            print(r, flush=True)
    if a.only in (None, "workload"):
        for r in bench_workload(a.rivet, a.workload_runs, a.jobs.split(",")):
            print(r, flush=True)
    if a.only in (None, "smp"):
        for smp in (2, 4):
            for r in bench_boot(a.rivet, a.runs, smp):
                print(r, flush=True)
        print("| SMP throughput | one job | two jobs | gain |", flush=True)
        for r in bench_smp_throughput(a.rivet, a.workload_runs):
            print(r, flush=True)
    if a.only in (None, "io"):
        for r in bench_io(a.rivet, a.runs):
            print(r, flush=True)
    if a.only in (None, "hyp"):
        for r in bench_hyp(a.rivet, a.runs):
            print(r, flush=True)


if __name__ == "__main__":
    main()
