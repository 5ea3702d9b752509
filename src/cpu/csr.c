/* Control and status registers: the access rules and the reads and writes
 * of every CSR in csr.def, including the hypervisor extension's, and the
 * redirection of S CSRs to their VS copies while V=1. */
#include <stdio.h>

#include "cpu/codecache.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "diag/diag.h"

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                          MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                          MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_READ     (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                          MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                          MSTATUS_MXR)
#define HSTATUS_WRITABLE (HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | HSTATUS_VTVM | \
                          HSTATUS_VTW | HSTATUS_VTSR)
#define MIP_ALL      (MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP)
#define S_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
/* Exceptions S-mode may handle: all but ecall from M and the reserved ones;
 * with H also ecall from VS, the guest-page faults and virtual instruction. */
#define MEDELEG_WRITABLE 0xb3ffULL
#define MEDELEG_H ((1ULL << CAUSE_ECALL_VS) | (0xfULL << CAUSE_FETCH_GUEST_PAGE))
/* What HS may hand on to VS: bits 0-8, 12, 13, 15. */
#define HEDELEG_WRITABLE 0xb1ffULL
#define ATP_MODE_SHIFT 60
#define HGATP_VMID_BITS 14
#define PMP_L 0x80

enum csr_flags { CF_H = 1, CF_VS = 2, CF_RO = 4, CF_SSTC = 8 };
/* The outcome of a CSR's access rule. */
enum csr_verdict { CSR_ALLOW, CSR_ILLEGAL, CSR_VIRTUAL };

static uint64_t read_time(const struct hart *h)
{
    return h->env.read_time ? h->env.read_time(h->env.opaque) : 0;
}

/* ---- access rules (the `access` column of csr.def) ------------------------ */

/* The mode an access is judged in: the hart's own, or HS-mode when asking
 * whether HS could make it (the test for virtual instruction, which the H
 * chapter makes "assuming mstatus.TVM=0"). */
struct csr_mode {
    unsigned priv;
    bool virt;
    bool hs_probe;
};

static enum csr_verdict csr_ok(const struct hart *h, unsigned csr, struct csr_mode m)
{
    (void)h, (void)csr, (void)m;
    return CSR_ALLOW;
}

static enum csr_verdict csr_rule_fp(const struct hart *h, unsigned csr, struct csr_mode m)
{
    (void)csr, (void)m;
    return h->fs_off ? CSR_ILLEGAL : CSR_ALLOW;
}

/* cycle, time, instret, hpmcounterN: mcounteren, then hcounteren (V=1),
 * then scounteren (U or VU). */
static enum csr_verdict csr_rule_counter(const struct hart *h, unsigned csr, struct csr_mode m)
{
    uint32_t bit = 1u << (csr & 31);
    if (m.priv == PRIV_M)
        return CSR_ALLOW;
    if (!(h->mcounteren & bit))
        return CSR_ILLEGAL;
    if (m.virt && !(h->hcounteren & bit))
        return CSR_VIRTUAL;
    if (m.priv == PRIV_U && !(h->scounteren & bit))
        return m.virt ? CSR_VIRTUAL : CSR_ILLEGAL;
    return CSR_ALLOW;
}

static enum csr_verdict csr_rule_satp(const struct hart *h, unsigned csr, struct csr_mode m)
{
    (void)csr;
    if (m.priv == PRIV_S && !m.virt && !m.hs_probe && (h->mstatus & MSTATUS_TVM))
        return CSR_ILLEGAL;
    if (m.priv == PRIV_S && m.virt && (h->hstatus & HSTATUS_VTVM))
        return CSR_VIRTUAL;
    return CSR_ALLOW;
}

static enum csr_verdict csr_rule_hgatp(const struct hart *h, unsigned csr, struct csr_mode m)
{
    (void)csr;
    return m.priv == PRIV_S && !m.hs_probe && (h->mstatus & MSTATUS_TVM) ? CSR_ILLEGAL : CSR_ALLOW;
}

