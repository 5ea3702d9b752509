"""usage: fpgen.py FIRST_CHECK_NUMBER < cases > asm lines
case line: OP [RM] ARGS... [# comment]; lines starting with '/*' or blank copied."""
import os, sys, struct, re
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fpmodel import *

def fbits(f, tok):
    t = tok.strip()
    neg = t.startswith('-')
    base = t[1:] if neg else t
    sg = f.sign if neg else 0
    named = {'inf': f.inf, 'qnan': f.qnan, 'snan': f.inf | 1, 'max': f.maxf,
             'minnorm': 1 << f.m, 'minsub': 1, 'maxsub': (1 << f.m) - 1,
             'zero': 0, 'qnanp': f.qnan | 0x5, 'snanp': f.inf | (1 << (f.m - 2)) | 0x35}
    if base in named: return sg | named[base]
    if base.startswith('0x'): return sg | int(base, 16)
    v = float(base)
    if f is S: b = struct.unpack('<I', struct.pack('<f', v))[0]
    else: b = struct.unpack('<Q', struct.pack('<d', v))[0]
    return sg | b

FL = [(NX, 'FF_NX'), (UF, 'FF_UF'), (OF, 'FF_OF'), (DZ, 'FF_DZ'), (NV, 'FF_NV')]
def flstr(x):
    s = '|'.join(n for b, n in reversed(FL) if x & b)
    return s or '0'

def pretty(fmt, tok):
    """readable name for a hex operand: 2^k, k*2^e, or a short decimal"""
    t = tok.strip()
    if fmt is None or not t.lstrip('-').startswith('0x'): return t
    c = classify(fmt, fbits(fmt, t))
    if c[0] != 'fin': return t
    v = c[1]; sg = '-' if v < 0 else ''; a = abs(v)
    e = ilog2(a)
    if a == Fr(2) ** e: return f"{sg}2^{e}"
    for k in range(1, 8):       # small odd multiple of a power of two
        for ee in range(e - 3, e + 1):
            if a == k * Fr(2) ** ee and k % 2: return f"{sg}{k}*2^{ee}"
    m = a / Fr(2) ** e - 1      # 1 + j*2^-p forms
    if m.numerator == 1 and (m.denominator & (m.denominator - 1)) == 0:
        return f"{sg}(1+2^-{m.denominator.bit_length() - 1})*2^{e}" if e else f"{sg}(1+2^-{m.denominator.bit_length() - 1})"
    mm = 1 - a / Fr(2) ** (e + 1)
    if mm.numerator == 1 and (mm.denominator & (mm.denominator - 1)) == 0:
        k = mm.denominator.bit_length() - 1
        return f"{sg}(1-2^-{k})*2^{e + 1}" if e + 1 else f"{sg}(1-2^-{k})"
    return t

def ival(tok): return int(tok, 0)

