/* M-mode driver of the V-mode differential programs (tests/diffh): for each
 * case of the generated program (struct hcase, emitted by gen.py), set up
 * the machine (delegation, hstatus/vsstatus, counters, page tables, data
 * pages), enter the case in its mode, and print what it left behind.
 * Output goes to the 16550 UART at 0x10000000 (rivet, Spike and QEMU's virt
 * board all have one there); README.md describes the lines. */
#include <stdint.h>
#include "layout.h"

typedef uint64_t u64;

struct hcase {
    u64 index, entry, mbits;        /* entry pc, mstatus MPP | MPV bits */
    u64 mstatus, medeleg, hedeleg, mideleg, hideleg;
    u64 hstatus, vsstatus, hgatp, vsatp;
    u64 mcounteren, hcounteren, scounteren, menvcfg, henvcfg;
    u64 hie, hvip, seed, nptw;
    const u64 *ptw;                 /* nptw (address, value) pairs */
};
extern const u64 case_count, dump_hstatus_mask;
extern const struct hcase *const case_table[];

extern u64 trap_count, case_aborted, regdump[33], sig_recs[];
extern void enter_case(u64 entry, u64 mbits);
extern void m_trap(void), hs_trap(void), vs_trap(void);

#define CSRR(n) ({ u64 v_; __asm__ volatile("csrr %0, " #n : "=r"(v_)); v_; })
#define CSRW(n, v) __asm__ volatile("csrw " #n ", %0" :: "r"((u64)(v)) : "memory")
#define CSRS(n, v) __asm__ volatile("csrs " #n ", %0" :: "r"((u64)(v)) : "memory")
#define CSRC(n, v) __asm__ volatile("csrc " #n ", %0" :: "r"((u64)(v)) : "memory")

