/* A host tap interface as a network backend (-netdev tap,ifname=...,
 * script=no,downscript=no): frames in and out of /dev/net/tun. rivet runs
 * no scripts: the interface is set up beforehand (ip tuntap add ...). */
#ifndef RIVET_TAP_NET_H
#define RIVET_TAP_NET_H

#include <poll.h>

#include "util/common.h"

struct tap_net {
    int fd;
    void (*receive)(void *opaque, const uint8_t *frame, size_t len);
    void *opaque;
};

struct netdev_opt;
/* Exits with one line when the interface cannot be opened. */
void tap_net_open(struct tap_net *t, const struct netdev_opt *o,
                  void (*receive)(void *, const uint8_t *, size_t), void *opaque);
void tap_net_close(struct tap_net *t);
void tap_net_send(struct tap_net *t, const uint8_t *frame, size_t len);
/* Read what the host sent (never blocks). */
void tap_net_poll(struct tap_net *t);
unsigned tap_net_wait_fds(struct tap_net *t, struct pollfd *fds, unsigned max);

#endif
