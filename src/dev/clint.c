#include "boot/fdt.h"
#include "dev/clint.h"

enum { MSIP_BASE = 0x0, MTIMECMP_BASE = 0x4000, MTIME = 0xbff8, DECODED_END = 0xc000 };
enum { IRQ_M_SOFT = 3, IRQ_M_TIMER = 7 };

uint64_t clint_mtime(const struct clint *c)
{
    return vclock_mtime(c->clock) + (uint64_t)clint_mtime_delta(c);
}

void clint_update(struct clint *c)
{
    uint64_t now = clint_mtime(c);
    for (unsigned h = 0; h < c->nharts; h++)
        irq_set(&c->mtip_irq[h], now >= c->mtimecmp[h]);
}

uint64_t clint_next_deadline(const struct clint *c)
{
    uint64_t now = clint_mtime(c), next = UINT64_MAX;
    for (unsigned h = 0; h < c->nharts; h++)
        if (c->mtimecmp[h] > now && c->mtimecmp[h] < next)
            next = c->mtimecmp[h];
    return next == UINT64_MAX ? next : next - (uint64_t)clint_mtime_delta(c);
}

void clint_reset(struct clint *c)
{
    /* mtimecmp = 0 <= mtime: MTIP is pending from reset, as on QEMU. */
    for (unsigned h = 0; h < c->nharts; h++) {
        c->mtimecmp[h] = 0;
        c->msip[h] = false;
        irq_set(&c->msip_irq[h], false);
    }
    __atomic_store_n(&c->mtime_delta, -(int64_t)vclock_mtime(c->clock), __ATOMIC_RELAXED);
    clint_update(c);
}

/* 64-bit registers may be accessed whole or as two 32-bit halves. */
static bool reg64_read(uint64_t reg, uint64_t offset, unsigned size, uint64_t *value)
{
    if (size == 8 && !(offset & 7))
        *value = reg;
    else if (size == 4)
        *value = (uint32_t)(reg >> ((offset & 4) * 8));
    else
        return false;
    return true;
}

static bool reg64_write(uint64_t *reg, uint64_t offset, unsigned size, uint64_t value)
{
    if (size == 8 && !(offset & 7)) {
        *reg = value;
    } else if (size == 4) {
        unsigned shift = (offset & 4) * 8;
        *reg = (*reg & ~(0xffffffffULL << shift)) | ((value & 0xffffffffULL) << shift);
    } else {
        return false;
    }
    return true;
}

static bool clint_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct clint *c = dev;
    if (offset >= DECODED_END)
        return false;
    if (offset < MTIMECMP_BASE) {
        unsigned h = (unsigned)(offset / 4);
        if (size != 4)
            return false;
        *value = h < c->nharts && !(offset & 3) ? c->msip[h] : 0;
        return true;
    }
    if (offset >= MTIME)
        return reg64_read(clint_mtime(c), offset, size, value);
    unsigned h = (unsigned)((offset - MTIMECMP_BASE) / 8);
    if (h >= c->nharts) {
        *value = 0;
        return size == 4 || size == 8;
    }
    return reg64_read(c->mtimecmp[h], offset, size, value);
}

static bool clint_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct clint *c = dev;
    if (offset >= DECODED_END)
        return false;
    if (offset < MTIMECMP_BASE) {
        unsigned h = (unsigned)(offset / 4);
        if (size != 4)
            return false;
        if (h < c->nharts && !(offset & 3)) {
            c->msip[h] = value & 1;
            irq_set(&c->msip_irq[h], c->msip[h]);
        } else {
            log_msg(c->log, LOG_GUEST_ERROR, "clint: write to invalid msip offset 0x%llx\n",
                    (unsigned long long)offset);
        }
        return true;
    }
    if (offset >= MTIME) {
        uint64_t t = clint_mtime(c);
        if (!reg64_write(&t, offset, size, value))
            return false;
        __atomic_store_n(&c->mtime_delta, (int64_t)(t - vclock_mtime(c->clock)), __ATOMIC_RELAXED);
        clint_update(c);
        return true;
    }
    unsigned h = (unsigned)((offset - MTIMECMP_BASE) / 8);
    if (h >= c->nharts) {
        log_msg(c->log, LOG_GUEST_ERROR, "clint: write to invalid mtimecmp offset 0x%llx\n",
                (unsigned long long)offset);
        return size == 4 || size == 8;
    }
    if (!reg64_write(&c->mtimecmp[h], offset, size, value))
        return false;
    clint_update(c);
    return true;
}

const struct mmio_ops clint_ops = { clint_read, clint_write };

void clint_add_fdt(const struct clint *c, void *fdt, const char *soc, const uint32_t *intc_phandle)
{
    uint32_t cells[4 * MAX_HARTS];
    for (unsigned h = 0; h < c->nharts; h++) {
        cells[4 * h + 0] = intc_phandle[h];
        cells[4 * h + 1] = IRQ_M_SOFT;
        cells[4 * h + 2] = intc_phandle[h];
        cells[4 * h + 3] = IRQ_M_TIMER;
    }
    int n = fdt_node_fmt(fdt, soc, "clint@%llx", c->base);
    fdt_prop_strs(fdt, n, "compatible", "sifive,clint0", "riscv,clint0", NULL);
    fdt_prop_reg(fdt, n, c->base, CLINT_SIZE);
    fdt_prop_cells(fdt, n, "interrupts-extended", cells, 4 * c->nharts);
}
