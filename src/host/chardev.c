#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host/chardev.h"
#include "machine/virtio_config.h"
#include "util/error.h"

static void nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int listen_unix(const struct chardev_opt *o)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(o->path) >= sizeof(a.sun_path))
        fatal("-chardev %s: path %s is too long for a unix socket", o->arg, o->path);
    strcpy(a.sun_path, o->path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct stat st;
    if (!lstat(o->path, &st) && S_ISSOCK(st.st_mode))
        unlink(o->path);  /* a stale socket from an earlier run; never a user's file */
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
        fatal("-chardev %s: cannot listen on %s: %s", o->arg, o->path, strerror(errno));
    return fd;
}

static int listen_tcp(const struct chardev_opt *o)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
    a.sin_addr.s_addr = htonl(o->host && strcmp(o->host, "localhost") && strcmp(o->host, "127.0.0.1")
                              ? INADDR_ANY : INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
        fatal("-chardev %s: cannot listen on port %d: %s", o->arg, o->port, strerror(errno));
    return fd;
}

static void open_socket(struct host_chardev *c, const struct chardev_opt *o)
{
    if (!o->server)
        fatal("-chardev %s: only server=on sockets are supported", o->arg);
    c->listen_fd = o->path ? listen_unix(o) : listen_tcp(o);
    nonblock(c->listen_fd);
}

static void open_pty(struct host_chardev *c, const struct chardev_opt *o)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || grantpt(fd) || unlockpt(fd))
        fatal("-chardev %s: cannot open a pseudo-terminal: %s", o->arg, strerror(errno));
    nonblock(fd);
    c->in_fd = c->out_fd = fd;
    fprintf(stderr, "char device redirected to %s (label %s)\n", ptsname(fd), o->id);
}

void host_chardev_open(struct host_chardev *c, const struct chardev_opt *o)
{
    *c = (struct host_chardev){ .kind = HCHR_NULL, .listen_fd = -1, .in_fd = -1, .out_fd = -1 };
    if (!strcmp(o->backend, "socket")) {
        c->kind = HCHR_SOCKET;
        open_socket(c, o);
    } else if (!strcmp(o->backend, "file")) {
        c->kind = HCHR_FILE;
        c->out_fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (c->out_fd < 0)
            fatal("-chardev %s: cannot open %s: %s", o->arg, o->path, strerror(errno));
    } else if (!strcmp(o->backend, "pty")) {
        c->kind = HCHR_PTY;
        open_pty(c, o);
    } else if (!strcmp(o->backend, "stdio")) {
        c->kind = HCHR_STDIO;
        c->in_fd = 0;
        c->out_fd = 1;
        nonblock(0);
    }
}

void host_chardev_close(struct host_chardev *c)
{
    if (c->listen_fd >= 0)
        close(c->listen_fd);
    if (c->kind != HCHR_STDIO && c->in_fd >= 0)
        close(c->in_fd);
    if (c->kind == HCHR_FILE && c->out_fd >= 0)
        close(c->out_fd);
    c->listen_fd = c->in_fd = c->out_fd = -1;
}

static void disconnect(struct host_chardev *c)
{
    if (c->kind != HCHR_SOCKET)
        return;
    close(c->in_fd);
    c->in_fd = c->out_fd = -1;
}

void host_chardev_poll(struct host_chardev *c)
{
    if (c->listen_fd < 0 || c->in_fd >= 0)
        return;
    int fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0)
        c->in_fd = c->out_fd = fd;
}

size_t host_chardev_read(struct host_chardev *c, uint8_t *buf, size_t len)
{
    if (c->in_fd < 0 || !len)
        return 0;
    ssize_t n = read(c->in_fd, buf, len);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        disconnect(c);  /* the client went away: wait for the next */
    return n > 0 ? (size_t)n : 0;
}

void host_chardev_write(struct host_chardev *c, const uint8_t *buf, size_t len)
{
    while (c->out_fd >= 0 && len) {
        ssize_t n = c->kind == HCHR_SOCKET ? send(c->out_fd, buf, len, MSG_NOSIGNAL)
                                           : write(c->out_fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (errno != EAGAIN)
                disconnect(c);
            return;  /* a full pipe drops the rest rather than stall the guest */
        }
        buf += n;
        len -= (size_t)n;
    }
}

unsigned host_chardev_wait_fds(struct host_chardev *c, struct pollfd *fds, unsigned max)
{
    int fd = c->in_fd >= 0 ? c->in_fd : c->listen_fd;
    if (fd < 0 || !max)
        return 0;
    fds[0] = (struct pollfd){ fd, POLLIN, 0 };
    return 1;
}
