M=2**64
def s64(x): x%=M; return x-M if x>=2**63 else x
def s32(x): x%=2**32; return x-2**32 if x>=2**31 else x
def u64(x): return x%M
def u32(x): return x%2**32
def sx32(x): return u64(s32(x))
def tdiv(a,b): # trunc
    q=abs(a)//abs(b); return q if (a<0)==(b<0) else -q
ops={
 'mul': lambda a,b: u64(a*b),
 'mulh': lambda a,b: u64((s64(a)*s64(b))>>64),
 'mulhsu': lambda a,b: u64((s64(a)*u64(b))>>64),
 'mulhu': lambda a,b: u64((u64(a)*u64(b))>>64),
 'mulw': lambda a,b: sx32(a*b),
 'div': lambda a,b: M-1 if s64(b)==0 else (u64(a) if (s64(a)==-2**63 and s64(b)==-1) else u64(tdiv(s64(a),s64(b)))),
 'divu': lambda a,b: M-1 if u64(b)==0 else u64(a)//u64(b),
 'rem': lambda a,b: u64(a) if s64(b)==0 else (0 if (s64(a)==-2**63 and s64(b)==-1) else u64(s64(a)-tdiv(s64(a),s64(b))*s64(b))),
 'remu': lambda a,b: u64(a) if u64(b)==0 else u64(a)%u64(b),
 'divw': lambda a,b: M-1 if s32(b)==0 else (sx32(a) if (s32(a)==-2**31 and s32(b)==-1) else sx32(tdiv(s32(a),s32(b)))),
 'divuw': lambda a,b: M-1 if u32(b)==0 else sx32(u32(a)//u32(b)),
 'remw': lambda a,b: sx32(a) if s32(b)==0 else (0 if (s32(a)==-2**31 and s32(b)==-1) else sx32(s32(a)-tdiv(s32(a),s32(b))*s32(b))),
 'remuw': lambda a,b: sx32(u32(a)) if u32(b)==0 else sx32(u32(a)%u32(b)),
}
import sys
n=int(sys.argv[1])
for line in sys.stdin:
    line=line.rstrip('\n')
    if not line.strip() or line.strip().startswith('/*'):
        print(line); continue
    parts=line.split('#',1)
    f=parts[0].split()
    op=f[0]; a=int(f[1],0); b=int(f[2],0)
    r=ops[op](a,b)
    cm=('  /* '+parts[1].strip()+' */') if len(parts)>1 else ''
    print(f"        TEST_RR({n}, {op}, 0x{r:x}, {f[1]}, {f[2]}){cm}")
    n+=1
