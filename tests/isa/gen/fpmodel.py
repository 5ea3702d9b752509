"""Exact reference model of RISC-V F/D arithmetic (spec 20191213), used to
generate expected result bits and fflags. Exact rationals, explicit rounding."""
from fractions import Fraction as Fr
from math import isqrt

NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16
RNE, RTZ, RDN, RUP, RMM = 0, 1, 2, 3, 4
RMNAMES = {'rne': 0, 'rtz': 1, 'rdn': 2, 'rup': 3, 'rmm': 4}

class Fmt:
    def __init__(s, e, m):
        s.e, s.m, s.p = e, m, m + 1
        s.bias = (1 << (e - 1)) - 1
        s.emin, s.emax = 1 - s.bias, s.bias
        s.w = e + m + 1
        s.qnan = ((1 << e) - 1) << m | 1 << (m - 1)
        s.inf = ((1 << e) - 1) << m
        s.sign = 1 << (e + m)
        s.maxf = s.inf - 1
S = Fmt(8, 23)
D = Fmt(11, 52)

def classify(f, b):
    sign = b >> (f.w - 1) & 1
    ex = b >> f.m & ((1 << f.e) - 1)
    man = b & ((1 << f.m) - 1)
    if ex == (1 << f.e) - 1:
        if man == 0: return ('inf', sign)
        return ('qnan' if man >> (f.m - 1) else 'snan', sign)
    if ex == 0:
        if man == 0: return ('zero', sign)
        return ('fin', Fr(man, 1 << (f.m)) * Fr(2) ** f.emin * (-1 if sign else 1))
    return ('fin', Fr((1 << f.m) | man, 1 << f.m) * Fr(2) ** (ex - f.bias) * (-1 if sign else 1))

def isnan(c): return c[0] in ('qnan', 'snan')

def value(c):
    """finite value or zero as Fraction (None for inf/nan)"""
    if c[0] == 'zero': return Fr(0)
    if c[0] == 'fin': return c[1]
    return None

def rnd_int(q, neg, mode):
    """round nonnegative Fraction q (a magnitude) to integer"""
    fl = q.numerator // q.denominator
    fr = q - fl
    if fr == 0: return fl
    if mode == RNE:
        if fr > Fr(1, 2) or (fr == Fr(1, 2) and fl & 1): return fl + 1
        return fl
    if mode == RTZ: return fl
    if mode == RDN: return fl + 1 if neg else fl
    if mode == RUP: return fl if neg else fl + 1
    if mode == RMM: return fl + 1 if fr >= Fr(1, 2) else fl
    raise ValueError

def ilog2(a):
    """floor(log2(a)) for positive Fraction"""
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fr(2) ** e > a: e -= 1
    if Fr(2) ** (e + 1) <= a: e += 1
    return e

def round_fmt(f, x, mode, exact_zero_sign=0):
    """round Fraction x to format f: returns (bits, flags). x == 0 gives a zero
    with sign exact_zero_sign."""
    if x == 0:
        return (f.sign if exact_zero_sign else 0), 0
    neg = x < 0
    a = -x if neg else x
    sbit = f.sign if neg else 0
    e = ilog2(a)
    # tininess after rounding: round with unbounded exponent
    q = a / Fr(2) ** (e - f.p + 1)
    m = rnd_int(q, neg, mode)
    eu = e + 1 if m == 1 << f.p else e
    tiny = eu < f.emin
    ee = max(e, f.emin)
    q = a / Fr(2) ** (ee - f.p + 1)
    m = rnd_int(q, neg, mode)
    inexact = q != m
    if m == 1 << f.p:
        m >>= 1; ee += 1
    flags = NX if inexact else 0
    if tiny and inexact: flags |= UF
    if ee > f.emax:
        flags |= OF | NX
        toinf = mode in (RNE, RMM) or (mode == RUP and not neg) or (mode == RDN and neg)
        return sbit | (f.inf if toinf else f.maxf), flags
    if m < 1 << (f.p - 1):
        return sbit | m, flags          # subnormal or zero? m>0 here unless rounding to 0
    return sbit | (ee + f.bias) << f.m | (m - (1 << (f.p - 1))), flags

