/* The HTIF tohost/fromhost convention of the RISC-V ISA test suites: the
 * program writes a command to its `tohost` symbol and the host answers in
 * `fromhost`. rivet polls tohost between instruction slices. */
#ifndef RIVET_HTIF_H
#define RIVET_HTIF_H

#include "dev/device.h"
#include "mem/bus.h"

struct htif {
    bool enabled;
    uint64_t tohost, fromhost;   /* physical addresses */
    struct bus *bus;
    struct chardev *chr;
    void (*exit)(void *opaque, int status);
    void *opaque;
};

void htif_poll(struct htif *h);

#endif
