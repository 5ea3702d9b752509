/* Debugging and control of a running board, as QEMU offers them: the GDB
 * remote stub (-s, -S, -gdb), the human monitor (-monitor, Ctrl-A c) and
 * QMP (-qmp). Everything here runs on the I/O thread (run.c's main loop),
 * except the breakpoint hook, which the harts call. */
#ifndef RIVET_DEBUG_H
#define RIVET_DEBUG_H

#include <poll.h>

#include "util/common.h"

struct virt;
struct machine_config;

#define DEBUG_MAX_FDS 8

/* What the command line asked for (main.c fills it; NULL: not wanted). */
struct debug_opts {
    const char *gdb;            /* -gdb DEV, -s: "tcp::1234" */
    const char *monitor;        /* -monitor DEV */
    const char *qmp;            /* -qmp DEV */
    bool start_stopped;         /* -S */
};

/* Check a -gdb/-monitor/-qmp device spec; NULL when fine, else why not. */
const char *debug_check_spec(const char *spec, bool stdio_ok);

/* Open the sockets (exits with a message when one cannot be opened, as
 * QEMU does at startup) and stop the harts for -S. */
void debug_init(struct virt *v, const struct debug_opts *o);
void debug_shutdown(struct virt *v);

/* run.c: the descriptors to wake up for, and the work to do on each pass
 * of the I/O loop (outside the device lock). */
unsigned debug_pollfds(struct virt *v, struct pollfd *p, unsigned max);
void debug_service(struct virt *v);

#endif
