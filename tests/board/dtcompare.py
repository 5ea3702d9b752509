#!/usr/bin/env python3
"""Device-tree comparison: rivet's `-M virt,dumpdtb=` against QEMU's.

usage: dtcompare.py RIVET SPEC_DIR WORK_DIR [--selftest]

The references are QEMU 7.2's own trees in SPEC_DIR (decompiled text), plus
live `qemu-system-riscv64` dumps where no stored tree exists (aclint=on).
Both sides are reduced to {node path: {property: bytes}} and must agree
except for the ALLOW-LIST below, every entry of which says what rivet
must have instead, so nothing is ignored wholesale.

Prints one `PASS board/<name>`, `FAIL board/<name>: <reason>` or
`SKIP board/<name>: <reason>` line per test; exits 1 if any failed.
--selftest instead mutates good trees and checks that the comparison
notices each mutation (a comparison that cannot fail proves nothing).
"""
import fnmatch
import os
import re
import shutil
import struct
import subprocess
import sys

RANDOM32 = object()   # the stored QEMU trees print rng-seed as "<32 random bytes>"

# ---------------------------------------------------------------------------
# ALLOW-LIST of expected rivet-vs-QEMU-7.2 differences.

# rivet's hart: its own ISA string (spec §2.2 "your emulator must put its own
# ISA string here"), and the 10.x mmu-type (7.2 says sv48).
RIVET_ISA = "rv64imafdc_zicntr_zicsr_zifencei_zihintpause_zihpm_zba_zbb_zbc_zbs_sstc"


def isa_extension_list(isa):
    """riscv,isa-extensions as 10.x derives it from riscv,isa."""
    base, *multi = isa.split("_")
    return list(base[4:]) + multi


def strs(*items):
    return b"".join(s.encode() + b"\0" for s in items)


def u32(*cells):
    return b"".join(struct.pack(">I", c) for c in cells)


# Devices rivet does not emulate: their nodes may be absent (spec §4.7: drop
# the node of an unemulated device). If rivet grows one of them, the node is
# compared with QEMU's like any other.
NOT_EMULATED = {
    "/pmu", "/fw-cfg@10100000", "/flash@20000000", "/platform-bus@4000000",
    "/soc/pci@30000000",
}
# (The eight /soc/virtio_mmio@1000N000 transports are emulated, empty ones
# reading DeviceID 0 as on QEMU: they are compared like any other node.)

# Properties whose QEMU 7.2 value rivet replaces by a fixed expected value.
OVERRIDE = {
    ("/cpus/cpu@*", "riscv,isa"): strs(RIVET_ISA),
    ("/cpus/cpu@*", "mmu-type"): strs("riscv,sv57"),
    # VIRT_IRQCHIP_NUM_SOURCES - 1 in 10.x; 7.2 wrote 96 (spec §7).
    ("/soc/plic@c000000", "riscv,ndev"): u32(95),
}

# Properties 10.x writes and 7.2 does not (spec §7), with rivet's values.
EXTRA_PROPS = {
    ("/cpus/cpu@*", "riscv,isa-base"): strs("rv64i"),
    ("/cpus/cpu@*", "riscv,isa-extensions"): strs(*isa_extension_list(RIVET_ISA)),
}

# Nodes 10.x creates and 7.2 does not (spec §7), with their exact contents.
EXTRA_NODES = {
    "/aliases": {"serial0": strs("/soc/serial@10000000")},
}

# Same meaning, different encoding: 10.x writes u64 (2 cells), 7.2 u32.
INITRD_PROPS = {"linux,initrd-start", "linux,initrd-end"}
# ---------------------------------------------------------------------------