def main():
    n = int(sys.argv[1])
    dyn = 0
    for line in sys.stdin:
        line = line.rstrip('\n')
        if line.startswith('@frm '):
            name = line.split()[1]
            dyn = RMNAMES[name]
            print(f"        csrwi frm, {dyn}                  /* frm = {name.upper()} */")
            continue
        if not line.strip() or line.strip().startswith('/*') or line.startswith('        '):
            print(line); continue
        src, _, cm = line.partition('#')
        f_ = src.split()
        op = f_[0]
        args = f_[1:]
        comment = cm.strip()
        rm = None
        if args and (args[0] in RMNAMES or args[0] == 'dyn'):
            rm = args[0]; args = args[1:]
        mode = dyn if rm == 'dyn' else RMNAMES.get(rm, 0)
        suffix = op.split('.')[-1]
        base = op.split('.')[0]
        fmt = {'s': S, 'd': D}.get(suffix)
        pf = fmt
        if base == 'fcvt':
            parts = op.split('.')
            pf = {'s': S, 'd': D}.get(parts[2])
        pa = [pretty(pf, x) for x in args]
        sym = {'fadd': '+', 'fsub': '-', 'fmul': '*', 'fdiv': '/', 'feq': '==', 'flt': '<', 'fle': '<='}
        if base in sym: desc = f"{pa[0]} {sym[base]} {pa[1]}"
        elif base in ('fmadd', 'fmsub', 'fnmadd', 'fnmsub'): desc = f"{base}({', '.join(pa)})"
        elif base in ('fsqrt', 'fclass', 'fcvt'): desc = f"{base}({pa[0]})" if base != 'fcvt' else pa[0]
        else: desc = f"{base}({', '.join(pa)})"
        if comment: desc += ': ' + comment
        def out(macro, *fields):
            print(f"        {macro}({n}, " + ', '.join(str(x) for x in fields) + f")  /* {desc} */")
        if base in ('fadd', 'fsub', 'fmul', 'fdiv'):
            a, b = fbits(fmt, args[0]), fbits(fmt, args[1])
            r, fl = {'fadd': lambda: add(fmt, a, b, mode), 'fsub': lambda: add(fmt, a, b, mode, sub=True),
                     'fmul': lambda: mul(fmt, a, b, mode), 'fdiv': lambda: div(fmt, a, b, mode)}[base]()
            out(f"TEST_FP_RR_{suffix.upper()}", op, rm, flstr(fl), hex(r), hex(a), hex(b))
        elif base == 'fsqrt':
            a = fbits(fmt, args[0]); r, fl = sqrt(fmt, a, mode)
            out(f"TEST_FP_R_{suffix.upper()}", op, rm, flstr(fl), hex(r), hex(a))
        elif base in ('fmadd', 'fmsub', 'fnmadd', 'fnmsub'):
            a, b, c = (fbits(fmt, x) for x in args[:3])
            negprod = base in ('fnmadd', 'fnmsub'); negc = base in ('fmsub', 'fnmadd')
            r, fl = fma(fmt, a, b, c, mode, negprod, negc)
            out(f"TEST_FP_RRR_{suffix.upper()}", op, rm, flstr(fl), hex(r), hex(a), hex(b), hex(c))
        elif base in ('fmin', 'fmax'):
            a, b = fbits(fmt, args[0]), fbits(fmt, args[1])
            r, fl = minmax(fmt, a, b, base == 'fmax')
            out(f"TEST_FP_RR2_{suffix.upper()}", op, flstr(fl), hex(r), hex(a), hex(b))
        elif base in ('fsgnj', 'fsgnjn', 'fsgnjx'):
            a, b = fbits(fmt, args[0]), fbits(fmt, args[1])
            r = sgnj(fmt, a, b, base[4:])
            out(f"TEST_FP_RR2_{suffix.upper()}", op, '0', hex(r), hex(a), hex(b))
        elif base in ('feq', 'flt', 'fle'):
            a, b = fbits(fmt, args[0]), fbits(fmt, args[1])
            r, fl = cmp(fmt, a, b, base[1:])
            out(f"TEST_FP_CMP_{suffix.upper()}", op, flstr(fl), r, hex(a), hex(b))
        elif base == 'fclass':
            a = fbits(fmt, args[0]); r = fclass(fmt, a)
            out(f"TEST_FP_CLASS_{suffix.upper()}", op, hex(r), hex(a))
        elif base == 'fcvt':
            _, dst, srcf = op.split('.')
            if dst in ('s', 'd') and srcf in ('s', 'd'):
                fs, fd = {'s': S, 'd': D}[srcf], {'s': S, 'd': D}[dst]
                a = fbits(fs, args[0]); r, fl = cvt_ff(fs, fd, a, mode)
                if rm is None: out(f"TEST_FP_CVT_{dst.upper()}{srcf.upper()}_NORM", op, flstr(fl), hex(r), hex(a))
                else: out(f"TEST_FP_CVT_{dst.upper()}{srcf.upper()}", op, rm, flstr(fl), hex(r), hex(a))
            elif dst in ('s', 'd'):
                fd = {'s': S, 'd': D}[dst]
                regval = ival(args[0]) & ((1 << 64) - 1)
                lo = regval & 0xffffffff
                vv = {'w': lo - (1 << 32) if lo >> 31 else lo, 'wu': lo,
                      'l': regval - (1 << 64) if regval >> 63 else regval, 'lu': regval}[srcf]
                r, fl = i2f(fd, vv, mode)
                if rm is None: out(f"TEST_FP_FROMINT_{dst.upper()}_NORM", op, flstr(fl), hex(r), hex(regval))
                else: out(f"TEST_FP_FROMINT_{dst.upper()}", op, rm, flstr(fl), hex(r), hex(regval))
            else:
                fs = {'s': S, 'd': D}[srcf]
                a = fbits(fs, args[0])
                bits = 32 if dst in ('w', 'wu') else 64
                r, fl = f2i(fs, a, mode, bits, dst in ('w', 'l'))
                out(f"TEST_FP_TOINT_{srcf.upper()}", op, rm, flstr(fl), hex(r), hex(a))
        else:
            raise SystemExit('unknown op ' + op)
        n += 1
main()