def nan_result(f, *cs):
    fl = NV if any(c[0] == 'snan' for c in cs) else 0
    return f.qnan, fl

def add(f, a, b, mode, sub=False):
    ca, cb = classify(f, a), classify(f, b)
    if sub:
        cb = (cb[0], -cb[1]) if cb[0] == 'fin' else (cb[0], cb[1] ^ 1)
    if isnan(ca) or isnan(cb): return nan_result(f, ca, cb)
    if ca[0] == 'inf' and cb[0] == 'inf':
        if ca[1] != cb[1]: return f.qnan, NV
        return f.inf | (f.sign if ca[1] else 0), 0
    if ca[0] == 'inf': return f.inf | (f.sign if ca[1] else 0), 0
    if cb[0] == 'inf': return f.inf | (f.sign if cb[1] else 0), 0
    if ca[0] == 'zero' and cb[0] == 'zero':
        zs = ca[1] & cb[1] if mode != RDN else ca[1] | cb[1]
        return (f.sign if zs else 0), 0
    x = value(ca) + value(cb)
    return round_fmt(f, x, mode, exact_zero_sign=(mode == RDN))

def mul(f, a, b, mode):
    ca, cb = classify(f, a), classify(f, b)
    if isnan(ca) or isnan(cb): return nan_result(f, ca, cb)
    sa = ca[1] if ca[0] != 'fin' else int(ca[1] < 0)
    sb = cb[1] if cb[0] != 'fin' else int(cb[1] < 0)
    s = f.sign if sa ^ sb else 0
    if (ca[0] == 'inf' and cb[0] == 'zero') or (ca[0] == 'zero' and cb[0] == 'inf'): return f.qnan, NV
    if ca[0] == 'inf' or cb[0] == 'inf': return s | f.inf, 0
    if ca[0] == 'zero' or cb[0] == 'zero': return s, 0
    return round_fmt(f, value(ca) * value(cb), mode)

def div(f, a, b, mode):
    ca, cb = classify(f, a), classify(f, b)
    if isnan(ca) or isnan(cb): return nan_result(f, ca, cb)
    sa = ca[1] if ca[0] != 'fin' else int(ca[1] < 0)
    sb = cb[1] if cb[0] != 'fin' else int(cb[1] < 0)
    s = f.sign if sa ^ sb else 0
    if ca[0] == 'inf' and cb[0] == 'inf': return f.qnan, NV
    if ca[0] == 'zero' and cb[0] == 'zero': return f.qnan, NV
    if ca[0] == 'inf': return s | f.inf, 0
    if cb[0] == 'inf': return s, 0
    if cb[0] == 'zero': return s | f.inf, DZ
    if ca[0] == 'zero': return s, 0
    return round_fmt(f, value(ca) / value(cb), mode)

def sqrt(f, a, mode):
    ca = classify(f, a)
    if isnan(ca): return nan_result(f, ca)
    if ca[0] == 'zero': return a, 0
    if ca[0] == 'inf':
        return (f.qnan, NV) if ca[1] else (f.inf, 0)
    x = ca[1]
    if x < 0: return f.qnan, NV
    k = 1200
    n = x * Fr(2) ** (2 * k)
    assert n.denominator == 1
    r = isqrt(n.numerator)
    if r * r == n.numerator: v = Fr(r, 2 ** k)
    else: v = Fr(2 * r + 1, 2 ** (k + 1))
    return round_fmt(f, v, mode)

