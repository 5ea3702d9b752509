/* Control and status registers: access rules, reads and writes.
 *
 * Anything not listed here raises illegal instruction, which is how OpenSBI
 * and Linux discover what a hart implements. */
#include "cpu/codecache.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"

enum {
    CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
    CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02,
    CSR_HPMCOUNTER3 = 0xc03, CSR_HPMCOUNTER31 = 0xc1f,
    CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106,
    CSR_SENVCFG = 0x10a, CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_STIMECMP = 0x14d, CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304, CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a,
    CSR_MCOUNTINHIBIT = 0x320, CSR_MHPMEVENT3 = 0x323, CSR_MHPMEVENT31 = 0x33f,
    CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343,
    CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0, CSR_PMPCFG2 = 0x3a2, CSR_PMPADDR0 = 0x3b0, CSR_PMPADDR15 = 0x3bf,
    CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02,
    CSR_MHPMCOUNTER3 = 0xb03, CSR_MHPMCOUNTER31 = 0xb1f,
    CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14,
    CSR_MCONFIGPTR = 0xf15,
};

/* RV64 IMAFDC + S + U */
#define MISA_VALUE ((2ULL << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | \
                    (1 << 12) | (1 << 18) | (1 << 20))

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                          MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                          MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_READ     (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                          MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                          MSTATUS_MXR)
#define MIP_ALL      (MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP)
#define S_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
/* Exceptions S-mode may handle: all but ecall from M and the reserved ones. */
#define MEDELEG_WRITABLE 0xb3ffULL
#define MENVCFG_STCE (1ULL << 63)
#define MENVCFG_FIOM 1ULL
#define PMP_L 0x80

static uint64_t read_time(const struct hart *h)
{
    return h->env.read_time ? h->env.read_time(h->env.opaque) : 0;
}

/* The rules that depend on the mode and configuration, beyond the CSR
 * number's own privilege and read-only bits. */
static bool csr_permitted(const struct hart *h, unsigned csr)
{
    if (csr <= CSR_FCSR)
        return !h->fs_off;
    if (csr >= CSR_CYCLE && csr <= CSR_HPMCOUNTER31) {
        uint32_t bit = 1u << (csr - CSR_CYCLE);
        if (h->priv < PRIV_M && !(h->mcounteren & bit))
            return false;
        return !(h->priv == PRIV_U && !(h->scounteren & bit));
    }
    if (csr == CSR_SATP)
        return !(h->priv == PRIV_S && (h->mstatus & MSTATUS_TVM));
    if (csr == CSR_STIMECMP) {
        if (h->priv == PRIV_M)
            return true;
        return (h->menvcfg & MENVCFG_STCE) && (h->mcounteren & 2);
    }
    return true;
}

