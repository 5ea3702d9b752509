/* rivet-hv: the zone's virtual PLIC, and the physical PLIC under it.
 *
 * The guest's PLIC region is not mapped in the G-stage: every access traps
 * and is emulated here (priorities, pending, per-context enables,
 * thresholds, claim/complete), with the register layout of the SiFive PLIC
 * QEMU's virt board has. Contexts 2n and 2n+1 are vhart n's M and S
 * contexts; M contexts read as zero.
 *
 * A physical interrupt of the zone is claimed at the physical PLIC by the
 * hypervisor, becomes pending in the virtual PLIC and raises VSEIP (hvip)
 * when an enabled context's threshold lets it through. It is completed at
 * the physical PLIC only when the guest completes it: until then the
 * physical gateway holds the source, so it cannot arrive twice, and a
 * level that is still high after completion arrives again, so it is never
 * lost. */
#include "zone.h"
#include "csr.h"

#define PRIO_MASK 7u    /* QEMU's PLIC: 3 priority bits */

static struct zone *irq_owner[PLIC_SOURCES];

static uint64_t p_prio(uint32_t irq) { return host.plic_base + 4ul * irq; }
static uint64_t p_enable(int ctx, uint32_t irq) { return host.plic_base + 0x2000 + 0x80ul * ctx + 4 * (irq / 32); }
static uint64_t p_threshold(int ctx) { return host.plic_base + 0x200000 + 0x1000ul * ctx; }
static uint64_t p_claim(int ctx) { return p_threshold(ctx) + 4; }

static void lock(struct vplic *p)
{
    while (__atomic_exchange_n(&p->lock, 1, __ATOMIC_ACQUIRE))
        ;
}
static void unlock(struct vplic *p) { __atomic_store_n(&p->lock, 0, __ATOMIC_RELEASE); }

static bool bit(const uint32_t *m, uint32_t i) { return m[i / 32] >> (i % 32) & 1; }
static void setbit(uint32_t *m, uint32_t i) { m[i / 32] |= 1u << (i % 32); }
static void clrbit(uint32_t *m, uint32_t i) { m[i / 32] &= ~(1u << (i % 32)); }

void vplic_init(struct zone *z)
{
    struct vplic *p = &z->vplic;
    const struct zone_config *c = z->cfg;
    memset(p, 0, sizeof *p);
    p->base = c->plic_gpa;
    p->size = 0x600000;
    p->ndev = host.plic_ndev;
    p->nctx = 2u * (uint32_t)z->nr_vharts;
    for (int i = 0; i < c->nr_dev; i++)
        if (c->dev[i].irq) {
            setbit(p->owned, c->dev[i].irq);
            irq_owner[c->dev[i].irq] = z;
        }
}

/* Before a zone reboots: complete at the physical PLIC every source the
 * zone holds (pending or claimed in the virtual PLIC: claimed physically),
 * or it would never arrive again. */
void vplic_release(struct zone *z)
{
    struct vplic *p = &z->vplic;
    lock(p);
    for (uint32_t irq = 1; irq <= p->ndev; irq++)
        if (bit(p->pending, irq) || bit(p->claimed, irq)) {
            clrbit(p->pending, irq);
            clrbit(p->claimed, irq);
            mmio_write32(p_claim(p->route_ctx), irq);
        }
    unlock(p);
}

/* Route the zone's sources to the S-mode context of the physical hart that
 * runs its vhart 0: priority 1, enabled, threshold 0. */
void plic_route(struct zone *z, int phart)
{
    int ctx = host.plic_sctx[phart];
    z->vplic.route_ctx = ctx;
    for (uint32_t irq = 1; irq <= z->vplic.ndev; irq++)
        if (bit(z->vplic.owned, irq)) {
            mmio_write32(p_prio(irq), 1);
            mmio_write32(p_enable(ctx, irq), mmio_read32(p_enable(ctx, irq)) | 1u << (irq % 32));
        }
    mmio_write32(p_threshold(ctx), 0);
}

/* The best source for context ctx: pending, enabled, above the threshold. */
static uint32_t best(struct vplic *p, uint32_t ctx)
{
    uint32_t id = 0, prio = p->threshold[ctx];
    for (uint32_t w = 0; w <= p->ndev / 32; w++) {
        uint32_t m = p->pending[w] & p->enable[ctx][w];
        while (m) {
            uint32_t b = (uint32_t)ctz64(m), irq = w * 32 + b;
            m &= m - 1;
            if (irq && irq <= p->ndev && p->prio[irq] > prio) {
                prio = p->prio[irq];
                id = irq;
            }
        }
    }
    return id;
}

