/* SiFive PLIC: 96 sources, 3 priority bits, two contexts per hart
 * (2h = M-mode, 2h+1 = S-mode), level-triggered gateways. */
#ifndef RIVET_PLIC_H
#define RIVET_PLIC_H

#include "dev/device.h"
#include "mem/bus.h"

#define PLIC_SIZE 0x600000
#define PLIC_SOURCES 96
#define PLIC_WORDS (PLIC_SOURCES / 32)
#define PLIC_MAX_CONTEXTS (2 * MAX_HARTS)  /* M and S per hart */

struct plic {
    uint64_t base;
    uint32_t phandle;
    unsigned ncontexts;
    uint32_t priority[PLIC_SOURCES];
    uint32_t pending[PLIC_WORDS];
    uint32_t claimed[PLIC_WORDS];
    uint32_t line[PLIC_WORDS];     /* current level of each input */
    uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
    uint32_t threshold[PLIC_MAX_CONTEXTS];
    struct irq_line out[PLIC_MAX_CONTEXTS];  /* to MEIP / SEIP of each hart */
    struct log *log;
};

extern const struct mmio_ops plic_ops;
void plic_reset(struct plic *p);
/* The input line `source` (1..95) changes level. Usable as irq_line.set. */
void plic_set_irq(void *plic, unsigned source, bool level);
void plic_add_fdt(const struct plic *p, void *fdt, const char *soc, const uint32_t *intc_phandle,
                  unsigned nharts);

#endif
