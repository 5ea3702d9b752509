/* Hart construction and reset. */
#include <string.h>

#include "cpu/codecache.h"
#include "cpu/hart.h"

bool hart_init(struct hart *h, uint64_t hartid, struct bus *bus, struct cpu_shared *shared,
               struct hart_env env, struct log *log)
{
    memset(h, 0, sizeof(*h));
    h->hartid = hartid;
    h->bus = bus;
    h->cc = code_cache_create(shared, h);
    h->code_by_host = (uintptr_t)bus->ram.code_harts - ((uintptr_t)bus->ram.host >> 12) * 8;
    h->env = env;
    h->log = log;
    for (unsigned t = 0; t < TLB_SETS; t++)
        h->tlb_set[t].used = 0xff;  /* zeroed TLBs hold tag 0, a valid page: flush them all */
    h->gtlb_used = true;
    h->tlb = &h->tlb_set[0];
    for (unsigned i = 0; i < TLB_SIZE; i++)
        h->nocache_tlb[i].tag = TLB_INVALID;
    return h->cc != NULL;
}

/* Reset state as QEMU leaves it: M-mode, GPRs zero, SXL = UXL = 2,
 * everything else zero. mip.MTIP comes from the CLINT, not from here. */
void hart_reset(struct hart *h, uint64_t pc)
{
    memset(h->x, 0, sizeof(h->x));
    memset(h->f, 0, sizeof(h->f));
    h->pc = pc;
    h->priv = PRIV_M;
    h->mstatus = (2ULL << 32) | (2ULL << 34);  /* UXL = SXL = 64-bit */
    h->fs_off = true;
    h->frm = h->fflags = 0;
    h->wfi = false;
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    h->resv_valid = false;
    trigger_reset(h);
    /* Device lines persist (the devices reset them); software bits clear. */
    mip_update(h, MIP_SSIP | MIP_STIP | MIP_SEIP | VS_INTERRUPTS, 0);
    h->mie = h->medeleg = 0;
    h->mideleg = h->has_h ? VS_INTERRUPTS : 0;  /* read-only one with H */
    h->virt = false;
    h->vstip_timer = false;
    h->hstatus = 2ULL << 32;                     /* VSXL = 64-bit */
    h->vsstatus = 2ULL << 32;                    /* UXL = 64-bit */
    h->hedeleg = h->hideleg = h->hgatp = h->htval = h->htinst = 0;
    h->htimedelta = h->henvcfg = h->hcounteren = 0;
    h->vstvec = h->vsscratch = h->vsepc = h->vscause = h->vstval = h->vsatp = 0;
    h->vstimecmp = h->mtval2 = h->mtinst = 0;
    h->mtvec = h->mepc = h->mcause = h->mtval = h->mscratch = 0;
    h->stvec = h->sepc = h->scause = h->stval = h->sscratch = 0;
    h->satp = h->menvcfg = h->senvcfg = 0;
    h->mcounteren = h->scounteren = h->mcountinhibit = 0;
    h->stimecmp = 0;
    h->instret = h->mcycle_offset = h->minstret_offset = 0;
    memset(&h->pmp, 0, sizeof(h->pmp));
    tlb_flush_all(h);
    tlb_switch_satp(h);
    code_cache_flush(h->cc);  /* the images were copied into RAM again */
    log_msg(h->log, LOG_CPU_RESET, "hart %llu: reset, pc 0x%llx, mstatus 0x%llx\n",
            (unsigned long long)h->hartid, (unsigned long long)pc,
            (unsigned long long)h->mstatus);
}
