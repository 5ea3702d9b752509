/* SiFive-compatible CLINT: per-hart software interrupt (msip) and timer
 * compare (mtimecmp) registers and the shared 10 MHz mtime. */
#ifndef RIVET_CLINT_H
#define RIVET_CLINT_H

#include "dev/device.h"
#include "mem/bus.h"
#include "util/vclock.h"

#define CLINT_SIZE 0x10000

struct clint {
    uint64_t base;
    unsigned nharts;
    uint64_t mtimecmp[MAX_HARTS];
    bool msip[MAX_HARTS];
    int64_t mtime_delta;             /* guest writes to mtime; atomic: harts read time */
    struct irq_line msip_irq[MAX_HARTS], mtip_irq[MAX_HARTS];
    const struct vclock *clock;
    struct log *log;
};

extern const struct mmio_ops clint_ops;
void clint_reset(struct clint *c);
uint64_t clint_mtime(const struct clint *c);
/* Raise or lower every hart's MTIP for the current time. */
void clint_update(struct clint *c);
/* The earliest mtime at which an MTIP will rise, or UINT64_MAX. */
uint64_t clint_next_deadline(const struct clint *c);
/* intc_phandle[h] is hart h's interrupt-controller phandle. */
void clint_add_fdt(const struct clint *c, void *fdt, const char *soc, const uint32_t *intc_phandle);

/* The offset guest writes to mtime added; any thread. */
static inline int64_t clint_mtime_delta(const struct clint *c)
{
    return __atomic_load_n(&c->mtime_delta, __ATOMIC_RELAXED);
}

#endif
