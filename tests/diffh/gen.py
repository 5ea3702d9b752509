#!/usr/bin/env python3
"""Random V-mode program generator for rivet's H differential tests.

usage: gen.py [--seed S] [--programs N] [--first F] [--cases K] [--ops M]
              [--avoid LIST] --out DIR
       gen.py [--seed S] [--ops M] [--avoid LIST] --single P C [--limit L]
              --out FILE

Writes DIR/rand_NNN.S for NNN = F .. F+N-1 (only files whose text changed
are rewritten) and prints their paths; --single writes case C of program P
alone (with --limit: only its first L random operations, for reduce.sh).
Program NNN holds K cases; case c of program NNN of seed S depends only on
(S, NNN, c).  Each program is
linked with rt.S and main.c (see README.md): main.c sets up each case from
its descriptor (struct hcase), enters it, and prints what it left.

A case is a random machine configuration (delegation, hstatus/mstatus trap
bits, counter enables, Sstc enables, hgatp mode Sv39x4/Sv48x4/Sv57x4/Bare
and vsatp mode Sv39/Sv48/Sv57/Bare with page tables whose entries have
random permissions), a mode (VS, VU, HS, U, or M with mstatus.MPRV = 1 and
random MPP/MPV) entered by mret, and --ops random operations: loads/stores/AMOs/LR-SC through both translation stages,
HLV/HLVX/HSV (HS, M, and U with hstatus.HU), CSR accesses (S CSRs that reach
the VS copies, H and VS CSRs, hvip/hip/vsip, counters, stimecmp), fences,
privileged instructions (sret, wfi, sfence.vma, hfence) where they trap,
ecall/ebreak, and instruction-fetch probes (jalr into pages full of "ret").
The case ends with a6/a7 = magic, ecall.

Only configurations whose outcome the spec fixes are generated; README.md
lists what is left out and why (A/D always set, aligned accesses only, no
WFI that could wait, no interrupt that could be taken, ...).
"""

import argparse
import os
import random

MASK64 = (1 << 64) - 1

# ---- layout (layout.h) -----------------------------------------------------
IMAGE_PA = 0x80000000
GPT_PA = 0x80200000
VPT_PA = 0x80400000
DATA_PA = 0x80600000
DATA_PAGES = 16
RET_PA = 0x80700000
RET_PAGES = 2
MAGIC_A7 = 0x5ca1ab1e0dd5eed7
MAGIC_A6 = 0x0e0fca5e0e0fca5e
LR_SENTINEL = 0x1badc0de5eed1e55     # no lr.w result; an lr.d one by chance only

# guest-physical layout (when hgatp is not Bare)
GPA_DATA = 0x100000000          # + i * 4K -> data page (random G perms)
GPA_RET = 0x100100000           # + k * 4K -> ret page
GPA_SUPER = 0x100200000         # 2 MiB aligned: backs the VS 2 MiB leaf
GPA_HOLE = 0x100040000          # + i * 4K: never mapped
GPA_WIDE = [1 << 41, 1 << 50]   # beyond Sv39x4 / Sv48x4 width
# guest-virtual layout (when vsatp is not Bare)
VA_IMAGE = 0x80000000           # 1 GiB leaf, S, -> GPA 0x80000000
VA_ALIAS = 0xC0000000           # 1 GiB leaf, U, -> GPA 0x80000000 (VU code)
VA_DATA = 0x40000000            # + j * 4K, 4 KiB leaves, random
N_VDATA = 16                    # data VAs, then fetch VAs
N_VFETCH = 4
VA_SUPER = 0x40200000           # 2 MiB leaf
VA_HIGH = 0xFFFFFFFFC0001000    # canonical in all modes, never mapped

V, R, W, X, U, G, A, D = 1, 2, 4, 8, 16, 32, 64, 128

# --avoid: known rivet deviations the generator can steer around, so that a
# campaign finds the next one (README.md, "Known differences")
AVOIDABLE = {
    "hlvx-walk": "G-stage leaves of VS page-table pages are executable iff readable",
    "mxr-walk": "no execute-only G-stage leaf for a VS page-table page",
    "stimecmp-vi": "no access to vstimecmp (0x24d) from VS/VU, nor to stimecmp (0x14d) from VU, "
                   "when menvcfg.STCE = 0 or mcounteren.TM = 0",
    "spv": "hstatus.SPV left out of the end-of-case dump",
}
AVOID = set()
MODES = {"VS": (1, 1), "VU": (0, 1), "HS": (1, 0), "U": (0, 0), "M": (3, 0)}  # (MPP, MPV)

