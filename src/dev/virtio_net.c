/* virtio-net (virtio 1.2 §5.1) on user networking or a tap: one receive and one
 * transmit queue, no offloads. Frames the network sends while the guest
 * has no receive buffer wait in a small ring (beyond it they are dropped,
 * and TCP resends), so a burst does not cost a retransmit timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev/virtio_net.h"
#include "machine/virtio_config.h"
#include "util/error.h"

#define NET_F_MAC (1ULL << 5)
enum { RXQ = 0, TXQ = 1 };

/* virtio_net_hdr: 10 bytes in legacy without MRG_RXBUF, 12 (with
 * num_buffers) under VERSION_1. All zero: no checksum or GSO offload. */
static size_t hdr_len(const struct virtio_net *n)
{
    return virtio_has_feature(n->vdev.t, VIRTIO_F_VERSION_1) ? 12 : 10;
}

/* Into the next receive buffer; false when the guest has none. */
static bool deliver(struct virtio_net *n, const uint8_t *frame, size_t len)
{
    if (virtio_pop(n->vdev.t, RXQ, &n->rx) != VQ_GOT)
        return false;
    uint8_t hdr[12] = { 0 };
    hdr[10] = 1;  /* num_buffers, when present */
    size_t h = hdr_len(n);
    size_t done = vq_write(n->bus, &n->rx, 0, hdr, h);
    if (done == h)
        done += vq_write(n->bus, &n->rx, h, frame, len);
    virtio_push(n->vdev.t, RXQ, &n->rx, (uint32_t)done);
    return true;
}

static void flush_pending(struct virtio_net *n)
{
    bool any = false;
    while (n->count && deliver(n, n->pending[n->head].data, n->pending[n->head].len)) {
        n->head = (n->head + 1) % NET_PENDING;
        n->count--;
        any = true;
    }
    if (any)
        virtio_notify(n->vdev.t, RXQ);
}

/* From slirp (in its poll, or inside slirp_net_send for an immediate reply). */
static void receive(void *opaque, const uint8_t *frame, size_t len)
{
    struct virtio_net *n = opaque;
    if (len > NET_FRAME_MAX || !virtio_queue_ready(n->vdev.t, RXQ))
        return;
    if (!n->count && deliver(n, frame, len)) {
        virtio_notify(n->vdev.t, RXQ);
        return;
    }
    if (n->count == NET_PENDING)
        return;  /* dropped, as a NIC with a full ring does */
    struct net_frame *f = &n->pending[(n->head + n->count++) % NET_PENDING];
    f->len = (uint16_t)len;
    memcpy(f->data, frame, len);
}

static void transmit(struct virtio_net *n)
{
    while (virtio_pop(n->vdev.t, TXQ, &n->tx) == VQ_GOT) {
        size_t h = hdr_len(n);
        size_t len = n->tx.out_len < sizeof(n->txbuf) ? (size_t)n->tx.out_len : sizeof(n->txbuf);
        len = vq_read(n->bus, &n->tx, 0, n->txbuf, len);
        virtio_push(n->vdev.t, TXQ, &n->tx, 0);
        if (len > h && n->use_tap)
            tap_net_send(&n->tap, n->txbuf + h, len - h);
        else if (len > h)
            slirp_net_send(&n->net, n->txbuf + h, len - h);
    }
    virtio_notify(n->vdev.t, TXQ);
}

static void net_kick(void *opaque, unsigned queue)
{
    struct virtio_net *n = opaque;
    if (queue == TXQ)
        transmit(n);
    else
        flush_pending(n);
}

static void net_poll(void *opaque)
{
    struct virtio_net *n = opaque;
    if (n->use_tap)
        tap_net_poll(&n->tap);
    else
        slirp_net_poll(&n->net);
    flush_pending(n);
}

static unsigned net_wait_fds(void *opaque, struct pollfd *fds, unsigned max, uint64_t *timeout_ns)
{
    struct virtio_net *n = opaque;
    if (n->use_tap)
        return tap_net_wait_fds(&n->tap, fds, max);
    return slirp_net_wait_fds(&n->net, fds, max, timeout_ns);
}

static void net_reset(void *opaque)
{
    struct virtio_net *n = opaque;
    n->head = n->count = 0;
}

static const struct virtio_dev_ops net_ops = {
    .reset = net_reset, .kick = net_kick, .poll = net_poll, .wait_fds = net_wait_fds,
};

/* QEMU's default: 52:54:00:12:34:56, then :57... for each further NIC. */
static void set_mac(uint8_t *mac, const struct vdev_opt *o)
{
    static unsigned nics;
    const uint8_t def[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x56 + nics++) };
    memcpy(mac, def, 6);
    if (!o->mac)
        return;
    unsigned b[6];
    char tail;
    if (sscanf(o->mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
        fatal("-device %s: mac=%s is not a MAC address (52:54:00:12:34:56)", o->arg, o->mac);
    if (b[0] & 1)
        fatal("-device %s: mac=%s is a multicast address", o->arg, o->mac);
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
}

void virtio_net_init(struct virtio_net *n, const struct netdev_opt *nd, const struct vdev_opt *o,
                     struct bus *bus, struct log *log)
{
    n->bus = bus;
    n->log = log;
    n->pending = calloc(NET_PENDING, sizeof(*n->pending));
    if (!n->pending)
        fatal("out of memory creating %s", o->arg);
    n->vdev = (struct virtio_dev){ .name = "virtio-net", .device_id = VIRTIO_ID_NET,
                                   .features = NET_F_MAC, .nqueues = 2, .config_len = 8,
                                   .ops = &net_ops, .opaque = n };
    set_mac(n->vdev.config, o);
    n->use_tap = !strcmp(nd->type, "tap");
    if (n->use_tap)
        tap_net_open(&n->tap, nd, receive, n);
    else
        slirp_net_open(&n->net, nd, receive, n);
}

void virtio_net_free(struct virtio_net *n)
{
    if (n->use_tap)
        tap_net_close(&n->tap);
    else
        slirp_net_close(&n->net);
    free(n->pending);
}
