/* Byte streams for the debugger and the monitors: a listening socket
 * (tcp:HOST:PORT or unix:PATH, with QEMU's server/wait= options) and the
 * one client it serves at a time, or stdio. Non-blocking; a client that
 * vanishes is just closed. */
#ifndef RIVET_DEBUG_CHAN_H
#define RIVET_DEBUG_CHAN_H

#include <poll.h>
#include <stddef.h>

#include "util/common.h"

struct chan {
    char spec[128];         /* as given, for messages */
    int listen_fd;          /* -1: none (stdio) */
    int fd;                 /* the client, or -1 */
    bool is_stdio, is_unix, wait;
    char path[108];         /* unix socket to unlink at exit */
};

/* Parse and open `spec`; false with a message in err. */
bool chan_open(struct chan *c, const char *spec, bool stdio_ok, char *err, size_t n);
void chan_close(struct chan *c);
/* Validate without opening. */
const char *chan_check_spec(const char *spec, bool stdio_ok);
/* Accept a waiting client; true when a new one arrived. */
bool chan_accept(struct chan *c, bool block);
/* Read what is there: >0 bytes, 0 nothing yet, -1 the client went away. */
long chan_read(struct chan *c, void *buf, size_t n);
/* Write all of it (waiting a little for a slow reader); drops the client
 * when it does not read. */
void chan_write(struct chan *c, const void *buf, size_t n);
void chan_puts(struct chan *c, const char *s);
void chan_printf(struct chan *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void chan_drop(struct chan *c);
unsigned chan_pollfds(const struct chan *c, struct pollfd *p);

#endif