def parse_value(text):
    """A dtc property value (strings, <cells>, [bytes], comma-separated)."""
    out, i = b"", 0
    while i < len(text):
        c = text[i]
        if c in " ,\t":
            i += 1
        elif c == '"':
            i += 1
            s = bytearray()
            while text[i] != '"':
                if text[i] == "\\":
                    i += 1
                    e = text[i]
                    if e in "01234567":
                        j = i
                        while j < len(text) and j < i + 3 and text[j] in "01234567":
                            j += 1
                        s.append(int(text[i:j], 8))
                        i = j
                        continue
                    if e == "x":
                        s.append(int(text[i + 1:i + 3], 16))
                        i += 3
                        continue
                    s += {"n": b"\n", "t": b"\t", "r": b"\r", "a": b"\a", "b": b"\b",
                          "v": b"\v", "f": b"\f"}.get(e, e.encode())
                    i += 1
                else:
                    s += text[i].encode()
                    i += 1
            out += bytes(s) + b"\0"
            i += 1
        elif c == "<":
            j = text.index(">", i)
            out += b"".join(struct.pack(">I", int(w, 0)) for w in text[i + 1:j].split())
            i = j + 1
        elif c == "[":
            j = text.index("]", i)
            out += bytes.fromhex(text[i + 1:j].replace(" ", ""))
            i = j + 1
        else:
            raise ValueError("cannot parse value %r at %r" % (text, text[i:]))
    return out


def parse_dts(text):
    """dtc's decompiled output -> {path: {prop: bytes}}; one item per line."""
    tree, stack = {}, []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line == "/dts-v1/;" or line.startswith("/memreserve/"):
            continue
        m = re.fullmatch(r"(\S+) \{", line)
        if m:
            name = m.group(1)
            path = "/" if name == "/" else (stack[-1].rstrip("/") + "/" + name)
            if path in tree:
                raise ValueError("line %d: duplicate node %s" % (lineno, path))
            tree[path] = {}
            stack.append(path)
            continue
        if line == "};":
            stack.pop()
            continue
        m = re.fullmatch(r"(\S+?)(?: = (.*))?;", line)
        if not m or not stack:
            raise ValueError("line %d: cannot parse %r" % (lineno, raw))
        name, val = m.group(1), m.group(2)
        props = tree[stack[-1]]
        if name in props:
            raise ValueError("line %d: duplicate property %s" % (lineno, name))
        if val is None:
            props[name] = b""
        elif name == "rng-seed" and val == "<32 random bytes>":
            props[name] = RANDOM32
        else:
            props[name] = parse_value(val)
    if stack:
        raise ValueError("unbalanced braces")
    return tree


