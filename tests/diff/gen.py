#!/usr/bin/env python3
"""Random instruction-sequence generator for rivet's differential tests.

usage: gen.py [--seed S] [--cases N] [--per-elf K] [--insns M] --out DIR
       gen.py [--seed S] [--insns M] --single C [--limit K] --out FILE
       gen.py [--seed S] [--insns M] --single C --show-group K --out -

Writes DIR/rand_NNN.S, each holding K random cases (the last one may hold
fewer), and prints the names of the files it wrote.  Each file is linked with
tests/diff/rand_rt.S, which provides the start-up code, the trap handler and
the init/dump routines the cases call.

A case is:
  * a header line "case <index>" on the UART (printed by the runtime),
  * register set-up from a per-case data blob: fcsr (random frm/fflags), all
    32 FP registers, all integer registers but sp/s0, and the 128-byte scratch
    buffer, every value drawn from a pool biased towards edge cases,
  * M random instructions,
  * a dump of x1..x31, f0..f31, fcsr, the scratch buffer and the trap log.

Everything is a pure function of (seed, case index): the same arguments give
byte-identical files, so QEMU's outputs can be cached by ELF hash.

Register conventions inside a case (the runtime relies on them):
  s0 (x8) = scratch buffer, sp (x2) = scratch buffer + 64.  Neither is ever a
  destination; every other register (x1, gp, tp included) is fair game, since
  the runtime re-initialises everything before each case and the dump saves
  all registers before it uses any.
"""

import argparse
import hashlib
import itertools
import multiprocessing
import os
import random
import sys

MASK64 = (1 << 64) - 1
BUF_SIZE = 128          # scratch buffer, s0 points at its start
SP_OFF = 64             # sp points at buf + 64
RESERVED = {2, 8}       # sp, s0: never written by random code
INT_DESTS = [r for r in range(1, 32) if r not in RESERVED]
CREGS = list(range(8, 16))            # registers a compressed rd'/rs' can name
CDESTS = [r for r in CREGS if r not in RESERVED]

RM_NAMES = ["rne", "rtz", "rdn", "rup", "rmm", None, None, "dyn"]
VALID_RMS = [0, 1, 2, 3, 4, 7]


def u64(v):
    return v & MASK64


def sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


# ---------------------------------------------------------------------------
# Value pools.  Edge values dominate because that is where emulators differ;
# fully random values keep some coverage of the boring middle.

INT_EDGES = [
    0, 1, 2, 3, MASK64, u64(-2), 0x7fffffff, 0x80000000, u64(-0x80000000),
    0xffffffff, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001,
    0x7ffffffffffffffe, 0x100000000, 0xffffffff00000000, 0x00000000fffffffe,
    0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x0101010101010101,
    0x8080808080808080, 0x00ff00ff00ff00ff, 0x0123456789abcdef,
    31, 32, 33, 63, 64, 65, 127, 128, 255, 256, 0xffff, 0x8000, 0x7fff,
    u64(-0x8000), 0x80, u64(-0x80), 0x7f,
    # values near the integer/float conversion boundaries
    (1 << 53) + 1, (1 << 24) + 1, 0x7fffffc0, 0x7fffff80, 0xffffffc0,
    u64(-(1 << 53) - 1), 0x7ffffffffffffc00, 0xfffffffffffff800,
]

DOUBLE_EDGES = [
    0x0000000000000000, 0x8000000000000000,           # +-0
    0x7ff0000000000000, 0xfff0000000000000,           # +-inf
    0x7ff8000000000000, 0xfff8000000000000,           # qNaN (canonical, neg)
    0x7ff8000000000123, 0x7fffffffffffffff,           # qNaN with payload
    0x7ff0000000000001, 0x7ff4000000000000,           # sNaN
    0xfff0000000000001, 0x7ff7ffffffffffff,
    0x0000000000000001, 0x000fffffffffffff,           # subnormals
    0x8000000000000001, 0x8008000000000000,
    0x0010000000000000, 0x8010000000000000,           # min normal
    0x7fefffffffffffff, 0xffefffffffffffff,           # max normal
    0x3ff0000000000000, 0xbff0000000000000,           # +-1.0
    0x3ff0000000000001, 0x3fefffffffffffff,           # 1 +- ulp
    0x4000000000000000, 0x3fe0000000000000,           # 2.0, 0.5
    0x3ff8000000000000, 0xbff8000000000000,           # +-1.5 (ties)
    0x4004000000000000, 0xbfe0000000000000,           # 2.5, -0.5
    0x4340000000000000, 0x4330000000000001,           # 2^53, 2^52+1
    0x43e0000000000000, 0x43dfffffffffffff,           # 2^63, below
    0xc3e0000000000000, 0xc3e0000000000001,           # -2^63, below
    0x43f0000000000000, 0x43efffffffffffff,           # 2^64, below
    0x41e0000000000000, 0x41dfffffffe00000,           # 2^31, 2^31-0.5
    0x41dfffffffc00000, 0x41efffffffe00000,           # 2^31-1, 2^32-1
    0x41f0000000000000, 0xc1e0000000000000,           # 2^32, -2^31
    0xc1e0000000200000, 0xc1e00000001fffff,           # -2^31-1, -2^31-0.99..
    # doubles at single-precision boundaries (fcvt.s.d rounding/overflow)
    0x47efffffe0000000, 0x47effffff0000000,           # FLT_MAX, half ulp above
    0x47efffffefffffff, 0x3810000000000000,           # just below, FLT_MIN
    0x380fffffe0000000, 0x36a0000000000000,           # below FLT_MIN, 2^-149
    0x3690000000000000, 0x3ff0000010000000,           # 2^-150, 1+half ulp(s)
    0x3ff0000030000000, 0x3ff000000fffffff,
]

