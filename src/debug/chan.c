#define _GNU_SOURCE
/* Sockets for gdb, the monitor and QMP. Addresses: tcp:[HOST]:PORT (an
 * empty HOST means localhost: rivet does not listen on every interface
 * unless told to) and unix:PATH; `server` is implied, `wait=off` or
 * `nowait` let the guest start before a client connects. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "debug/chan.h"

#define WRITE_PATIENCE_MS 2000   /* a client that reads nothing this long is dropped */

struct addr {
    bool is_unix, is_stdio, wait;
    char host[256], port[16], path[108];
};

static bool parse_opts(struct addr *a, char *opts, char *err, size_t n)
{
    for (char *o = strtok(opts, ","); o; o = strtok(NULL, ",")) {
        if (!strcmp(o, "server") || !strcmp(o, "server=on"))
            continue;
        if (!strcmp(o, "nowait") || !strcmp(o, "wait=off"))
            a->wait = false;
        else if (!strcmp(o, "wait") || !strcmp(o, "wait=on"))
            a->wait = true;
        else if (strcmp(o, "ipv4") && strcmp(o, "ipv4=on")) {
            snprintf(err, n, "unknown option '%s'", o);
            return false;
        }
    }
    return true;
}

static bool parse_tcp(struct addr *a, char *rest, char *err, size_t n)
{
    char *colon = strrchr(rest, ':');
    if (!colon) {
        snprintf(err, n, "expected tcp:[HOST]:PORT");
        return false;
    }
    *colon = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535) {
        snprintf(err, n, "'%s' is not a port number", colon + 1);
        return false;
    }
    snprintf(a->host, sizeof(a->host), "%s", *rest ? rest : "127.0.0.1");
    snprintf(a->port, sizeof(a->port), "%ld", port);
    return true;
}

static bool parse_addr(const char *spec, bool stdio_ok, struct addr *a, char *err, size_t n)
{
    *a = (struct addr){ .wait = true };
    char buf[256];
    if (strlen(spec) >= sizeof(buf)) {
        snprintf(err, n, "too long");
        return false;
    }
    strcpy(buf, spec);
    char *comma = strchr(buf, ',');
    char *opts = comma ? comma + 1 : NULL;
    if (comma)
        *comma = 0;
    if (opts && !parse_opts(a, opts, err, n))
        return false;
    if (!strcmp(buf, "stdio") && stdio_ok) {
        a->is_stdio = true;
        return true;
    }
    if (!strncmp(buf, "unix:", 5)) {
        if (!buf[5] || strlen(buf + 5) >= sizeof(a->path)) {
            snprintf(err, n, "bad unix socket path");
            return false;
        }
        a->is_unix = true;
        strcpy(a->path, buf + 5);
        return true;
    }
    if (!strncmp(buf, "tcp:", 4))
        return parse_tcp(a, buf + 4, err, n);
    snprintf(err, n, "expected %stcp:[HOST]:PORT[,server][,wait=off] or unix:PATH[,server]",
             stdio_ok ? "stdio, " : "");
    return false;
}

const char *chan_check_spec(const char *spec, bool stdio_ok)
{
    static char err[160];
    struct addr a;
    return parse_addr(spec, stdio_ok, &a, err, sizeof(err)) ? NULL : err;
}

static int listen_tcp(const struct addr *a, char *err, size_t n)
{
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
    struct addrinfo *res;
    int rc = getaddrinfo(a->host, a->port, &hints, &res);
    if (rc) {
        snprintf(err, n, "address resolution failed for %s:%s: %s", a->host, a->port, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 1)) {
        snprintf(err, n, "Failed to bind socket %s:%s: %s", a->host, a->port, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int listen_unix(const struct addr *a, char *err, size_t n)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strcpy(sa.sun_path, a->path);
    unlink(a->path);  /* a stale socket from an earlier run, as QEMU */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
        snprintf(err, n, "Failed to bind socket to %s: %s", a->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

bool chan_open(struct chan *c, const char *spec, bool stdio_ok, char *err, size_t n)
{
    struct addr a;
    *c = (struct chan){ .listen_fd = -1, .fd = -1 };
    snprintf(c->spec, sizeof(c->spec), "%s", spec);
    if (!parse_addr(spec, stdio_ok, &a, err, n))
        return false;
    c->wait = a.wait;
    if (a.is_stdio) {
        c->is_stdio = true;
        c->fd = -1;  /* the console owns stdin: input arrives through it */
        return true;
    }
    c->listen_fd = a.is_unix ? listen_unix(&a, err, n) : listen_tcp(&a, err, n);
    if (c->listen_fd < 0)
        return false;
    if (a.is_unix) {
        c->is_unix = true;
        strcpy(c->path, a.path);
    }
    fcntl(c->listen_fd, F_SETFL, O_NONBLOCK);
    return true;
}

void chan_drop(struct chan *c)
{
    if (c->fd >= 0 && !c->is_stdio)
        close(c->fd);
    if (!c->is_stdio)
        c->fd = -1;
}

void chan_close(struct chan *c)
{
    chan_drop(c);
    if (c->listen_fd >= 0)
        close(c->listen_fd);
    c->listen_fd = -1;
    if (c->is_unix)
        unlink(c->path);
    c->is_unix = false;
}

/* One client at a time: a second one is told so and closed. */
bool chan_accept(struct chan *c, bool block)
{
    if (c->listen_fd < 0)
        return false;
    if (block) {
        struct pollfd p = { c->listen_fd, POLLIN, 0 };
        while (poll(&p, 1, -1) < 0 && errno == EINTR)
            ;
    }
    int fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return false;
    if (c->fd >= 0) {
        static const char busy[] = "rivet: another client is connected\n";
        if (write(fd, busy, sizeof(busy) - 1) < 0) {
            /* nothing to do: it is being closed anyway */
        }
        close(fd);
        return false;
    }
    c->fd = fd;
    return true;
}

long chan_read(struct chan *c, void *buf, size_t n)
{
    if (c->fd < 0)
        return 0;
    ssize_t r = read(c->fd, buf, n);
    if (r > 0)
        return r;
    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    chan_drop(c);
    return -1;
}

void chan_write(struct chan *c, const void *buf, size_t n)
{
    const char *p = buf;
    int out = c->is_stdio ? 1 : c->fd;
    while (n && out >= 0) {
        ssize_t w = c->is_stdio ? write(out, p, n) : send(out, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        struct pollfd pf = { out, POLLOUT, 0 };
        if (w < 0 && (errno == EAGAIN || errno == EINTR) && poll(&pf, 1, WRITE_PATIENCE_MS) > 0)
            continue;
        chan_drop(c);
        return;
    }
}

void chan_puts(struct chan *c, const char *s)
{
    chan_write(c, s, strlen(s));
}

void chan_printf(struct chan *c, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n > 0)
        chan_write(c, s, (size_t)n);
    free(s);
}

unsigned chan_pollfds(const struct chan *c, struct pollfd *p)
{
    unsigned n = 0;
    if (c->listen_fd >= 0)
        p[n++] = (struct pollfd){ c->listen_fd, POLLIN, 0 };
    if (c->fd >= 0 && !c->is_stdio)
        p[n++] = (struct pollfd){ c->fd, POLLIN, 0 };
    return n;
}
