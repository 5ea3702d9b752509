#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag/diag.h"
#include "host/console.h"

#define CTRL_A 0x01

/* The terminal state to put back if rivet itself crashes: a signal handler
 * can reach nothing else, so this one copy is process-wide. */
static struct {
    volatile sig_atomic_t active;
    int fd;
    struct termios saved;
} crash_restore;

static void restore_on_crash(int sig)
{
    if (crash_restore.active)
        tcsetattr(crash_restore.fd, TCSANOW, &crash_restore.saved);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void arm_crash_restore(const struct console *c)
{
    static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
    crash_restore.fd = c->in_fd;
    crash_restore.saved = c->saved;
    crash_restore.active = 1;
    for (unsigned i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
        signal(fatal_signals[i], restore_on_crash);
}

static void write_all(struct console *c, const uint8_t *buf, size_t len);

static void out_write(void *opaque, const uint8_t *buf, size_t len)
{
    struct console *c = opaque;
    if (c->out_fd < 0 || c->out_broken)
        return;
    if (c->out_len + len > sizeof(c->out))
        console_flush(c);
    if (len > sizeof(c->out)) {
        write_all(c, buf, len);
        return;
    }
    memcpy(c->out + c->out_len, buf, len);
    c->out_len += len;
    /* Interactive output should appear as it is produced. */
    if (c->out_len > 4096 || memchr(buf, '\n', len))
        console_flush(c);
}

static size_t in_read(void *opaque, uint8_t *buf, size_t len)
{
    struct console *c = opaque;
    size_t n = 0;
    while (n < len && c->in_count) {
        buf[n++] = c->in[c->in_head];
        c->in_head = (c->in_head + 1) % CONSOLE_IN_SIZE;
        c->in_count--;
    }
    return n;
}

bool console_open(struct console *c, enum console_kind kind, const char *path)
{
    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->in_fd = c->out_fd = -1;
    c->in_flags = c->out_flags = -1;
    c->chr = (struct chardev){ out_write, in_read, c };
    switch (kind) {
    case CONSOLE_STDIO:
    case CONSOLE_MUX_STDIO:
        c->in_fd = STDIN_FILENO;
        c->out_fd = STDOUT_FILENO;
        break;
    case CONSOLE_FILE:
        c->out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (c->out_fd < 0)
            return false;
        break;
    case CONSOLE_NULL:
        break;
    }
    return true;
}

static void set_nonblocking(int fd, int *saved_flags)
{
    *saved_flags = fcntl(fd, F_GETFL);
    if (*saved_flags >= 0)
        fcntl(fd, F_SETFL, *saved_flags | O_NONBLOCK);
}

static void restore_flags(int fd, int *saved_flags)
{
    if (fd >= 0 && *saved_flags >= 0)
        fcntl(fd, F_SETFL, *saved_flags);
    *saved_flags = -1;
}

void console_start(struct console *c, volatile sig_atomic_t *stop_flag)
{
    c->stop_flag = stop_flag;
    /* A closed output pipe is an error to report, not a reason to die with
     * the terminal left raw. */
    signal(SIGPIPE, SIG_IGN);
    /* Output never blocks in the kernel, where a signal could not reach
     * the run loop: write_all waits in poll instead. */
    if (c->out_fd >= 0)
        set_nonblocking(c->out_fd, &c->out_flags);
    if (c->in_fd < 0)
        return;
    if (isatty(c->in_fd) && tcgetattr(c->in_fd, &c->saved) == 0) {
        struct termios t = c->saved;
        /* QEMU's stdio settings: raw input, output post-processing kept. */
        t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        t.c_oflag |= OPOST;
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | IEXTEN);
        /* Multiplexed: Ctrl-C belongs to the guest; plain stdio keeps it. */
        if (c->kind == CONSOLE_MUX_STDIO)
            t.c_lflag &= ~(tcflag_t)ISIG;
        t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
        t.c_cflag |= CS8;
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;
        if (tcsetattr(c->in_fd, TCSANOW, &t) == 0) {
            c->raw = true;
            arm_crash_restore(c);
        }
    }
    set_nonblocking(c->in_fd, &c->in_flags);
}

void console_restore_terminal(struct console *c)
{
    console_flush(c);
    if (c->raw) {
        tcsetattr(c->in_fd, TCSANOW, &c->saved);
        c->raw = false;
        crash_restore.active = 0;
    }
    /* In the reverse order of console_start: stdin and stdout may share
     * one open file, whose original flags out_flags then holds. */
    restore_flags(c->in_fd, &c->in_flags);
    restore_flags(c->out_fd, &c->out_flags);
}

void console_close(struct console *c)
{
    console_restore_terminal(c);
    if (c->kind == CONSOLE_FILE && c->out_fd >= 0)
        close(c->out_fd);
    c->out_fd = c->in_fd = -1;
}

/* How long to keep trying to write output that nobody reads once rivet
 * has been told to stop (a stalled pipe must not keep it alive). */
#define STOPPING_FLUSH_MS 200

static bool stopping(const struct console *c)
{
    return c->quit_requested || (c->stop_flag && *c->stop_flag);
}

/* Write all of buf unless the reader is gone or rivet is stopping. While
 * running, a slow reader holds the guest back rather than lose output. */
static void write_all(struct console *c, const uint8_t *buf, size_t len)
{
    size_t done = 0;
    int waited_ms = 0;
    while (done < len && !c->out_broken && !c->out_dropping) {
        ssize_t n = write(c->out_fd, buf + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (stopping(c) && waited_ms >= STOPPING_FLUSH_MS) {
                /* Nobody reads and we are leaving: drop this and all
                 * later output, or each character would wait again. */
                c->out_dropping = true;
                return;
            }
            struct pollfd p = { c->out_fd, POLLOUT, 0 };
            poll(&p, 1, 10);
            waited_ms += 10;
            continue;
        }
        /* EPIPE (the reader exited, as with `| head`), or a dead terminal. */
        c->out_broken = true;
        c->out_errno = n < 0 ? errno : EIO;
    }
}

void console_flush(struct console *c)
{
    if (c->out_fd >= 0 && c->out_len)
        write_all(c, c->out, c->out_len);
    c->out_len = 0;
}

static void push_input(struct console *c, uint8_t b)
{
    if (c->in_count == CONSOLE_IN_SIZE)
        return; /* the guest is not reading: drop, as a full UART would */
    c->in[(c->in_head + c->in_count++) % CONSOLE_IN_SIZE] = b;
}

static void say(struct console *c, const char *msg)
{
    out_write(c, (const uint8_t *)msg, strlen(msg));
    console_flush(c);
}

void console_write(struct console *c, const char *s, size_t n)
{
    out_write(c, (const uint8_t *)s, n);
    console_flush(c);
}

static void escape_command(struct console *c, uint8_t key)
{
    switch (key) {
    case 'c': case 'C':
        if (c->monitor_byte) {
            c->monitor_mode = !c->monitor_mode;
            if (c->monitor_mode)
                c->monitor_byte(c->monitor_opaque, 0);
            else
                say(c, "\r\n");
        }
        break;
    case 'd': case 'D':  /* the guest diagnosis, printed by the run loop */
        diag_request_report();
        break;
    case 'x': case 'X':
        say(c, "\r\nrivet: terminated (Ctrl-A x)\r\n");
        c->quit_requested = true;
        break;
    case 'h': case 'H': case '?':
        say(c, "\r\nC-a h    print this help\r\n"
               "C-a x    exit emulator\r\n"
               "C-a d    show the guest diagnosis (kernel log, harts)\r\n"
               "C-a c    switch between console and monitor\r\n"
               "C-a C-a  sends C-a\r\n"
               "(C-a s, t and b are QEMU keys rivet does not implement)\r\n");
        break;
    case CTRL_A:
        push_input(c, CTRL_A);
        break;
    default:
        break;
    }
}

void console_poll_input(struct console *c)
{
    if (c->in_fd < 0 || c->in_eof || c->in_count == CONSOLE_IN_SIZE)
        return;
    uint8_t buf[256];
    size_t room = CONSOLE_IN_SIZE - c->in_count;
    ssize_t n = read(c->in_fd, buf, room < sizeof(buf) ? room : sizeof(buf));
    if (n == 0)
        c->in_eof = true;
    for (ssize_t i = 0; i < n; i++) {
        if (c->kind != CONSOLE_MUX_STDIO) {
            push_input(c, buf[i]);
        } else if (c->escape_pending) {
            c->escape_pending = false;
            escape_command(c, buf[i]);
        } else if (buf[i] == CTRL_A) {
            c->escape_pending = true;
        } else if (c->monitor_mode) {
            c->monitor_byte(c->monitor_opaque, buf[i]);
        } else {
            push_input(c, buf[i]);
        }
    }
}

bool console_has_input(const struct console *c)
{
    return c->in_count > 0;
}

int console_wait_fd(const struct console *c)
{
    return c->in_eof ? -1 : c->in_fd;
}
