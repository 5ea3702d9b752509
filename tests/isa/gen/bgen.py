import sys
M=2**64; MASK=M-1
def s64(x): x%=M; return x-M if x>=2**63 else x
def sx32(x): x%=2**32; return (x-2**32 if x>=2**31 else x)%M
def clz(x,w=64):
    n=0
    for i in range(w-1,-1,-1):
        if x>>i&1: break
        n+=1
    return n
def ctz(x,w=64):
    n=0
    for i in range(w):
        if x>>i&1: break
        n+=1
    return n
def rol(x,s,w=64): s%=w; x%=2**w; return ((x<<s)|(x>>(w-s)))%2**w
def ror(x,s,w=64): s%=w; x%=2**w; return ((x>>s)|(x<<(w-s)))%2**w
def clmul_full(a,b):
    r=0
    for i in range(64):
        if b>>i&1: r^=a<<i
    return r
def orcb(x):
    r=0
    for i in range(8):
        if (x>>(8*i))&0xff: r|=0xff<<(8*i)
    return r
def rev8(x): return int.from_bytes(x.to_bytes(8,'little'),'big')
rr={
 'sh1add': lambda a,b: ((a<<1)+b)%M, 'sh2add': lambda a,b: ((a<<2)+b)%M, 'sh3add': lambda a,b: ((a<<3)+b)%M,
 'sh1add.uw': lambda a,b: (((a&0xffffffff)<<1)+b)%M, 'sh2add.uw': lambda a,b: (((a&0xffffffff)<<2)+b)%M,
 'sh3add.uw': lambda a,b: (((a&0xffffffff)<<3)+b)%M, 'add.uw': lambda a,b: ((a&0xffffffff)+b)%M,
 'andn': lambda a,b: a&~b&MASK, 'orn': lambda a,b: (a|~b)&MASK, 'xnor': lambda a,b: ~(a^b)&MASK,
 'max': lambda a,b: a if s64(a)>=s64(b) else b, 'min': lambda a,b: a if s64(a)<=s64(b) else b,
 'maxu': lambda a,b: max(a,b), 'minu': lambda a,b: min(a,b),
 'rol': lambda a,b: rol(a,b&63), 'ror': lambda a,b: ror(a,b&63),
 'rolw': lambda a,b: sx32(rol(a&0xffffffff,b&31,32)), 'rorw': lambda a,b: sx32(ror(a&0xffffffff,b&31,32)),
 'clmul': lambda a,b: clmul_full(a,b)&MASK, 'clmulh': lambda a,b: clmul_full(a,b)>>64,
 'clmulr': lambda a,b: (clmul_full(a,b)>>63)&MASK,
 'bclr': lambda a,b: a&~(1<<(b&63))&MASK, 'bext': lambda a,b: (a>>(b&63))&1,
 'binv': lambda a,b: a^(1<<(b&63)), 'bset': lambda a,b: a|(1<<(b&63)),
}
ri={'slli.uw': lambda a,s: ((a&0xffffffff)<<s)%M, 'rori': lambda a,s: ror(a,s), 'roriw': lambda a,s: sx32(ror(a&0xffffffff,s,32)),
 'bclri': lambda a,s: rr['bclr'](a,s), 'bexti': lambda a,s: rr['bext'](a,s), 'binvi': lambda a,s: rr['binv'](a,s), 'bseti': lambda a,s: rr['bset'](a,s)}
r1={'clz': clz, 'ctz': ctz, 'cpop': lambda x: bin(x).count('1'),
 'clzw': lambda x: clz(x&0xffffffff,32), 'ctzw': lambda x: ctz(x&0xffffffff,32), 'cpopw': lambda x: bin(x&0xffffffff).count('1'),
 'sext.b': lambda x: (x&0xff) - (0x100 if x&0x80 else 0) & MASK, 'sext.h': lambda x: (x&0xffff) - (0x10000 if x&0x8000 else 0) & MASK,
 'zext.h': lambda x: x&0xffff, 'orc.b': orcb, 'rev8': rev8}
n=int(sys.argv[1])
for line in sys.stdin:
    line=line.rstrip('\n')
    if not line.strip() or line.strip().startswith('/*'):
        print(line); continue
    parts=line.split('#',1)
    f=parts[0].split()
    op=f[0]; args=[int(x,0)%M for x in f[1:]]
    cm=('  /* '+parts[1].strip()+' */') if len(parts)>1 else ''
    if op in rr:
        r=rr[op](*args); print(f"        TEST_RR({n}, {op}, 0x{r:x}, {f[1]}, {f[2]}){cm}")
    elif op in ri:
        r=ri[op](*args); print(f"        TEST_RI({n}, {op}, 0x{r:x}, {f[1]}, {f[2]}){cm}")
    else:
        r=r1[op](*args); print(f"        TEST_R({n}, {op}, 0x{r:x}, {f[1]}){cm}")
    n+=1
