/* What every device model shares: interrupt lines and the virtual clock.
 *
 * A device is a state struct with read/write callbacks for its MMIO window
 * (see mem/bus.h), a reset function and a function that adds its own node
 * to the device tree. It raises interrupts through irq_line and never knows
 * what is on the other end. */
#ifndef RIVET_DEVICE_H
#define RIVET_DEVICE_H

#include "util/common.h"

struct irq_line {
    void (*set)(void *opaque, unsigned n, bool level);
    void *opaque;
    unsigned n;
};

static inline void irq_set(const struct irq_line *l, bool level)
{
    if (l->set)
        l->set(l->opaque, l->n, level);
}

/* A byte stream to the user (the host terminal, a file, nothing). */
struct chardev {
    void (*write)(void *opaque, const uint8_t *buf, size_t len);
    /* Non-blocking: how many bytes were read (0 when none are waiting). */
    size_t (*read)(void *opaque, uint8_t *buf, size_t len);
    void *opaque;
};

#endif
