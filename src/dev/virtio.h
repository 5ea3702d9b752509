/* virtio: the transport (virtio-mmio, QEMU's hw/virtio/virtio-mmio.c
 * register map, legacy v1 or modern v2) and what a device behind it sees.
 *
 * A device (blk, net, rng, console) fills a struct virtio_dev and is
 * attached to a transport slot. The transport owns the queues, feature
 * negotiation, status and the interrupt; the device is told when the
 * driver kicks a queue and takes chains with virtio_pop, returns them with
 * virtio_push, then calls virtio_notify. Everything runs under the device
 * lock. */
#ifndef RIVET_VIRTIO_H
#define RIVET_VIRTIO_H

#include "dev/device.h"
#include "dev/virtqueue.h"
#include "mem/bus.h"
#include "util/log.h"

#define VIRTIO_MMIO_SIZE 0x1000     /* in the device tree */
#define VIRTIO_MMIO_DECODE 0x200    /* what answers: beyond it, an access fault (as QEMU) */
#define VIRTIO_MAX_QUEUES 8

enum {
    VIRTIO_ID_NET = 1, VIRTIO_ID_BLOCK = 2, VIRTIO_ID_CONSOLE = 3, VIRTIO_ID_RNG = 4,
};

/* Transport feature bits (device-specific ones are below 24). */
#define VIRTIO_F_INDIRECT_DESC (1ULL << 28)
#define VIRTIO_F_EVENT_IDX (1ULL << 29)
#define VIRTIO_F_VERSION_1 (1ULL << 32)

enum {
    VIRTIO_STATUS_ACK = 1, VIRTIO_STATUS_DRIVER = 2, VIRTIO_STATUS_DRIVER_OK = 4,
    VIRTIO_STATUS_FEATURES_OK = 8, VIRTIO_STATUS_NEEDS_RESET = 0x40, VIRTIO_STATUS_FAILED = 0x80,
};

struct virtio_mmio;

struct virtio_dev_ops {
    void (*reset)(void *dev);
    void (*kick)(void *dev, unsigned queue);   /* the driver notified `queue` */
    void (*poll)(void *dev);                   /* the I/O side: host input */
    unsigned (*wait_fds)(void *dev, struct pollfd *fds, unsigned max, uint64_t *timeout_ns);
    void (*config_write)(void *dev, unsigned off, unsigned size, uint32_t value);
};

struct virtio_dev {
    const char *name;               /* for logs: "virtio-blk" */
    uint32_t device_id;
    uint64_t features;              /* device-specific feature bits offered */
    unsigned nqueues;
    uint8_t config[64];             /* device configuration space, little-endian */
    unsigned config_len;
    const struct virtio_dev_ops *ops;
    void *opaque;
    struct virtio_mmio *t;          /* set when attached */
};

struct virtio_mmio {
    uint64_t base;
    unsigned irq;
    uint32_t plic_phandle;
    bool legacy;                    /* Version 1 (QEMU's default) or 2 */
    struct irq_line irq_line;
    struct bus *bus;
    struct log *log;
    struct virtio_dev *dev;         /* NULL: an empty slot (DeviceID 0) */

    uint32_t status, isr;
    uint32_t dev_feat_sel, drv_feat_sel, queue_sel;
    uint64_t driver_features;       /* accepted (v1: as written; v2: at FEATURES_OK) */
    uint64_t drv_feat_latch;        /* v2: written, not yet accepted */
    uint32_t page_shift;            /* v1: GuestPageSize */
    uint32_t queue_align[VIRTIO_MAX_QUEUES], queue_pfn[VIRTIO_MAX_QUEUES];
    struct virtq vq[VIRTIO_MAX_QUEUES];
};

extern const struct mmio_ops virtio_mmio_ops;
extern const struct device_ops virtio_mmio_device;
void virtio_mmio_attach(struct virtio_mmio *t, struct virtio_dev *d);

/* For devices. */
bool virtio_has_feature(const struct virtio_mmio *t, uint64_t bit);
/* VQ_GOT, or VQ_EMPTY (also when the ring is broken: the transport has
 * then set DEVICE_NEEDS_RESET and logged why). */
int virtio_pop(struct virtio_mmio *t, unsigned queue, struct vq_elem *e);
void virtio_push(struct virtio_mmio *t, unsigned queue, const struct vq_elem *e, uint32_t written);
/* Interrupt the driver for `queue` if it wants it. */
void virtio_notify(struct virtio_mmio *t, unsigned queue);
/* A device error the guest caused: DEVICE_NEEDS_RESET, logged. */
void virtio_broken(struct virtio_mmio *t, const char *why);
/* Is the queue set up and the device running (not broken)? */
bool virtio_queue_ready(const struct virtio_mmio *t, unsigned queue);

#endif