# CSR numbers
CSR = dict(
    sstatus=0x100, sie=0x104, stvec=0x105, scounteren=0x106, sscratch=0x140,
    sepc=0x141, scause=0x142, stval=0x143, sip=0x144, stimecmp=0x14d, satp=0x180,
    vsstatus=0x200, vsie=0x204, vstvec=0x205, vsscratch=0x240, vsepc=0x241,
    vscause=0x242, vstval=0x243, vsip=0x244, vstimecmp=0x24d, vsatp=0x280,
    hstatus=0x600, hedeleg=0x602, hideleg=0x603, hie=0x604, htimedelta=0x605,
    hcounteren=0x606, htval=0x643, hip=0x644, hvip=0x645, htinst=0x64a, hgatp=0x680,
    mstatus=0x300, medeleg=0x302, mideleg=0x303, mie=0x304, mtvec=0x305,
    mcounteren=0x306, mscratch=0x340, mepc=0x341, mcause=0x342, mtval=0x343,
    mip=0x344, mtinst=0x34a, mtval2=0x34b,
    cycle=0xc00, time=0xc01, instret=0xc02,
)
S_READ = ["sstatus", "sie", "stvec", "scounteren", "sscratch", "sepc", "scause",
          "stval", "sip", "satp", "stimecmp"]
H_READ = ["hstatus", "hedeleg", "hideleg", "hie", "htimedelta", "hcounteren",
          "htval", "hip", "hvip", "htinst", "hgatp", "vsstatus", "vsie", "vstvec",
          "vsscratch", "vsepc", "vscause", "vstval", "vsip", "vsatp", "vstimecmp"]
M_READ = ["mstatus", "medeleg", "mideleg", "mie", "mtvec", "mscratch", "mepc",
          "mcause", "mtval", "mip", "mtinst", "mtval2", "mcounteren"]
COUNTERS = ["cycle", "time", "instret"]
LEGAL_CAUSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15,
                (1 << 63) | 1, (1 << 63) | 5, (1 << 63) | 9]

INT_EDGES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
             0x80000000, 0xffffffff, 0x100000000, 0x7fffffffffffffff,
             0x8000000000000000, MASK64, MASK64 - 1, 0x5555555555555555,
             0xaaaaaaaaaaaaaaaa, 0x0123456789abcdef]