/* ---- UART ---------------------------------------------------------------- */
static void putc_(int c)
{
    volatile uint8_t *u = (volatile uint8_t *)0x10000000;
    while (!(u[5] & 0x20))
        ;
    u[0] = (uint8_t)c;
}
static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}
static void hex(u64 v)
{
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}
static void kv(const char *k, u64 v)
{
    puts_(k);
    putc_(' ');
    hex(v);
    putc_('\n');
}
static void dec(u64 v)
{
    char b[24];
    int n = 0;
    do {
        b[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        putc_(b[--n]);
}

/* ---- memory --------------------------------------------------------------- */
static void zero(u64 pa, u64 size)
{
    for (volatile u64 *p = (u64 *)pa; p < (u64 *)(pa + size); p++)
        *p = 0;
}
static u64 xs(u64 *s)
{
    u64 x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}
static void fill_data(u64 seed)
{
    u64 s = seed | 1;
    volatile u64 *p = (u64 *)DATA_PA;
    for (int i = 0; i < DATA_PAGES * 512; i++)
        p[i] = xs(&s);
}
static u64 hash_page(u64 pa)
{
    volatile u64 *p = (u64 *)pa;
    u64 h = 0xcbf29ce484222325ull;
    for (int i = 0; i < 512; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    return h;
}

static const u64 *prev_ptw;
static u64 prev_nptw;

static void setup(const struct hcase *c)
{
    /* quiet: no interrupt can be taken, nothing delegated yet */
    CSRW(mie, 0);
    CSRC(mip, 0x222);               /* SSIP, STIP, SEIP (writable ones) */
    CSRW(0x645, 0);                 /* hvip */
    CSRW(mideleg, 0);
    CSRW(medeleg, 0);
    CSRW(0x602, 0);                 /* hedeleg */
    CSRW(0x603, 0);                 /* hideleg */
    CSRW(satp, 0);
    CSRW(0x680, 0);                 /* hgatp */
    CSRW(0x280, 0);                 /* vsatp */

    /* page tables: undo the previous case's entries, write this case's */
    for (u64 i = 0; i < prev_nptw; i++)
        *(volatile u64 *)prev_ptw[2 * i] = 0;
    for (u64 i = 0; i < c->nptw; i++)
        *(volatile u64 *)c->ptw[2 * i] = c->ptw[2 * i + 1];
    prev_ptw = c->ptw;
    prev_nptw = c->nptw;
    fill_data(c->seed);

    u64 ms = CSRR(mstatus);
    ms &= ~((1ull << 1) | (1ull << 3) | (1ull << 5) | (1ull << 7) | (1ull << 8) |
            (3ull << 11) | (1ull << 17) | (1ull << 18) | (1ull << 19) |
            (1ull << 20) | (1ull << 21) | (1ull << 22) | (1ull << 38) | (1ull << 39));
    CSRW(mstatus, ms | c->mstatus);
    CSRW(0x600, c->hstatus);
    CSRW(0x200, c->vsstatus);
    CSRW(mcounteren, c->mcounteren);
    CSRW(0x606, c->hcounteren);
    CSRW(scounteren, c->scounteren);
    CSRW(0x30a, c->menvcfg);        /* menvcfg */
    CSRW(0x60a, c->henvcfg);        /* henvcfg */
    CSRW(0x14d, -1);                /* stimecmp */
    CSRW(0x24d, -1);                /* vstimecmp */
    CSRW(0x605, 0);                 /* htimedelta */
    CSRW(medeleg, c->medeleg);
    CSRW(0x602, c->hedeleg);
    CSRW(mideleg, c->mideleg);
    CSRW(0x603, c->hideleg);
    CSRW(stvec, (u64)hs_trap);
    CSRW(0x205, (u64)vs_trap);      /* vstvec */
    CSRW(sscratch, 0);
    CSRW(sepc, 0);
    CSRW(scause, 0);
    CSRW(stval, 0);
    CSRW(0x240, 0);
    CSRW(0x241, 0);
    CSRW(0x242, 0);
    CSRW(0x243, 0);
    CSRW(0x643, 0);                 /* htval */
    CSRW(0x64a, 0);                 /* htinst */
    CSRW(0x34a, 0);                 /* mtinst */
    CSRW(0x34b, 0);                 /* mtval2 */
    CSRW(0x604, c->hie);            /* hie */
    CSRW(0x645, c->hvip);           /* hvip */
    CSRW(0x680, c->hgatp);
    CSRW(0x280, c->vsatp);
    __asm__ volatile(".option push\n.option arch, +h\n"
                     "hfence.gvma zero, zero\nhfence.vvma zero, zero\n"
                     "sfence.vma zero, zero\nfence.i\n.option pop" ::: "memory");
    trap_count = 0;
    case_aborted = 0;
}

static const char *const csr_names[] = {
    "sstatus", "sie", "sip", "sscratch", "sepc", "scause", "stval",
    "hstatus", "hie", "hip", "hvip", "htval", "htinst", "hgatp",
    "vsstatus", "vsie", "vsip", "vsscratch", "vsepc", "vscause", "vstval", "vsatp",
    "mip", "mideleg", "medeleg", "hedeleg", "hideleg",
};

static void dump(void)
{
    u64 v[27];
    int n = 0;
    v[n++] = CSRR(sstatus) & ~(1ull << 63 | 3ull << 13 | 3ull << 15);
    v[n++] = CSRR(sie);
    v[n++] = CSRR(sip);
    v[n++] = CSRR(sscratch);
    v[n++] = CSRR(sepc);
    v[n++] = CSRR(scause);
    v[n++] = CSRR(stval);
    v[n++] = CSRR(0x600) & dump_hstatus_mask;
    v[n++] = CSRR(0x604);
    v[n++] = CSRR(0x644);
    v[n++] = CSRR(0x645);
    v[n++] = CSRR(0x643);
    v[n++] = CSRR(0x64a);
    v[n++] = CSRR(0x680);
    v[n++] = CSRR(0x200) & ~(1ull << 63 | 3ull << 13 | 3ull << 15);
    v[n++] = CSRR(0x204);
    v[n++] = CSRR(0x244);
    v[n++] = CSRR(0x240);
    v[n++] = CSRR(0x241);
    v[n++] = CSRR(0x242);
    v[n++] = CSRR(0x243);
    v[n++] = CSRR(0x280);
    v[n++] = CSRR(mip) & 0x1777;   /* not MSIP/MTIP/MEIP (CLINT, PLIC) */
    v[n++] = CSRR(mideleg) & 0xfff;  /* SGEI: GEILEN may be 0 */
    v[n++] = CSRR(medeleg);
    v[n++] = CSRR(0x602);
    v[n++] = CSRR(0x603);

    kv("end", regdump[32]);
    if (case_aborted)
        puts_("aborted\n");
    for (int r = 1; r < 32; r++) {
        putc_('x');
        putc_((char)('0' + r / 10));
        putc_((char)('0' + r % 10));
        putc_(' ');
        hex(regdump[r]);
        putc_('\n');
    }
    for (int i = 0; i < n; i++)
        kv(csr_names[i], v[i]);
    u64 nt = trap_count < MAX_RECS ? trap_count : MAX_RECS;
    kv("traps", trap_count);
    for (u64 i = 0; i < nt; i++) {
        const u64 *r = &sig_recs[i * REC_WORDS];
        /* trap HID CAUSE EPC TVAL TVAL2 TINST BITS (README.md) */
        puts_("trap ");
        putc_("?hvm"[r[0] & 3]);
        for (int k = 1; k < 7; k++) {
            putc_(' ');
            hex(r[k]);
        }
        putc_('\n');
    }
    for (int i = 0; i < DATA_PAGES; i++) {
        puts_("data");
        putc_("0123456789abcdef"[i]);
        putc_(' ');
        hex(hash_page(DATA_PA + 0x1000ull * i));
        putc_('\n');
    }
}

int main(void)
{
    /* PMP entry 15: NAPOT over everything, RWX */
    CSRW(pmpcfg0, 0);
    CSRW(pmpcfg2, 0);
    CSRW(pmpaddr15, -1);
    CSRW(pmpcfg2, (0x18ull | 7) << 56);
    CSRW(mtvec, (u64)m_trap);
    if (!(CSRR(misa) & (1 << 7))) {
        puts_("misa.H = 0: run with -cpu rv64,h=true / --isa=rv64gch\n");
        return 3;
    }
    CSRS(mstatus, 1ull << 13);      /* FS = Initial: never used, but defined */
    zero(GPT_PA, GPT_SIZE);
    zero(VPT_PA, VPT_SIZE);
    for (int i = 0; i < RET_PAGES * 1024; i++)
        ((volatile uint32_t *)RET_PA)[i] = RET_INSN;
    __asm__ volatile("fence.i");
    for (u64 k = 0; k < case_count; k++) {
        const struct hcase *c = case_table[k];
        puts_("case ");
        dec(c->index);
        putc_('\n');
        setup(c);
        kv("cfg", CSRR(medeleg) ^ (CSRR(0x602) << 32) ^ ((CSRR(mideleg) & 0xfff) << 24) ^ (CSRR(0x603) << 56));
        enter_case(c->entry, c->mbits);
        dump();
    }
    puts_("done\n");
    return 0;
}
