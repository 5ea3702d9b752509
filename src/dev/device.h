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

/* What the board does with every device it holds, so that it names each
 * one once, where it creates it. Every member may be NULL. All run under
 * the device lock (the I/O side between slices, or the I/O thread). */
struct pollfd;
struct device_ops {
    void (*reset)(void *dev);
    void (*poll)(void *dev);                  /* timers fired, host input taken */
    uint64_t (*next_deadline)(void *dev);     /* guest ns of its next event, or UINT64_MAX */
    void (*add_fdt)(void *dev, void *fdt, const char *soc);
    /* Host fds whose input the I/O side must wake for: fills at most `max`
     * and returns how many; may lower *timeout_ns (host time). */
    unsigned (*wait_fds)(void *dev, struct pollfd *fds, unsigned max, uint64_t *timeout_ns);
};

struct board_device {
    const struct device_ops *ops;
    void *dev;
};

#endif