LOADS = [("lb", 1), ("lbu", 1), ("lh", 2), ("lhu", 2), ("lw", 4), ("lwu", 4), ("ld", 8)]
STORES = [("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)]
HLVS = [("hlv.b", 1), ("hlv.bu", 1), ("hlv.h", 2), ("hlv.hu", 2), ("hlv.w", 4),
        ("hlv.wu", 4), ("hlv.d", 8), ("hlvx.hu", 2), ("hlvx.wu", 4)]
HSVS = [("hsv.b", 1), ("hsv.h", 2), ("hsv.w", 4), ("hsv.d", 8)]
AMOS = ["amoswap", "amoadd", "amoand", "amoor", "amoxor", "amomin", "amomax",
        "amominu", "amomaxu"]
ALU = ["add", "sub", "xor", "or", "and", "sll", "srl", "sra", "mul", "addw", "subw"]


def sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def u64(v):
    return v & MASK64


def wpick(rng, table):
    """table: list of (weight, value)"""
    t = rng.random() * sum(w for w, _ in table)
    for w, v in table:
        t -= w
        if t < 0:
            return v
    return table[-1][1]


class Tables:
    """Page tables for one translation stage, built as (address, value)
    writes.  levels: 3/4/5; x4: G-stage root with two more index bits."""

    def __init__(self, writes, levels, x4, alloc):
        self.w, self.levels, self.x4, self.alloc = writes, levels, x4, alloc
        self.root = alloc(16384 if x4 else 4096, True)

    def map(self, va, pa, flags, leaf_level, risky=False):
        table = self.root
        for lvl in range(self.levels - 1, leaf_level - 1, -1):
            bits = 11 if (lvl == self.levels - 1 and self.x4) else 9
            idx = (va >> (12 + 9 * lvl)) & ((1 << bits) - 1)
            pte_addr = table + 8 * idx
            if lvl == leaf_level:
                self.w[pte_addr] = ((pa >> 12) << 10) | flags
                return
            pte = self.w.get(pte_addr, 0)
            if pte & V and not pte & (R | W | X):
                table = (pte >> 10) << 12
            else:
                table = self.alloc(4096, not risky)
                self.w[pte_addr] = ((table >> 12) << 10) | V


class Case:
    def __init__(self, rng, index, n_ops, limit=None):
        self.rng, self.index, self.limit = rng, index, limit
        self.lines = []
        self.mode = wpick(rng, [(32, "VS"), (22, "VU"), (22, "HS"), (12, "U"), (12, "M")])
        # mode M: the case runs in M-mode with mstatus.MPRV = 1 and these
        # MPP/MPV, so its loads and stores are translated as VS/VU ones
        self.mprv_pp = rng.choice([1, 0])
        self.mprv_v = rng.random() < 0.85
        self.config()
        self.tables()
        self.code(n_ops)

    # ---- configuration ----------------------------------------------------
    def config(self):
        rng = self.rng
        bit = lambda p: rng.random() < p
        self.gmode = wpick(rng, [(4, 3), (3, 4), (2, 5), (1, 0)])      # levels, 0 = Bare
        self.vmode = wpick(rng, [(4, 3), (3, 4), (2, 5), (1, 0)])
        medeleg_ok = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 15, 20, 21, 22, 23]
        hedeleg_ok = [1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15]
        self.medeleg = sum(1 << b for b in medeleg_ok if bit(0.65))
        self.hedeleg = sum(1 << b for b in hedeleg_ok if bit(0.55))
        self.mideleg = sum(1 << b for b in (1, 5, 9) if bit(0.5))
        self.hideleg = sum(1 << b for b in (2, 6, 10) if bit(0.5))
        self.tvm, self.tw, self.tsr = bit(0.25), bit(0.25), bit(0.25)
        self.msum, self.mmxr = bit(0.3), bit(0.3)
        self.mstatus = (self.tvm << 20) | (self.tw << 21) | (self.tsr << 22) | \
            (self.msum << 18) | (self.mmxr << 19)
        self.vtvm, self.vtw, self.vtsr = bit(0.3), bit(0.3), bit(0.3)
        self.hu, self.spvp = bit(0.6), bit(0.5)
        self.hstatus = (2 << 32) | (self.vtvm << 20) | (self.vtw << 21) | \
            (self.vtsr << 22) | (self.hu << 9) | (self.spvp << 8)
        self.vsstatus = (2 << 32) | (bit(0.4) << 18) | (bit(0.3) << 19) | (bit(0.5) << 8)
        self.mcounteren = rng.randrange(8)
        self.hcounteren = rng.randrange(8)
        self.scounteren = rng.randrange(8)
        self.mstce = bit(0.6)
        self.hstce = self.mstce and bit(0.6)
        self.menvcfg = self.mstce << 63
        self.henvcfg = self.hstce << 63
        # VS interrupt bits: pending (hvip) and enabled (hie) never overlap
        # where the case's mode could take them (V=1, or U where HS-level
        # interrupts are always enabled); HS cases run with sstatus.SIE = 0
        self.hie = rng.choice([0, 0x4, 0x40, 0x400, 0x444])
        self.hvip = rng.choice([0, 0x4, 0x40, 0x400, 0x444])
        if self.mode != "HS":
            self.hvip &= ~self.hie
        # The HS handler returns with sret (illegal when mstatus.TSR = 1) and
        # the VS handler too (a virtual instruction when hstatus.VTSR = 1):
        # such cases delegate nothing to the handler that could not return
        if self.tsr:
            self.medeleg = 0
        if self.vtsr:
            self.hedeleg = 0
        self.seed = rng.getrandbits(64) | 1

    # ---- page tables -----------------------------------------------------
    def tables(self):
        rng = self.rng
        self.w = {}
        self.gpt_next = GPT_PA
        self.vpt_next = VPT_PA
        self.vpt_pages = []       # (pa, safe)
        self.pending_pt = []

        def galloc(size, safe):
            a = (self.gpt_next + size - 1) & ~(size - 1)
            self.gpt_next = a + size
            return a

        def valloc(size, safe):
            a = self.vpt_next
            self.vpt_next += 4096
            self.vpt_pages.append((a, safe))
            return a

        gm, vm = self.gmode, self.vmode
        gwidth = {3: 41, 4: 50, 5: 59}.get(gm, 64)
        # what a GPA kind is, for VS leaves: returns the GPA (PA when Bare)
        data_ix = [rng.randrange(DATA_PAGES) for _ in range(N_VDATA)]

        def gpa(kind, i):
            if gm == 0:
                return {"data": DATA_PA + 0x1000 * i, "ret": RET_PA + 0x1000 * i,
                        "super": DATA_PA, "hole": DATA_PA + 0x40000 + 0x1000 * i,
                        "wide": GPA_WIDE[i & 1] + 0x1000 * (i >> 1)}[kind]
            return {"data": GPA_DATA + 0x1000 * i, "ret": GPA_RET + 0x1000 * i,
                    "super": GPA_SUPER, "hole": GPA_HOLE + 0x1000 * i,
                    "wide": GPA_WIDE[i & 1] + 0x1000 * (i >> 1)}[kind]
        self.gpa = gpa

        # ---- VS stage
        self.vtargets = []        # guest addresses for data accesses
        self.ftargets = []        # guest addresses for fetch probes
        if vm:
            vs = Tables(self.w, vm, False, valloc)
            vs.map(VA_IMAGE, IMAGE_PA, V | R | W | X | A | D, 2)
            vs.map(VA_ALIAS, IMAGE_PA, V | R | W | X | U | A | D, 2)
            upr = {"VS": 0.3, "VU": 0.75}.get(self.mode, 0.5)
            for j in range(N_VDATA + N_VFETCH):
                fetch = j >= N_VDATA
                if fetch:
                    kind, i = "ret", rng.randrange(RET_PAGES)
                else:
                    kind = wpick(rng, [(70, "data"), (5, "ret"), (8, "wide"), (7, "hole"),
                                       (5, "super"), (5, "pt")])
                    i = rng.randrange(DATA_PAGES) if kind != "ret" else rng.randrange(RET_PAGES)
                if kind == "pt":
                    target = None           # a VS table page: filled in below
                elif kind == "super":
                    target = gpa("super", 0) + 0x1000 * rng.randrange(10)
                else:
                    target = gpa(kind, i)
                if fetch:
                    rwx = wpick(rng, [(5, X), (2, R | X), (2, R | W | X), (1, R), (1, 0)])
                else:
                    rwx = wpick(rng, [(2, R), (5, R | W), (1, R | X), (2, R | W | X), (0.7, X),
                                      (0.3, W), (0.3, W | X), (0.3, 0)])
                if kind in ("ret", "pt"):
                    rwx &= ~W
                fl = rwx | A | D | (V if rng.random() < 0.93 else 0)
                if rng.random() < upr:
                    fl |= U
                if rng.random() < 0.15:
                    fl |= G
                if rng.random() < 0.03:
                    fl |= 1 << rng.choice([54, 60, 61, 62, 63])
                va = VA_DATA + 0x1000 * j
                if target is None:
                    self.pending_pt.append((va, fl))
                    target = 0
                vs.map(va, target, fl, 0, risky=True)
                (self.ftargets if fetch else self.vtargets).append(va)
            # the 2 MiB leaf (sometimes with a misaligned PPN)
            fl = wpick(rng, [(3, R | W), (1, R), (1, R | W | X)]) | A | D | V
            if rng.random() < 0.5:
                fl |= U
            sup = gpa("super", 0) + (0x1000 if rng.random() < 0.15 else 0)
            vs.map(VA_SUPER, sup, fl, 1, risky=True)
            self.vtargets += [VA_SUPER + 0x1000 * k for k in range(10)]
            self.vtargets += [VA_DATA + 0x1000 * (N_VDATA + N_VFETCH), VA_HIGH,
                              1 << (38 + 9 * (vm - 3))]     # unmapped, non-canonical
            # VS leaves that point at VS table pages (read only)
            pts = [a for a, _ in self.vpt_pages]
            for va, fl in self.pending_pt:
                vs.map(va, pts[rng.randrange(len(pts))], fl, 0, risky=True)
            self.vsatp = ({3: 8, 4: 9, 5: 10}[vm] << 60) | (vs.root >> 12)
        else:
            self.vsatp = 0
            self.vtargets = [gpa("data", i) for i in range(DATA_PAGES)]
            self.vtargets += [gpa("super", 0) + 0x1000 * k for k in range(10)]
            self.vtargets += [gpa("hole", 0), gpa("wide", 0), gpa("wide", 1), gpa("ret", 0)]
            self.ftargets = [gpa("ret", k) for k in range(RET_PAGES)]
            if gm:
                self.ftargets.append(gpa("hole", 1))       # G stage: unmapped
            if gm:
                self.vtargets += [VPT_PA, IMAGE_PA + 0x200000]   # unmapped GPAs
        # ---- G stage
        if gm:
            gs = Tables(self.w, gm, True, galloc)
            full = V | R | W | X | U | A | D

            def gflags(no_w=False):
                rwx = wpick(rng, [(5, R | W), (2, R), (2, R | W | X), (1, R | X), (0.5, X),
                                  (0.2, W), (0.2, 0)])
                if no_w:
                    rwx &= ~W
                fl = rwx | A | D | (V if rng.random() < 0.95 else 0)
                if rng.random() < 0.93:
                    fl |= U
                if rng.random() < 0.02:
                    fl |= 1 << rng.choice([54, 61, 63])
                return fl
            gs.map(IMAGE_PA, IMAGE_PA, full, 1)
            for a, safe in self.vpt_pages:
                if safe:
                    fl = V | R | W | U | A | D
                else:
                    fl = wpick(rng, [(12, V | R | U | A | D), (4, V | R | W | U | A | D),
                                     (1, V | R | A | D), (1, V | X | U | A | D), (1, 0)])
                    # (MXR may also be set later, by HS or M code)
                    if "mxr-walk" in AVOID and fl & X and not fl & R:
                        fl = 0
                if "hlvx-walk" in AVOID:
                    fl = fl | X if fl & R else (fl if not fl & X else 0)
                gs.map(a, a, fl, 0)
            for i in range(DATA_PAGES):
                gs.map(GPA_DATA + 0x1000 * i, DATA_PA + 0x1000 * i, gflags(), 0)
            for k in range(RET_PAGES):
                gs.map(GPA_RET + 0x1000 * k, RET_PA + 0x1000 * k, gflags(True), 0)
            for k in range(8):
                gs.map(GPA_SUPER + 0x1000 * k, DATA_PA + 0x1000 * rng.randrange(DATA_PAGES),
                       gflags(), 0)
            for w_ in GPA_WIDE:
                if w_ < (1 << gwidth):
                    for i in range(4):
                        gs.map(w_ + 0x1000 * i, DATA_PA + 0x1000 * rng.randrange(DATA_PAGES),
                               gflags(), 0)
            self.hgatp = ({3: 8, 4: 9, 5: 10}[gm] << 60) | (gs.root >> 12)
        else:
            self.hgatp = 0
        self.ptw = sorted(self.w.items())

    # ---- code -------------------------------------------------------------
    def emit(self, s):
        self.lines.append("        " + s)

    def li(self, r, v):
        self.emit("li x%d, 0x%x" % (r, u64(v)))

    def reg(self):
        if self.mode == "M":        # gp, tp: the M handler's (rt.S, m_ret_m)
            return self.rng.choice([r for r in range(1, 32) if r not in (3, 4)])
        return self.rng.randrange(1, 32)

    def value(self):
        rng = self.rng
        c = rng.random()
        if c < 0.4:
            return rng.choice(INT_EDGES)
        if c < 0.6:
            return rng.getrandbits(64)
        if c < 0.8:
            return rng.choice(self.vtargets) + rng.randrange(0, 4096, 8)
        return rng.getrandbits(rng.choice([8, 16, 32]))

    def addr(self, width, space):
        """(base value, offset) of a naturally aligned access"""
        rng = self.rng
        if space == "guest":
            page = rng.choice(self.vtargets)
        else:
            page = DATA_PA + 0x1000 * rng.randrange(DATA_PAGES)
        off = rng.choice([rng.randrange(0, 64), rng.randrange(0, 4096)]) & ~(width - 1)
        imm = rng.randrange(-256, 256) & ~(width - 1) if rng.random() < 0.3 else 0
        return page + off - imm, imm

    def valid_va(self):
        return u64(sext(self.rng.getrandbits(39), 39)) & ~1

    def csr_value(self, name):
        rng = self.rng
        sub = lambda m: sum(b for b in [1 << i for i in range(64)] if m & b and rng.random() < 0.5)
        if name in ("sstatus", "vsstatus"):
            return sub((1 << 18) | (1 << 19) | (1 << 8) | (1 << 5) | ((name == "vsstatus") << 1))
        if name in ("sie", "vsie"):
            return sub(0x222 | 0x444)
        if name in ("sip", "vsip"):
            return sub(0x2 | 0x220 | 0x444)
        if name == "hstatus":
            return sub((1 << 20) | (1 << 21) | (1 << 22) | (1 << 9) | (1 << 8))
        if name in ("hie", "hvip"):
            return sub(0x444 | 0x222)
        if name == "hip":
            return sub(0x4 | 0x440 | 0x2)
        if name in ("sepc", "stval", "vsepc", "vstval"):
            return self.valid_va() if rng.random() < 0.8 else 0
        if name in ("scause", "vscause"):
            return rng.choice(LEGAL_CAUSES)
        return rng.getrandbits(64)

    def csr_op(self, name, value=None, write=True):
        """a CSR instruction on name; value None: a read (rs1 = x0)"""
        rng = self.rng
        if "stimecmp-vi" in AVOID and not (self.mstce and self.mcounteren & 2) and (
                (name == "vstimecmp" and self.mode in ("VS", "VU")) or
                (name == "stimecmp" and self.mode == "VU")):
            name = "vsstatus"
        rd = self.reg() if name not in COUNTERS else 0
        if not write or value is None:
            op = rng.choice(["csrrs", "csrrc"])
            self.emit("%s x%d, 0x%x, x0  # %s" % (op, rd, CSR[name], name))
            return
        t = self.reg()
        self.li(t, value)
        op = rng.choice(["csrrw", "csrrs", "csrrc"])
        if name.endswith("status"):
            op = rng.choice(["csrrs", "csrrc"])     # csrrw would write UXL/VSXL/FS
        self.emit("%s x%d, 0x%x, x%d  # %s" % (op, rd, CSR[name], t, name))

    def op_mem(self, space):
        rng = self.rng
        k = rng.random()
        if k < 0.45:
            name, wd = rng.choice(LOADS)
            base, imm = self.addr(wd, space)
            b = self.reg()
            self.li(b, base)
            self.emit("%s x%d, %d(x%d)" % (name, self.reg(), imm, b))
        elif k < 0.8:
            name, wd = rng.choice(STORES)
            base, imm = self.addr(wd, space)
            b = self.reg()
            self.li(b, base)
            self.emit("%s x%d, %d(x%d)" % (name, self.reg(), imm, b))
        elif k < 0.93:
            wd = rng.choice([4, 8])
            base, _ = self.addr(wd, space)
            b = self.reg()
            self.li(b, base)
            order = rng.choice(["", "", ".aq", ".rl", ".aqrl"])
            self.emit("%s.%s%s x%d, x%d, (x%d)" % (rng.choice(AMOS), "w" if wd == 4 else "d",
                                                   order, self.reg(), self.reg(), b))
        else:
            # LR/SC: a failing SC to the scratch word first drops any
            # reservation, so the pair's outcome does not depend on history;
            # the SC runs only if the LR did not trap (an SC without a
            # reservation may or may not raise its access or page fault)
            wd = rng.choice([4, 8])
            sfx = "w" if wd == 4 else "d"
            b, rd, t = rng.sample([r for r in range(1, 32) if self.mode != "M" or r not in (3, 4)], 3)
            self.li(b, self.scratch)
            self.emit("sc.d x0, x0, (x%d)" % b)
            base, _ = self.addr(wd, space)
            self.li(b, base)
            self.li(rd, LR_SENTINEL)
            self.emit("lr.%s x%d, (x%d)" % (sfx, rd, b))
            self.li(t, LR_SENTINEL)
            self.emit("beq x%d, x%d, 1f" % (rd, t))
            self.emit("sc.%s x%d, x%d, (x%d)" % (sfx, self.reg(), self.reg(), b))
            self.lines.append("1:")

    def op_hlv(self):
        rng = self.rng
        if rng.random() < 0.7:
            name, wd = rng.choice(HLVS)
        else:
            name, wd = rng.choice(HSVS)
        if name.startswith("hlvx") and rng.random() < 0.5 and self.ftargets:
            base = rng.choice(self.ftargets) + (rng.randrange(0, 4096) & ~(wd - 1))
        else:
            base, imm = self.addr(wd, "guest")
            base += imm
        b = self.reg()
        self.li(b, base)
        self.emit("%s x%d, (x%d)" % (name, self.reg(), b))

    def op_fetch(self):
        b = self.reg()
        while b == 1:
            b = self.reg()
        self.li(b, self.rng.choice(self.ftargets) + (self.rng.randrange(0, 4096) & ~3))
        self.emit("jalr x1, 0(x%d)" % b)

    def op_alu(self):
        rng = self.rng
        if rng.random() < 0.5:
            self.emit("%s x%d, x%d, x%d" % (rng.choice(ALU), self.reg(), self.reg(), self.reg()))
        else:
            self.emit("addi x%d, x%d, %d" % (self.reg(), self.reg(), rng.randrange(-2048, 2048)))

    def op_csr(self):
        rng = self.rng
        m = self.mode
        k = rng.random()
        if m == "M":
            # what changes an MPRV access: SUM/MXR in mstatus and vsstatus,
            # vsatp/hgatp (then fenced), hstatus.SPVP for HLV
            name = rng.choice(["mstatus", "vsstatus", "hstatus", "vsatp", "hgatp"])
            t = self.reg()
            if name in ("vsatp", "hgatp"):
                cur = self.vsatp if name == "vsatp" else self.hgatp
                self.li(t, rng.choice([cur, cur, 0]))
                self.emit("csrrw x%d, 0x%x, x%d  # %s" % (self.reg(), CSR[name], t, name))
                self.emit("hfence.vvma zero, zero" if name == "vsatp" else "hfence.gvma zero, zero")
                return
            mask = (1 << 8) if name == "hstatus" else (1 << 18) | (1 << 19)
            self.li(t, mask & rng.getrandbits(64))
            self.emit("%s x%d, 0x%x, x%d  # %s" % (rng.choice(["csrrs", "csrrc"]), self.reg(),
                                                  CSR[name], t, name))
            return
        if m == "VS":
            if k < 0.55:
                name = rng.choice(S_READ)
                if name == "satp":
                    # the same value back: only VTVM makes a difference
                    self.csr_op(name, self.vsatp if rng.random() < 0.5 else None)
                    if rng.random() < 0.5:
                        t = self.reg()
                        self.li(t, self.vsatp)
                        self.emit("csrrw x%d, 0x180, x%d  # satp" % (self.reg(), t))
                elif name in ("sstatus", "sip", "sscratch", "sepc", "scause", "stval"):
                    v = self.csr_value(name)
                    if name == "sstatus":
                        v &= ~2         # never vsstatus.SIE from VS
                    self.csr_op(name, v if rng.random() < 0.6 else None)
                else:
                    self.csr_op(name)
            elif k < 0.8:
                self.csr_op(rng.choice(H_READ))
            elif k < 0.9:
                self.csr_op(rng.choice(M_READ))
            else:
                self.csr_op(rng.choice(COUNTERS))
        elif m == "HS":
            if k < 0.3:
                name = rng.choice(S_READ)
                if name in ("sstatus", "sie", "sip", "sscratch", "sepc", "scause", "stval") \
                        and rng.random() < 0.6:
                    self.csr_op(name, self.csr_value(name))
                else:
                    self.csr_op(name)
            elif k < 0.8:
                # not htval/htinst: 0 or not is the implementation's choice
                name = rng.choice([n for n in H_READ if n not in ("htval", "htinst")] +
                                  ["vsatp", "hgatp"])
                if name in ("vsatp", "hgatp") and rng.random() < 0.6:
                    cur = self.vsatp if name == "vsatp" else self.hgatp
                    # the same value, Bare, or another supported mode on the
                    # same root (no unsupported MODE: README.md)
                    other = (rng.choice([8, 9, 10]) << 60) | (cur & ((1 << 44) - 1))
                    v = rng.choice([cur, cur, 0, other if cur else 0])
                    t = self.reg()
                    self.li(t, v)
                    self.emit("csrrw x%d, 0x%x, x%d  # %s" % (self.reg(), CSR[name], t, name))
                    if name == "vsatp":
                        self.emit("hfence.vvma zero, zero")
                    else:
                        self.emit("hfence.gvma zero, zero")
                elif name in ("hstatus", "hie", "hip", "hvip", "vsstatus", "vsie", "vsip",
                              "vsscratch", "vsepc", "vscause", "vstval") and rng.random() < 0.6:
                    self.csr_op(name, self.csr_value(name))
                else:
                    self.csr_op(name)
            elif k < 0.9:
                self.csr_op(rng.choice(M_READ))
            else:
                self.csr_op(rng.choice(COUNTERS))
        else:   # VU, U: every access but counters traps
            if k < 0.85:
                self.csr_op(rng.choice(S_READ + H_READ + M_READ))
            else:
                self.csr_op(rng.choice(COUNTERS))

    def op_priv(self):
        rng = self.rng
        m = self.mode
        if m == "M":
            self.emit(rng.choice(["ecall", "ebreak"]))
            return
        choices = ["ecall", "ebreak", "mret", "hfence.vvma zero, zero", "hfence.gvma zero, zero",
                   "sfence.vma zero, zero"]
        if m in ("VU", "U") or (m == "HS" and self.tsr) or (m == "VS" and self.vtsr):
            choices.append("sret")       # only where it traps: never a real sret
        if m != "HS" or self.tw:
            if not (m == "VS" and not self.tw and not self.vtw):
                choices.append("wfi")    # only where it traps (README.md)
        if m == "HS":
            choices += ["hfence.vvma x%d, zero" % self.reg(), "hfence.gvma x%d, zero" % self.reg()]
        self.emit(rng.choice(choices))

    def code(self, n_ops):
        rng = self.rng
        self.scratch = {"VS": VA_IMAGE, "VU": VA_ALIAS}.get(self.mode, IMAGE_PA)
        if self.mode in ("VS", "VU") and not self.vmode:
            self.scratch = IMAGE_PA
        if self.mode == "M" and self.mprv_v and self.vmode:
            self.scratch = VA_IMAGE if self.mprv_pp else VA_ALIAS
        for r in range(1, 32):
            if self.mode != "M" or r not in (3, 4):
                self.li(r, self.value())
        m = self.mode
        if m == "M":
            self.emit("li tp, 0x%x" % ((self.mprv_pp << 11) | (self.mprv_v << 39)))
            self.emit("li gp, 0x%x" % ((3 << 11) | (1 << 39)))
            self.emit("csrc mstatus, gp")
            self.emit("csrs mstatus, tp")
            self.emit("li gp, 0x%x" % (1 << 17))
            self.emit("csrs mstatus, gp  # MPRV")
        if m in ("VS", "VU"):
            table = [(40, "mem"), (25, "csr"), (10, "priv"), (8, "fetch"), (10, "alu")]
        elif m == "HS":
            table = [(40, "hlv"), (8, "mem"), (30, "csr"), (8, "priv"), (10, "alu")]
        elif m == "M":
            table = [(45, "mem"), (20, "hlv"), (15, "csr"), (3, "priv"), (10, "alu")]
        else:
            table = [(40 if self.hu else 10, "hlv"), (10, "mem"), (20, "csr"), (10, "priv"),
                     (12, "alu")]
        for n in range(n_ops):
            if self.limit is not None and n >= self.limit:
                break       # reduce.sh: the first LIMIT operations only
            k = wpick(rng, table)
            if k == "mem":
                self.op_mem("guest" if m in ("VS", "VU") or (m == "M" and self.mprv_v) else "phys")
            elif k == "hlv":
                self.op_hlv()
            elif k == "csr":
                self.op_csr()
            elif k == "priv":
                self.op_priv()
            elif k == "fetch":
                self.op_fetch()
            else:
                self.op_alu()

    def source(self):
        n = self.index
        mpp, mpv = MODES[self.mode]
        entry = "case_%d" % n
        if self.mode == "VU" and self.vmode:
            entry += " + 0x%x" % (VA_ALIAS - VA_IMAGE)
        mname = self.mode
        if mname == "M":
            mname = "M MPRV MPP=%s MPV=%d" % ("SU"[self.mprv_pp == 0], self.mprv_v)
        out = ["# ---- case %d: %s, hgatp %s, vsatp %s ----" % (
            n, mname, {0: "Bare", 3: "Sv39x4", 4: "Sv48x4", 5: "Sv57x4"}[self.gmode],
            {0: "Bare", 3: "Sv39", 4: "Sv48", 5: "Sv57"}[self.vmode])]
        out.append("        .section .text.cases, \"ax\"")
        out.append("        .balign 4")
        out.append("case_%d:" % n)
        out += self.lines
        out.append("        li a6, 0x%x" % MAGIC_A6)
        out.append("        li a7, 0x%x" % MAGIC_A7)
        out.append("        ecall")
        out.append("1:      j 1b")
        out.append("        .section .rodata.cases, \"a\"")
        out.append("        .balign 8")
        out.append("case_%d_desc:" % n)
        fields = [n, entry, (mpp << 11) | (mpv << 39), self.mstatus, self.medeleg, self.hedeleg,
                  self.mideleg, self.hideleg, self.hstatus, self.vsstatus, self.hgatp, self.vsatp,
                  self.mcounteren, self.hcounteren, self.scounteren, self.menvcfg, self.henvcfg,
                  self.hie, self.hvip, self.seed, len(self.ptw), "case_%d_ptw" % n]
        for f in fields:
            out.append("        .dword %s" % (f if isinstance(f, str) else "0x%x" % f))
        out.append("case_%d_ptw:" % n)
        for a, v in self.ptw:
            out.append("        .dword 0x%x, 0x%x" % (a, v))
        return "\n".join(out) + "\n"


def program(seed, prog, n_cases, n_ops, only=None, limit=None):
    parts = ["# generated by tests/diffh/gen.py --seed %d: program %d (do not edit)" % (seed, prog),
             "        .option norvc", "        .option arch, +h"]
    idx = []
    for c in range(n_cases) if only is None else [only]:
        rng = random.Random("diffh-%d-%d-%d" % (seed, prog, c))
        case = Case(rng, c, n_ops, limit)
        parts.append(case.source())
        idx.append(c)
    parts.append("        .section .rodata.cases, \"a\"")
    parts.append("        .balign 8")
    parts.append("        .globl case_count, case_table, dump_hstatus_mask")
    parts.append("dump_hstatus_mask: .dword 0x%x" % (u64(~(1 << 7)) if "spv" in AVOID else MASK64))
    parts.append("case_count: .dword %d" % len(idx))
    parts.append("case_table:")
    for c in idx:
        parts.append("        .dword case_%d_desc" % c)
    return "\n".join(parts) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--programs", type=int, default=40)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--ops", type=int, default=80)
    ap.add_argument("--out", required=True)
    ap.add_argument("--single", type=int, nargs=2, metavar=("PROGRAM", "CASE"),
                    help="write only case CASE of program PROGRAM to the file --out")
    ap.add_argument("--limit", type=int, help="with --single: only the first LIMIT operations")
    ap.add_argument("--avoid", default="", help="comma-separated: " + ", ".join(sorted(AVOIDABLE)))
    a = ap.parse_args()
    for k in filter(None, a.avoid.split(",")):
        if k not in AVOIDABLE:
            ap.error("--avoid: unknown '%s' (known: %s)" % (k, ", ".join(sorted(AVOIDABLE))))
        AVOID.add(k)
    if a.single:
        text = program(a.seed, a.single[0], a.cases, a.ops, a.single[1], a.limit)
        with open(a.out, "w") as f:
            f.write(text)
        print(a.out)
        return
    os.makedirs(a.out, exist_ok=True)
    for p in range(a.first, a.first + a.programs):
        path = os.path.join(a.out, "rand_%03d.S" % p)
        text = program(a.seed, p, a.cases, a.ops)
        try:
            with open(path) as f:
                same = f.read() == text
        except OSError:
            same = False
        if not same:
            with open(path + ".tmp", "w") as f:
                f.write(text)
            os.replace(path + ".tmp", path)
        print(path)


if __name__ == "__main__":
    main()
