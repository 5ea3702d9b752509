#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <slirp/libslirp.h>

#include "host/slirp_net.h"
#include "machine/virtio_config.h"
#include "util/error.h"
#include "util/vclock.h"

static int64_t now_ms(void)
{
    return (int64_t)(host_monotonic_ns() / 1000000ULL);
}

/* ---- libslirp's callbacks ---------------------------------------------------- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
    struct slirp_net *s = opaque;
    s->receive(s->opaque, buf, len);
    return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
    (void)opaque;
    (void)msg;  /* slirp's view of a guest mistake: the guest's problem, not ours */
}

static int64_t cb_clock_ns(void *opaque)
{
    (void)opaque;
    return (int64_t)host_monotonic_ns();
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
    struct slirp_net *s = opaque;
    for (unsigned i = 0; i < SLIRP_MAX_TIMERS; i++)
        if (!s->timer[i].used) {
            s->timer[i] = (struct slirp_timer){ cb, cb_opaque, -1, true };
            return &s->timer[i];
        }
    return NULL;  /* slirp makes one or two */
}

static void cb_timer_free(void *timer, void *opaque)
{
    (void)opaque;
    if (timer)
        ((struct slirp_timer *)timer)->used = false;
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    if (timer)
        ((struct slirp_timer *)timer)->expire_ms = expire_ms;
}

static void cb_fd(int fd, void *opaque) { (void)fd, (void)opaque; }
static void cb_notify(void *opaque) { (void)opaque; }

static const SlirpCb callbacks = {
    .send_packet = cb_send_packet, .guest_error = cb_guest_error, .clock_get_ns = cb_clock_ns,
    .timer_new = cb_timer_new, .timer_free = cb_timer_free, .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_fd, .unregister_poll_fd = cb_fd, .notify = cb_notify,
};

/* ---- options ------------------------------------------------------------------- */

/* net=A.B.C.D[/N or /MASK] */
static void parse_net(const struct netdev_opt *o, struct in_addr *net, struct in_addr *mask)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", o->net);
    char *slash = strchr(buf, '/');
    unsigned bits = 24;
    if (slash) {
        *slash++ = 0;
        char *end;
        unsigned long n = strtoul(slash, &end, 10);
        if (!*end && end != slash && n >= 1 && n <= 30)
            bits = (unsigned)n;
        else if (!inet_pton(AF_INET, slash, mask))
            fatal("-netdev %s: net=%s: bad netmask", o->arg, o->net);
        else
            bits = 0;
    }
    if (!inet_pton(AF_INET, buf, net))
        fatal("-netdev %s: net=%s: not an IPv4 address", o->arg, o->net);
    if (bits)
        mask->s_addr = htonl(~0u << (32 - bits));
    net->s_addr &= mask->s_addr;
}

static struct in_addr host_in(struct in_addr net, unsigned n)
{
    return (struct in_addr){ htonl(ntohl(net.s_addr) + n) };
}

/* hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
static void add_hostfwd(struct slirp_net *s, const struct netdev_opt *o, const char *rule,
                        struct in_addr guest_default)
{
    char proto[8] = "tcp", haddr[64] = "", gaddr[64] = "";
    unsigned hport, gport;
    const char *r = rule;
    if (!strncmp(r, "tcp:", 4) || !strncmp(r, "udp:", 4)) {
        memcpy(proto, r, 3);
        r += 4;
    } else if (r[0] == ':') {
        r++;  /* an empty protocol means tcp, as QEMU */
    }
    int used = 0;
    if (sscanf(r, "%63[^:]:%u-%n", haddr, &hport, &used) != 2 &&
        (haddr[0] = 0, sscanf(r, ":%u-%n", &hport, &used) != 1))
        fatal("-netdev %s: invalid host forwarding rule '%s'", o->arg, rule);
    r += used;
    if (sscanf(r, "%63[^:]:%u", gaddr, &gport) != 2 && (gaddr[0] = 0, sscanf(r, ":%u", &gport) != 1))
        fatal("-netdev %s: invalid host forwarding rule '%s'", o->arg, rule);
    struct in_addr h = { INADDR_ANY }, g = guest_default;
    if ((haddr[0] && !inet_pton(AF_INET, haddr, &h)) || (gaddr[0] && !inet_pton(AF_INET, gaddr, &g)) ||
        hport > 65535 || gport > 65535 || !gport)
        fatal("-netdev %s: invalid host forwarding rule '%s'", o->arg, rule);
    if (slirp_add_hostfwd(s->slirp, !strcmp(proto, "udp"), h, (int)hport, g, (int)gport) < 0)
        fatal("-netdev %s: could not set up host forwarding rule '%s' (port in use?)", o->arg, rule);
}