/* Sstc: menvcfg.STCE and mcounteren.TM open stimecmp and vstimecmp below
 * M; with V=1, henvcfg.STCE and hcounteren.TM too (else the hypervisor
 * emulates them: virtual instruction). */
static enum csr_verdict csr_rule_vstimecmp(const struct hart *h, unsigned csr,
                                           struct csr_mode m)
{
    (void)csr;
    if (m.priv == PRIV_M)
        return CSR_ALLOW;
    if (!(h->menvcfg & MENVCFG_STCE) || !(h->mcounteren & 2))
        return CSR_ILLEGAL;
    if (m.virt && (!(h->henvcfg & MENVCFG_STCE) || !(h->hcounteren & 2)))
        return CSR_VIRTUAL;
    return CSR_ALLOW;
}

/* ---- helpers of the read and write columns ---------------------------- */

void hart_sync_fs(struct hart *h)
{
    unsigned fs = (unsigned)((h->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT);
    unsigned vfs = (unsigned)((h->vsstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT);
    h->fs_off = fs == FS_OFF || (h->virt && vfs == FS_OFF);
    h->mstatus = fs == FS_DIRTY ? h->mstatus | MSTATUS_SD : h->mstatus & ~MSTATUS_SD;
    h->vsstatus = vfs == FS_DIRTY ? h->vsstatus | MSTATUS_SD : h->vsstatus & ~MSTATUS_SD;
}

static void mark_fs_dirty(struct hart *h)
{
    h->mstatus |= MSTATUS_FS | MSTATUS_SD;
    if (h->virt)
        h->vsstatus |= MSTATUS_FS | MSTATUS_SD;
}

static uint64_t misa_value(const struct hart *h)
{
    /* RV64 IMAFDC + S + U (+ H) */
    return (2ULL << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) |
           (1 << 18) | (1 << 20) | (h->has_h ? 1 << 7 : 0);
}

static uint64_t mip_all(const struct hart *h)
{
    return MIP_ALL | (h->has_h ? VS_INTERRUPTS : 0);
}

static uint64_t medeleg_writable(const struct hart *h)
{
    return MEDELEG_WRITABLE | (h->has_h ? MEDELEG_H : 0);
}

static uint64_t mstatus_writable(const struct hart *h)
{
    return MSTATUS_WRITABLE | (h->has_h ? MSTATUS_MPV | MSTATUS_GVA : 0);
}

/* hvip: the VS interrupt bits software wrote (not the VS timer). */
static uint64_t hart_hvip(const struct hart *h)
{
    return __atomic_load_n(&h->mip, __ATOMIC_ACQUIRE) & VS_INTERRUPTS;
}

/* vsip/vsie: the VS bits HS delegated, shown where S software expects
 * them (VSSI 2 -> SSI 1, VSTI 6 -> 5, VSEI 10 -> 9). */
static uint64_t vs_view(const struct hart *h, uint64_t bits)
{
    return (bits & h->hideleg & VS_INTERRUPTS) >> 1;
}

static void write_mstatus(struct hart *h, uint64_t v, uint64_t writable)
{
    uint64_t old = h->mstatus;
    uint64_t s = (old & ~writable) | (v & writable);
    if (((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2)  /* reserved: MPP is WARL */
        s = (s & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    h->mstatus = s;
    hart_sync_fs(h);
    if ((old ^ s) & MSTATUS_MXR)
        tlb_flush_all(h);
    hart_update_mmu_ctx(h);
}

static void write_vsstatus(struct hart *h, uint64_t v)
{
    uint64_t old = h->vsstatus;
    h->vsstatus = (old & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE);
    hart_sync_fs(h);
    if ((old ^ h->vsstatus) & MSTATUS_MXR)
        tlb_flush_virt(h);
    hart_update_mmu_ctx(h);
}

static void write_hstatus(struct hart *h, uint64_t v)
{
    h->hstatus = (h->hstatus & ~HSTATUS_WRITABLE) | (v & HSTATUS_WRITABLE);
}

static void write_sie(struct hart *h, uint64_t v)
{
    uint64_t mask = h->mideleg & S_INTERRUPTS;
    h->mie = (h->mie & ~mask) | (v & mask);
}

static void write_sip(struct hart *h, uint64_t v)
{
    if (h->mideleg & MIP_SSIP)
        mip_update(h, MIP_SSIP, v);
}

static void write_vsie(struct hart *h, uint64_t v)
{
    uint64_t mask = h->hideleg & VS_INTERRUPTS;
    h->mie = (h->mie & ~mask) | ((v << 1) & mask);
}

static void write_vsip(struct hart *h, uint64_t v)
{
    if (h->hideleg & MIP_VSSIP)
        mip_update(h, MIP_VSSIP, v << 1);
}

/* With Sstc enabled STIP follows stimecmp and is not writable; VSSIP is
 * hvip.VSSIP. */
static void write_mip(struct hart *h, uint64_t v)
{
    uint64_t writable = MIP_SSIP | MIP_SEIP | ((h->menvcfg & MENVCFG_STCE) ? 0 : MIP_STIP) |
                        (h->has_h ? MIP_VSSIP : 0);
    mip_update(h, writable, v);
}

/* With H, the VS interrupts are always delegated past M. */
static void write_mideleg(struct hart *h, uint64_t v)
{
    h->mideleg = (v & S_INTERRUPTS) | (h->has_h ? VS_INTERRUPTS : 0);
}

static void write_menvcfg(struct hart *h, uint64_t v)
{
    h->menvcfg = v & ((h->has_sstc ? MENVCFG_STCE : 0) | MENVCFG_FIOM);
    if (!(h->menvcfg & MENVCFG_STCE))
        h->henvcfg &= ~MENVCFG_STCE;
    hart_update_timer(h, read_time(h));
}

static void write_henvcfg(struct hart *h, uint64_t v)
{
    h->henvcfg = v & (MENVCFG_FIOM | (h->menvcfg & MENVCFG_STCE));
    hart_update_timer(h, read_time(h));
}

static bool atp_mode_supported(unsigned mode)
{
    return mode == 0 || mode == 8 || mode == 9 || mode == 10;
}

/* satp and vsatp: an unsupported mode leaves the register unchanged. */
static bool write_atp(uint64_t *atp, uint64_t v)
{
    if (!atp_mode_supported((unsigned)(v >> ATP_MODE_SHIFT)))
        return false;
    *atp = v & ((0xfULL << 60) | (0xffffULL << 44) | ((1ULL << 44) - 1));
    return true;
}

static void write_satp(struct hart *h, uint64_t v)
{
    if (write_atp(&h->satp, v)) {
        tlb_switch_satp(h);
        diag_satp(h, h->satp);  /* boot timeline: MMU on */
    }
}

static void write_vsatp(struct hart *h, uint64_t v)
{
    if (write_atp(&h->vsatp, v) && h->virt)
        tlb_switch_satp(h);
}

/* hgatp: WARL in every field, so hypervisors probe modes by read-back:
 * an unsupported mode leaves it unchanged, VMID keeps 14 bits, and the
 * root is 16 KiB aligned. */
static void write_hgatp(struct hart *h, uint64_t v)
{
    if (!atp_mode_supported((unsigned)(v >> ATP_MODE_SHIFT)))
        return;
    uint64_t vmid = ((1ULL << HGATP_VMID_BITS) - 1) << 44;
    h->hgatp = v & ((0xfULL << 60) | vmid | (((1ULL << 44) - 1) & ~3ULL));
    if (h->virt)
        tlb_switch_satp(h);
}

static uint64_t read_pmpcfg(const struct hart *h, unsigned base)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)h->pmp.cfg[base + i] << (8 * i);
    return v;
}

static void write_pmpcfg(struct hart *h, unsigned base, uint64_t v)
{
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

static bool pmp_addr_locked(const struct hart *h, unsigned i)
{
    if (h->pmp.cfg[i] & PMP_L)
        return true;
    /* The next entry's TOR range starts here: its lock freezes this address. */
    return i + 1 < PMP_COUNT && (h->pmp.cfg[i + 1] & PMP_L) && (h->pmp.cfg[i + 1] & 0x18) == 0x08;
}

static void write_pmpaddr(struct hart *h, unsigned i, uint64_t v)
{
    if (pmp_addr_locked(h, i))
        return;
    h->pmp.addr[i] = v & ((1ULL << 54) - 1);
    pmp_update(h);
    tlb_flush_all(h);
}

/* ---- the table ------------------------------------------------------------- */

struct csr_desc {
    const char *name;
    uint16_t number, count;
    uint8_t flags;
    enum csr_verdict (*access)(const struct hart *h, unsigned csr, struct csr_mode m);
};

static const struct csr_desc csr_table[] = {
#define CSR(name, num, flags, access, rd, wr) { #name, num, 1, flags, access },
#define CSR_RANGE(name, num, n, flags, access, rd, wr) { #name, num, n, flags, access },
#include "cpu/csr.def"
#undef CSR
#undef CSR_RANGE
};

static const struct csr_desc *csr_find(unsigned csr)
{
    for (size_t i = 0; i < ARRAY_SIZE(csr_table); i++)
        if (csr - csr_table[i].number < csr_table[i].count)
            return &csr_table[i];
    return NULL;
}

const char *csr_name(unsigned csr, char *buf, size_t n)
{
    const struct csr_desc *d = csr_find(csr);
    if (!d)
        snprintf(buf, n, "0x%03x", csr);
    else if (d->count > 1)  /* pmpaddr0..15; the counters and events start at 3 */
        snprintf(buf, n, "%s%u", d->name, csr - d->number + (csr < 0xb00 && csr >= 0x3b0 ? 0 : 3));
    else
        snprintf(buf, n, "%s", d->name);
    return buf;
}

static void csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
    switch (csr) {
#define CSR(name, num, flags, access, rd, wr) case num: *v = (rd); return;
#define CSR_RANGE(name, num, n, flags, access, rd, wr) \
    case num ... num + n - 1: { unsigned i = csr - num; (void)i; *v = (rd); return; }
#include "cpu/csr.def"
#undef CSR
#undef CSR_RANGE
    }
}

static void csr_write(struct hart *h, unsigned csr, uint64_t v)
{
    switch (csr) {
#define CSR(name, num, flags, access, rd, wr) case num: { wr } return;
#define CSR_RANGE(name, num, n, flags, access, rd, wr) \
    case num ... num + n - 1: { unsigned i = csr - num; (void)i; wr } return;
#include "cpu/csr.def"
#undef CSR
#undef CSR_RANGE
    }
    (void)v;
}

/* ---- access ----------------------------------------------------------------- */

/* Who may touch the CSR at all, from the privilege in its number (bits
 * 9:8: U, S, hypervisor, M) and V. A CSR HS could reach but VS or VU
 * cannot raises virtual instruction, not illegal instruction. */
static enum csr_verdict privilege_verdict(const struct hart *h, unsigned csr)
{
    unsigned level = (csr >> 8) & 3;
    if (!h->virt) {
        unsigned need = level == 2 ? PRIV_S : level;
        return h->priv >= need ? CSR_ALLOW : CSR_ILLEGAL;
    }
    if (level == 3)
        return CSR_ILLEGAL;
    if (level == 2 || (level == 1 && h->priv == PRIV_U))
        return CSR_VIRTUAL;
    return CSR_ALLOW;
}

/* The value csrrs/csrrc modify: for mip that is the software SEIP and
 * VSTIP bits, not the PLIC line or the VS timer ORed into reads
 * (privileged spec, "mip" section). */
static uint64_t rmw_base(const struct hart *h, unsigned csr, uint64_t read_value)
{
    if (csr == 0x344)  /* mip */
        return (read_value & ~(MIP_SEIP | MIP_VSTIP)) |
               (__atomic_load_n(&h->mip, __ATOMIC_RELAXED) & (MIP_SEIP | MIP_VSTIP));
    return read_value;
}

static bool csr_refuse(struct hart *h, unsigned csr, bool do_write, enum csr_verdict v,
                       uint32_t raw)
{
    log_msg(h->log, LOG_UNIMP, "csr 0x%03x: %s %s at pc 0x%llx\n", csr,
            v == CSR_VIRTUAL ? "virtual-instruction" : "illegal", do_write ? "write" : "read",
            (unsigned long long)h->pc);
    raise_exc(h, v == CSR_VIRTUAL ? CAUSE_VIRTUAL_INSN : CAUSE_ILLEGAL, raw);
    return false;
}

bool csr_access(struct hart *h, unsigned csr, unsigned op, uint64_t operand, bool do_write,
                uint64_t *old, uint32_t raw)
{
    const struct csr_desc *d = csr_find(csr);
    if (!d || ((d->flags & CF_H) && !h->has_h) || ((d->flags & CF_SSTC) && !h->has_sstc))
        return csr_refuse(h, csr, do_write, CSR_ILLEGAL, raw);
    bool read_only = (csr >> 10) == 3 || (d->flags & CF_RO);
    enum csr_verdict v = do_write && read_only ? CSR_ILLEGAL : privilege_verdict(h, csr);
    if (v == CSR_ALLOW)
        v = d->access(h, csr, (struct csr_mode){ h->priv, h->virt, false });
    /* Virtual instruction only for what HS-mode could do (the H chapter):
     * otherwise the access is illegal wherever it comes from. */
    if (v == CSR_VIRTUAL && d->access(h, csr, (struct csr_mode){ PRIV_S, false, true }) != CSR_ALLOW)
        v = CSR_ILLEGAL;
    if (v != CSR_ALLOW)
        return csr_refuse(h, csr, do_write, v, raw);
    /* V=1: the S CSR numbers reach the VS copies (sstatus -> vsstatus...) */
    unsigned target = h->virt && (d->flags & CF_VS) ? csr + 0x100 : csr;
    uint64_t value = 0;
    csr_read(h, target, &value);
    *old = value;
    if (!do_write)
        return true;
    uint64_t base = rmw_base(h, target, value);
    uint64_t nv = op == CSR_OP_RW ? operand : op == CSR_OP_RS ? base | operand : base & ~operand;
    csr_write(h, target, nv);
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    return true;
}

/* ---- interrupt lines and timers ---------------------------------------------- */

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

/* Sstc: STIP follows stimecmp, and the VS timer (time + htimedelta against
 * vstimecmp) drives VSTIP. Only the hart's own thread calls this. */
void hart_update_timer(struct hart *h, uint64_t mtime)
{
    if (!(h->menvcfg & MENVCFG_STCE))
        return;
    bool fire = mtime >= h->stimecmp;
    if (fire != !!(hart_mip(h) & MIP_STIP))
        hart_set_irq(h, MIP_STIP, fire);
    bool vs_fire = (h->henvcfg & MENVCFG_STCE) && mtime + h->htimedelta >= h->vstimecmp;
    if (vs_fire != h->vstip_timer) {
        h->vstip_timer = vs_fire;
        __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    }
}

uint64_t hart_stimecmp_deadline(const struct hart *h)
{
    if (!(h->menvcfg & MENVCFG_STCE))
        return UINT64_MAX;
    uint64_t t = (hart_mip(h) & MIP_STIP) ? UINT64_MAX : h->stimecmp;
    if ((h->henvcfg & MENVCFG_STCE) && !h->vstip_timer) {
        uint64_t vs = h->vstimecmp - h->htimedelta;  /* guest time -> mtime */
        if (vs < t)
            t = vs;
    }
    return t;
}
