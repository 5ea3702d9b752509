/* Trap delivery, interrupt selection and the xRET instructions. */
#include <string.h>

#include "cpu/hart.h"

static const char *cause_name(uint64_t cause, bool interrupt)
{
    static const char *const exc[16] = {
        "instruction address misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load address misaligned", "load access fault",
        "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
        "ecall from S-mode", "reserved", "ecall from M-mode", "instruction page fault",
        "load page fault", "reserved", "store/AMO page fault",
    };
    static const char *const irq[12] = {
        "?", "supervisor software", "?", "machine software", "?", "supervisor timer", "?",
        "machine timer", "?", "supervisor external", "?", "machine external",
    };
    if (interrupt)
        return cause < 12 ? irq[cause] : "?";
    return cause < 16 ? exc[cause] : "?";
}

void hart_take_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    uint64_t deleg = interrupt ? h->mideleg : h->medeleg;
    bool to_s = h->priv <= PRIV_S && ((deleg >> cause) & 1);
    uint64_t tvec = to_s ? h->stvec : h->mtvec;
    uint64_t target = (tvec & ~3ULL) + ((tvec & 1) && interrupt ? 4 * cause : 0);

    if (log_enabled(h->log, LOG_INT)) {
        char sym[96] = "";
        const char *name = h->env.symbolize ? h->env.symbolize(h->env.opaque, h->pc, sym + 2,
                                                                 sizeof(sym) - 3) : NULL;
        if (name) {
            sym[0] = ' ';
            sym[1] = '<';
            strcat(sym, ">");
        }
        log_msg(h->log, LOG_INT,
                "hart %llu: %s %llu (%s) at pc 0x%llx%s tval 0x%llx, %c-mode -> %c-mode 0x%llx\n",
                (unsigned long long)h->hartid, interrupt ? "interrupt" : "exception",
                (unsigned long long)cause, cause_name(cause, interrupt), (unsigned long long)h->pc,
                sym, (unsigned long long)tval, "US?M"[h->priv], to_s ? 'S' : 'M',
                (unsigned long long)target);
    }

    uint64_t s = h->mstatus;
    uint64_t mcause = cause | (interrupt ? 1ULL << 63 : 0);
    if (to_s) {
        h->scause = mcause;
        h->sepc = h->pc;
        h->stval = tval;
        s = (s & ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE)) |
            ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0) | (h->priv == PRIV_S ? MSTATUS_SPP : 0);
        h->priv = PRIV_S;
    } else {
        h->mcause = mcause;
        h->mepc = h->pc;
        h->mtval = tval;
        s = (s & ~(MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE)) |
            ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0) | ((uint64_t)h->priv << MSTATUS_MPP_SHIFT);
        h->priv = PRIV_M;
    }
    h->mstatus = s;
    h->pc = target;
    h->resv_valid = false;
    h->wfi = false;
    hart_update_mmu_ctx(h);
}

/* Interrupts that are pending, enabled and allowed at the current privilege. */
uint64_t hart_pending_interrupts(const struct hart *h)
{
    uint64_t pending = hart_mip(h) & h->mie;
    if (!pending)
        return 0;
    bool m_on = h->priv < PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool s_on = h->priv < PRIV_S || (h->priv == PRIV_S && (h->mstatus & MSTATUS_SIE));
    uint64_t m_level = m_on ? pending & ~h->mideleg : 0;
    uint64_t s_level = s_on ? pending & h->mideleg : 0;
    return m_level ? m_level : s_level;
}

bool hart_check_interrupts(struct hart *h)
{
    static const uint8_t priority[] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
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
    s = (s & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    if (mpp != PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = (uint8_t)mpp;
    h->pc = h->mepc;
    hart_update_mmu_ctx(h);
}

void hart_sret(struct hart *h)
{
    uint64_t s = h->mstatus;
    unsigned spp = (s & MSTATUS_SPP) ? PRIV_S : PRIV_U;
    s = (s & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | MSTATUS_SPIE |
        ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    h->mstatus = s;
    h->priv = (uint8_t)spp;
    h->pc = h->sepc;
    hart_update_mmu_ctx(h);
}