/* Raise or lower VSEIP of the vhart running on this hart (context 2v+1). */
void vplic_update_vcpu(struct vcpu *v)
{
    struct vplic *p = &v->zone->vplic;
    lock(p);
    bool on = best(p, 2u * (uint32_t)v->id + 1) != 0;
    v->vseip = on;
    unlock(p);
    /* hvip is written only when VSEIP changes (fewer interrupt-state
     * updates in the emulator under us, see config.c) */
    bool now = csr_read(CSR_HVIP) & MIP_VSEIP;
    if (on && !now)
        csr_set(CSR_HVIP, MIP_VSEIP);
    else if (!on && now)
        csr_clear(CSR_HVIP, MIP_VSEIP);
}

/* Every vhart of the zone whose VSEIP should change: here directly, on
 * other harts through a request. */
void vplic_update(struct zone *z, int self_phart)
{
    struct vplic *p = &z->vplic;
    for (int i = 0; i < z->nr_vharts; i++) {
        struct vcpu *t = &z->vcpu[i];
        if (t->phart == self_phart) {
            vplic_update_vcpu(t);
            continue;
        }
        lock(p);
        bool on = best(p, 2u * (uint32_t)i + 1) != 0, changed = on != t->vseip;
        unlock(p);
        if (changed)
            vcpu_request(NULL, t, REQ_VSEIP, false);
    }
}

/* A supervisor external interrupt on this physical hart. */
void plic_handle_host_irq(int phart)
{
    int ctx = host.plic_sctx[phart];
    uint32_t irq;
    while ((irq = mmio_read32(p_claim(ctx))) != 0) {
        struct zone *z = irq < PLIC_SOURCES ? irq_owner[irq] : NULL;
        if (!z || z->state != ZONE_RUNNING) {
            static uint32_t told[PLIC_SOURCES / 32];
            if (irq < PLIC_SOURCES && !bit(told, irq)) {
                setbit(told, irq);
                LOG("hart %d: PLIC source %u belongs to no running zone; completed and ignored\n", phart, irq);
            }
            mmio_write32(p_claim(ctx), irq);
            continue;
        }
        __atomic_fetch_add(&z->stats.irqs, 1, __ATOMIC_RELAXED);
        lock(&z->vplic);
        setbit(z->vplic.pending, irq);
        unlock(&z->vplic);
        vplic_update(z, phart);
    }
}

/* A guest access to its PLIC (off from the region's base). */
bool vplic_access(struct vcpu *v, uint64_t off, int width, bool write, uint64_t *val)
{
    struct zone *z = v->zone;
    struct vplic *p = &z->vplic;
    uint32_t w32 = (uint32_t)*val;
    bool update = false;
    if (width != 4 || (off & 3))
        return false;
    lock(p);
    uint32_t r = 0;
    if (off < 0x1000) {                                   /* priorities */
        uint32_t irq = (uint32_t)off / 4;
        if (irq && irq <= p->ndev) {
            if (write) {
                p->prio[irq] = (uint8_t)(w32 & PRIO_MASK);
                update = true;
            }
            r = p->prio[irq];
        }
    } else if (off < 0x1080) {                            /* pending bits */
        uint32_t w = (uint32_t)(off - 0x1000) / 4;
        r = w <= p->ndev / 32 ? p->pending[w] : 0;
    } else if (off >= 0x2000 && off < 0x200000) {         /* enables */
        uint32_t ctx = (uint32_t)(off - 0x2000) / 0x80, w = (uint32_t)(off - 0x2000) % 0x80 / 4;
        if (ctx < p->nctx && (ctx & 1) && w <= p->ndev / 32) {
            if (write) {
                p->enable[ctx][w] = w32 & (w == 0 ? ~1u : ~0u);
                update = true;
            }
            r = p->enable[ctx][w];
        }
    } else if (off >= 0x200000) {                         /* threshold, claim/complete */
        uint32_t ctx = (uint32_t)(off - 0x200000) / 0x1000, reg = (uint32_t)(off - 0x200000) % 0x1000;
        if (ctx < p->nctx && (ctx & 1)) {
            if (reg == 0) {
                if (write) {
                    p->threshold[ctx] = w32 & PRIO_MASK;
                    update = true;
                }
                r = p->threshold[ctx];
            } else if (reg == 4 && !write) {              /* claim */
                r = best(p, ctx);
                if (r) {
                    clrbit(p->pending, r);
                    setbit(p->claimed, r);
                }
                update = true;
            } else if (reg == 4 && write) {               /* complete */
                if (w32 && w32 <= p->ndev && bit(p->claimed, w32)) {
                    clrbit(p->claimed, w32);
                    mmio_write32(p_claim(p->route_ctx), w32);   /* where it was claimed */
                }
                update = true;
            }
        }
    }
    unlock(p);
    if (!write)
        *val = r;
    if (update)
        vplic_update(z, v->phart);
    return true;
}
