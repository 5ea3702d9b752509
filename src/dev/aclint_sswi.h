/* ACLINT SSWI (-M virt,aclint=on): per-hart supervisor software interrupts. */
#ifndef RIVET_ACLINT_SSWI_H
#define RIVET_ACLINT_SSWI_H

#include "dev/device.h"
#include "mem/bus.h"


struct aclint_sswi {
    unsigned nharts;
    struct irq_line ssip[MAX_HARTS];
    struct log *log;
};

extern const struct mmio_ops aclint_sswi_ops;

#endif
