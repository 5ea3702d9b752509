#!/usr/bin/env python3
"""Guest-behaviour fuzzing: generate hostile bare-metal programs (gen.py),
run each on rivet and check the invariants, and compare what the
architecture defines with QEMU.  See tests/guestfuzz/README.md.

usage: run.py RIVET [N] [SEED] [--jobs J] [--timeout SEC] [--no-qemu]
              [--first I] [--keep]

Programs I..I+N-1 of seed SEED (default N=12, SEED=1, I=0).  Prints
"PASS guestfuzz/s<SEED>-<I>" or "FAIL guestfuzz/s<SEED>-<I>: <reason>" per
program, then "guestfuzz: P passed, F failed".  Invariants on rivet:
no crash (signal), no sanitizer report, no other stderr output, exit
status 0 through the test finisher or HTIF within the time budget, the
program's end reached ("==gf-end"); a program that ends in a deliberate
M-mode trap loop ("==gf-hang") must exit within 1 s of SIGTERM.  Then the
records are compared with QEMU's (cached by ELF hash in qemu-cache/).
"""

import argparse
import concurrent.futures
import hashlib
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CC = "riscv64-unknown-elf-gcc"
NM = "riscv64-unknown-elf-nm"
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
CFLAGS = ["-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany", "-nostdlib", "-nostartfiles",
          "-I", HERE, "-T", os.path.join(HERE, "link.ld"), "-Wl,--no-relax",
          "-Wl,--no-warn-rwx-segments"]
SAN_RE = re.compile(rb"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|"
                    rb"ERROR: |SUMMARY: ")
OUT_CAP = 4 << 20

sys.path.insert(0, HERE)
import gen  # noqa: E402  (for the region map)


