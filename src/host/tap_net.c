#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/tap_net.h"
#include "machine/virtio_config.h"
#include "util/error.h"

#define FRAME_MAX 1518
#define FRAMES_PER_POLL 64   /* then let the guest run */

void tap_net_open(struct tap_net *t, const struct netdev_opt *o,
                  void (*receive)(void *, const uint8_t *, size_t), void *opaque)
{
    *t = (struct tap_net){ .fd = -1, .receive = receive, .opaque = opaque };
    t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (t->fd < 0)
        fatal("-netdev %s: cannot open /dev/net/tun: %s", o->arg, strerror(errno));
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", o->ifname ? o->ifname : "");
    if (ioctl(t->fd, TUNSETIFF, &ifr) < 0)
        fatal("-netdev %s: could not configure tap interface %s: %s", o->arg,
              o->ifname ? o->ifname : "(new)", strerror(errno));
}

void tap_net_close(struct tap_net *t)
{
    if (t->fd >= 0)
        close(t->fd);
    t->fd = -1;
}

void tap_net_send(struct tap_net *t, const uint8_t *frame, size_t len)
{
    if (write(t->fd, frame, len) < 0) {
        /* a full or downed interface drops the frame, as a wire would */
    }
}

void tap_net_poll(struct tap_net *t)
{
    uint8_t frame[FRAME_MAX];
    for (int i = 0; i < FRAMES_PER_POLL; i++) {
        ssize_t n = read(t->fd, frame, sizeof(frame));
        if (n <= 0)
            return;
        t->receive(t->opaque, frame, (size_t)n);
    }
}

unsigned tap_net_wait_fds(struct tap_net *t, struct pollfd *fds, unsigned max)
{
    if (t->fd < 0 || !max)
        return 0;
    fds[0] = (struct pollfd){ t->fd, POLLIN, 0 };
    return 1;
}
