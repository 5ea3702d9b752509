#!/usr/bin/env python3
"""Random hostile-guest program generator for rivet's guest-behaviour fuzzing.

usage: gen.py --seed S --index I --out FILE.S

Program I of seed S is a pure function of (S, I).  It is linked with
tests/guestfuzz/gf_rt.S (start-up, trap handlers, records, exit) and
link.ld.  A program is a sequence of episodes; each starts from a known
state (ep_reset) and does one of:

  m-bare   M-mode loads, stores, AMOs, LR/SC and wild jumps at region
           edges (RAM start/end, MROM, CLINT, PLIC, UART, RTC, the test
           finisher, unmapped holes, 2^64-8...), aligned and misaligned;
  m-mprv   the same in M-mode with MPRV=1 through random Sv39/Sv48 tables;
  s-bare, u-bare   the same from S-/U-mode without paging (PMP applies);
  s-paged, u-paged   from S-/U-mode through random page tables: 4K pages and
           2M/1G/512G superpages, random flags, invalid, reserved and
           misaligned entries, non-leaf entries, non-canonical addresses,
           remapping with or without sfence.vma;
  loop     an S-/U-mode trap loop (stvec at an illegal instruction or an
           unmapped address, the cause delegated) that only the M timer
           interrupt breaks.

Any episode may also write random values to CSRs (mstatus with MPRV/MPP,
mtvec, stvec, medeleg, mideleg, satp, pmpcfg/pmpaddr, ...) and read them
back, configure PMP entries (rarely locked ones, which stay), and raise
illegal instructions and breakpoints.

Values the architecture does not define are kept out of the comparison
with QEMU: loads from devices or from memory whose contents may differ go
to x31, which is never recorded, and instructions whose trap may
legitimately differ carry a label read back from the ELF:
  gf_nc_N    trap not compared (misaligned device/hole accesses, ROM
             stores, AMOs and SC on devices, ...);
  gf_nt_N    trap compared except mtval (misaligned accesses crossing into
             another region or page: which part faulted is the
             implementation's choice);
  gf_amo_N   AMO trap: QEMU 7.2 reports the load causes (4/5) where the spec
             says 6/7, so both are normalised;
and episodes whose outcome is not defined at all (stale TLB entries, random
satp writes in S-mode, deliberate loops) are listed as gf_ncep_N symbols.
Program-wide facts go in gf_meta (end mode: 0 finisher, 1 hang; HTIF).
"""

import argparse
import random
import sys

M64 = (1 << 64) - 1

PT_BASE, PT_PAGES = 0x80200000, 64
DATA_BASE, DATA_PAGES = 0x80400000, 16
RET_BASE, RET_PAGES = 0x80410000, 4
HIGH_PAGE = 0x87fff000
RAM_BASE, RAM_END = 0x80000000, 0x88000000
ALIAS_OFF = 0x40000000
DTB_ZONE = (0x87e00000, 0x87e10000)

# Physical regions: (lo, hi, kind).  Kinds:
#   ram-def   RAM whose contents both emulators agree on
#   ram-prot  the program's own code, data and page tables: never stored to
#   ram-ret   the ret pages: loads defined, never stored to
#   ram-undef RAM whose contents differ (the DTB has a random rng-seed)
#   rom       the MROM (loads defined, stores not compared)
#   dev       a device; clint is separate since S/U never touch it
#   qemu-only devices QEMU has and rivet does not (loads/fetches differ)
#   hole      nothing there
REGIONS = [
    (0x0, 0x1000, "hole"),
    (0x1000, 0x10000, "rom"),
    (0x100000, 0x101000, "dev"),       # SiFive test finisher
    (0x101000, 0x102000, "dev"),       # goldfish RTC
    (0x2000000, 0x2010000, "clint"),
    (0x3000000, 0x3010000, "qemu-only"),  # QEMU's (unused) PCIe PIO window
    (0x4000000, 0x6000000, "qemu-only"),  # platform bus
    (0xc000000, 0xc600000, "dev"),     # PLIC
    (0x10000000, 0x10000100, "dev"),   # UART
    (0x10001000, 0x10009000, "qemu-only"),  # virtio-mmio
    (0x10100000, 0x10100018, "qemu-only"),  # fw_cfg
    (0x20000000, 0x24000000, "qemu-only"),  # flash
    (0x30000000, 0x40000000, "qemu-only"),  # PCIe ECAM
    (0x40000000, 0x80000000, "qemu-only"),  # PCIe MMIO
    (RAM_BASE, PT_BASE, "ram-prot"),
    (PT_BASE, PT_BASE + PT_PAGES * 4096, "ram-prot"),
    (PT_BASE + PT_PAGES * 4096, DATA_BASE, "ram-def"),
    (DATA_BASE, DATA_BASE + DATA_PAGES * 4096, "ram-def"),
    (RET_BASE, RET_BASE + RET_PAGES * 4096, "ram-ret"),
    (RET_BASE + RET_PAGES * 4096, 0x80600000, "ram-def"),
    (0x80600000, DTB_ZONE[0], "ram-def"),
    (DTB_ZONE[0], DTB_ZONE[1], "ram-undef"),
    (DTB_ZONE[1], RAM_END, "ram-def"),
    (0x400000000000, 0x400000000000 + (1 << 40), "qemu-only"),  # QEMU's high PCIe MMIO (none in 7.2 <4G?)
]


def region(pa):
    for lo, hi, kind in REGIONS:
        if lo <= pa < hi:
            return (lo, hi, kind)
    if pa < RAM_END:
        # gaps below RAM are holes
        lo = max([h for _, h, _ in REGIONS if h <= pa] + [0])
        hi = min([l for l, _, _ in REGIONS if l > pa] + [RAM_BASE])
        return (lo, hi, "hole")
    return (RAM_END, 1 << 64, "hole")


