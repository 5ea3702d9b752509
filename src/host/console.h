/* The host side of the serial port: stdio (optionally multiplexed with
 * QEMU's Ctrl-A escapes), a file, or nothing. Owns the terminal's raw mode
 * and always gives it back. */
#ifndef RIVET_CONSOLE_H
#define RIVET_CONSOLE_H

#include <signal.h>
#include <termios.h>

#include "dev/device.h"

enum console_kind { CONSOLE_STDIO, CONSOLE_MUX_STDIO, CONSOLE_NULL, CONSOLE_FILE };

#define CONSOLE_IN_SIZE 4096
#define CONSOLE_OUT_SIZE 65536

struct console {
    enum console_kind kind;
    int in_fd, out_fd;
    bool in_eof;
    bool raw;                       /* we changed the terminal */
    struct termios saved;
    bool escape_pending;            /* Ctrl-A seen, waiting for the command key */
    bool quit_requested;
    bool out_broken;                /* output can no longer be written */
    bool out_dropping;              /* stopping with a stalled reader: output dropped */
    int out_errno;                  /* why */
    int in_flags, out_flags;        /* file status flags to restore, or -1 */
    volatile sig_atomic_t *stop_flag;  /* set by a signal: stop waiting on output */
    uint8_t in[CONSOLE_IN_SIZE];
    size_t in_head, in_count;
    uint8_t out[CONSOLE_OUT_SIZE];
    size_t out_len;
    struct chardev chr;             /* what the UART talks to */
    /* Ctrl-A c switches typed input to the monitor (src/debug), which is
     * told of the switch with a 0 byte; NULL: no monitor. */
    void (*monitor_byte)(void *opaque, uint8_t b);
    void *monitor_opaque;
    bool monitor_mode;
};

/* Returns false (with errno) when a file backend cannot be opened. */
bool console_open(struct console *c, enum console_kind kind, const char *path);
/* Put the terminal in raw mode (stdio backends on a tty) and make the
 * descriptors non-blocking; output stops waiting on a slow reader once
 * *stop_flag is set. */
void console_start(struct console *c, volatile sig_atomic_t *stop_flag);
void console_close(struct console *c);
/* Read what the host has typed, without blocking; handles Ctrl-A escapes. */
void console_poll_input(struct console *c);
bool console_has_input(const struct console *c);
void console_flush(struct console *c);
/* Text from the monitor, straight to the terminal. */
void console_write(struct console *c, const char *s, size_t n);
/* File descriptor to wait on for input, or -1. */
int console_wait_fd(const struct console *c);
/* Give the terminal back (for error exits and signals). */
void console_restore_terminal(struct console *c);

#endif
