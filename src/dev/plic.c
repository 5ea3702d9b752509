#include <string.h>

#include "boot/fdt.h"
#include "dev/plic.h"

enum {
    PRIORITY_BASE = 0x0, PENDING_BASE = 0x1000, ENABLE_BASE = 0x2000, ENABLE_STRIDE = 0x80,
    CONTEXT_BASE = 0x200000, CONTEXT_STRIDE = 0x1000,
};
enum { IRQ_M_EXT = 11, IRQ_S_EXT = 9 };

static bool bit_test(const uint32_t *w, unsigned i) { return (w[i / 32] >> (i % 32)) & 1; }
static void bit_put(uint32_t *w, unsigned i, bool v)
{
    if (v)
        w[i / 32] |= 1u << (i % 32);
    else
        w[i / 32] &= ~(1u << (i % 32));
}

/* The source this context would claim now: highest priority above the
 * threshold, ties to the lowest ID; 0 if none. */
static unsigned best_source(const struct plic *p, unsigned ctx)
{
    unsigned best = 0;
    uint32_t best_prio = p->threshold[ctx];
    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t cand = p->pending[w] & p->enable[ctx][w] & ~p->claimed[w];
        while (cand) {
            unsigned i = w * 32 + (unsigned)__builtin_ctz(cand);
            cand &= cand - 1;
            if (p->priority[i] > best_prio) {
                best_prio = p->priority[i];
                best = i;
            }
        }
    }
    return best;
}

static void update_outputs(struct plic *p)
{
    for (unsigned ctx = 0; ctx < p->ncontexts; ctx++)
        irq_set(&p->out[ctx], best_source(p, ctx) != 0);
}

void plic_set_irq(void *opaque, unsigned source, bool level)
{
    struct plic *p = opaque;
    if (source == 0 || source >= PLIC_SOURCES)
        return;
    bit_put(p->line, source, level);
    /* Level-triggered gateway: a source is pending while its line is high
     * and it is not being serviced. */
    bit_put(p->pending, source, level && !bit_test(p->claimed, source));
    update_outputs(p);
}

void plic_reset(struct plic *p)
{
    memset(p->priority, 0, sizeof(p->priority));
    memset(p->pending, 0, sizeof(p->pending));
    memset(p->claimed, 0, sizeof(p->claimed));
    memset(p->enable, 0, sizeof(p->enable));
    memset(p->threshold, 0, sizeof(p->threshold));
    for (unsigned i = 1; i < PLIC_SOURCES; i++)
        bit_put(p->pending, i, bit_test(p->line, i));
    update_outputs(p);
}

static unsigned claim(struct plic *p, unsigned ctx)
{
    unsigned src = best_source(p, ctx);
    if (src) {
        bit_put(p->pending, src, false);
        bit_put(p->claimed, src, true);
        update_outputs(p);
    }
    return src;
}

static void complete(struct plic *p, unsigned src)
{
    if (src == 0 || src >= PLIC_SOURCES)
        return;
    bit_put(p->claimed, src, false);
    if (bit_test(p->line, src))
        bit_put(p->pending, src, true);
    update_outputs(p);
}

static bool plic_read(void *dev, uint64_t off, unsigned size, uint64_t *value)
{
    struct plic *p = dev;
    if (size != 4 || (off & 3))
        return false;
    *value = 0;
    if (off < PENDING_BASE) {
        unsigned i = (unsigned)(off / 4);
        if (i < PLIC_SOURCES)
            *value = p->priority[i];
    } else if (off < ENABLE_BASE) {
        unsigned w = (unsigned)((off - PENDING_BASE) / 4);
        if (w < PLIC_WORDS)
            *value = p->pending[w];
    } else if (off < CONTEXT_BASE) {
        unsigned ctx = (unsigned)((off - ENABLE_BASE) / ENABLE_STRIDE);
        unsigned w = (unsigned)((off - ENABLE_BASE) % ENABLE_STRIDE) / 4;
        if (ctx < p->ncontexts && w < PLIC_WORDS)
            *value = p->enable[ctx][w];
    } else {
        unsigned ctx = (unsigned)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
        unsigned reg = (unsigned)((off - CONTEXT_BASE) % CONTEXT_STRIDE);
        if (ctx < p->ncontexts && reg == 0)
            *value = p->threshold[ctx];
        else if (ctx < p->ncontexts && reg == 4)
            *value = claim(p, ctx);
    }
    return true;
}

static bool plic_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct plic *p = dev;
    uint32_t v = (uint32_t)value;
    if (size != 4 || (off & 3))
        return false;
    if (off < PENDING_BASE) {
        unsigned i = (unsigned)(off / 4);
        if (i > 0 && i < PLIC_SOURCES)
            p->priority[i] = v & 7;
    } else if (off < ENABLE_BASE) {
        log_msg(p->log, LOG_GUEST_ERROR, "plic: write to read-only pending bits ignored\n");
    } else if (off < CONTEXT_BASE) {
        unsigned ctx = (unsigned)((off - ENABLE_BASE) / ENABLE_STRIDE);
        unsigned w = (unsigned)((off - ENABLE_BASE) % ENABLE_STRIDE) / 4;
        if (ctx < p->ncontexts && w < PLIC_WORDS)
            p->enable[ctx][w] = w == 0 ? v & ~1u : v;  /* source 0 does not exist */
    } else {
        unsigned ctx = (unsigned)((off - CONTEXT_BASE) / CONTEXT_STRIDE);
        unsigned reg = (unsigned)((off - CONTEXT_BASE) % CONTEXT_STRIDE);
        if (ctx < p->ncontexts && reg == 0)
            p->threshold[ctx] = v & 7;
        else if (ctx < p->ncontexts && reg == 4)
            complete(p, v);
    }
    update_outputs(p);
    return true;
}

const struct mmio_ops plic_ops = { plic_read, plic_write };

void plic_add_fdt(const struct plic *p, void *fdt, const char *soc, const uint32_t *intc_phandle,
                  unsigned nharts)
{
    uint32_t cells[4 * MAX_HARTS];
    for (unsigned h = 0; h < nharts; h++) {
        cells[4 * h + 0] = intc_phandle[h];
        cells[4 * h + 1] = IRQ_M_EXT;
        cells[4 * h + 2] = intc_phandle[h];
        cells[4 * h + 3] = IRQ_S_EXT;
    }
    int n = fdt_node_fmt(fdt, soc, "plic@%llx", p->base);
    fdt_prop_u32(fdt, n, "#interrupt-cells", 1);
    fdt_prop_u32(fdt, n, "#address-cells", 0);
    fdt_prop_strs(fdt, n, "compatible", "sifive,plic-1.0.0", "riscv,plic0", NULL);
    fdt_prop_empty(fdt, n, "interrupt-controller");
    fdt_prop_cells(fdt, n, "interrupts-extended", cells, 4 * nharts);
    fdt_prop_reg(fdt, n, p->base, PLIC_SIZE);
    fdt_prop_u32(fdt, n, "riscv,ndev", PLIC_SOURCES - 1);
    fdt_prop_u32(fdt, n, "phandle", p->phandle);
}