# Edges of the physical address space (bare accesses and mapping targets).
PA_EDGES = [
    0x0, 0x8, 0xff8, 0x1000, 0x1020, 0x1028, 0x1058, 0x3000, 0xfff8, 0xfffc, 0x10000,
    0x100000, 0x100004, 0x100ff8, 0x101000, 0x101004, 0x101008, 0x101010, 0x101ffc, 0x102000,
    0x2000000, 0x2000004, 0x2004000, 0x2004004, 0x200bff8, 0x200bffc, 0x2010000,
    0xc000000, 0xc000004, 0xc000028, 0xc001000, 0xc002000, 0xc002080, 0xc200000,
    0xc200004, 0xc201000, 0xc201004, 0xc5ffff8, 0xc600000,
    0x10000000, 0x10000001, 0x10000003, 0x10000005, 0x10000007, 0x100000f8, 0x10000100,
    0x20000000, 0x3000, 0x10001000,
    RAM_BASE, RAM_BASE + 8,
    DATA_BASE, DATA_BASE + 0xff8, DATA_BASE + 0x1000, DATA_BASE + 0x7ff8,
    RET_BASE, RET_BASE + 0x1ff8,
    0x80500000, DTB_ZONE[0], HIGH_PAGE, HIGH_PAGE + 0x800, RAM_END - 8, RAM_END - 4, RAM_END - 1,
    RAM_END, RAM_END + 8, 0xc0000000, 0x100000000, 0xfffffffffffffff8, 0xfffffffffffff000,
    0x8000000000000000, 0x7ffffffffffffff8,
]

# Store data: no two neighbouring bytes 0x33 0x33, 0x55 0x55 or 0x77 0x77,
# so no store, however split, can make the finisher exit or reset.
def safe_value(rng):
    while True:
        v = rng.choice([0, 1, M64, 0x1212121212121212, 0xdeadbeefcafef00d, 0x8000000000000000,
                        0x7fffffff, 0x80000000, 0xff, 0x100, 0x3, 0x1234, 0x4000_0000_0000_0000,
                        rng.getrandbits(64), rng.getrandbits(16), rng.getrandbits(32)])
        b = v.to_bytes(8, "little")
        if not any(b[i] == b[i + 1] and b[i] in (0x33, 0x55, 0x77) for i in range(7)):
            return v


