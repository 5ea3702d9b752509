/* Trap delivery, interrupt selection and the xRET instructions, for M, HS
 * (S) and, with the hypervisor extension, VS. */
#include <string.h>

#include "cpu/hart.h"
#include "diag/diag.h"

const char *cause_name(uint64_t cause, bool interrupt)
{
    switch (interrupt ? cause | (1ULL << 63) : cause) {
#define EXC(name, code, desc) case code: return desc;
#define IRQ(name, code, desc) case (code) | (1ULL << 63): return desc " interrupt";
#include "cpu/cause.def"
#undef EXC
#undef IRQ
    default: return "reserved";
    }
}

/* Where a trap goes. */
enum trap_level { TO_M, TO_HS, TO_VS };
static const char level_name[] = { 'M', 'S', 'V' };

static enum trap_level trap_level(const struct hart *h, uint64_t cause, bool interrupt)
{
    uint64_t bit = 1ULL << cause;
    if (h->priv == PRIV_M || !((interrupt ? h->mideleg : h->medeleg) & bit))
        return TO_M;
    if (h->virt && ((interrupt ? h->hideleg : h->hedeleg) & bit))
        return TO_VS;
    return TO_HS;
}

static void log_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt,
                     enum trap_level to, uint64_t target)
{
    char sym[96] = "";
    const char *name = h->env.symbolize ? h->env.symbolize(h->env.opaque, h->pc, sym + 2,
                                                             sizeof(sym) - 3) : NULL;
    if (name) {
        sym[0] = ' ';
        sym[1] = '<';
        strcat(sym, ">");
    }
    log_msg(h->log, LOG_INT,
            "hart %llu: %s %llu (%s) at pc 0x%llx%s tval 0x%llx, %s%c-mode -> %c-mode 0x%llx\n",
            (unsigned long long)h->hartid, interrupt ? "interrupt" : "exception",
            (unsigned long long)cause, cause_name(cause, interrupt), (unsigned long long)h->pc,
            sym, (unsigned long long)tval, h->virt ? "V" : "", "US?M"[h->priv],
            level_name[to], (unsigned long long)target);
}

/* xIE -> xPIE, xIE = 0, xPP = the privilege trapped from: the same
 * fields in mstatus for HS and in vsstatus for VS. */
static uint64_t push_s_status(uint64_t s, unsigned priv)
{
    return (s & ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE)) |
           ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0) | (priv == PRIV_S ? MSTATUS_SPP : 0);
}

static void enter_m(struct hart *h, uint64_t mcause, uint64_t tval, const struct exception *x)
{
    uint64_t s = h->mstatus;
    h->mcause = mcause;
    h->mepc = h->pc;
    h->mtval = tval;
    h->mtval2 = x->tval2;
    h->mtinst = x->tinst;
    s = (s & ~(MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPV | MSTATUS_GVA)) |
        ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0) | ((uint64_t)h->priv << MSTATUS_MPP_SHIFT);
    if (h->has_h)
        s |= (h->virt ? MSTATUS_MPV : 0) | (x->gva ? MSTATUS_GVA : 0);
    h->mstatus = s;
    h->priv = PRIV_M;
    trigger_enter_m(h);  /* M-mode triggers stay quiet in the handler */
}

static void enter_hs(struct hart *h, uint64_t scause, uint64_t tval, const struct exception *x)
{
    h->scause = scause;
    h->sepc = h->pc;
    h->stval = tval;
    if (h->has_h) {
        uint64_t hs = h->hstatus & ~(HSTATUS_SPV | HSTATUS_GVA);
        hs |= (h->virt ? HSTATUS_SPV : 0) | (x->gva ? HSTATUS_GVA : 0);
        if (h->virt)
            hs = (hs & ~HSTATUS_SPVP) | (h->priv == PRIV_S ? HSTATUS_SPVP : 0);
        h->hstatus = hs;
        h->htval = x->tval2;
        h->htinst = x->tinst;
    }
    h->mstatus = push_s_status(h->mstatus, h->priv);
    h->priv = PRIV_S;
}

/* VS interrupts appear to the guest as the S interrupts they stand for. */
static void enter_vs(struct hart *h, uint64_t vscause, uint64_t tval)
{
    h->vscause = vscause;
    h->vsepc = h->pc;
    h->vstval = tval;
    h->vsstatus = push_s_status(h->vsstatus, h->priv);
    h->priv = PRIV_S;
}

/* V changed: another translation regime, another FS rule. */
static void set_virt(struct hart *h, bool virt)
{
    if (h->virt == virt)
        return;
    h->virt = virt;
    hart_sync_fs(h);
    tlb_switch_satp(h);
}

