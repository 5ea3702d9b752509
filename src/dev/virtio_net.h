/* virtio-net: -netdev user|tap,id=n0 -device virtio-net-device,netdev=n0[,mac=M] */
#ifndef RIVET_VIRTIO_NET_H
#define RIVET_VIRTIO_NET_H

#include "dev/virtio.h"
#include "host/slirp_net.h"
#include "host/tap_net.h"

#define NET_PENDING 128       /* frames held while the guest has no receive buffer */
#define NET_FRAME_MAX 1518

struct net_frame {
    uint16_t len;
    uint8_t data[NET_FRAME_MAX];
};

struct virtio_net {
    struct virtio_dev vdev;
    struct bus *bus;
    struct log *log;
    bool use_tap;               /* -netdev tap, else user (slirp) */
    struct slirp_net net;
    struct tap_net tap;
    struct net_frame *pending;  /* a ring of NET_PENDING */
    unsigned head, count;
    struct vq_elem rx, tx;
    uint8_t txbuf[65536 + 64];
};

struct netdev_opt;
struct vdev_opt;
/* Starts the backend (exits with one line on bad options). */
void virtio_net_init(struct virtio_net *n, const struct netdev_opt *nd, const struct vdev_opt *o,
                     struct bus *bus, struct log *log);
void virtio_net_free(struct virtio_net *n);

#endif