def fma(f, a, b, c, mode, negprod=False, negc=False):
    ca, cb, cc = classify(f, a), classify(f, b), classify(f, c)
    fl = 0
    prod_invalid = (ca[0] == 'inf' and cb[0] == 'zero') or (ca[0] == 'zero' and cb[0] == 'inf')
    if isnan(ca) or isnan(cb) or isnan(cc):
        r, fl = nan_result(f, ca, cb, cc)
        if prod_invalid: fl |= NV
        return r, fl
    if prod_invalid: return f.qnan, NV
    sgn = lambda cl: cl[1] if cl[0] != 'fin' else int(cl[1] < 0)
    ps = sgn(ca) ^ sgn(cb) ^ int(negprod)
    cs = sgn(cc) ^ int(negc)
    pinf = ca[0] == 'inf' or cb[0] == 'inf'
    if pinf and cc[0] == 'inf' and ps != cs: return f.qnan, NV
    if pinf: return f.inf | (f.sign if ps else 0), 0
    if cc[0] == 'inf': return f.inf | (f.sign if cs else 0), 0
    pv = value(ca) * value(cb) * (-1 if negprod else 1)
    cv = value(cc) * (-1 if negc else 1)
    pzero = pv == 0
    if pzero and cv == 0:
        zs = (ps & cs) if mode != RDN else (ps | cs)
        return (f.sign if zs else 0), 0
    x = pv + cv
    return round_fmt(f, x, mode, exact_zero_sign=(mode == RDN))

def minmax(f, a, b, ismax):
    ca, cb = classify(f, a), classify(f, b)
    fl = NV if (ca[0] == 'snan' or cb[0] == 'snan') else 0
    if isnan(ca) and isnan(cb): return f.qnan, fl
    if isnan(ca): return b, fl
    if isnan(cb): return a, fl
    def key(bits, c):
        v = value(c)
        if c[0] == 'inf': v = None
        # order: -inf < ... < -0 < +0 < ... < inf
        if c[0] == 'inf': return (1 if not c[1] else -1, 0, 0)
        return (0, v, 0 if c[0] != 'zero' else (-1 if c[1] else 1))
    ka, kb = key(a, ca), key(b, cb)
    if ismax: return (a if ka >= kb else b), fl
    return (a if ka <= kb else b), fl

def cmp(f, a, b, op):
    ca, cb = classify(f, a), classify(f, b)
    if isnan(ca) or isnan(cb):
        if op == 'eq':
            return 0, NV if (ca[0] == 'snan' or cb[0] == 'snan') else 0
        return 0, NV
    def v(c):
        if c[0] == 'inf': return Fr(10) ** 400 * (-1 if c[1] else 1)
        return value(c)
    x, y = v(ca), v(cb)
    return int({'eq': x == y, 'lt': x < y, 'le': x <= y}[op]), 0

def fclass(f, a):
    c = classify(f, a)
    t, s = c[0], (c[1] if c[0] != 'fin' else int(c[1] < 0))
    if t == 'inf': return 1 << 0 if s else 1 << 7
    if t == 'zero': return 1 << 3 if s else 1 << 4
    if t == 'snan': return 1 << 8
    if t == 'qnan': return 1 << 9
    sub = abs(c[1]) < Fr(2) ** f.emin
    if s: return 1 << 2 if sub else 1 << 1
    return 1 << 5 if sub else 1 << 6

def sgnj(f, a, b, kind):
    sa, sb = a & f.sign, b & f.sign
    mag = a & ~f.sign
    if kind == 'j': return mag | sb
    if kind == 'jn': return mag | (sb ^ f.sign)
    return mag | (sa ^ sb)

def f2i(f, a, mode, bits, signed):
    c = classify(f, a)
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if isnan(c): r, fl = hi, NV
    elif c[0] == 'inf': r, fl = (lo if c[1] else hi), NV
    else:
        x = value(c)
        neg = x < 0
        m = rnd_int(abs(x), neg, mode)
        v = -m if neg else m
        if v < lo: r, fl = lo, NV
        elif v > hi: r, fl = hi, NV
        else: r, fl = v, (NX if Fr(v) != x else 0)
    r &= (1 << bits) - 1
    if bits == 32 and r >> 31: r |= 0xffffffff00000000     # sign-extend W results
    return r, fl

def i2f(f, v, mode):
    return round_fmt(f, Fr(v), mode)

def cvt_ff(fsrc, fdst, a, mode):
    c = classify(fsrc, a)
    if isnan(c): return fdst.qnan, (NV if c[0] == 'snan' else 0)
    if c[0] == 'inf': return fdst.inf | (fdst.sign if c[1] else 0), 0
    if c[0] == 'zero': return (fdst.sign if c[1] else 0), 0
    return round_fmt(fdst, c[1], mode)