void slirp_net_open(struct slirp_net *s, const struct netdev_opt *o,
                    void (*receive)(void *, const uint8_t *, size_t), void *opaque)
{
    memset(s, 0, sizeof(*s));
    s->receive = receive;
    s->opaque = opaque;
    struct in_addr net = { htonl(0x0a000200) }, mask = { htonl(0xffffff00) };
    if (o->net)
        parse_net(o, &net, &mask);
    SlirpConfig cfg = {
        .version = 1, .restricted = o->restrict_, .in_enabled = true,
        .vnetwork = net, .vnetmask = mask, .vhost = host_in(net, 2),
        .vdhcp_start = host_in(net, 15), .vnameserver = host_in(net, 3),
        .if_mtu = 1500, .if_mru = 1500,
    };
    s->slirp = (struct Slirp *)slirp_new(&cfg, &callbacks, s);
    if (!s->slirp)
        fatal("-netdev %s: cannot start user networking", o->arg);
    for (unsigned i = 0; i < o->nhostfwd; i++)
        add_hostfwd(s, o, o->hostfwd[i], cfg.vdhcp_start);
}

void slirp_net_close(struct slirp_net *s)
{
    if (s->slirp)
        slirp_cleanup((Slirp *)s->slirp);
    s->slirp = NULL;
}

void slirp_net_send(struct slirp_net *s, const uint8_t *frame, size_t len)
{
    slirp_input((Slirp *)s->slirp, frame, (int)len);
}

/* ---- polling -------------------------------------------------------------------- */

static int add_poll(int fd, int events, void *opaque)
{
    struct slirp_net *s = opaque;
    if (s->nfds == SLIRP_MAX_FDS)
        return -1;  /* served on a later round */
    short ev = (short)(((events & SLIRP_POLL_IN) ? POLLIN : 0) | ((events & SLIRP_POLL_OUT) ? POLLOUT : 0) |
                       ((events & SLIRP_POLL_PRI) ? POLLPRI : 0));
    s->fds[s->nfds] = (struct pollfd){ fd, ev, 0 };
    return (int)s->nfds++;
}

static int get_revents(int idx, void *opaque)
{
    struct slirp_net *s = opaque;
    if (idx < 0 || (unsigned)idx >= s->nfds)
        return 0;
    short r = s->fds[idx].revents;
    return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
           ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

static void run_timers(struct slirp_net *s)
{
    int64_t now = now_ms();
    for (unsigned i = 0; i < SLIRP_MAX_TIMERS; i++) {
        struct slirp_timer *t = &s->timer[i];
        if (t->used && t->expire_ms >= 0 && t->expire_ms <= now) {
            t->expire_ms = -1;
            t->cb(t->cb_opaque);
        }
    }
}

void slirp_net_poll(struct slirp_net *s)
{
    uint32_t timeout = UINT32_MAX;
    s->nfds = 0;
    slirp_pollfds_fill((Slirp *)s->slirp, &timeout, add_poll, s);
    int n = poll(s->fds, s->nfds, 0);
    slirp_pollfds_poll((Slirp *)s->slirp, n < 0, get_revents, s);
    run_timers(s);
}

unsigned slirp_net_wait_fds(struct slirp_net *s, struct pollfd *fds, unsigned max, uint64_t *timeout_ns)
{
    uint32_t timeout = UINT32_MAX;
    s->nfds = 0;
    slirp_pollfds_fill((Slirp *)s->slirp, &timeout, add_poll, s);
    int64_t now = now_ms();
    for (unsigned i = 0; i < SLIRP_MAX_TIMERS; i++)
        if (s->timer[i].used && s->timer[i].expire_ms >= 0) {
            int64_t d = s->timer[i].expire_ms - now;
            timeout = d <= 0 ? 0 : (uint64_t)d < timeout ? (uint32_t)d : timeout;
        }
    if (timeout != UINT32_MAX && (uint64_t)timeout * 1000000ULL < *timeout_ns)
        *timeout_ns = (uint64_t)timeout * 1000000ULL;
    unsigned n = s->nfds < max ? s->nfds : max;
    memcpy(fds, s->fds, n * sizeof(*fds));
    return n;
}