def build(seed, idx, work):
    name = "s%d-%d" % (seed, idx)
    src = os.path.join(work, name + ".S")
    elf = os.path.join(work, name + ".elf")
    text = gen.Gen(seed, idx).program()
    old = None
    if os.path.exists(src):
        with open(src) as f:
            old = f.read()
    if old != text:
        with open(src, "w") as f:
            f.write(text)
    deps = [src] + [os.path.join(HERE, n) for n in ("gf_rt.S", "gf.h", "link.ld")]
    if not os.path.exists(elf) or any(os.path.getmtime(d) >= os.path.getmtime(elf) for d in deps):
        r = subprocess.run([CC] + CFLAGS + ["-o", elf + ".tmp", os.path.join(HERE, "gf_rt.S"), src],
                           capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError("build failed: " + r.stderr[:500])
        os.replace(elf + ".tmp", elf)
    return name, elf


def symbols(elf):
    out = subprocess.run([NM, elf], capture_output=True, text=True, check=True).stdout
    cls, ncep, syms = {}, set(), {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, _, sym = int(parts[0], 16), parts[1], parts[2]
        syms[sym] = addr
        m = re.match(r"gf_(nc|nt|amo|amont)_\d+$", sym)
        if m:
            cls[addr] = m.group(1)
        m = re.match(r"gf_ncep_(\d+)$", sym)
        if m:
            ncep.add(int(m.group(1)))
    return cls, ncep, syms


def run_emu(cmd, out_path, timeout, hang):
    """Run one emulator; returns (rc, seconds, note).  rc None = still
    running at the budget (killed).  For hang programs, SIGTERM once the
    output shows "==gf-hang"; note says how it ended."""
    t0 = time.monotonic()
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             start_new_session=True)
        note = ""
        termed = None
        while True:
            try:
                rc = p.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if termed is not None:
                if now - termed > 1.0:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    return None, now - t0, "still running 1 s after SIGTERM"
                continue
            if now - t0 > timeout:
                p.send_signal(signal.SIGTERM)
                termed = now
                note = "timeout"
                continue
            if hang and os.path.getsize(out_path) > 0:
                with open(out_path, "rb") as f:
                    f.seek(max(0, os.path.getsize(out_path) - 64))
                    if b"==gf-hang" in f.read():
                        time.sleep(0.2)
                        p.send_signal(signal.SIGTERM)
                        termed = time.monotonic()
                        note = "sigterm"
            if os.path.getsize(out_path) > OUT_CAP:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                return None, now - t0, "more than %d bytes of output" % OUT_CAP
    return rc, time.monotonic() - t0, note


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    i = data.rfind(b"\n==gf-sig\n")
    if i < 0:
        return None
    j = data.find(b"==gf-end\n", i)
    if j < 0:
        return None
    recs = []
    for line in data[i + 10:j].decode("latin-1").splitlines():
        vals = [int(v, 16) for v in line.split()]
        hdr = vals[0]
        recs.append((hdr >> 56, (hdr >> 16) & 0xffff, vals[1:]))
    return recs


def normalise(recs, cls, ncep, syms):
    """Keep what the architecture defines.  Returns (list, watchdog eps)."""
    gs, ge = syms["gen_text_start"], syms["gen_text_end"]
    wd = {ep for kind, ep, v in recs if kind == 1 and v[0] >> 63}
    out = []
    for kind, ep, v in recs:
        if ep in ncep or ep in wd:
            continue
        if kind in (1, 2):
            cause, tval, epc, st = v
            if cause >> 63:
                continue            # S-level interrupts: timing
            if kind == 1 and cause == 11:
                continue            # the SC self-check (QEMU fails it on the MROM)
            c = cls.get(epc, "")
            if syms["_start"] < epc < gs or syms["_start"] + 0x40000000 <= epc < gs + 0x40000000:
                continue            # in the runtime: the S handler on a bad sscratch
            if not gs <= epc < ge:
                k = gen.region(epc)[2]
                if k in ("dev", "clint", "qemu-only"):
                    continue        # QEMU executes device memory, rivet faults
            if c == "nc":
                continue
            if c in ("nt", "amont"):
                tval = 0
            if c in ("amo", "amont"):
                cause = {4: 6, 5: 7, 13: 15}.get(cause, cause)
            if cause == 3 and tval == epc:
                tval = 0
            st = (st >> 11) & 3 if kind == 1 else (st >> 8) & 1
            out.append((kind, ep, (cause, tval, epc, st)))
        else:
            out.append((kind, ep, tuple(v)))
    return out, wd


def describe(r):
    if r is None:
        return "<end>"
    kind, ep, v = r
    if kind in (1, 2):
        return "ep %d %s trap cause=%#x tval=%#x epc=%#x prev=%d" % ((ep, "M" if kind == 1 else "S") + v)
    if kind == 3:
        return "ep %d dump %s" % (ep, " ".join("x%d=%#x" % (i + 5, x) for i, x in enumerate(v)))
    return "ep %d %s %s" % (ep, kind, v)


def compare(a, b):
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            if x and y and x[0] == 3 and y[0] == 3:
                d = [("x%d" % (k + 5), p, q) for k, (p, q) in enumerate(zip(x[2], y[2])) if p != q]
                return "ep %d dump: %s" % (x[1], ", ".join("%s qemu %#x rivet %#x" % t for t in d[:3]))
            return "qemu %s vs rivet %s" % (describe(x), describe(y))
    return None


def one(args, idx, work):
    seed = args.seed
    try:
        name, elf = build(seed, idx, work)
    except RuntimeError as e:
        return "FAIL guestfuzz/s%d-%d: %s" % (seed, idx, e)
    cls, ncep, syms = symbols(elf)
    with open(elf, "rb") as f:
        blob = f.read()
    hang = False
    with open(os.path.join(work, name + ".S")) as f:
        hang = "gf_end_mode: .dword 1" in f.read()
    tag = "guestfuzz/" + name
    rout = os.path.join(work, name + ".rivet")
    rc, secs, note = run_emu([args.rivet, "-M", "virt", "-bios", "none", "-kernel", elf, "-nographic"],
                             rout, args.timeout, hang)
    with open(rout + ".err", "rb") as f:
        err = f.read()
    if SAN_RE.search(err):
        lines = [l for l in err.splitlines() if SAN_RE.search(l)]
        line = next((l for l in lines if l.startswith(b"SUMMARY:") or b"ERROR:" in l), lines[0])
        return "FAIL %s: sanitizer: %s" % (tag, re.sub(r"^==\d+==", "", line.decode("latin-1"))[:200])
    if rc is None:
        return "FAIL %s: %s (%.1f s)" % (tag, note, secs)
    if rc < 0:
        return "FAIL %s: killed by signal %d (%s)" % (tag, -rc, err[-200:].decode("latin-1").strip())
    if hang:
        if note != "sigterm":
            return "FAIL %s: a hang program ended by itself (exit %d, %s)" % (tag, rc, note)
    elif note == "timeout":
        return "FAIL %s: still running after %d s (exit %d after SIGTERM)" % (tag, args.timeout, rc)
    elif rc != 0:
        return "FAIL %s: exit status %d: %s" % (tag, rc, err[-200:].decode("latin-1").strip())
    if not hang and err.strip():
        return "FAIL %s: stderr: %s" % (tag, err[:200].decode("latin-1").strip())
    rrec = records(rout)
    if rrec is None:
        return "FAIL %s: the program did not reach its end (no ==gf-end)" % tag
    bad = [v for k, e, v in rrec if k == 1 and v[0] == 11]
    if bad:
        return "FAIL %s: an SC reported success but memory does not hold its value (pc %#x)" % (
            tag, bad[0][2])
    if args.no_qemu:
        return "PASS %s (%d records, no QEMU)" % (tag, len(rrec))
    key = hashlib.sha256(blob + b"v1").hexdigest()[:32]
    qout = os.path.join(work, "qemu-cache", key)
    if not os.path.exists(qout + ".done"):
        qrc, _, qnote = run_emu([QEMU, "-M", "virt", "-bios", "none", "-kernel", elf, "-display", "none",
                                 "-monitor", "none", "-serial", "stdio"], qout, 60, hang)
        if qrc is None or (not hang and (qrc != 0 or qnote)) or records(qout) is None:
            return "FAIL %s: QEMU did not finish the program (%s, exit %s)" % (tag, qnote, qrc)
        open(qout + ".done", "w").close()
    qrec = records(qout)
    qn, qwd = normalise(qrec, cls, ncep, syms)
    rn, rwd = normalise(rrec, cls, ncep, syms)
    if qwd != rwd:
        only = sorted((qwd ^ rwd) - ncep)
        if only:
            return "FAIL %s: watchdog (a loop in S/U) in episode(s) %s on %s only" % (
                tag, only, "QEMU" if set(only) <= qwd else "rivet")
        common = qwd | rwd
        qn = [r for r in qn if r[1] not in common]
        rn = [r for r in rn if r[1] not in common]
    why = compare(qn, rn)
    if why:
        return "FAIL %s: differs from QEMU: %s" % (tag, why)
    if not args.keep:
        for ext in (".rivet", ".rivet.err"):
            try:
                os.remove(os.path.join(work, name + ext))
            except OSError:
                pass
    return "PASS %s (%d records compared%s)" % (tag, len(rn), ", hang+SIGTERM" if hang else "")


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("rivet")
    ap.add_argument("n", nargs="?", type=int, default=12)
    ap.add_argument("seed", nargs="?", type=int, default=1)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--no-qemu", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep rivet's outputs of passing programs")
    args = ap.parse_args()
    args.rivet = os.path.abspath(args.rivet)
    if not os.access(args.rivet, os.X_OK):
        print("run.py: %s is not an executable" % args.rivet, file=sys.stderr)
        return 2
    work = os.environ.get("GUESTFUZZ_OUT", os.path.join(ROOT, "build", "tests", "guestfuzz"))
    os.makedirs(os.path.join(work, "qemu-cache"), exist_ok=True)
    t0 = time.monotonic()
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        futs = [ex.submit(one, args, i, work) for i in range(args.first, args.first + args.n)]
        for f in futs:
            line = f.result()
            print(line, flush=True)
            if line.startswith("PASS"):
                passed += 1
            else:
                failed += 1
    print("guestfuzz: %d passed, %d failed (seed %d, programs %d..%d, %.0f s)" % (
        passed, failed, args.seed, args.first, args.first + args.n - 1, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
