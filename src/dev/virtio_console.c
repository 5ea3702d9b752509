/* virtio-console (virtio 1.2 §5.3) without MULTIPORT: port 0 only, queue 0
 * to the guest, queue 1 from it. Host input is read only while the guest
 * has a buffer for it, so a guest that stops reading stops the host
 * stream instead of losing it (and the I/O side does not spin on it). */
#include <string.h>

#include "dev/virtio_console.h"
#include "machine/virtio_config.h"

enum { RXQ = 0, TXQ = 1 };

static void transmit(struct virtio_console *c)
{
    while (virtio_pop(c->vdev.t, TXQ, &c->tx) == VQ_GOT) {
        for (size_t off = 0; off < c->tx.out_len; off += sizeof(c->txbuf)) {
            size_t n = vq_read(c->bus, &c->tx, off, c->txbuf, sizeof(c->txbuf));
            host_chardev_write(&c->chr, c->txbuf, n);
        }
        virtio_push(c->vdev.t, TXQ, &c->tx, 0);
    }
    virtio_notify(c->vdev.t, TXQ);
}

/* Move held host input into the guest's receive buffers. */
static void deliver(struct virtio_console *c)
{
    bool any = false;
    while (c->in_pos < c->in_len && virtio_pop(c->vdev.t, RXQ, &c->rx) == VQ_GOT) {
        size_t n = vq_write(c->bus, &c->rx, 0, c->in + c->in_pos, c->in_len - c->in_pos);
        virtio_push(c->vdev.t, RXQ, &c->rx, (uint32_t)n);
        c->in_pos += n;
        any = true;
    }
    if (any)
        virtio_notify(c->vdev.t, RXQ);
}

static void con_poll(void *opaque)
{
    struct virtio_console *c = opaque;
    if (!c->has_chr)
        return;
    host_chardev_poll(&c->chr);
    if (c->in_pos == c->in_len && virtio_queue_ready(c->vdev.t, RXQ)) {
        c->in_pos = 0;
        c->in_len = host_chardev_read(&c->chr, c->in, sizeof(c->in));
    }
    deliver(c);
}

/* Wait on the host only while there is room for what it sends. */
static unsigned con_wait_fds(void *opaque, struct pollfd *fds, unsigned max, uint64_t *timeout_ns)
{
    struct virtio_console *c = opaque;
    (void)timeout_ns;
    if (!c->has_chr || c->in_pos < c->in_len)
        return 0;
    return host_chardev_wait_fds(&c->chr, fds, max);
}

static void con_kick(void *opaque, unsigned queue)
{
    struct virtio_console *c = opaque;
    if (queue == TXQ && c->has_chr)
        transmit(c);
    else if (queue == TXQ)
        while (virtio_pop(c->vdev.t, TXQ, &c->tx) == VQ_GOT)
            virtio_push(c->vdev.t, TXQ, &c->tx, 0);
    else
        deliver(c);
}

static void con_reset(void *opaque)
{
    struct virtio_console *c = opaque;
    c->in_pos = c->in_len = 0;
}

static const struct virtio_dev_ops console_ops = {
    .reset = con_reset, .kick = con_kick, .poll = con_poll, .wait_fds = con_wait_fds,
};

void virtio_console_init(struct virtio_console *c, const struct chardev_opt *chr, struct bus *bus)
{
    memset(c, 0, sizeof(*c));
    c->bus = bus;
    c->vdev = (struct virtio_dev){ .name = "virtio-console", .device_id = VIRTIO_ID_CONSOLE,
                                   .nqueues = 2, .config_len = 12, .ops = &console_ops, .opaque = c };
    c->has_chr = chr != NULL;
    if (chr)
        host_chardev_open(&c->chr, chr);
}

void virtio_console_free(struct virtio_console *c)
{
    if (c->has_chr)
        host_chardev_close(&c->chr);
}