SINGLE_EDGES = [
    0x00000000, 0x80000000, 0x7f800000, 0xff800000,   # +-0, +-inf
    0x7fc00000, 0xffc00000, 0x7fc00123, 0x7fffffff,   # qNaN
    0x7f800001, 0x7fa00000, 0xff800001, 0x7fbfffff,   # sNaN
    0x00000001, 0x007fffff, 0x80000001, 0x80400000,   # subnormals
    0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,   # min/max normal
    0x3f800000, 0xbf800000, 0x3f800001, 0x3f7fffff,   # +-1, 1 +- ulp
    0x40000000, 0x3f000000, 0x3fc00000, 0xbfc00000,   # 2, .5, +-1.5
    0x40200000, 0xbf000000, 0x4b000000, 0x4b800000,   # 2.5, -.5, 2^23, 2^24
    0x4b000001, 0x4f000000, 0x4effffff, 0xcf000000,   # 2^31 etc.
    0xcf000001, 0x4f800000, 0x4f7fffff, 0x5f000000,   # 2^32, 2^63
    0x5effffff, 0xdf000000, 0xdf000001, 0x5f800000,   # 2^64
    0x5f7fffff, 0x33800000, 0x34000000, 0x3effffff,
]


def rand_int(rng):
    r = rng.random()
    if r < 0.40:
        return rng.choice(INT_EDGES)
    if r < 0.55:
        return u64(rng.randint(-40, 40))                          # small
    if r < 0.65:
        return u64(sext(rng.getrandbits(32), 32))                 # random int32
    if r < 0.72:
        return rng.getrandbits(32)                                # zero-extended
    if r < 0.80:
        return (rng.getrandbits(32) << 32) | rng.randint(0, 64)   # upper bits set
    if r < 0.86:
        return u64(1 << rng.randint(0, 63)) ^ (MASK64 if rng.random() < 0.3 else 0)
    if r < 0.92:
        return rand_fp(rng)         # FP bit patterns make fmv.d.x/w.x interesting
    return rng.getrandbits(64)


def rand_double(rng):
    r = rng.random()
    if r < 0.55:
        return rng.choice(DOUBLE_EDGES)
    if r < 0.80:    # "reasonable" magnitudes, so sums/products stay finite
        exp = rng.randint(1023 - 70, 1023 + 70)
        return (rng.getrandbits(1) << 63) | (exp << 52) | rng.getrandbits(52)
    if r < 0.90:    # short mantissas: exact results and exact ties are likely
        exp = rng.randint(1023 - 5, 1023 + 60)
        return (rng.getrandbits(1) << 63) | (exp << 52) | (rng.getrandbits(4) << 48)
    return rng.getrandbits(64)


def rand_single32(rng):
    r = rng.random()
    if r < 0.55:
        return rng.choice(SINGLE_EDGES)
    if r < 0.80:
        exp = rng.randint(127 - 40, 127 + 40)
        return (rng.getrandbits(1) << 31) | (exp << 23) | rng.getrandbits(23)
    if r < 0.90:
        exp = rng.randint(127 - 5, 127 + 40)
        return (rng.getrandbits(1) << 31) | (exp << 23) | (rng.getrandbits(4) << 19)
    return rng.getrandbits(32)


def rand_fp(rng):
    """A 64-bit FP register image: a double, a NaN-boxed single, or a single
    that is not properly NaN-boxed (must read as the canonical NaN)."""
    r = rng.random()
    if r < 0.45:
        return rand_double(rng)
    if r < 0.90:
        return 0xffffffff00000000 | rand_single32(rng)
    upper = rng.choice([0, 0xfffffffe, 0x7fffffff, rng.getrandbits(32)])
    return (upper << 32) | rand_single32(rng)


# ---------------------------------------------------------------------------
# Instruction generation.

def xr(r):
    return "x%d" % r


def fr(r):
    return "f%d" % r


