"""Compare fpmodel.py against the host FPU (C fenv: RNE/RTZ/RDN/RUP) on random
add/mul/div/sqrt/fma inputs, plus products near the underflow threshold.
usage: python3 crosscheck.py   (needs a host C compiler; x86-64 and RISC-V
both detect tininess after rounding, so UF must agree too)"""
import os, random, subprocess, sys, tempfile
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from fpmodel import *
exe = os.path.join(tempfile.mkdtemp(), 'hostfp')
subprocess.run(['cc', '-O1', '-frounding-math', '-o', exe, os.path.join(here, 'hostfp.c'), '-lm'], check=True)
random.seed(1)
def rnd(f):
    k = random.random()
    if k < 0.15: return random.getrandbits(f.m)
    e = random.choice([1, 2, f.bias * 2 - 1, f.bias * 2]) if k < 0.25 else random.randint(1, 2 * f.bias)
    return random.getrandbits(1) << (f.w - 1) | e << f.m | random.getrandbits(f.m)
cases = []
for i in range(6000):
    d = random.randint(0, 1); f = D if d else S
    op = random.choice(['add', 'mul', 'div', 'sqrt', 'fma'])
    a, b, c = rnd(f), rnd(f), rnd(f)
    if op == 'add' and random.random() < 0.5: b = (a ^ f.sign) ^ random.getrandbits(3)
    if op == 'sqrt': a &= ~f.sign
    cases.append((op, d, random.randint(0, 3), a, b, c))
for i in range(6000):   # products around the smallest normal
    d = random.randint(0, 1); f = D if d else S
    ea = random.randint(f.bias // 2, f.bias); eb = 2 * f.bias + f.emin - ea - random.randint(-1, 1)
    a = ea << f.m | random.getrandbits(f.m) | (f.sign if random.random() < 0.5 else 0)
    b = eb << f.m | random.getrandbits(f.m)
    cases.append(('mul', d, random.randint(0, 3), a, b, 0))
inp = ''.join(f"{o} {d} {m} {a:x} {b:x} {c:x}\n" for o, d, m, a, b, c in cases)
out = subprocess.run([exe], input=inp, capture_output=True, text=True, check=True).stdout.split('\n')
bad = 0
for (o, d, m, a, b, c), line in zip(cases, out):
    f = D if d else S
    r, fl = int(line.split()[0], 16), int(line.split()[1])
    e = {'add': lambda: add(f, a, b, m), 'mul': lambda: mul(f, a, b, m), 'div': lambda: div(f, a, b, m),
         'sqrt': lambda: sqrt(f, a, m), 'fma': lambda: fma(f, a, b, c, m)}[o]()
    if isnan(classify(f, e[0])) and isnan(classify(f, r)): r = e[0]   # host NaNs are not canonical
    if e != (r, fl):
        bad += 1
        if bad < 10: print(o, d, m, hex(a), hex(b), hex(c), 'model', hex(e[0]), e[1], 'host', hex(r), fl)
print(f'{bad} mismatches in {len(cases)} cases')
sys.exit(1 if bad else 0)
