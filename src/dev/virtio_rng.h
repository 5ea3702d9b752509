/* virtio-rng: -device virtio-rng-device */
#ifndef RIVET_VIRTIO_RNG_H
#define RIVET_VIRTIO_RNG_H

#include "dev/virtio.h"

struct virtio_rng {
    struct virtio_dev vdev;
    struct bus *bus;
    bool deterministic;       /* -icount */
    uint64_t state;
    struct vq_elem elem;
};

void virtio_rng_init(struct virtio_rng *r, struct bus *bus, bool deterministic);

#endif
