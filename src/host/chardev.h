/* Host byte streams behind a guest port (-chardev, for virtconsole):
 * socket (a unix path or a TCP port; server=on waits for clients, one at a
 * time), file (output only), pty (a new pseudo-terminal, named on stderr
 * as QEMU does), stdio and null. Never blocks: output with no reader is
 * dropped, as a serial line with nothing attached. */
#ifndef RIVET_HOST_CHARDEV_H
#define RIVET_HOST_CHARDEV_H

#include <poll.h>

#include "util/common.h"

enum host_chardev_kind { HCHR_NULL, HCHR_SOCKET, HCHR_FILE, HCHR_PTY, HCHR_STDIO };

struct host_chardev {
    enum host_chardev_kind kind;
    int listen_fd;            /* socket server: accepting; else -1 */
    int in_fd, out_fd;        /* connected stream (the same fd for sockets), or -1 */
    bool server;
};

struct chardev_opt;
/* Exits with one line on a bad option (path, port, unknown backend). */
void host_chardev_open(struct host_chardev *c, const struct chardev_opt *o);
void host_chardev_close(struct host_chardev *c);
/* Take a waiting client (servers); cheap when none. */
void host_chardev_poll(struct host_chardev *c);
size_t host_chardev_read(struct host_chardev *c, uint8_t *buf, size_t len);
void host_chardev_write(struct host_chardev *c, const uint8_t *buf, size_t len);
unsigned host_chardev_wait_fds(struct host_chardev *c, struct pollfd *fds, unsigned max);

#endif