class Case:
    """Generates the random body of one case."""

    # Relative weights of instruction groups.  A case multiplies a few of them
    # (its "focus") so that some cases hammer one area with long dependency
    # chains instead of spreading thinly over everything.
    GROUPS = {
        "alu": 10, "aluimm": 8, "word": 6, "muldiv": 6, "zba": 3, "zbb": 5,
        "zbc": 2, "zbs": 3, "comp": 8, "fparith": 8, "fma": 4, "fmisc": 6,
        "fcvt": 7, "fcsr": 2, "load": 5, "store": 5, "fmem": 3, "amo": 3,
        "lrsc": 1, "branch": 4, "jump": 2, "loop": 1.5, "sync": 0.5, "trap": 0.6,
    }

    def __init__(self, rng, index, n_insns):
        self.rng = rng
        self.index = index
        self.n_insns = n_insns
        self.label_no = 0
        self.sc_done = False     # an SC has run, so no reservation is held
        weights = dict(self.GROUPS)
        for g in rng.sample(sorted(weights), rng.randint(1, 3)):
            weights[g] *= 6
        self.groups = sorted(weights)
        self.cum_weights = list(itertools.accumulate(weights[g] for g in self.groups))
        # A small "hot" register set per case, so results feed later
        # instructions instead of being overwritten unread.
        self.hot_x = rng.sample(INT_DESTS, 8)
        self.hot_f = rng.sample(range(32), 8)
        self.protect = set()     # loop counter: not a destination inside its loop

    # -- operand pickers -----------------------------------------------------
    def rd(self):
        if self.rng.random() < 0.03:
            return 0                     # writes to x0 must be discarded
        while True:
            r = self.rng.choice(self.hot_x if self.rng.random() < 0.7 else INT_DESTS)
            if r not in self.protect:
                return r

    def rs(self):
        r = self.rng.random()
        if r < 0.05:
            return 0
        if r < 0.7:
            return self.rng.choice(self.hot_x)
        return self.rng.randint(1, 31)

    def fd(self):
        if self.rng.random() < 0.7:
            return self.rng.choice(self.hot_f)
        return self.rng.randrange(32)

    fs = fd

    def temp(self, avoid=()):
        """A scratch destination for address computations and link registers."""
        while True:
            r = self.rng.choice(INT_DESTS)
            if r not in avoid and r not in self.protect:
                return r

    def imm12(self):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice([0, 1, -1, 2047, -2048, 2046, -2047, 0x7ff, 0x400, -0x400, 31, 32, 63, 64])
        if r < 0.7:
            return self.rng.randint(-32, 32)
        return self.rng.randint(-2048, 2047)

    def shamt(self, bits):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice([0, 1, bits - 1, bits // 2, bits // 2 - 1])
        return self.rng.randrange(bits)

    def rm(self):
        """A valid rounding-mode operand suffix (static mode or dyn)."""
        rm = self.rng.choice(VALID_RMS)
        return rm, RM_NAMES[rm]

    def label(self):
        self.label_no += 1
        return ".Lc%d_%d" % (self.index, self.label_no)

    def mem_off(self, size, base_sp=False, aligned=None):
        """Offset for a size-byte access that stays inside the scratch buffer.
        Misaligned offsets are common on purpose (RAM accesses complete)."""
        if aligned is None:
            aligned = self.rng.random() < 0.5
        lo, hi = (-SP_OFF, BUF_SIZE - SP_OFF - size) if base_sp else (0, BUF_SIZE - size)
        off = self.rng.randint(lo, hi)
        if aligned:
            off -= off % size
            if off < lo:
                off += size
        return off

    # -- groups --------------------------------------------------------------
    def g_alu(self):
        op = self.rng.choice(["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and"])
        a = self.rs()
        b = a if self.rng.random() < 0.1 else self.rs()
        return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(a), xr(b))]

    def g_aluimm(self):
        r = self.rng.random()
        if r < 0.1:
            return ["lui %s, 0x%x" % (xr(self.rd()), self.rng.choice([0, 0xfffff, 0x80000, 0x7ffff, self.rng.getrandbits(20)]))]
        if r < 0.15:
            return ["auipc %s, 0x%x" % (xr(self.rd()), self.rng.getrandbits(20))]
        if r < 0.45:
            op = self.rng.choice(["slli", "srli", "srai"])
            return ["%s %s, %s, %d" % (op, xr(self.rd()), xr(self.rs()), self.shamt(64))]
        op = self.rng.choice(["addi", "slti", "sltiu", "xori", "ori", "andi"])
        return ["%s %s, %s, %d" % (op, xr(self.rd()), xr(self.rs()), self.imm12())]

    def g_word(self):
        r = self.rng.random()
        if r < 0.4:
            op = self.rng.choice(["addw", "subw", "sllw", "srlw", "sraw"])
            return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(self.rs()), xr(self.rs()))]
        if r < 0.7:
            op = self.rng.choice(["slliw", "srliw", "sraiw"])
            return ["%s %s, %s, %d" % (op, xr(self.rd()), xr(self.rs()), self.shamt(32))]
        return ["addiw %s, %s, %d" % (xr(self.rd()), xr(self.rs()), self.imm12())]

    def g_muldiv(self):
        op = self.rng.choice(["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
                              "mulw", "divw", "divuw", "remw", "remuw"])
        b = 0 if self.rng.random() < 0.08 else self.rs()     # divide by zero
        return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(self.rs()), xr(b))]

    def g_zba(self):
        if self.rng.random() < 0.2:
            return ["slli.uw %s, %s, %d" % (xr(self.rd()), xr(self.rs()), self.shamt(64))]
        op = self.rng.choice(["sh1add", "sh2add", "sh3add", "add.uw", "sh1add.uw", "sh2add.uw", "sh3add.uw"])
        return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(self.rs()), xr(self.rs()))]

    def g_zbb(self):
        r = self.rng.random()
        if r < 0.35:
            op = self.rng.choice(["clz", "clzw", "ctz", "ctzw", "cpop", "cpopw", "sext.b", "sext.h",
                                  "zext.h", "orc.b", "rev8"])
            if op == "ctzw":
                # QEMU 7.2's ctzw counts into the upper word when the lower
                # one is zero (ctzw(1 << 36) = 36, not 32; see sig_quirks),
                # so its source is first made a sign- or zero-extended word.
                t = self.temp()
                ext = self.rng.choice(["addiw %s, %s, 0", "zext.w %s, %s", "sext.w %s, %s"])
                return [ext % (xr(t), xr(self.rs())), "ctzw %s, %s" % (xr(self.rd()), xr(t))]
            return ["%s %s, %s" % (op, xr(self.rd()), xr(self.rs()))]
        if r < 0.5:
            if self.rng.random() < 0.5:
                return ["rori %s, %s, %d" % (xr(self.rd()), xr(self.rs()), self.shamt(64))]
            return ["roriw %s, %s, %d" % (xr(self.rd()), xr(self.rs()), self.shamt(32))]
        op = self.rng.choice(["andn", "orn", "xnor", "max", "maxu", "min", "minu", "rol", "rolw", "ror", "rorw"])
        return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(self.rs()), xr(self.rs()))]

    def g_zbc(self):
        op = self.rng.choice(["clmul", "clmulh", "clmulr"])
        return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(self.rs()), xr(self.rs()))]

    def g_zbs(self):
        op = self.rng.choice(["bclr", "bext", "binv", "bset"])
        if self.rng.random() < 0.5:
            return ["%si %s, %s, %d" % (op, xr(self.rd()), xr(self.rs()), self.shamt(64))]
        return ["%s %s, %s, %s" % (op, xr(self.rd()), xr(self.rs()), xr(self.rs()))]

    def g_comp(self):
        """Compressed integer forms (plus c.fld/c.fsd and their sp forms).
        The surrounding code is assembled with .option norvc so 32-bit
        instructions stay 32-bit; each compressed one is wrapped in rvc."""
        rng = self.rng
        nz = lambda lo, hi: rng.choice([v for v in range(lo, hi + 1) if v != 0])
        rd_nz = lambda: self.temp() if rng.random() < 0.4 else self.rd() or self.temp()
        cd = lambda: rng.choice([r for r in CDESTS if r not in self.protect])
        cs = lambda: rng.choice(CREGS)
        choice = rng.randrange(24)
        if choice == 0:
            ins = "c.addi %s, %d" % (xr(rd_nz()), nz(-32, 31))
        elif choice == 1:
            ins = "c.addiw %s, %d" % (xr(rd_nz()), rng.randint(-32, 31))
        elif choice == 2:
            ins = "c.li %s, %d" % (xr(rd_nz()), rng.randint(-32, 31))
        elif choice == 3:
            imm = rng.choice([rng.randint(1, 31), rng.randint(0xfffe0, 0xfffff)])
            ins = "c.lui %s, 0x%x" % (xr(rd_nz()), imm)
        elif choice == 4:
            ins = "c.addi4spn %s, sp, %d" % (xr(cd()), 4 * rng.randint(1, 255))
        elif choice == 5:
            ins = "c.slli %s, %d" % (xr(rd_nz()), rng.randint(1, 63))
        elif choice == 6:
            ins = "%s %s, %d" % (rng.choice(["c.srli", "c.srai"]), xr(cd()), rng.randint(1, 63))
        elif choice == 7:
            ins = "c.andi %s, %d" % (xr(cd()), rng.randint(-32, 31))
        elif choice == 8:
            ins = "c.mv %s, %s" % (xr(rd_nz()), xr(rng.randint(1, 31)))
        elif choice == 9:
            ins = "c.add %s, %s" % (xr(rd_nz()), xr(rng.randint(1, 31)))
        elif choice in (10, 11):
            op = rng.choice(["c.and", "c.or", "c.xor", "c.sub", "c.addw", "c.subw"])
            ins = "%s %s, %s" % (op, xr(cd()), xr(cs()))
        elif choice == 12:
            ins = "c.lw %s, %d(s0)" % (xr(cd()), 4 * rng.randint(0, 31))
        elif choice == 13:
            ins = "c.ld %s, %d(s0)" % (xr(cd()), 8 * rng.randint(0, 15))
        elif choice == 14:
            ins = "c.sw %s, %d(s0)" % (xr(cs()), 4 * rng.randint(0, 31))
        elif choice == 15:
            ins = "c.sd %s, %d(s0)" % (xr(cs()), 8 * rng.randint(0, 15))
        elif choice == 16:
            ins = "%s %s, %d(s0)" % (rng.choice(["c.fld", "c.fsd"]), fr(rng.randint(8, 15)), 8 * rng.randint(0, 15))
        elif choice == 17:
            ins = "c.lwsp %s, %d(sp)" % (xr(rd_nz()), 4 * rng.randint(0, 15))
        elif choice == 18:
            ins = "c.ldsp %s, %d(sp)" % (xr(rd_nz()), 8 * rng.randint(0, 7))
        elif choice == 19:
            ins = "c.swsp %s, %d(sp)" % (xr(rng.randint(0, 31)), 4 * rng.randint(0, 15))
        elif choice == 20:
            ins = "c.sdsp %s, %d(sp)" % (xr(rng.randint(0, 31)), 8 * rng.randint(0, 7))
        elif choice == 21:
            ins = "%s %s, %d(sp)" % (rng.choice(["c.fldsp", "c.fsdsp"]), fr(self.fd()), 8 * rng.randint(0, 7))
        elif choice == 22:
            ins = "c.nop"
        else:
            ins = "c.mv %s, %s" % (xr(cd()), xr(cs()))
        return [".option rvc", ins, ".option norvc"]

    def g_fparith(self):
        fmt = self.rng.choice(["s", "d"])
        op = self.rng.choice(["fadd", "fsub", "fmul", "fdiv", "fsqrt", "fmin", "fmax"])
        if op in ("fmin", "fmax"):
            return ["%s.%s %s, %s, %s" % (op, fmt, fr(self.fd()), fr(self.fs()), fr(self.fs()))]
        _, rm = self.rm()
        if op == "fsqrt":
            return ["fsqrt.%s %s, %s, %s" % (fmt, fr(self.fd()), fr(self.fs()), rm)]
        a = self.fs()
        b = a if self.rng.random() < 0.1 else self.fs()
        return ["%s.%s %s, %s, %s, %s" % (op, fmt, fr(self.fd()), fr(a), fr(b), rm)]

    def g_fma(self):
        fmt = self.rng.choice(["s", "d"])
        op = self.rng.choice(["fmadd", "fmsub", "fnmadd", "fnmsub"])
        _, rm = self.rm()
        return ["%s.%s %s, %s, %s, %s, %s" % (op, fmt, fr(self.fd()), fr(self.fs()), fr(self.fs()), fr(self.fs()), rm)]

    def g_fmisc(self):
        fmt = self.rng.choice(["s", "d"])
        r = self.rng.randrange(6)
        if r == 0:
            op = self.rng.choice(["fsgnj", "fsgnjn", "fsgnjx"])
            a = self.fs()
            b = a if self.rng.random() < 0.25 else self.fs()    # rs1==rs2: fmv/fneg/fabs
            return ["%s.%s %s, %s, %s" % (op, fmt, fr(self.fd()), fr(a), fr(b))]
        if r == 1:
            return ["fclass.%s %s, %s" % (fmt, xr(self.rd()), fr(self.fs()))]
        if r == 2:
            op = self.rng.choice(["feq", "flt", "fle"])
            return ["%s.%s %s, %s, %s" % (op, fmt, xr(self.rd()), fr(self.fs()), fr(self.fs()))]
        if r == 3:
            op = "fmv.x.w" if fmt == "s" else "fmv.x.d"
            return ["%s %s, %s" % (op, xr(self.rd()), fr(self.fs()))]
        if r == 4:
            op = "fmv.w.x" if fmt == "s" else "fmv.d.x"
            return ["%s %s, %s" % (op, fr(self.fd()), xr(self.rs()))]
        op = self.rng.choice(["fmin", "fmax"])
        return ["%s.%s %s, %s, %s" % (op, fmt, fr(self.fd()), fr(self.fs()), fr(self.fs()))]

    def g_fcvt(self):
        rng = self.rng
        r = rng.randrange(5)
        rmv, rm = self.rm()
        if r <= 1:      # float -> int, all rounding modes matter
            it = rng.choice(["w", "wu", "l", "lu"])
            ft = rng.choice(["s", "d"])
            return ["fcvt.%s.%s %s, %s, %s" % (it, ft, xr(self.rd()), fr(self.fs()), rm)]
        if r == 2:      # int -> float
            it = rng.choice(["w", "wu", "l", "lu"])
            ft = rng.choice(["s", "d"])
            if ft == "d" and it in ("w", "wu"):
                # Exact conversion; binutils 2.40 takes no rm operand, so any
                # rm other than the default 000 is encoded by hand.
                return [".insn r 0x53, %d, 0x69, %s, %s, x%d" % (rmv, fr(self.fd()), xr(self.rs()), 0 if it == "w" else 1)]
            return ["fcvt.%s.%s %s, %s, %s" % (ft, it, fr(self.fd()), xr(self.rs()), rm)]
        if r == 3:
            return ["fcvt.s.d %s, %s, %s" % (fr(self.fd()), fr(self.fs()), rm)]
        # fcvt.d.s is exact too (rm still must be legal).
        return [".insn r 0x53, %d, 0x21, %s, %s, x0" % (rmv, fr(self.fd()), fr(self.fs()))]

    def g_fcsr(self):
        rng = self.rng
        r = rng.randrange(9)
        if r == 0:
            return ["frflags %s" % xr(self.rd())]
        if r == 1:
            return ["fsflags %s, %s" % (xr(self.rd()), xr(self.rs()))]
        if r == 2:
            return ["fsflagsi %s, %d" % (xr(self.rd()), rng.randrange(32))]
        if r == 3:
            return ["frrm %s" % xr(self.rd())]
        if r == 4:
            # Mostly valid modes; 5..7 make later dynamic-rm ops trap.
            m = rng.randrange(5) if rng.random() < 0.9 else rng.randint(5, 7)
            return ["fsrmi %s, %d" % (xr(self.rd()), m)]
        if r == 5:
            return ["frcsr %s" % xr(self.rd())]
        if r == 6:
            # Only a register whose low 3 bits name a valid mode, usually;
            # andi into a temp keeps the random source but bounds the mode.
            t = self.temp()
            return ["andi %s, %s, 0x%x" % (xr(t), xr(self.rs()), rng.choice([0x9f, 0x7f, 0x3f])),
                    "fscsr %s, %s" % (xr(self.rd()), xr(t))]
        if r == 7:
            op = rng.choice(["csrrs", "csrrc"])
            return ["%s %s, fflags, %s" % (op, xr(self.rd()), xr(self.rs()))]
        return ["csrrci %s, fflags, %d" % (xr(self.rd()), rng.randrange(32))]

    def _base(self):
        return (2, True) if self.rng.random() < 0.3 else (8, False)

    def g_load(self):
        op, size = self.rng.choice([("lb", 1), ("lbu", 1), ("lh", 2), ("lhu", 2), ("lw", 4), ("lwu", 4), ("ld", 8)])
        base, is_sp = self._base()
        return ["%s %s, %d(%s)" % (op, xr(self.rd()), self.mem_off(size, is_sp), xr(base))]

    def g_store(self):
        op, size = self.rng.choice([("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)])
        base, is_sp = self._base()
        return ["%s %s, %d(%s)" % (op, xr(self.rs()), self.mem_off(size, is_sp), xr(base))]

    def g_fmem(self):
        op, size = self.rng.choice([("flw", 4), ("fld", 8), ("fsw", 4), ("fsd", 8)])
        base, is_sp = self._base()
        return ["%s %s, %d(%s)" % (op, fr(self.fd()), self.mem_off(size, is_sp), xr(base))]

    def _ordering(self):
        return self.rng.choice(["", "", ".aq", ".rl", ".aqrl"])

    def g_amo(self):
        rng = self.rng
        op = rng.choice(["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu"])
        w = rng.choice(["w", "d"])
        size = 4 if w == "w" else 8
        if rng.random() < 0.3:        # straight off a reserved base register
            return ["%s.%s%s %s, %s, (%s)" % (op, w, self._ordering(), xr(self.rd()), xr(self.rs()), rng.choice(["s0", "sp"]))]
        t = self.temp()
        off = self.mem_off(size, aligned=True)
        return ["addi %s, s0, %d" % (xr(t), off),
                "%s.%s%s %s, %s, (%s)" % (op, w, self._ordering(), xr(self.rd()), xr(self.rs()), xr(t))]

    def g_lrsc(self):
        """LR/SC to the same address with only ALU work between them, which
        both QEMU and the spec's constrained-loop rules make succeed; or a
        lone SC once an earlier SC has dropped any reservation, which must
        fail.  Nothing that depends on reservation-set size or on stores
        between LR and SC is generated."""
        rng = self.rng
        w = rng.choice(["w", "d"])
        size = 4 if w == "w" else 8
        t = self.temp()
        off = self.mem_off(size, aligned=True)
        out = ["addi %s, s0, %d" % (xr(t), off)]
        if self.sc_done and rng.random() < 0.3:
            out.append("sc.%s%s %s, %s, (%s)" % (w, self._ordering(), xr(self.temp()), xr(self.rs()), xr(t)))
            return out
        out.append("lr.%s%s %s, (%s)" % (w, self._ordering(), xr(self.temp(avoid=(t,))), xr(t)))
        for _ in range(rng.randint(0, 2)):
            op = rng.choice(["add", "xor", "sub", "or"])
            out.append("%s %s, %s, %s" % (op, xr(self.temp(avoid=(t,))), xr(self.rs()), xr(self.rs())))
        out.append("sc.%s%s %s, %s, (%s)" % (w, self._ordering(), xr(self.temp()), xr(self.rs()), xr(t)))
        self.sc_done = True
        return out

    SIMPLE = ["alu", "aluimm", "word", "muldiv", "zba", "zbb", "zbc", "zbs", "comp", "fparith",
              "fma", "fmisc", "fcvt", "load", "store", "fmem"]

    def skipped_body(self):
        """0..3 simple instructions that a forward branch may jump over."""
        out = []
        for _ in range(self.rng.randint(0, 3)):
            out += getattr(self, "g_" + self.rng.choice(self.SIMPLE))()
        return out

    def g_branch(self):
        rng = self.rng
        lab = self.label()
        if rng.random() < 0.25:
            op = rng.choice(["c.beqz", "c.bnez"])
            head = [".option rvc", "%s %s, %s" % (op, xr(rng.choice(CREGS)), lab), ".option norvc"]
        else:
            op = rng.choice(["beq", "bne", "blt", "bge", "bltu", "bgeu"])
            a = self.rs()
            b = a if rng.random() < 0.2 else self.rs()     # equal operands: decided outcome
            head = ["%s %s, %s, %s" % (op, xr(a), xr(b), lab)]
        return head + self.skipped_body() + [lab + ":"]

    def g_jump(self):
        """Forward jumps; link registers receive absolute addresses, which are
        the same on both emulators because the ELF is the same."""
        rng = self.rng
        lab = self.label()
        r = rng.randrange(6)
        if r == 0:
            head = ["jal %s, %s" % (xr(self.rd()), lab)]
        elif r == 1:
            head = [".option rvc", "c.j %s" % lab, ".option norvc"]
        else:
            t = self.temp()
            head = ["la %s, %s" % (xr(t), lab)]
            if r == 2:
                head.append("jalr %s, 0(%s)" % (xr(self.rd()), xr(t)))
            elif r == 3:
                # jalr clears bit 0 of the target: label + 1 lands on the label
                head.append("jalr %s, 1(%s)" % (xr(self.rd()), xr(t)))
            elif r == 4:
                head += [".option rvc", "c.jr %s" % xr(t), ".option norvc"]
            else:
                head += [".option rvc", "c.jalr %s" % xr(t), ".option norvc"]
        return head + self.skipped_body() + [lab + ":"]

    def g_trap(self):
        """Instructions that trap in well-defined ways.  The runtime's handler
        logs mcause/mtval/mepc and resumes after the instruction."""
        rng = self.rng
        r = rng.randrange(7)
        if r == 0:
            return ["ecall"]
        if r == 1:
            return ["ebreak"]
        if r == 2:
            return [".option rvc", "c.ebreak", ".option norvc"]
        if r == 3:
            return ["unimp"]                   # csrrw x0, cycle, x0: read-only CSR write
        if r == 4:
            return [".half 0"]                 # the all-zero (defined illegal) parcel
        # Reserved static rounding modes 5/6 on a rounding instruction.
        fmt = rng.randrange(2)
        f7 = rng.choice([0x00, 0x04, 0x08, 0x0c]) | fmt
        return [".insn r 0x53, %d, 0x%x, %s, %s, %s" % (rng.choice([5, 6]), f7, fr(self.fd()), fr(self.fs()), fr(self.fs()))]

    def g_loop(self):
        """A short counted loop (1..4 iterations) around a few simple
        instructions: backward branches, and the same instructions executed
        again on changed values (a decode or translation cache must cope)."""
        rng = self.rng
        cnt = self.temp()
        lab = self.label()
        self.protect.add(cnt)
        body = []
        for _ in range(rng.randint(1, 4)):
            body += getattr(self, "g_" + rng.choice(self.SIMPLE))()
        self.protect.discard(cnt)
        br = rng.choice(["bnez", "bgtz"] + (["c.bnez"] if cnt in CREGS else []))
        tail = ["addi %s, %s, -1" % (xr(cnt), xr(cnt))]
        if br == "c.bnez":
            tail += [".option rvc", "c.bnez %s, %s" % (xr(cnt), lab), ".option norvc"]
        else:
            tail.append("%s %s, %s" % (br, xr(cnt), lab))
        return ["li %s, %d" % (xr(cnt), rng.randint(1, 4)), lab + ":"] + body + tail

    def g_sync(self):
        """Ordering instructions: architecturally no-ops here, but they must
        decode (fence.i must also not disturb anything)."""
        return [self.rng.choice(["fence", "fence rw, rw", "fence r, w", "fence.i", "fence.tso",
                                 "fence iorw, iorw", "nop"])]

    def body(self):
        """The case's instructions, as a list of groups (one group = one
        draw: a single instruction or a sequence such as a branch with the
        instructions it may skip)."""
        out = []
        for _ in range(self.n_insns):
            g = self.rng.choices(self.groups, cum_weights=self.cum_weights)[0]
            out.append(getattr(self, "g_" + g)())
        return out


# ---------------------------------------------------------------------------
# File emission.

def case_blob(rng):
    """fcsr, f0..f31, x1..x31 (x2/x8 placeholders), 16 buffer dwords."""
    frm = rng.randrange(5) if rng.random() < 0.95 else rng.randint(5, 7)
    vals = [(frm << 5) | rng.randrange(32)]
    vals += [rand_fp(rng) for _ in range(32)]
    vals += [0 if r in RESERVED else rand_int(rng) for r in range(1, 32)]
    vals += [rand_int(rng) if rng.random() < 0.5 else rand_fp(rng) for _ in range(BUF_SIZE // 8)]
    return vals


def emit_file(seed, first, count, n_insns, limit=None):
    """Assembly for cases first..first+count-1.  With `limit`, each case keeps
    only its first `limit` instruction groups (used by reduce.sh to find the
    first instruction after which two emulators disagree)."""
    lines = [
        "/* Generated by tests/diff/gen.py --seed %d: cases %d..%d.  Do not edit. */" % (seed, first, first + count - 1),
        "#include \"rand_rt.h\"",
        "        .option norvc           /* 32-bit encodings unless asked for c.* */",
        "        .option norelax         /* keep the code exactly as written */",
        "        .text",
        "        .globl run_cases",
        "run_cases:",
    ]
    data = ["        .section .rodata", "        .balign 8"]
    for i in range(first, first + count):
        rng = random.Random(seed * 1000003 + i)
        blob = case_blob(rng)
        case = Case(rng, i, n_insns)
        lines += [
            "/* ---- case %d ---- */" % i,
            "        CASE_BEGIN %d, blob_%d" % (i, i),
        ]
        groups = case.body()
        if limit is not None:
            groups = groups[:limit]
        lines += ["        " + l if not l.endswith(":") else l for grp in groups for l in grp]
        lines.append("        CASE_END")
        data.append("blob_%d:" % i)
        data += ["        .dword 0x%016x" % v for v in blob]
    lines.append("        j all_done")
    return "\n".join(lines + data) + "\n"


def write_file(job):
    """Generate one source file; rewrite it only if its text changed, so
    make-style timestamp checks downstream stay cheap."""
    path, seed, first, count, n_insns = job
    text = emit_file(seed, first, count, n_insns)
    old = None
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if old != text:
        with open(path, "w") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--per-elf", type=int, default=50)
    ap.add_argument("--insns", type=int, default=200)
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--single", type=int, metavar="C",
                    help="write only case C, to the file --out (for reduce.sh)")
    ap.add_argument("--limit", type=int, metavar="K",
                    help="with --single: keep only the first K instruction groups")
    ap.add_argument("--show-group", type=int, metavar="K",
                    help="with --single: print instruction group K (0-based) and exit")
    args = ap.parse_args()
    if args.single is not None:
        if args.show_group is not None:
            rng = random.Random(args.seed * 1000003 + args.single)
            case_blob(rng)
            groups = Case(rng, args.single, args.insns).body()
            print("\n".join(groups[args.show_group]) if args.show_group < len(groups) else "")
            return 0
        with open(args.out, "w") as f:
            f.write(emit_file(args.seed, args.single, 1, args.insns, args.limit))
        return 0
    os.makedirs(args.out, exist_ok=True)
    n_files = (args.cases + args.per_elf - 1) // args.per_elf
    jobs = []
    for k in range(n_files):
        first = k * args.per_elf
        count = min(args.per_elf, args.cases - first)
        jobs.append((os.path.join(args.out, "rand_%03d.S" % k), args.seed, first, count, args.insns))

    # The output is a pure function of the arguments and this script, so a
    # stamp of both lets a re-run skip generation altogether.
    with open(__file__, "rb") as f:
        me = hashlib.sha256(f.read()).hexdigest()
    stamp = "%s seed=%d cases=%d per_elf=%d insns=%d\n" % (me, args.seed, args.cases, args.per_elf, args.insns)
    stamp_path = os.path.join(args.out, ".gen-stamp")
    try:
        with open(stamp_path) as f:
            fresh = f.read() == stamp and all(os.path.exists(j[0]) for j in jobs)
    except OSError:
        fresh = False
    if not fresh:
        if os.path.exists(stamp_path):
            os.remove(stamp_path)
        if args.jobs > 1 and len(jobs) > 1:
            with multiprocessing.Pool(args.jobs) as pool:
                pool.map(write_file, jobs)
        else:
            for j in jobs:
                write_file(j)
        with open(stamp_path, "w") as f:
            f.write(stamp)
    for j in jobs:
        print(j[0])


if __name__ == "__main__":
    sys.exit(main())
