/* User-mode networking (-netdev user): libslirp, the stack QEMU uses, with
 * QEMU's defaults (10.0.2.0/24, host 10.0.2.2, DNS 10.0.2.3, DHCP from
 * 10.0.2.15) and hostfwd rules. All calls run under the device lock. */
#ifndef RIVET_SLIRP_NET_H
#define RIVET_SLIRP_NET_H

#include <poll.h>

#include "util/common.h"

#define SLIRP_MAX_FDS 256
#define SLIRP_MAX_TIMERS 8

struct slirp_timer {
    void (*cb)(void *);
    void *cb_opaque;
    int64_t expire_ms;        /* -1: not armed */
    bool used;
};

struct slirp_net {
    struct Slirp *slirp;
    /* Frames from the network to the guest. */
    void (*receive)(void *opaque, const uint8_t *frame, size_t len);
    void *opaque;
    struct pollfd fds[SLIRP_MAX_FDS];
    unsigned nfds;
    struct slirp_timer timer[SLIRP_MAX_TIMERS];
};

struct netdev_opt;
/* Exits with one line on a bad option (net=, hostfwd=, a port in use). */
void slirp_net_open(struct slirp_net *s, const struct netdev_opt *o,
                    void (*receive)(void *, const uint8_t *, size_t), void *opaque);
void slirp_net_close(struct slirp_net *s);
/* A frame from the guest. */
void slirp_net_send(struct slirp_net *s, const uint8_t *frame, size_t len);
/* Serve the sockets and timers (never blocks). */
void slirp_net_poll(struct slirp_net *s);
/* The sockets to wake for, and the next timer (host ns from now). */
unsigned slirp_net_wait_fds(struct slirp_net *s, struct pollfd *fds, unsigned max, uint64_t *timeout_ns);

#endif
