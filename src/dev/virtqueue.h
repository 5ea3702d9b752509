/* Split virtqueues (virtio 1.2 §2.7), the device's side.
 *
 * The rings live in guest RAM and the guest may write anything there, at
 * any time, from another thread. So nothing read from a ring is trusted:
 * every descriptor is checked before a device sees its chain, and a ring
 * that breaks the rules makes vq_pop fail with a message (the transport
 * then sets DEVICE_NEEDS_RESET). Device writes go through the bus, which
 * tells the code caches. */
#ifndef RIVET_VIRTQUEUE_H
#define RIVET_VIRTQUEUE_H

#include "mem/bus.h"

#define VQ_MAX_SIZE 1024        /* QueueNumMax, as QEMU */
#define VQ_MAX_SEGS 1024        /* buffers in one chain, indirect ones included */

struct vq_seg {
    uint64_t gpa;
    uint32_t len;
};

/* One popped chain: the device-readable buffers, then the writable ones. */
struct vq_elem {
    uint16_t head;
    unsigned nout, nin;
    uint64_t out_len, in_len;   /* total bytes of each kind */
    struct vq_seg seg[VQ_MAX_SEGS];
};

struct virtq {
    uint32_t num;               /* ring size; 0 while not set up */
    uint64_t desc, avail, used; /* guest-physical ring addresses */
    bool ready, event_idx;
    uint16_t last_avail;        /* next avail entry to take */
    uint16_t used_idx;          /* our copy of used->idx */
    uint16_t signalled;         /* used_idx at the last notification decision */
    struct bus *bus;
    char error[96];             /* why the last vq_pop or vq_setup failed */
};

enum { VQ_BROKEN = -1, VQ_EMPTY = 0, VQ_GOT = 1 };

/* Check a queue about to be enabled: size a power of two up to
 * VQ_MAX_SIZE, all three rings in RAM. Resets the indices. */
bool vq_setup(struct virtq *q, struct bus *bus, bool event_idx);
void vq_reset(struct virtq *q);
/* Take the next available chain: VQ_GOT, VQ_EMPTY, or VQ_BROKEN (q->error). */
int vq_pop(struct virtq *q, struct vq_elem *e);
/* Return a chain with `written` bytes written into its writable buffers. */
void vq_push(struct virtq *q, const struct vq_elem *e, uint32_t written);
/* After pushes: does the driver want an interrupt (flags or event index)? */
bool vq_should_notify(struct virtq *q);

/* Copy from the readable buffers starting `off` bytes in; returns bytes copied. */
size_t vq_read(struct bus *bus, const struct vq_elem *e, size_t off, void *buf, size_t len);
/* Copy into the writable buffers starting `off` bytes in; returns bytes copied. */
size_t vq_write(struct bus *bus, const struct vq_elem *e, size_t off, const void *buf, size_t len);

#endif