def fmt(v):
    if v is RANDOM32:
        return "<32 random bytes>"
    if v is None:
        return "(absent)"
    if len(v) and v[0] and v.endswith(b"\0") and b"\0\0" not in v \
            and all(32 <= b < 127 or b == 0 for b in v[:-1]):
        return repr(v[:-1].decode().replace("\0", '","'))
    if len(v) % 4 == 0:
        return "<" + " ".join("0x%x" % c for c in struct.unpack(">%dI" % (len(v) // 4), v)) + ">"
    return "[" + v.hex() + "]"


def lookup(table, path, prop):
    for (pat, p), v in table.items():
        if p == prop and fnmatch.fnmatchcase(path, pat):
            return v
    return None


def compare(qemu, rivet):
    """Differences not covered by the allow-list, as readable strings."""
    errs = []
    for path in sorted(set(qemu) | set(rivet)):
        if path not in rivet:
            if path not in NOT_EMULATED:
                errs.append("node %s missing" % path)
            continue
        if path not in qemu:
            want = EXTRA_NODES.get(path)
            if want is None:
                errs.append("unexpected node %s" % path)
            elif rivet[path] != want:
                errs.append("node %s is %s, expected %s" % (
                    path, {k: fmt(v) for k, v in rivet[path].items()},
                    {k: fmt(v) for k, v in want.items()}))
            continue
        q, r = qemu[path], rivet[path]
        for prop in sorted(set(q) | set(r)):
            qv, rv = q.get(prop), r.get(prop)
            where = "%s:%s" % (path, prop)
            want = lookup(OVERRIDE, path, prop)
            if want is None:
                want = lookup(EXTRA_PROPS, path, prop)
            if want is not None:
                if rv != want:
                    errs.append("%s is %s, expected %s" % (where, fmt(rv), fmt(want)))
            elif prop == "rng-seed" and qv is RANDOM32:
                if rv is None or len(rv) != 32:
                    errs.append("%s is %s, expected 32 bytes" % (where, fmt(rv)))
            elif prop in INITRD_PROPS and qv is not None:
                if rv is None or len(rv) != 8 or int.from_bytes(rv, "big") != int.from_bytes(qv, "big"):
                    errs.append("%s is %s, expected 2 cells of value %s" % (where, fmt(rv), fmt(qv)))
            elif qv != rv:
                errs.append("%s is %s, QEMU has %s" % (where, fmt(rv), fmt(qv)))
    return errs


# ---------------------------------------------------------------------------
# Running rivet and dtc.

class Fail(Exception):
    pass


def one_line(text, limit=300):
    """stderr squeezed into the single FAIL line (sanitizer reports are long)."""
    t = " | ".join(l.strip() for l in text.strip().splitlines() if l.strip())
    return t if len(t) <= limit else t[:limit] + "..."


def dtc_text(dtb_path):
    # rng-seed is random: dtc may print it as a "string" of arbitrary bytes.
    p = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", dtb_path],
                       capture_output=True, text=True, errors="surrogateescape", timeout=20)
    if p.returncode:
        raise Fail("dtc cannot decompile %s: %s" % (dtb_path, one_line(p.stderr)))
    return p.stdout


def check_header(blob):
    """The FDT header fields the spec fixes (§2.3 end)."""
    if len(blob) < 40:
        raise Fail("DTB shorter than its header")
    magic, total, off_struct, off_strings, off_rsv, version, last_comp, cpuid = \
        struct.unpack(">8I", blob[:32])
    if magic != 0xd00dfeed:
        raise Fail("DTB magic 0x%x" % magic)
    if (version, last_comp, cpuid) != (17, 16, 0):
        raise Fail("DTB version/last_comp_version/boot_cpuid_phys %d/%d/%d, expected 17/16/0"
                   % (version, last_comp, cpuid))
    if total != len(blob):
        raise Fail("DTB totalsize %d but %d bytes were dumped" % (total, len(blob)))
    if blob[off_rsv:off_rsv + 16] != bytes(16):
        raise Fail("DTB has memory reservations (spec: none)")


def rivet_dump(rivet, work, name, args):
    path = os.path.join(work, name + ".dtb")
    if os.path.exists(path):
        os.unlink(path)
    p = subprocess.run([rivet, "-M", "virt,dumpdtb=" + path] + args,
                       capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    if p.returncode != 0 or not os.path.exists(path):
        raise Fail("rivet %s: exit %d: %s" % (" ".join(args), p.returncode, one_line(p.stderr)))
    with open(path, "rb") as f:
        blob = f.read()
    check_header(blob)
    return blob, parse_dts(dtc_text(path))


def spec_tree(spec_dir, name):
    with open(os.path.join(spec_dir, name)) as f:
        return parse_dts(f.read())


def fail_diff(errs, limit=4):
    more = " (+%d more)" % (len(errs) - limit) if len(errs) > limit else ""
    raise Fail("; ".join(errs[:limit]) + more)


# ---------------------------------------------------------------------------
# -smp 4 reference reduced to one hart.

def phandle_scheme(n):
    """Spec §2.1: cpu k = 2(N-1-k)+1, its intc +1, PLIC 2N+1, test 2N+2."""
    m = {}
    for k in range(n):
        m[("cpu", k)] = 2 * (n - 1 - k) + 1
        m[("intc", k)] = 2 * (n - 1 - k) + 2
    m["plic"], m["test"] = 2 * n + 1, 2 * n + 2
    return m


def project_to_one_hart(tree, n):
    """Hart 0's view of an n-hart tree: other harts' nodes and interrupt
    tuples removed, phandles renumbered as the scheme gives them for 1 hart."""
    old, new = phandle_scheme(n), phandle_scheme(1)
    remap = {old[k]: new[k] for k in new}
    drop_intc = {old[("intc", k)] for k in range(1, n)}

    def cells(v):
        return list(struct.unpack(">%dI" % (len(v) // 4), v))

    out = {}
    for path, props in tree.items():
        if re.fullmatch(r"/cpus/cpu@[1-9][0-9]*(/.*)?", path) or \
                re.fullmatch(r"/cpus/cpu-map/cluster0/core[1-9][0-9]*", path):
            continue
        np = {}
        for prop, v in props.items():
            if prop in ("phandle", "interrupt-parent", "regmap", "cpu"):
                v = u32(*[remap[c] for c in cells(v)])
            elif prop == "interrupts-extended":
                c = cells(v)
                pairs = [(c[i], c[i + 1]) for i in range(0, len(c), 2)]
                v = u32(*[x for p, irq in pairs if p not in drop_intc for x in (remap[p], irq)])
            elif prop == "interrupt-map":
                c = cells(v)    # <child-addr(3) pin(1) phandle(1) irq(1)> entries
                for i in range(4, len(c), 6):
                    c[i] = remap[c[i]]
                v = u32(*c)
            np[prop] = v
        out[path] = np
    return out


# ---------------------------------------------------------------------------
# Tests.

def test_default(rivet, spec, work):
    _, r = rivet_dump(rivet, work, "default", [])
    errs = compare(spec_tree(spec, "qemu-7.2-virt-default.dts"), r)
    if errs:
        fail_diff(errs)


def make_file(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


def align_up(v, a):
    return (v + a - 1) // a * a


def default_fw_size():
    # The firmware rivet loads for -bios default (the first one it finds).
    for p in ("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
              "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin"):
        if os.path.exists(p):
            return os.path.getsize(p)
    raise Fail("no OpenSBI fw_dynamic.bin found")


def initrd_expect(kernel_low, ram, size):
    """Spec §3.5 (10.x): start = image_low_addr + MIN(ram/2, 512 MiB)."""
    start = kernel_low + min(ram // 2, 512 << 20)
    return start, start + size


def chosen_initrd(tree):
    c = tree.get("/chosen", {})
    return tuple(int.from_bytes(c[p], "big") if p in c else None
                 for p in ("linux,initrd-start", "linux,initrd-end"))


def test_kernel_initrd(rivet, spec, work):
    # QEMU's dump used a real kernel and a 0x1183b2-byte initrd; an initrd
    # of the same size makes the expected addresses identical to QEMU's.
    qemu = spec_tree(spec, "qemu-7.2-virt-256M-kernel-initrd-append.dts")
    kernel, initrd = os.path.join(work, "kernel.bin"), os.path.join(work, "initrd.img")
    make_file(kernel, 64 << 10)
    make_file(initrd, 0x1183b2)
    _, r = rivet_dump(rivet, work, "kernel-initrd",
                      ["-m", "256M", "-kernel", kernel, "-initrd", initrd,
                       "-append", "console=ttyS0"])
    errs = compare(qemu, r)
    want = initrd_expect(align_up(0x80000000 + default_fw_size(), 2 << 20), 256 << 20, 0x1183b2)
    if chosen_initrd(r) != want:
        errs.append("initrd at %s, spec §3.5 gives %s" % (
            tuple(hex(x) if x is not None else None for x in chosen_initrd(r)), tuple(map(hex, want))))
    if errs:
        fail_diff(errs)


def write_elf(path, paddr, entry, size):
    """A one-segment RISC-V ELF64 (for the image_low_addr rule)."""
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 243, 1,
                       entry, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0x1000, paddr, paddr, size, size, 0x1000)
    with open(path, "wb") as f:
        f.write(ehdr + phdr + bytes(0x1000 - 120) + b"\x13\0\0\0" * (size // 4))


def test_initrd_placement(rivet, spec, work):
    """Where rivet puts the initrd in cases the stored trees do not cover
    (7.2 and 10.x differ for big RAM; rivet follows 10.x, spec §3.5)."""
    kernel, initrd = os.path.join(work, "kernel.bin"), os.path.join(work, "initrd.img")
    elf = os.path.join(work, "kernel.elf")
    make_file(kernel, 64 << 10)
    make_file(initrd, 12345)
    write_elf(elf, 0x80600000, 0x80600100, 0x1000)
    fw_k = align_up(0x80000000 + default_fw_size(), 2 << 20)
    cases = [
        ("1G", ["-m", "1G", "-kernel", kernel], initrd_expect(fw_k, 1 << 30, 12345)),
        ("8G", ["-m", "8G", "-kernel", kernel], initrd_expect(fw_k, 8 << 30, 12345)),
        ("elf", ["-m", "256M", "-kernel", elf], initrd_expect(0x80600000, 256 << 20, 12345)),
        ("bios-none", ["-bios", "none", "-kernel", kernel],
         initrd_expect(0x80000000, 128 << 20, 12345)),
    ]
    errs = []
    for name, args, want in cases:
        _, r = rivet_dump(rivet, work, "initrd-" + name, args + ["-initrd", initrd])
        got = chosen_initrd(r)
        if got != want:
            errs.append("%s: initrd at %s, expected %s" % (
                name, tuple(hex(x) if x is not None else None for x in got), tuple(map(hex, want))))
        if "bootargs" in r.get("/chosen", {}):
            errs.append("%s: bootargs without -append" % name)
    # An empty -append adds no bootargs (spec §2.3).
    _, r = rivet_dump(rivet, work, "empty-append", ["-kernel", kernel, "-append", ""])
    if "bootargs" in r.get("/chosen", {}):
        errs.append("-append '' wrote bootargs")
    _, r = rivet_dump(rivet, work, "append", ["-kernel", kernel, "-append", "a b=c  d"])
    if r.get("/chosen", {}).get("bootargs") != strs("a b=c  d"):
        errs.append("-append 'a b=c  d' gave bootargs %s" % fmt(r.get("/chosen", {}).get("bootargs")))
    if errs:
        fail_diff(errs)


def test_smp4(rivet, spec, work):
    qemu4 = spec_tree(spec, "qemu-7.2-virt-smp4-1G.dts")
    p = subprocess.run([rivet, "-M", "virt,dumpdtb=" + os.path.join(work, "smp4.dtb"),
                        "-smp", "4", "-m", "1G"], capture_output=True, text=True, timeout=20)
    if p.returncode == 0:
        # rivet has grown SMP: compare the whole tree.
        _, r = rivet_dump(rivet, work, "smp4", ["-smp", "4", "-m", "1G"])
        errs = compare(qemu4, r)
        if errs:
            fail_diff(errs)
        return "compared all 4 harts"
    lines = p.stderr.strip().splitlines()
    if p.returncode != 1 or len(lines) != 1 or not lines[0].startswith("rivet: ") \
            or "-smp" not in lines[0]:
        raise Fail("-smp 4 refused badly (exit %d, stderr: %s)" % (p.returncode, one_line(p.stderr)))
    one = project_to_one_hart(qemu4, 4)
    # The projection must turn the 4-hart tree into the 1-hart default tree
    # (apart from the RAM size), or it would be comparing against nonsense.
    check = {k: dict(v) for k, v in one.items()}
    check["/memory@80000000"]["reg"] = u32(0, 0x80000000, 0, 0x8000000)
    default = spec_tree(spec, "qemu-7.2-virt-default.dts")
    if check != default:
        bad = sorted(k for k in set(check) | set(default) if check.get(k) != default.get(k))
        raise Fail("1-hart projection of the smp4 tree differs from the default tree at %s" % bad)
    _, r = rivet_dump(rivet, work, "1G", ["-m", "1G"])
    errs = compare(one, r)
    if errs:
        fail_diff(errs)
    return None


def test_rng_seed(rivet, spec, work):
    a, ta = rivet_dump(rivet, work, "seed-a", [])
    b, tb = rivet_dump(rivet, work, "seed-b", [])
    sa, sb = ta["/chosen"].get("rng-seed"), tb["/chosen"].get("rng-seed")
    if sa is None or sb is None or len(sa) != 32 or len(sb) != 32:
        raise Fail("rng-seed is not 32 bytes: %s / %s" % (fmt(sa), fmt(sb)))
    if sa == sb:
        raise Fail("two dumps have the same rng-seed %s" % fmt(sa))
    del ta["/chosen"]["rng-seed"], tb["/chosen"]["rng-seed"]
    if ta != tb:
        raise Fail("two dumps differ in more than rng-seed")


def test_aclint(rivet, spec, work):
    """aclint=on has no stored tree: compare with a live QEMU dump."""
    qemu = shutil.which("qemu-system-riscv64")
    if not qemu:
        return "SKIP", "qemu-system-riscv64 not found"
    path = os.path.join(work, "qemu-aclint.dtb")
    p = subprocess.run([qemu, "-M", "virt,aclint=on,dumpdtb=" + path, "-display", "none"],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    if p.returncode or not os.path.exists(path):
        raise Fail("QEMU dumpdtb failed: %s" % one_line(p.stderr))
    q = parse_dts(dtc_text(path))
    q["/chosen"]["rng-seed"] = RANDOM32
    _, r = rivet_dump(rivet, work, "aclint", ["-M", "virt,aclint=on"])
    errs = compare(q, r)
    if errs:
        fail_diff(errs)
    return None


TESTS = [
    ("dt-default", test_default),
    ("dt-kernel-initrd-append", test_kernel_initrd),
    ("dt-initrd-placement", test_initrd_placement),
    ("dt-smp4", test_smp4),
    ("dt-rng-seed", test_rng_seed),
    ("dt-aclint", test_aclint),
]


# ---------------------------------------------------------------------------
# Self-test: each mutation of a good tree must be reported.

def selftest(rivet, spec, work):
    qemu = spec_tree(spec, "qemu-7.2-virt-default.dts")
    _, good = rivet_dump(rivet, work, "selftest", [])
    text = dtc_text(os.path.join(work, "selftest.dtb"))
    if compare(qemu, good):
        raise Fail("the unmodified default tree does not compare clean: %s" % compare(qemu, good))

    def sub(old, new):
        if old not in text:
            raise Fail("selftest: %r not found in rivet's tree" % old)
        return parse_dts(text.replace(old, new, 1))

    def drop_line(pattern):
        lines = text.splitlines()
        idx = [i for i, l in enumerate(lines) if re.search(pattern, l)]
        if not idx:
            raise Fail("selftest: %r not found" % pattern)
        del lines[idx[0]]
        return parse_dts("\n".join(lines))

    def edit(f):
        t = {k: dict(v) for k, v in good.items()}
        f(t)
        return t

    mutants = {
        "uart reg size": sub("0x10000000 0x00 0x100>", "0x10000000 0x00 0x200>"),
        "rtc irq": sub("interrupts = <0x0b>", "interrupts = <0x0c>"),
        "plic ndev 7.2 value": sub("riscv,ndev = <0x5f>", "riscv,ndev = <0x60>"),
        "isa string": sub('riscv,isa = "rv64imafdc_', 'riscv,isa = "rv64imafdch_'),
        "isa-extensions": sub('"i\\0m\\0a', '"i\\0m\\0h\\0a'),
        "mmu-type sv48": sub('"riscv,sv57"', '"riscv,sv48"'),
        "test phandle": sub("phandle = <0x04>", "phandle = <0x05>"),
        "memory size": sub("0x80000000 0x00 0x8000000>", "0x80000000 0x00 0x4000000>"),
        "stdout-path": sub('stdout-path = "/soc/serial@10000000"', 'stdout-path = "serial0"'),
        "aliases serial0": sub('serial0 = "/soc/serial@10000000"', 'serial0 = "/soc/uart"'),
        "missing interrupt-parent": drop_line(r"^\s*interrupt-parent = "),
        "missing timebase": drop_line(r"timebase-frequency"),
        "missing clint node": edit(lambda t: t.pop("/soc/clint@2000000")),
        "missing cpu-map": edit(lambda t: t.pop("/cpus/cpu-map/cluster0/core0")),
        "extra node": edit(lambda t: t.__setitem__("/soc/serial@10001000", {})),
        "extra property": edit(lambda t: t["/soc/plic@c000000"].__setitem__("foo", b"")),
        "short rng-seed": edit(lambda t: t["/chosen"].__setitem__("rng-seed", bytes(16))),
        "virtio node missing": edit(lambda t: t.pop("/soc/virtio_mmio@10008000")),
        "virtio node with a wrong compatible": edit(lambda t: t["/soc/virtio_mmio@10004000"].__setitem__(
            "compatible", strs("virtio,mmio-legacy"))),
        "virtio node with a wrong irq": edit(lambda t: t.__setitem__(
            "/soc/virtio_mmio@10001000",
            dict(qemu["/soc/virtio_mmio@10001000"], interrupts=u32(2)))),
        "initrd 1 cell": edit(lambda t: t["/chosen"].update(
            {"linux,initrd-start": u32(0x84200000), "linux,initrd-end": u32(0x84300000)})),
    }
    missed = [name for name, tree in mutants.items() if not compare(qemu, tree)]
    # initrd props only exist in the kernel config: that mutant must fail
    # against a reference that has them, with the same values.
    qk = dict(qemu, **{"/chosen": dict(qemu["/chosen"], **{
        "linux,initrd-start": u32(0x84200000), "linux,initrd-end": u32(0x84300000)})})
    if not compare(qk, mutants["initrd 1 cell"]):
        missed.append("initrd 1 cell (vs kernel reference)")
    ok_2cells = edit(lambda t: t["/chosen"].update(
        {"linux,initrd-start": u32(0, 0x84200000), "linux,initrd-end": u32(0, 0x84300000)}))
    if compare(qk, ok_2cells):
        missed.append("initrd 2 cells wrongly rejected")
    missed = [m for m in missed if m != "initrd 1 cell"]
    # The projection and the refusal check must notice a wrong hart count.
    four = spec_tree(spec, "qemu-7.2-virt-smp4-1G.dts")
    one = project_to_one_hart(four, 4)
    bad = project_to_one_hart(four, 4)
    bad["/soc/clint@2000000"]["interrupts-extended"] = \
        four["/soc/clint@2000000"]["interrupts-extended"]
    _, r1g = rivet_dump(rivet, work, "selftest-1G", ["-m", "1G"])
    if compare(one, r1g):
        missed.append("1G tree wrongly rejected by the projection")
    if not compare(bad, r1g):
        missed.append("4-hart clint tuples")
    if missed:
        raise Fail("mutations not detected: %s" % ", ".join(missed))
    return "%d mutations detected" % (len(mutants) + 3)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        sys.exit(__doc__)
    rivet, spec, work = args
    os.makedirs(work, exist_ok=True)
    tests = [("dt-selftest", selftest)] if "--selftest" in sys.argv else TESTS
    failed = 0
    for name, fn in tests:
        try:
            res = fn(rivet, spec, work)
            if isinstance(res, tuple) and res[0] == "SKIP":
                print("SKIP board/%s: %s" % (name, res[1]))
            else:
                print("PASS board/%s" % name + (" (%s)" % res if isinstance(res, str) else ""))
        except (Fail, ValueError, OSError, subprocess.SubprocessError, KeyError) as e:
            failed += 1
            print("FAIL board/%s: %s" % (name, e))
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