LOADS = [("lb", 1), ("lbu", 1), ("lh", 2), ("lhu", 2), ("lw", 4), ("lwu", 4), ("ld", 8)]
STORES = [("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)]
AMOS = ["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"]
VALREGS = list(range(5, 27))        # recorded by ep_dump
ADDR, DATA, TMP, JUNK = 30, 29, 28, 31

# PTE bits
V, R, W, X, U, G, A, D = 1, 2, 4, 8, 16, 32, 64, 128


class Walker:
    """The page tables an episode builds, and a walk that gives the physical
    address of a virtual one or None when it surely faults (permissions
    aside: a walk that reaches a leaf returns its address)."""

    def __init__(self, mode):
        self.mode = mode                  # 8 = Sv39, 9 = Sv48
        self.levels = 3 if mode == 8 else 4
        self.mem = {}                     # PTE address -> value

    def canonical(self, va):
        bits = 39 if self.mode == 8 else 48
        top = va >> (bits - 1)
        return top == 0 or top == (1 << (65 - bits)) - 1

    def walk(self, va, root):
        """-> (pa, leaf_pte_addr, level) or None; 'unknown' if the walk
        reads a PTE outside the page tables."""
        if not self.canonical(va):
            return None
        a = root
        for lvl in range(self.levels - 1, -1, -1):
            idx = (va >> (12 + 9 * lvl)) & 511
            pa_pte = a + idx * 8
            if not (PT_BASE <= pa_pte < PT_BASE + PT_PAGES * 4096):
                return "unknown"
            pte = self.mem.get(pa_pte, 0)
            if not pte & V or (pte & W and not pte & R):
                return None
            if pte >> 54:                 # reserved / N / PBMT bits: fault
                return None
            ppn = (pte >> 10) & ((1 << 44) - 1)
            if pte & (R | X):
                if ppn & ((1 << (9 * lvl)) - 1):
                    return None           # misaligned superpage
                off = va & ((1 << (12 + 9 * lvl)) - 1)
                return ((ppn << 12) | off, pa_pte, lvl)
            a = ppn << 12
        return None


class Gen:
    def __init__(self, seed, index):
        self.rng = random.Random("guestfuzz:%d:%d" % (seed, index))
        self.out = []
        self.labels = 0
        self.nc_eps = set()
        self.tainted = set()              # physical pages whose contents may differ
        self.locked = {}                  # PMP entry -> (addr, cfg) of locked entries
        self.ep = 0
        self.rom_stored = False
        self.cur_lower = False
        self.cur_satp = 0
        self.in_mprv = False
        self.pmp_bounds = set()
        self.force_ad = False
        self.satp_s_ok = False
        self.paged = False

    # ---- output helpers ----------------------------------------------------
    def emit(self, *lines):
        self.out.extend(lines)

    def label(self, kind):
        self.labels += 1
        name = "gf_%s_%d" % (kind, self.labels)
        self.emit(".globl %s" % name, "%s:" % name)

    def li(self, reg, val):
        self.emit("li x%d, 0x%x" % (reg, val & M64))

    # ---- target classification ---------------------------------------------
    def classify(self, pa, size):
        """Kinds of the bytes [pa, pa+size) touches (1 or 2 regions)."""
        lo, hi, kind = region(pa)
        end = (pa + size - 1) & M64
        if end < pa:
            return [kind, "hole"], True
        if end >= hi:
            return [kind, region(end)[2]], True
        return [kind], False

    def load_defined(self, pas, size):
        """Is a load's value the same on both emulators?"""
        for pa in pas:
            if pa is None:
                continue
            if pa == "unknown":
                return False
            kinds, crosses = self.classify(pa, size)
            if crosses or (pa % size and self.pmp_split(pa, size)):
                return False
            if kinds[0] not in ("ram-def", "ram-ret", "rom", "ram-prot"):
                return False
            if kinds[0] == "ram-prot" and not (RAM_BASE <= pa < RAM_BASE + 0x1000):
                return False          # the runtime's data changes
            if kinds[0] == "rom" and self.rom_stored:
                return False
            if (pa >> 12) in self.tainted or ((pa + size - 1) >> 12) in self.tainted:
                return False
        return True

    def pmp_split(self, pa, size):
        """Does a PMP region edge fall inside the access?  A misaligned
        access may then be split (and succeed) or fail as a whole."""
        return any(pa < b < pa + size for b in self.pmp_bounds)

    def store_ok(self, pas, size, lower):
        for pa in pas:
            if pa is None:
                continue
            if pa == "unknown":
                return False
            for k in self.classify(pa, size)[0]:
                if k in ("ram-prot", "ram-ret") or (k == "clint" and lower):
                    return False
        return True

    def trap_class(self, pas, size, op, va):
        """'' (compare), 'nt' (not mtval) or 'nc' (not at all)."""
        misaligned = va % size != 0
        cls = "nt" if misaligned else ""
        allk = set()
        for pa in pas:
            if pa not in (None, "unknown"):
                allk.update(self.classify(pa, size)[0])
        if misaligned and allk & {"dev", "clint", "qemu-only", "hole", "rom"}:
            return "nc"
        if self.paged and op in ("amo", "lr", "sc") and (
                allk - {"ram-def", "ram-ret", "ram-undef", "ram-prot"} or self.pmp_bounds):
            # QEMU 7.2 checks an AMO's address as a load first: an access
            # fault where a missing W gives a page fault
            return "nc"
        for pa in pas:
            if pa is None:
                continue
            if pa == "unknown":
                return "nc"
            kinds, crosses = self.classify(pa, size)
            if misaligned and self.pmp_split(pa, size):
                return "nc"
            devlike = any(k in ("dev", "clint", "qemu-only", "hole", "rom") for k in kinds)
            if any(k == "qemu-only" for k in kinds):
                return "nc"
            if misaligned and devlike:
                return "nc"
            if op in ("amo", "lr", "sc") and any(k in ("dev", "clint", "rom") for k in kinds):
                return "nc"
            if op == "store" and "rom" in kinds:
                return "nc"
            if size == 8 and 0x101000 <= pa < 0x102000:
                return "nc"              # QEMU splits 8-byte RTC accesses, rivet faults
            if crosses or (misaligned and (pa >> 12) != ((pa + size - 1) >> 12)):
                cls = "nt"
        return cls

    # ---- address pools -------------------------------------------------------
    def pick_pa(self, size, allow_clint=True):
        rng = self.rng
        while True:
            base = rng.choice(PA_EDGES)
            r = rng.random()
            if r < 0.5:
                off = 0
            elif r < 0.75:
                off = rng.choice([1, 2, 3, 4, 5, 6, 7, -1, -2, -4, -8])
            else:
                off = rng.randrange(0, 64) * rng.choice([1, 8])
            pa = (base + off) & M64
            if not allow_clint and region(pa)[2] == "clint":
                continue
            return pa

    # ---- episodes ------------------------------------------------------------
    def program(self):
        rng = self.rng
        n_eps = rng.randint(6, 14)
        end_mode = 1 if rng.random() < 0.04 else 0
        htif = rng.random() < 0.25
        self.emit('#include "gf.h"', "        .option norvc", "        .option norelax",
                  '        .section .gentext, "ax"', "        .globl gen_main", "gen_main:")
        kinds = ["m-bare"] * 6 + ["m-mprv"] * 3 + ["s-bare"] * 2 + ["u-bare"] * 1 + \
                ["s-paged"] * 4 + ["u-paged"] * 3 + ["loop"] * 1
        for i in range(n_eps):
            self.ep = i
            kind = rng.choice(kinds)
            self.emit("", "/* ---- episode %d: %s ---- */" % (i, kind))
            self.emit("li a0, %d" % i, "call ep_reset")
            getattr(self, "ep_" + kind.replace("-", "_"))()
            self.emit("call ep_dump")
        self.emit("j gf_finish")
        self.emit("", "        .data", "        .balign 8", "        .globl gf_tohost, gf_end_mode",
                  "gf_end_mode: .dword %d" % end_mode,
                  "gf_tohost: .dword %s" % ("tohost" if htif else "0"))
        if htif:
            self.emit("        .balign 64", "        .globl tohost, fromhost",
                      "tohost: .dword 0", "        .balign 64", "fromhost: .dword 0")
        for e in sorted(self.nc_eps):
            self.emit(".globl gf_ncep_%d" % e, ".set gf_ncep_%d, 1" % e)
        return "\n".join(self.out) + "\n"

    # -- random CSR writes and read-backs (M-mode unless lower) --
    def csr_ops(self, n, lower=None, allow_satp=True):
        """Random CSR writes with read-back into a recorded register (masked
        to what both emulators define).  lower: None (M), 's' or 'u'."""
        rng = self.rng
        for _ in range(n):
            if lower == "u":
                # everything is illegal from U except a few unprivileged reads
                csr = rng.choice(["sstatus", "satp", "mstatus", "sscratch", "cycle", "time"])
                self.emit("csrr x%d, %s" % (JUNK, csr) if csr in ("cycle", "time")
                          else "csrw %s, x%d" % (csr, rng.choice(VALREGS)))
                continue
            if lower == "s":
                choices = ["sstatus", "sie", "sip", "sscratch_no", "sepc", "scause", "stval",
                           "stvec", "scounteren", "mstatus", "medeleg", "satp_s"]
            else:
                choices = ["mstatus", "sstatus", "mtvec", "stvec", "medeleg", "mideleg", "mip",
                           "sie", "satp", "mcounteren", "scounteren", "mepc", "sepc", "mcause",
                           "scause", "mtval", "stval", "sscratch", "mscratch_no"]
            csr = rng.choice(choices)
            if csr.endswith("_no") or (csr == "mstatus" and self.in_mprv):
                continue            # (MPRV/MPP are the MPRV episode's own)
            val = self.csr_value(csr)
            dst = rng.choice(VALREGS)
            if csr == "satp_s":
                if not allow_satp or rng.random() < 0.7:
                    continue
                self.nc_eps.add(self.ep)      # stale translations from here on
                val = rng.choice([0, self.cur_satp ^ (rng.getrandbits(16) << 44)])
                self.li(DATA, val)
                self.emit("csrw satp, x%d" % DATA)
                continue
            if csr == "satp" and not allow_satp:
                continue
            # csrs/csrc only where the old value cannot depend on a trap
            # that one emulator took and the other did not (nc traps)
            op = "csrw"
            if csr in ("mtvec", "stvec", "medeleg", "mideleg", "sie", "mcounteren",
                       "scounteren", "sscratch", "satp"):
                op = rng.choice(["csrw", "csrw", "csrs", "csrc"])
            self.li(DATA, val)
            if csr in ("mtvec", "stvec"):
                # must come back before anything can trap; a reserved mode
                # (2, 3) is not compared
                self.emit("csrr x%d, %s" % (TMP, csr), "%s %s, x%d" % (op, csr, DATA),
                          "csrr x%d, %s" % (JUNK if val & 2 and op != "csrc" else dst, csr),
                          "csrw %s, x%d" % (csr, TMP))
                continue
            if csr == "satp":
                self.emit("csrr x%d, satp" % TMP, "csrw satp, x%d" % DATA, "csrr x%d, satp" % dst,
                          "csrw satp, x%d" % TMP, "sfence.vma")
                mode = val >> 60
                if mode in (0, 8, 9):
                    self.mask(dst, ~(0xffff << 44))
                else:
                    self.emit("li x%d, 0" % dst)
                continue
            if csr == "mstatus" and lower == "s":
                self.emit("csrw mstatus, x%d" % DATA)   # illegal from S
                continue
            if csr == "medeleg" and lower == "s":
                self.emit("csrw medeleg, x%d" % DATA)
                continue
            self.emit("%s %s, x%d" % (op, csr, DATA), "csrr x%d, %s" % (dst, csr))
            masks = {
                # SD, SXL/UXL, the H-extension bits QEMU 7.2 has (MPV, GVA)
                # VS (QEMU 7.2 lets it be written without V), MPP (WARL: QEMU
                # keeps the reserved 2)
                "mstatus": ~((1 << 63) | (0xf << 32) | (3 << 38) | (3 << 9) | (3 << 11)),
                "sstatus": ~((1 << 63) | (0xf << 32) | (3 << 9)),
                "medeleg": 0xb3ff & ~(1 << 9),
                "mideleg": 0x222,
                "mip": 0x2,
                "sie": 0x2,
                "mcounteren": 0x7, "scounteren": 0x7,
                "mepc": ~1, "sepc": ~1,
            }
            if csr in masks:
                self.mask(dst, masks[csr])

    def mask(self, reg, m):
        self.li(TMP, m & M64)
        self.emit("and x%d, x%d, x%d" % (reg, reg, TMP))

    def csr_value(self, csr):
        rng = self.rng
        if csr in ("mstatus", "sstatus"):
            bits = [1 << 1, 1 << 3, 1 << 5, 1 << 7, 1 << 8, 3 << 11, 1 << 11, 1 << 12,
                    3 << 13, 1 << 18, 1 << 19, 1 << 20, 1 << 21, 1 << 22, 3 << 32, 1 << 35]
            v = 0
            for b in bits:
                if rng.random() < 0.25:
                    v |= b
            if csr == "mstatus":
                # MPRV is the episode's business; TSR/TVM/TW would make the
                # S-mode handler itself trap
                v &= ~((1 << 17) | (1 << 20) | (1 << 21) | (1 << 22))
            if rng.random() < 0.1:
                v = rng.getrandbits(64) & ~((1 << 17) | (7 << 20) | 8)
            # UXL/SXL, MBE/SBE/UBE and the H bits (GVA, MPV): WARL fields
            # QEMU 7.2 lets change (UXL=1 makes U-mode RV32 there)
            return v & ~((0xff << 32) | (1 << 6))
        if csr in ("mtvec", "stvec"):
            return rng.choice([0, 1, 2, 3, 0x80000001, 0xfffffffffffffffd, rng.getrandbits(64),
                               0x1000, 0x10000000])
        if csr == "medeleg":
            # QEMU 7.2 reports AMO faults as load faults (4, 5, 13 where the
            # spec says 6, 7, 15): delegate both or neither
            v = rng.getrandbits(16) & ~((1 << 9) | (1 << 11))
            for a, b in ((4, 6), (5, 7), (13, 15)):
                v &= ~(1 << b)
                v |= ((v >> a) & 1) << b
            return v
        if csr == "mideleg":
            return rng.choice([0, 0x222, 0xaaa, M64, rng.getrandbits(12)])
        if csr in ("mip", "sip"):
            return rng.choice([0, 0x2, 0x20, 0x200, 0x222, M64]) & ~0x20
        if csr == "sie":
            return rng.choice([0, 0x2, M64]) & ~0x220
        if csr in ("satp", "satp_s"):
            mode = rng.choice([0, 8, 9, 10, 1, 15])
            return (mode << 60) | (rng.getrandbits(16) << 44) | rng.choice(
                [0, (PT_BASE >> 12), rng.getrandbits(44)])
        if csr in ("mcounteren", "scounteren"):
            return rng.getrandbits(32)
        return rng.choice([0, 1, 2, 3, M64, 0x8000000000000000, rng.getrandbits(64), 0x80000000])

    # -- PMP --
    def pmp_setup(self, lower):
        """Random PMP entries 0-6 (entry 7 lets S/U reach everything).
        Rarely a locked one, over memory the runtime never needs (locked
        entries stay for the rest of the program).  Sets self.pmp_bounds
        (region edges of every active entry) and returns whether a region
        overlaps the runtime and page tables."""
        rng = self.rng
        regs = {i: v for i, v in self.locked.items()}     # i -> (addr, cfg)
        praw = {i: v[0] for i, v in self.locked.items()}
        if rng.random() < 0.4:
            return self.pmp_finish(regs, praw)
        cfg = 0
        entries = rng.sample(range(7), rng.randint(1, 3))
        for i in sorted(entries):
            if i in self.locked:
                continue
            a_mode = rng.choice([1, 2, 3, 3, 3])      # TOR, NA4, NAPOT
            rwx = rng.choice([0, 1, 3, 4, 5, 7, 7])   # never W without R
            base, size = rng.choice([
                (DATA_BASE, 0x1000), (DATA_BASE, 0x4000), (DATA_BASE + 0x1000, 0x1000),
                (RET_BASE, 0x4000), (0x0, 0x10000), (0x10000000, 0x1000), (0x100000, 0x1000),
                (0xc000000, 0x4000000), (RAM_BASE, 0x8000000), (0, 1 << 40), (RAM_END, 0x1000),
                (DATA_BASE + 8 * rng.randrange(512), 4),
            ])
            if a_mode == 3 and size >= 8:
                pa = (base >> 2) | ((size >> 3) - 1)
            elif a_mode == 2 or size == 4:
                a_mode = 2
                pa = base >> 2
            else:
                pa = (base + size) >> 2
                if i > 0 and (i - 1) not in self.locked and (i - 1) not in praw:
                    praw[i - 1] = base >> 2
                    self.li(DATA, base >> 2)
                    self.emit("csrw pmpaddr%d, x%d" % (i - 1, DATA))
            lock = 0
            safe_lock = base >= DATA_BASE and base + size <= RET_BASE or base + size <= 0x10000 \
                or base >= RAM_END
            if safe_lock and rng.random() < 0.06 and a_mode != 1:
                lock = 0x80
            praw[i] = pa
            self.li(DATA, pa)
            self.emit("csrw pmpaddr%d, x%d" % (i, DATA))
            c = lock | (a_mode << 3) | rwx
            regs[i] = (pa, c)
            if lock:
                self.locked[i] = (pa, c)
            cfg |= c << (8 * i)
        self.li(DATA, cfg | (0x1f << 56))
        # the spec asks for an sfence.vma after PMP changes (QEMU 7.2 keeps
        # stale permissions in its TLB without one)
        self.emit("csrw pmpcfg0, x%d" % DATA, "sfence.vma")
        dst = rng.choice(VALREGS)
        self.emit("csrr x%d, pmpcfg0" % dst)
        for i in sorted(praw):
            if rng.random() < 0.5:
                self.emit("csrr x%d, pmpaddr%d" % (rng.choice(VALREGS), i))
        return self.pmp_finish(regs, praw)

    def pmp_finish(self, regs, praw):
        """Region edges of the active entries (TOR from the entry below)."""
        self.pmp_bounds = set()
        covers = False
        for i, (pa, c) in regs.items():
            a_mode = (c >> 3) & 3
            if a_mode == 1:
                lo, hi = (praw.get(i - 1, 0) << 2) if i else 0, pa << 2
            elif a_mode == 2:
                lo, hi = pa << 2, (pa << 2) + 4
            else:
                t = 0
                while (pa >> t) & 1:
                    t += 1
                lo = (pa & ~((1 << t) - 1)) << 2
                hi = lo + (1 << (t + 3))
            if lo < hi:
                self.pmp_bounds.update((lo, hi))
                if lo < DATA_BASE and hi > RAM_BASE:
                    covers = True
        return covers

    # -- memory operations --
    def access(self, lower, pa_of, pick_va, allow_fetch=True, model=None):
        """One random memory operation.  pick_va(size) -> va; pa_of(va) ->
        list of physical addresses (pages the first and last byte map to,
        None for 'faults')."""
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            op, size = rng.choice(LOADS)
            va = pick_va(size)
            pas = pa_of(va, size)
            dst = rng.choice(VALREGS) if self.load_defined(pas, size) else JUNK
            self.li(ADDR, va)
            self.tag(self.trap_class(pas, size, "load", va))
            self.emit("%s x%d, 0(x%d)" % (op, dst, ADDR))
        elif r < 0.6:
            op, size = rng.choice(STORES)
            va = pick_va(size)
            pas = pa_of(va, size)
            if not self.store_ok(pas, size, lower):
                return
            self.taint(pas, size)
            self.li(DATA, safe_value(rng))
            self.li(ADDR, va)
            self.tag(self.trap_class(pas, size, "store", va))
            self.emit("%s x%d, 0(x%d)" % (op, DATA, ADDR))
        elif r < 0.72:
            w = rng.choice(["w", "d"])
            size = 4 if w == "w" else 8
            va = pick_va(size)
            pas = pa_of(va, size)
            if not self.store_ok(pas, size, lower):
                return
            devs = any(p not in (None, "unknown") and region(p)[2] in ("dev", "clint", "qemu-only")
                       for p in pas)
            amo = rng.choice(["amoswap", "amoor", "amoand"] if devs else AMOS)
            rom = any(p not in (None, "unknown") and region(p)[2] == "rom" for p in pas)
            dst = rng.choice(VALREGS) if self.load_defined(pas, size) and not rom else JUNK
            self.taint(pas, size)
            self.li(DATA, safe_value(rng))
            self.li(ADDR, va)
            cls = self.trap_class(pas, size, "amo", va)
            self.tag({"": "amo", "nt": "amont"}.get(cls, cls))
            self.emit("%s.%s%s x%d, x%d, (x%d)" % (amo, w, rng.choice(["", ".aq", ".rl", ".aqrl"]),
                                                   dst, DATA, ADDR))
        elif r < 0.82:
            w = rng.choice(["w", "d"])
            size = 4 if w == "w" else 8
            va = pick_va(size)
            pas = pa_of(va, size)
            if not self.store_ok(pas, size, lower):
                return
            defined = self.load_defined(pas, size)
            pure = all(p is not None and p != "unknown" and region(p)[2] in ("ram-def", "rom")
                       and p % size == 0 for p in pas) and lower is None and model is None \
                and not self.locked and not self.pmp_bounds
            # (with a PMP region that only partly covers the LR, it faults and
            # the SC that follows may fail quietly (QEMU) or fault (rivet))
            self.taint(pas, size, force=not pure)
            self.li(DATA, safe_value(rng))
            self.li(ADDR, va)
            self.tag(self.trap_class(pas, size, "lr", va))
            self.emit("lr.%s x%d, (x%d)" % (w, rng.choice(VALREGS) if defined else JUNK, ADDR))
            for _ in range(rng.randint(0, 2)):
                d = rng.choice(VALREGS)
                self.emit("addi x%d, x%d, %d" % (d, d, rng.randrange(-50, 50)))
            rom = any(p not in (None, "unknown") and region(p)[2] == "rom" for p in pas)
            self.tag(self.trap_class(pas, size, "sc", va) if pure else "nc")
            # QEMU 7.2 reports success for an SC to the MROM (nothing is
            # written); whether it succeeds is not compared there
            dst = rng.choice(VALREGS) if pure and not rom else JUNK
            self.emit("sc.%s x%d, x%d, (x%d)" % (w, dst, DATA, ADDR))
            if pure:
                # invariant (rivet only): an SC that reports success wrote
                # its value; a violation is an M-mode ecall (cause 11)
                self.labels += 1
                n = self.labels
                self.emit("bnez x%d, gf_scok_%d" % (dst, n),
                          "l%s x%d, 0(x%d)" % (w, TMP, ADDR))
                if w == "w":
                    self.emit("addiw x%d, x%d, 0" % (DATA, DATA))
                self.emit("beq x%d, x%d, gf_scok_%d" % (TMP, DATA, n), "ecall", "gf_scok_%d:" % n)
        elif r < 0.9 and allow_fetch:
            self.fetch(lower, pa_of, model)
        else:
            self.misc(lower)

    def taint(self, pas, size, force=False):
        for pa in pas:
            if pa is None or pa == "unknown":
                continue
            kinds, crosses = self.classify(pa, size)
            if force or crosses or pa % size:  # (a split store may half-happen)
                self.tainted.add(pa >> 12)
                self.tainted.add(((pa + size - 1) & M64) >> 12)
            if "rom" in kinds:
                self.rom_stored = True

    def tag(self, cls):
        if cls:
            self.label(cls)

    def fetch(self, lower, pa_of, model):
        """A wild jump: jalr x1; the handler returns to x1 on a trap, the
        ret pages return by themselves, the MROM reset vector re-enters
        _start, which returns too."""
        rng = self.rng
        if self.in_mprv:
            return                # QEMU 7.2 translates M-mode fetches with MPRV set
        if lower is None:
            model = None          # MPRV does not apply to fetches
            pa_of = lambda va, size: [va]
        if model is None:
            # (not 2^64-4: QEMU 7.2 fetches something there)
            choices = [RET_BASE + 4 * rng.randrange(4096), RET_BASE + 2 + 4 * rng.randrange(16),
                       0x3000, 0xfffc]
            if not self.locked:
                # (with a locked PMP entry granting X, QEMU 7.2 executes zeros
                # in holes)
                choices += [0x0, 0x10000, RAM_END, RAM_END - 4, 0xfffffff000]
            if lower is None:
                # device memory: QEMU executes it, rivet faults; in S/U the
                # difference would change where the trap goes (delegation)
                # (only the finisher, which reads as 0: QEMU can spin for
                # ever in the UART or in a flash left in a command mode)
                choices += [0x100000]
            if lower is None:
                choices += [0x1000, RAM_BASE]
            va = rng.choice(choices)
        else:
            va = model(rng)
            if va is None:
                return
        pas = pa_of(va, 2)
        for p in pas:
            if p == "unknown":
                return
            if p is not None:
                k = region(p)[2]
                if model is not None and k not in ("ram-ret", "rom", "ram-prot"):
                    return            # QEMU executes device memory, rivet faults
                if k == "ram-prot" and p != RAM_BASE:
                    return
                if k in ("ram-def", "ram-undef") or (k == "ram-prot" and lower is not None):
                    return            # would run data
                if k == "rom" and p != 0x1000 and p < 0x1060:
                    return            # the middle of the reset vector
        self.li(ADDR, va)
        self.emit("jalr x1, 0(x%d)" % ADDR)

    def misc(self, lower):
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            self.emit("ebreak")
        elif r < 0.45:
            self.emit(".word 0x%08x" % rng.choice([0, 0xffffffff, 0x0000707f, 0x30200073 if lower else 0]))
        elif r < 0.6:
            self.emit("sfence.vma x%d, x%d" % (rng.choice([0, ADDR]), rng.choice([0, DATA])))
        elif r < 0.8:
            d = rng.choice(VALREGS)
            self.emit("%s x%d, x%d, x%d" % (rng.choice(["add", "xor", "or", "sub"]), d,
                                             rng.choice(VALREGS), rng.choice(VALREGS)))
        else:
            self.csr_ops(1, lower, allow_satp=self.satp_s_ok)

    # -- bare episodes --
    def bare_body(self, lower, n):
        def pa_of(va, size):
            return [va]

        def pick_va(size):
            return self.pick_pa(size, allow_clint=lower is None)

        for _ in range(n):
            self.access(lower, pa_of, pick_va)

    def ep_m_bare(self):
        self.csr_ops(self.rng.randint(0, 4), None, allow_satp=True)
        if self.rng.random() < 0.3:
            self.pmp_setup(None)
        else:
            self.pmp_finish(dict(self.locked), {i: v[0] for i, v in self.locked.items()})
        self.bare_body(None, self.rng.randint(10, 40))

    def enter(self, mode, alias, body, risky=False):
        """M -> S/U: records the resume label, arms the watchdog.  risky:
        the S handler's own accesses may fault (PMP over the runtime, satp
        written in S-mode); those faults must reach M, which ends the
        episode, not S again (whose handler would then run on a garbage
        sscratch and write wherever it points)."""
        tag = "ep%d" % self.ep
        if risky:
            self.li(DATA, (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 13) | (1 << 15))
            self.emit("csrc medeleg, x%d" % DATA)
        # watchdog: 2 s (a loaded host must not fire it in an episode that
        # merely runs slowly; deliberate loops use a few ms)
        self.emit("li x31, 20000000", "call arm_wd",
                  "la x29, %s_resume" % tag, "la x30, %s_body" % tag,
                  "li x31, %d" % ((1 if mode == "s" else 0) | (4 if alias else 0)),
                  "call enter_lower", "%s_body:" % tag)
        body()
        self.emit("ecall", "%s_resume:" % tag)

    def ep_s_bare(self, mode="s"):
        self.csr_ops(self.rng.randint(0, 3), None, allow_satp=False)
        covers = self.pmp_setup(mode)
        if self.rng.random() < 0.5:
            self.li(DATA, self.csr_value("medeleg"))
            self.emit("csrw medeleg, x%d" % DATA)
        self.enter(mode, False, lambda: self.bare_body(mode, self.rng.randint(8, 30)), risky=covers)

    def ep_u_bare(self):
        self.ep_s_bare("u")

    # -- paged episodes --
    VA_POOL = [0x0, 0x1000, 0x2000, 0x100000, 0x200000, 0x400000, 0x40000000, 0x7ffff000,
               0x3ffffff000, 0x3fffe00000, 0x3fc0000000, 0xffffffffc0000000, 0xfffffffffffff000,
               0xffffffffffe00000, 0xffffffff80000000]
    VA_POOL48 = [0x8000000000, 0x7ffffffff000, 0x7fffffe00000, 0xffff800000000000,
                 0xffffff8000000000, 0x4000000000, 0x7f8000000000]

    def build_tables(self, mode, lower_u):
        rng = self.rng
        wk = Walker(mode)
        pages = []

        def new_page():
            p = PT_BASE + 4096 * len(pages)
            pages.append(p)
            self.li(JUNK, p)
            self.emit("call pt_zero")
            return p

        def set_pte(addr, val):
            wk.mem[addr] = val
            self.li(DATA, val)
            self.li(ADDR, addr)
            self.emit("sd x%d, 0(x%d)" % (DATA, ADDR))

        root = new_page()
        tables = {}        # (level, va prefix) -> table page

        def table_for(va, level):
            """The table at `level` (levels-1 = root) covering va, creating
            non-leaf entries on the way."""
            a = root
            for lvl in range(wk.levels - 1, level, -1):
                idx = (va >> (12 + 9 * lvl)) & 511
                key = (lvl, va >> (12 + 9 * (lvl + 1)), idx)
                pte = wk.mem.get(a + 8 * idx, 0)
                if pte & V and not pte & (R | W | X):
                    a = ((pte >> 10) << 12)
                    continue
                if pte & V:
                    return None           # a leaf (or a reserved W-only entry) is in the way
                if len(pages) >= 24:
                    return None
                t = new_page()
                set_pte(a + 8 * idx, ((t >> 12) << 10) | V)
                a = t
            return a

        ident = V | R | W | X | A | D | (U if lower_u else 0) | (G if rng.random() < 0.3 else 0)
        alias = V | R | W | X | A | D
        base_lvl = 2
        t = table_for(RAM_BASE, base_lvl)
        set_pte(t + 8 * 2, ((RAM_BASE >> 12) << 10) | ident)
        set_pte(t + 8 * 3, ((RAM_BASE >> 12) << 10) | alias)
        maps = []
        pool = self.VA_POOL + (self.VA_POOL48 if mode == 9 else [])
        for _ in range(rng.randint(3, 10)):
            lvl = rng.choice([0, 0, 0, 0, 1, 1, 2] + ([3] if mode == 9 else []))
            va = rng.choice(pool) & ~((1 << (12 + 9 * lvl)) - 1) & M64
            if not wk.canonical(va):
                continue
            if wk.levels == 3 and (va >> 30) & 511 in (2, 3):
                continue
            if wk.levels == 4 and (va >> 39) & 511 == 0 and (va >> 30) & 511 in (2, 3):
                continue
            if lvl == 3 and (va >> 39) & 511 == 0:
                continue
            t = table_for(va, lvl)
            if t is None:
                continue
            idx = (va >> (12 + 9 * lvl)) & 511
            if wk.mem.get(t + 8 * idx, 0) & V:
                continue
            sz = 1 << (12 + 9 * lvl)
            if lvl == 0:
                pa = rng.choice([DATA_BASE + 4096 * rng.randrange(DATA_PAGES),
                                 RET_BASE + 4096 * rng.randrange(RET_PAGES),
                                 0x1000, 0x0, 0x10000000, 0x100000, 0xc000000, 0x101000,
                                 0x2000000, RAM_END, HIGH_PAGE, 0x80500000, 0xfffffffff000,
                                 0x20000000])
            elif lvl == 1:
                pa = rng.choice([0x80400000, 0x0, 0x10000000, 0x80600000, 0x87e00000, RAM_END,
                                 0x80200000 + 0x1000])      # last one: misaligned
            elif lvl == 2:
                pa = rng.choice([0x0, RAM_BASE, 0xc0000000, 0x40000000, 0x80100000])
            else:
                pa = 0
            if lvl == 0 and region(pa)[2] == "clint" and self.cur_lower:
                pa = RAM_END
            r = rng.random()
            if r < 0.08:
                flags = 0                                   # invalid
            elif r < 0.14:
                flags = V | W | rng.choice([0, X])          # reserved W without R
            elif r < 0.18:
                flags = V | R | A | rng.choice([1 << 63, 1 << 61, 1 << 62])  # N / PBMT
            else:
                flags = V
                for b in (R, W, X, U, G, A, D):
                    if rng.random() < (0.8 if b in (R, A) else 0.5):
                        flags |= b
                if not flags & (R | X):
                    flags |= rng.choice([R, X])
                if flags & W:
                    flags |= R
                if rng.random() < 0.7:
                    flags = (flags | U) if lower_u else (flags & ~U)
            if self.force_ad and flags & V:
                flags |= A | D
            ptev = ((pa >> 12) << 10) | flags
            # a store through it must not reach the runtime: superpages
            # over RAM only with offsets the access picker controls
            set_pte(t + 8 * idx, ptev)
            maps.append((va, sz, pa, lvl, t + 8 * idx))
        # occasionally a non-leaf entry pointing outside the tables
        if rng.random() < 0.2:
            va = rng.choice([0x600000, 0x3f00000000])
            t = table_for(va, 1)
            if t is not None:
                idx = (va >> 21) & 511
                if not wk.mem.get(t + 8 * idx, 0) & V:
                    set_pte(t + 8 * idx, ((rng.choice([0x0, 0x88000000, 0x10000000]) >> 12) << 10) | V)
                    maps.append((va, 1 << 21, None, 1, t + 8 * idx))
        asid = rng.choice([0, 1, 0xffff, rng.getrandbits(16)])
        satp = (mode << 60) | (asid << 44) | (root >> 12)
        return wk, root, maps, satp

    def paged_body(self, lower, wk, root, maps, n, can_sfence, remap_ok):
        rng = self.rng
        uncertain = set()                   # VA pages that may use stale entries

        def pa_of(va, size):
            out = []
            for a in (va, (va + size - 1) & M64):
                if (a >> 12) in uncertain:
                    out.append("unknown")
                    continue
                r = wk.walk(a, root)
                out.append(r if r in (None, "unknown") else r[0])
            return out

        def pick_va(size):
            r = rng.random()
            if r < 0.55 and maps:
                va, sz, pa, lvl, _ = rng.choice(maps)
                if pa is not None and sz > 4096:
                    # an interesting physical address inside the superpage
                    cands = [e for e in PA_EDGES if pa <= e < pa + sz]
                    cands = [e for e in cands if region(e)[2] not in ("ram-prot", "ram-ret")]
                    if cands and rng.random() < 0.8:
                        off = rng.choice(cands) - pa
                        return (va + off + rng.choice([0, 0, 1, 2, 4, -1])) & M64
                return (va + rng.choice([0, 0, 8, 1, 2, 3, 4095, 4094, 4092, 4088, sz - 8, sz - 1,
                                         rng.randrange(4096)])) & M64
            if r < 0.7:
                return rng.choice([1, 3, 5, 7, 0, 0x1001, 0xfff, 0xffd]) & M64
            if r < 0.8:
                return rng.choice([0x4000000000, 0x8000000000, 0x800000000000, 0xffff7ffffffff000,
                                   0x7fffffffff8, 0xfffffffffffffff8, 0x4000000000000000])
            if r < 0.9:
                return DATA_BASE + rng.randrange(DATA_PAGES * 4096) + rng.choice([0, ALIAS_OFF])
            return rng.choice([HIGH_PAGE, RAM_END - 8, RAM_BASE, 0x1000]) + rng.choice([0, ALIAS_OFF]) * 0

        def fetch_va(rng):
            cands = [va for va, sz, pa, lvl, _ in maps if pa is not None]
            if cands and rng.random() < 0.6:
                va = rng.choice(cands)
                return va + rng.choice([0, 2, 4, 0xffc])
            return rng.choice([0x0, 0x4000000000, 0xfffffffffffffffc, RET_BASE, RET_BASE + ALIAS_OFF,
                               0x3ffffff000])

        for _ in range(n):
            if remap_ok and maps and rng.random() < 0.1:
                va, sz, pa, lvl, pte_addr = rng.choice(maps)
                if lvl != 0 or pa is None:
                    continue
                new = rng.choice([0, ((DATA_BASE + 4096 * rng.randrange(DATA_PAGES)) >> 12) << 10
                                  | V | R | W | A | D | U * (lower == "u"),
                                  ((RET_BASE >> 12) << 10) | V | R | X | A | U * (lower == "u")])
                wk.mem[pte_addr] = new
                if new & W:
                    self.tainted.add(new >> 10)
                self.li(DATA, new)
                self.li(ADDR, pte_addr)
                if lower is None:
                    self.li(TMP, 1 << 17)
                    self.emit("csrc mstatus, x%d" % TMP, "sd x%d, 0(x%d)" % (DATA, ADDR),
                              "csrs mstatus, x%d" % TMP)
                else:
                    self.emit("sd x%d, 0(x%d)" % (DATA, ADDR))
                if can_sfence and rng.random() < 0.85:
                    f = rng.choice(["all", "va", "va"])
                    if f == "all":
                        self.emit("sfence.vma")
                    else:
                        self.li(ADDR, va)
                        self.emit("sfence.vma x%d, x0" % ADDR)
                else:
                    uncertain.add(va >> 12)
                    self.nc_eps.add(self.ep)
                # the bug this looks for: a misaligned access at the low
                # bits of a page right after it went away
                if rng.random() < 0.5:
                    va2 = va + rng.choice([1, 3])
                    pas = pa_of(va2, 2)
                    store = rng.random() < 0.5 and self.store_ok(pas, 2, lower)
                    if store:
                        self.taint(pas, 2)
                    self.li(ADDR, va2)
                    self.tag(self.trap_class(pas, 2, "store" if store else "load", va2))
                    self.emit("sh x0, 0(x%d)" % ADDR if store else "lh x%d, 0(x%d)" % (JUNK, ADDR))
                continue
            self.access(lower, pa_of, pick_va, model=fetch_va)

    def ep_paged(self, lower):
        rng = self.rng
        self.cur_lower = lower in ("s", "u")
        self.paged = True
        self.csr_ops(rng.randint(0, 3), None, allow_satp=False)
        covers_ram = self.pmp_setup(lower)
        mode = rng.choice([8, 8, 9])
        mpp = rng.choice([0, 1])
        # QEMU 7.2 does not check PMP on its A/D updates: with a region over
        # the page tables, every leaf comes with A and D set
        self.force_ad = covers_ram
        wk, root, maps, satp = self.build_tables(mode, lower == "u" or (lower == "m" and mpp == 0))
        self.cur_satp = satp
        self.li(DATA, satp)
        self.emit("csrw satp, x%d" % DATA, "sfence.vma")
        if rng.random() < 0.5:
            self.li(DATA, self.csr_value("medeleg"))
            self.emit("csrw medeleg, x%d" % DATA)
        if rng.random() < 0.3:
            self.li(DATA, rng.choice([1 << 18, 1 << 19, (1 << 18) | (1 << 19)]))
            self.emit("csrs mstatus, x%d" % DATA)
        n = rng.randint(8, 30)
        if lower == "m":
            if mpp == 1 or covers_ram:
                # QEMU 7.2 keeps using translations made for MPP=S after an
                # mret has set MPP to U (no TLB flush), and does not check
                # PMP on the page-table walk of an MPRV access: not compared
                self.nc_eps.add(self.ep)
            self.li(DATA, 3 << 11)
            self.emit("csrc mstatus, x%d" % DATA)
            self.li(DATA, (mpp << 11) | (1 << 17))
            self.emit("csrs mstatus, x%d" % DATA)
            self.in_mprv = True
            self.paged_body(None, wk, root, maps, n, can_sfence=True, remap_ok=not covers_ram)
            self.in_mprv = False
        else:
            self.satp_s_ok = lower == "s" and rng.random() < 0.15
            self.enter(lower, lower == "u",
                       lambda: self.paged_body(lower, wk, root, maps, n, can_sfence=lower == "s",
                                               remap_ok=not covers_ram and not self.satp_s_ok),
                       risky=covers_ram or self.satp_s_ok)
            self.satp_s_ok = False
        self.cur_lower = False
        self.cur_satp = 0
        self.paged = False

    def ep_m_mprv(self):
        self.ep_paged("m")

    def ep_s_paged(self):
        self.ep_paged("s")

    def ep_u_paged(self):
        self.ep_paged("u")

    # -- a trap loop in S/U that only the M timer breaks --
    def ep_loop(self):
        """stvec at an illegal instruction or at unmapped space, the cause
        delegated to S, and S/U started right at it: no instruction ever
        retires until the watchdog interrupt (M-level interrupts are always
        enabled below M) ends the episode."""
        rng = self.rng
        self.nc_eps.add(self.ep)
        mode = rng.choice(["s", "u"])
        tag = "ep%d" % self.ep
        self.li(DATA, (1 << 2) | (1 << 1) | (1 << 12) | (1 << 0))
        self.emit("csrw medeleg, x%d" % DATA)
        if rng.random() < 0.5:
            self.emit("la x%d, %s_ill" % (DATA, tag))
        else:
            self.li(DATA, rng.choice([0x0, 0x88000000, 0xfffffffffffff000, 0x10000]))
        self.emit("csrw stvec, x%d" % DATA,
                  "li x31, %d" % rng.choice([20000, 50000]), "call arm_wd",
                  "mv x30, x%d" % DATA, "la x29, %s_resume" % tag,
                  "li x31, %d" % ((1 if mode == "s" else 0) | 8),
                  "call enter_lower", "%s_ill:" % tag, ".word 0", "%s_resume:" % tag)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--index", type=int, required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    text = Gen(a.seed, a.index).program()
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
