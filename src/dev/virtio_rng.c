/* virtio-rng (virtio 1.2 §5.4): each writable buffer filled from the
 * host's getrandom. Under -icount the bytes come from a fixed sequence,
 * so that runs repeat. */
#include <string.h>
#include <sys/random.h>

#include "dev/virtio_rng.h"

#define CHUNK 4096

static void fill(struct virtio_rng *r, uint8_t *buf, size_t len)
{
    if (r->deterministic) {
        for (size_t i = 0; i < len; i++) {
            r->state = r->state * 6364136223846793005ULL + 1442695040888963407ULL;
            buf[i] = (uint8_t)(r->state >> 56);
        }
        return;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    if (done < len)
        memset(buf + done, 0, len - done);  /* never: getrandom does not fail for small reads */
}

static void rng_kick(void *opaque, unsigned queue)
{
    struct virtio_rng *r = opaque;
    while (virtio_pop(r->vdev.t, queue, &r->elem) == VQ_GOT) {
        uint8_t buf[CHUNK];
        size_t len = r->elem.in_len < CHUNK ? (size_t)r->elem.in_len : CHUNK;
        fill(r, buf, len);
        virtio_push(r->vdev.t, queue, &r->elem, (uint32_t)vq_write(r->bus, &r->elem, 0, buf, len));
    }
    virtio_notify(r->vdev.t, queue);
}

static const struct virtio_dev_ops rng_ops = { .kick = rng_kick };

void virtio_rng_init(struct virtio_rng *r, struct bus *bus, bool deterministic)
{
    memset(r, 0, sizeof(*r));
    r->bus = bus;
    r->deterministic = deterministic;
    r->state = 0x5eed;
    r->vdev = (struct virtio_dev){ .name = "virtio-rng", .device_id = VIRTIO_ID_RNG,
                                   .nqueues = 1, .ops = &rng_ops, .opaque = r };
}