static void sync_mstatus_derived(struct hart *h)
{
    unsigned fs = (unsigned)((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT);
    h->fs_off = fs == FS_OFF;
    if (fs == FS_DIRTY)
        h->mstatus |= MSTATUS_SD;
    else
        h->mstatus &= ~MSTATUS_SD;
}

static void mark_fs_dirty(struct hart *h)
{
    h->mstatus |= MSTATUS_FS | MSTATUS_SD;
}


static bool csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
    switch (csr) {
    case CSR_FFLAGS: *v = h->fflags; return true;
    case CSR_FRM: *v = h->frm; return true;
    case CSR_FCSR: *v = (uint64_t)h->frm << 5 | h->fflags; return true;
    case CSR_CYCLE: case CSR_MCYCLE: *v = h->instret + h->mcycle_offset; return true;
    case CSR_INSTRET: case CSR_MINSTRET: *v = h->instret + h->minstret_offset; return true;
    case CSR_TIME: *v = read_time(h); return true;
    case CSR_SSTATUS: *v = h->mstatus & SSTATUS_READ; return true;
    case CSR_SIE: *v = h->mie & h->mideleg; return true;
    case CSR_STVEC: *v = h->stvec; return true;
    case CSR_SCOUNTEREN: *v = h->scounteren; return true;
    case CSR_SENVCFG: *v = h->senvcfg; return true;
    case CSR_SSCRATCH: *v = h->sscratch; return true;
    case CSR_SEPC: *v = h->sepc; return true;
    case CSR_SCAUSE: *v = h->scause; return true;
    case CSR_STVAL: *v = h->stval; return true;
    case CSR_SIP: *v = hart_mip(h) & h->mideleg; return true;
    case CSR_STIMECMP: *v = h->stimecmp; return true;
    case CSR_SATP: *v = h->satp; return true;
    case CSR_MSTATUS: *v = h->mstatus; return true;
    case CSR_MISA: *v = MISA_VALUE; return true;
    case CSR_MEDELEG: *v = h->medeleg; return true;
    case CSR_MIDELEG: *v = h->mideleg; return true;
    case CSR_MIE: *v = h->mie; return true;
    case CSR_MTVEC: *v = h->mtvec; return true;
    case CSR_MCOUNTEREN: *v = h->mcounteren; return true;
    case CSR_MENVCFG: *v = h->menvcfg; return true;
    case CSR_MCOUNTINHIBIT: *v = 0; return true;
    case CSR_MSCRATCH: *v = h->mscratch; return true;
    case CSR_MEPC: *v = h->mepc; return true;
    case CSR_MCAUSE: *v = h->mcause; return true;
    case CSR_MTVAL: *v = h->mtval; return true;
    case CSR_MIP: *v = hart_mip(h); return true;
    case CSR_PMPCFG0: case CSR_PMPCFG2: {
        unsigned base = (csr - CSR_PMPCFG0) * 4;
        *v = 0;
        for (unsigned i = 0; i < 8; i++)
            *v |= (uint64_t)h->pmp.cfg[base + i] << (8 * i);
        return true;
    }
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR:
        *v = 0;
        return true;
    case CSR_MHARTID: *v = h->hartid; return true;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR15) {
        *v = h->pmp.addr[csr - CSR_PMPADDR0];
        return true;
    }
    /* Zihpm: the counters exist but count nothing. */
    if ((csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) ||
        (csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
        (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
        *v = 0;
        return true;
    }
    return false;
}

static bool pmp_addr_locked(const struct hart *h, unsigned i)
{
    if (h->pmp.cfg[i] & PMP_L)
        return true;
    /* The next entry's TOR range starts here: its lock freezes this address. */
    return i + 1 < PMP_COUNT && (h->pmp.cfg[i + 1] & PMP_L) && (h->pmp.cfg[i + 1] & 0x18) == 0x08;
}

static void write_pmpcfg(struct hart *h, unsigned csr, uint64_t v)
{
    unsigned base = (csr - CSR_PMPCFG0) * 4;
    for (unsigned i = 0; i < 8; i++) {
        uint8_t cfg = (uint8_t)(v >> (8 * i)) & 0x9f;
        if (h->pmp.cfg[base + i] & PMP_L)
            continue;
        if ((cfg & 3) == 2)  /* W without R is reserved: keep it unwritable */
            cfg &= (uint8_t)~2;
        h->pmp.cfg[base + i] = cfg;
    }
    pmp_update(h);
    tlb_flush_all(h);
}

static void write_mstatus(struct hart *h, uint64_t v, uint64_t writable)
{
    uint64_t old = h->mstatus;
    uint64_t s = (old & ~writable) | (v & writable);
    if (((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)  /* reserved: MPP is WARL */
        s = (s & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    h->mstatus = s;
    sync_mstatus_derived(h);
    if ((old ^ s) & MSTATUS_MXR)
        tlb_flush_all(h);
    hart_update_mmu_ctx(h);
}

static void write_satp(struct hart *h, uint64_t v)
{
    unsigned mode = (unsigned)(v >> 60);
    if (mode != 0 && mode != 8 && mode != 9 && mode != 10)
        return; /* WARL: an unsupported mode leaves satp unchanged */
    h->satp = v & ((0xfULL << 60) | (0xffffULL << 44) | ((1ULL << 44) - 1));
    tlb_switch_satp(h);
}

static bool csr_write(struct hart *h, unsigned csr, uint64_t v)
{
    switch (csr) {
    case CSR_FFLAGS: h->fflags = v & 0x1f; mark_fs_dirty(h); return true;
    case CSR_FRM: h->frm = v & 7; mark_fs_dirty(h); return true;
    case CSR_FCSR: h->fflags = v & 0x1f; h->frm = (v >> 5) & 7; mark_fs_dirty(h); return true;
    case CSR_MCYCLE: h->mcycle_offset = v - h->instret; return true;
    case CSR_MINSTRET: h->minstret_offset = v - h->instret; return true;
    case CSR_SSTATUS: write_mstatus(h, v, SSTATUS_WRITABLE); return true;
    case CSR_SIE: h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg & S_INTERRUPTS); return true;
    case CSR_STVEC: if ((v & 3) < 2) h->stvec = v; return true;
    case CSR_SCOUNTEREN: h->scounteren = (uint32_t)v; return true;
    case CSR_SENVCFG: h->senvcfg = v & MENVCFG_FIOM; return true;
    case CSR_SSCRATCH: h->sscratch = v; return true;
    case CSR_SEPC: h->sepc = v & ~1ULL; return true;
    case CSR_SCAUSE: h->scause = v; return true;
    case CSR_STVAL: h->stval = v; return true;
    case CSR_SIP:
        if (h->mideleg & MIP_SSIP)
            mip_update(h, MIP_SSIP, v);
        return true;
    case CSR_STIMECMP:
        h->stimecmp = v;
        hart_update_timer(h, read_time(h));
        return true;
    case CSR_SATP: write_satp(h, v); return true;
    case CSR_MSTATUS: write_mstatus(h, v, MSTATUS_WRITABLE); return true;
    case CSR_MISA: return true;
    case CSR_MEDELEG: h->medeleg = v & MEDELEG_WRITABLE; return true;
    case CSR_MIDELEG: h->mideleg = v & S_INTERRUPTS; return true;
    case CSR_MIE: h->mie = v & MIP_ALL; return true;
    case CSR_MTVEC: if ((v & 3) < 2) h->mtvec = v; return true;
    case CSR_MCOUNTEREN: h->mcounteren = (uint32_t)v; return true;
    case CSR_MENVCFG:
        h->menvcfg = v & (MENVCFG_STCE | MENVCFG_FIOM);
        hart_update_timer(h, read_time(h));
        return true;
    case CSR_MCOUNTINHIBIT: return true;
    case CSR_MSCRATCH: h->mscratch = v; return true;
    case CSR_MEPC: h->mepc = v & ~1ULL; return true;
    case CSR_MCAUSE: h->mcause = v; return true;
    case CSR_MTVAL: h->mtval = v; return true;
    case CSR_MIP: {
        /* With Sstc enabled STIP follows stimecmp and is not writable. */
        uint64_t writable = MIP_SSIP | MIP_SEIP | ((h->menvcfg & MENVCFG_STCE) ? 0 : MIP_STIP);
        mip_update(h, writable, v);
        return true;
    }
    case CSR_PMPCFG0: case CSR_PMPCFG2: write_pmpcfg(h, csr, v); return true;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR15) {
        unsigned i = csr - CSR_PMPADDR0;
        if (!pmp_addr_locked(h, i)) {
            h->pmp.addr[i] = v & ((1ULL << 54) - 1);
            pmp_update(h);
            tlb_flush_all(h);
        }
        return true;
    }
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
        (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
        return true;
    return false;
}

/* The value csrrs/csrrc modify: for mip that is the software SEIP bit, not
 * the PLIC line ORed into reads (privileged spec, "mip" section). */
static uint64_t rmw_base(const struct hart *h, unsigned csr, uint64_t read_value)
{
    if (csr == CSR_MIP)
        return (read_value & ~MIP_SEIP) | (__atomic_load_n(&h->mip, __ATOMIC_RELAXED) & MIP_SEIP);
    return read_value;
}

bool csr_access(struct hart *h, unsigned csr, unsigned op, uint64_t operand, bool do_write,
                uint64_t *old, uint32_t raw)
{
    unsigned min_priv = (csr >> 8) & 3;
    bool read_only = (csr >> 10) == 3;
    uint64_t value;
    if (h->priv < min_priv || (do_write && read_only) || !csr_permitted(h, csr) ||
        !csr_read(h, csr, &value)) {
        log_msg(h->log, LOG_UNIMP, "csr 0x%03x: illegal %s at pc 0x%llx\n", csr,
                do_write ? "write" : "read", (unsigned long long)h->pc);
        raise_exc(h, CAUSE_ILLEGAL, raw);
        return false;
    }
    *old = value;
    if (!do_write)
        return true;
    uint64_t base = rmw_base(h, csr, value);
    uint64_t nv = op == CSR_OP_RW ? operand : op == CSR_OP_RS ? base | operand : base & ~operand;
    csr_write(h, csr, nv);
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    return true;
}

void (*hart_kick_hook)(struct hart *h);

void hart_set_irq(struct hart *h, uint64_t mip_bit, bool level)
{
    bool was;
    if (mip_bit == MIP_SEIP)
        was = __atomic_exchange_n(&h->seip_line, level, __ATOMIC_SEQ_CST);
    else if (level)
        was = __atomic_fetch_or(&h->mip, mip_bit, __ATOMIC_SEQ_CST) & mip_bit;
    else
        was = __atomic_fetch_and(&h->mip, ~mip_bit, __ATOMIC_SEQ_CST) & mip_bit;
    if (was == level)
        return;  /* devices re-assert lines at every poll: nothing changed */
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELEASE);
    if (level && hart_kick_hook)
        hart_kick_hook(h);
}

void hart_update_timer(struct hart *h, uint64_t mtime)
{
    if (!(h->menvcfg & MENVCFG_STCE))
        return;
    bool fire = mtime >= h->stimecmp;
    if (fire != !!(hart_mip(h) & MIP_STIP))
        hart_set_irq(h, MIP_STIP, fire);
}

uint64_t hart_stimecmp_deadline(const struct hart *h)
{
    if (!(h->menvcfg & MENVCFG_STCE) || (hart_mip(h) & MIP_STIP))
        return UINT64_MAX;
    return h->stimecmp;
}