void hart_take_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    struct exception x = interrupt ? (struct exception){ 0 } : h->exc;
    enum trap_level to = trap_level(h, cause, interrupt);
    uint64_t vcause = to == TO_VS && interrupt ? cause - 1 : cause;
    uint64_t tvec = to == TO_M ? h->mtvec : to == TO_HS ? h->stvec : h->vstvec;
    uint64_t target = (tvec & ~3ULL) + ((tvec & 1) && interrupt ? 4 * vcause : 0);
    uint64_t xcause = vcause | (interrupt ? 1ULL << 63 : 0);

    if (log_enabled(h->log, LOG_INT))
        log_trap(h, cause, tval, interrupt, to, target);
    diag_trap(h, cause, tval, interrupt);  /* boot timeline, SBI console, trap storms */
    if (to == TO_M)
        enter_m(h, xcause, tval, &x);
    else if (to == TO_HS)
        enter_hs(h, xcause, tval, &x);
    else
        enter_vs(h, xcause, tval);
    set_virt(h, to == TO_VS);
    h->pc = target;
    h->resv_valid = false;
    h->wfi = false;
    hart_update_mmu_ctx(h);
}

/* Interrupts that are pending, enabled and allowed now, at the level that
 * takes them first: M, then HS, then VS. While V=1, HS interrupts are
 * always enabled and VS ones follow vsstatus.SIE; with V=0, VS interrupts
 * wait (they are for the guest). */
uint64_t hart_pending_interrupts(const struct hart *h)
{
    uint64_t pending = hart_mip(h) & h->mie;
    if (!pending)
        return 0;
    bool m_on = h->priv < PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool hs_on = h->virt || h->priv < PRIV_S || (h->priv == PRIV_S && (h->mstatus & MSTATUS_SIE));
    bool vs_on = h->virt && (h->priv < PRIV_S || (h->vsstatus & MSTATUS_SIE));
    uint64_t m_level = m_on ? pending & ~h->mideleg : 0;
    uint64_t hs_level = hs_on ? pending & h->mideleg & ~h->hideleg : 0;
    uint64_t vs_level = vs_on ? pending & h->mideleg & h->hideleg : 0;
    return m_level ? m_level : hs_level ? hs_level : vs_level;
}

bool hart_check_interrupts(struct hart *h)
{
    static const uint8_t priority[] = {
        IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI, IRQ_SGEI,
        IRQ_VSEI, IRQ_VSSI, IRQ_VSTI,
    };
    uint64_t irqs = hart_pending_interrupts(h);
    if (!irqs)
        return false;
    for (unsigned i = 0; i < ARRAY_SIZE(priority); i++) {
        if (irqs & (1ULL << priority[i])) {
            hart_take_trap(h, priority[i], 0, true);
            return true;
        }
    }
    return false;
}

void hart_mret(struct hart *h)
{
    uint64_t s = h->mstatus;
    unsigned mpp = (unsigned)((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    bool mpv = mpp != PRIV_M && (s & MSTATUS_MPV);
    s = (s & ~(MSTATUS_MIE | MSTATUS_MPP | MSTATUS_MPV)) | MSTATUS_MPIE |
        ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    if (mpp != PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = (uint8_t)mpp;
    h->pc = h->mepc;
    trigger_mret(h);
    set_virt(h, mpv);
    hart_update_mmu_ctx(h);
    diag_xret(h);  /* boot timeline: the firmware's hand-over to S-mode */
}

/* SRET from VS returns within the guest (vsstatus, vsepc); from HS it
 * enters hstatus.SPV's world. */
void hart_sret(struct hart *h)
{
    bool from_vs = h->virt;
    uint64_t s = from_vs ? h->vsstatus : h->mstatus;
    unsigned spp = (s & MSTATUS_SPP) ? PRIV_S : PRIV_U;
    s = (s & ~(MSTATUS_SIE | MSTATUS_SPP)) | MSTATUS_SPIE | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    if (from_vs) {
        h->vsstatus = s;
        h->pc = h->vsepc;
    } else {
        bool spv = h->has_h && (h->hstatus & HSTATUS_SPV);
        h->mstatus = s & ~MSTATUS_MPRV;
        h->pc = h->sepc;
        h->hstatus &= ~HSTATUS_SPV;  /* "SRET then sets hstatus.SPV=0" */
        set_virt(h, spv);
    }
    h->priv = (uint8_t)spp;
    hart_update_mmu_ctx(h);
    diag_xret(h);  /* boot timeline: the first entry into U-mode */
}
