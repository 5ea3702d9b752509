#define _GNU_SOURCE
/* QEMU's human monitor: a line per command, "(qemu) " prompts, output in
 * QEMU's formats where scripts parse them. Reached through Ctrl-A c on the
 * multiplexed console, a -monitor socket, gdb's `monitor` and QMP's
 * human-monitor-command; all of them run mon_exec. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debug/dbg.h"
#include "debug/gdbregs.h"
#include "debug/memaccess.h"

#define LINE_MAX_LEN 1024
#define X_MAX_BYTES 65536

struct mon {
    struct debug *d;
    struct chan ch;            /* -monitor tcp:/unix: (fd -1: none) */
    bool has_socket;
    char line[LINE_MAX_LEN];
    size_t len;
    bool overlong;
    char cline[LINE_MAX_LEN];  /* the console's (Ctrl-A c) line */
    size_t clen;
    /* A complete console line waits here for mon_poll: console input is
     * read under the device lock, where stopping the harts would deadlock
     * with one waiting for that lock. */
    char ready[LINE_MAX_LEN];
    bool has_ready;
};

static const char banner[] = "rivet monitor (QEMU-compatible) - type 'help' for more information\r\n";
static const char prompt[] = "(qemu) ";

/* ---- commands ------------------------------------------------------------------- */

/* QEMU's riscv_cpu_dump_state layout: the CSRs one a line (the H ones
 * with H), then the integer and FP registers four a line. */
static void info_registers_of(struct debug *d, unsigned i, struct text *o)
{
    static const char *const abi[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
        "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
        "t5", "t6",
    };
    static const char *const fabi[32] = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
        "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
        "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };
    static const char *const csrs[] = { "mhartid", "mstatus", "hstatus", "vsstatus", "mip", "mie",
        "mideleg", "hideleg", "medeleg", "hedeleg", "mtvec", "stvec", "vstvec", "mepc", "sepc",
        "vsepc", "mcause", "scause", "vscause", "mtval", "stval", "htval", "mtval2", "mscratch",
        "sscratch", "satp" };
    struct hart *h = d->v->hart[i];
    struct gdb_regs *r = malloc(sizeof(*r));
    char name[16];
    if (!r)
        return;
    gdb_regs_init(r, h);  /* CSRs it does not list (no H) are left out */
    text_printf(o, "CPU#%u\n", i);
    if (h->has_h)
        text_printf(o, " V      =   %d\n", h->virt);
    text_printf(o, " %-8s %016" PRIx64 "\n", "pc", h->pc);
    for (size_t k = 0; k < sizeof(csrs) / sizeof(csrs[0]); k++)
        for (unsigned n = r->first_csr; n < r->count; n++)
            if (!strcmp(r->reg[n].name, csrs[k])) {
                uint64_t v = 0;
                gdb_reg_read(r, h, n, &v);
                text_printf(o, " %-8s %016" PRIx64 "\n", csrs[k], v);
            }
    for (unsigned x = 0; x < 32; x++) {
        snprintf(name, sizeof(name), "x%u/%s", x, abi[x]);
        text_printf(o, " %-8s %016" PRIx64 "%s", name, x ? h->x[x] : 0, x % 4 == 3 ? "\n" : "");
    }
    for (unsigned f = 0; f < 32; f++) {
        snprintf(name, sizeof(name), "f%u/%s", f, fabi[f]);
        text_printf(o, " %-8s %016" PRIx64 "%s", name, h->f[f], f % 4 == 3 ? "\n" : "");
    }
    free(r);
}

static void info_registers(struct debug *d, const char *args, unsigned cur, struct text *o)
{
    if (args && !strcmp(args, "-a")) {
        for (unsigned i = 0; i < d->v->nharts; i++)
            info_registers_of(d, i, o);
    } else {
        info_registers_of(d, cur, o);
    }
}

static void info_cpus(struct debug *d, unsigned cur, struct text *o)
{
    for (unsigned i = 0; i < d->v->nharts; i++)  /* as QEMU's; the pc is `info registers` */
        text_printf(o, "%c CPU #%u: thread_id=%d\n", i == cur ? '*' : ' ', i, virt_hart_thread_id(d->v, i));
}

static void info_mtree(struct debug *d, struct text *o)
{
    struct bus *b = &d->v->bus;
    text_printf(o, "address-space: memory\n  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n");
    text_printf(o, "    %016" PRIx64 "-%016" PRIx64 " (prio 0, rom): riscv_virt_board.mrom\n",
                b->rom.base, b->rom.base + b->rom.size - 1);
    for (unsigned i = 0; i < b->nregions; i++)
        text_printf(o, "    %016" PRIx64 "-%016" PRIx64 " (prio 0, i/o): %s\n", b->region[i].base,
                    b->region[i].base + b->region[i].size - 1, b->region[i].name);
    text_printf(o, "    %016" PRIx64 "-%016" PRIx64 " (prio 0, ram): riscv_virt_board.ram\n",
                b->ram.base, b->ram.base + b->ram.size - 1);
}

static void info_qtree(struct debug *d, struct text *o)
{
    struct bus *b = &d->v->bus;
    text_printf(o, "bus: main-system-bus\n  type System\n");
    for (unsigned i = 0; i < d->v->nharts; i++)
        text_printf(o, "  dev: riscv-cpu, id \"\"\n    hartid = %u\n", i);
    for (unsigned i = 0; i < b->nregions; i++)
        text_printf(o, "  dev: %s, id \"\"\n    mmio %016" PRIx64 "/%016" PRIx64 "\n",
                    b->region[i].name, b->region[i].base, b->region[i].size);
}

/* An address: a number, or $pc/$sp/... of the current hart. */
static bool parse_addr(struct debug *d, unsigned cur, const char *s, uint64_t *a)
{
    struct hart *h = d->v->hart[cur];
    if (!strcmp(s, "$pc")) {
        *a = h->pc;
        return true;
    }
    if (!strcmp(s, "$sp")) {
        *a = h->x[2];
        return true;
    }
    char *end;
    *a = strtoull(s, &end, 0);
    return *s && !*end;
}

struct xfmt {
    unsigned count, size;
    char fmt;
};

/* "/[COUNT][FMT][SIZE]" */
static bool parse_xfmt(const char *s, struct xfmt *f)
{
    *f = (struct xfmt){ 1, 4, 'x' };
    if (*s++ != '/')
        return false;
    if (*s >= '0' && *s <= '9')
        f->count = (unsigned)strtoul(s, (char **)&s, 10);
    for (; *s; s++) {
        if (strchr("xduoci", *s))
            f->fmt = *s;
        else if (strchr("bhwg", *s))
            f->size = *s == 'b' ? 1 : *s == 'h' ? 2 : *s == 'w' ? 4 : 8;
        else
            return false;
    }
    if (f->fmt == 'c')
        f->size = 1;
    return f->count > 0;
}

static void dump_insns(struct hart *h, uint64_t a, const struct xfmt *f, bool phys, struct text *o)
{
    for (unsigned i = 0; i < f->count; i++) {
        uint32_t raw = 0;
        char buf[96];
        if (!dbg_read(h, a, &raw, 2, phys) || ((raw & 3) == 3 && !dbg_read(h, a, &raw, 4, phys))) {
            text_printf(o, "Cannot access memory\n");
            return;
        }
        unsigned len = (raw & 3) == 3 ? 4 : 2;
        if (len == 2)
            raw &= 0xffff;
        text_printf(o, "0x%016" PRIx64 ":  %0*x  %s\n", a, len * 2, raw, disasm_insn(buf, sizeof(buf), raw, a));
        a += len;
    }
}

static void dump_value(struct text *o, const struct xfmt *f, uint64_t v)
{
    int w = (int)f->size * 2;
    int64_t sv = f->size == 8 ? (int64_t)v : (int64_t)(v << (64 - 8 * f->size)) >> (64 - 8 * f->size);
    switch (f->fmt) {
    case 'x': text_printf(o, " 0x%0*" PRIx64, w, v); break;
    case 'o': text_printf(o, " %#" PRIo64, v); break;
    case 'u': text_printf(o, " %" PRIu64, v); break;
    case 'd': text_printf(o, " %" PRId64, sv); break;
    case 'c': text_printf(o, v >= 32 && v < 127 ? " '%c'" : " '\\x%02x'", (int)v); break;
    }
}

/* x and xp, as QEMU's memory_dump: 16 bytes a line (8 for 'd'/'u'/'o' is
 * not worth the difference). */
static void cmd_x(struct debug *d, unsigned cur, const char *args, bool phys, struct text *o)
{
    struct xfmt f;
    char fmt[32], where[64];
    uint64_t a;
    if (!args || sscanf(args, "%31s %63s", fmt, where) != 2 || !parse_xfmt(fmt, &f) ||
        !parse_addr(d, cur, where, &a)) {
        text_printf(o, "usage: %s /FMT ADDR (FMT: [count][x|d|u|o|c|i][b|h|w|g])\n", phys ? "xp" : "x");
        return;
    }
    struct hart *h = d->v->hart[cur];
    if (f.fmt == 'i') {
        dump_insns(h, a, &f, phys, o);
        return;
    }
    unsigned per_line = 16 / f.size;
    for (unsigned i = 0; i < f.count && (uint64_t)i * f.size < X_MAX_BYTES; i++) {
        uint64_t v = 0, at = a + (uint64_t)i * f.size;
        if (i % per_line == 0)
            text_printf(o, "%s%016" PRIx64 ":", i ? "\n" : "", at);
        if (!dbg_read(h, at, &v, f.size, phys)) {
            text_printf(o, "\nCannot access memory\n");
            return;
        }
        dump_value(o, &f, v);
    }
    text_printf(o, "\n");
}

static void cmd_log(struct debug *d, const char *args, struct text *o)
{
    unsigned mask = 0;
    const char *bad;
    size_t bad_len;
    if (!args) {
        text_printf(o, "usage: log ITEM1[,ITEM2...] | none\n");
        return;
    }
    if (strcmp(args, "none") && !log_parse_items(args, &mask, &bad, &bad_len)) {
        text_printf(o, "Invalid parameter '%.*s'\n", (int)bad_len, bad);
        return;
    }
    d->v->log.mask = mask;
    if (!d->v->log.out)
        d->v->log.out = stderr;
}

static void cmd_gdbserver(struct debug *d, const char *args, struct text *o)
{
    const char *spec = args ? args : "tcp::1234";
    char err[256];
    if (!strcmp(spec, "none")) {
        if (d->gdb)
            gdb_destroy(d->gdb);
        d->gdb = NULL;
        text_printf(o, "Disabled gdbserver\n");
        return;
    }
    struct gdb *g = gdb_create(d, spec, err, sizeof(err));
    if (!g) {
        text_printf(o, "Could not open gdbserver on device '%s': %s\n", spec, err);
        return;
    }
    if (d->gdb)
        gdb_destroy(d->gdb);
    d->gdb = g;
    text_printf(o, "Waiting for gdb connection on device '%s'\n", spec);
}

static void cmd_cpu(struct debug *d, const char *args, struct text *o)
{
    char *end;
    unsigned long n = args ? strtoul(args, &end, 10) : 0;
    if (!args || *end || n >= d->v->nharts)
        text_printf(o, "invalid CPU index (0 to %u)\n", d->v->nharts - 1);
    else
        d->mon_cpu = (unsigned)n;
}

static const char help_text[] =
    "cont|c -- resume emulation\n"
    "cpu index -- set the default CPU (for info registers, x)\n"
    "gdbserver [device] -- start gdbserver on given device (default 'tcp::1234'), stop with 'none'\n"
    "help|? -- show the help\n"
    "info registers [-a] -- show the cpu registers (-a: all cpus)\n"
    "info cpus -- show infos for each CPU\n"
    "info mtree -- show memory tree\n"
    "info qtree -- show device tree\n"
    "info status -- show the current VM status (running|paused)\n"
    "log item1[,...] -- activate logging of the specified items (none: off)\n"
    "quit|q -- quit the emulator\n"
    "stop -- stop emulation\n"
    "system_powerdown -- send system power down event\n"
    "system_reset -- reset the system\n"
    "x /fmt addr -- virtual memory dump starting at 'addr'\n"
    "xp /fmt addr -- physical memory dump starting at 'addr'\n";

static void cmd_info(struct debug *d, const char *args, struct text *o)
{
    char what[32] = "";
    const char *rest = NULL;
    if (args) {
        sscanf(args, "%31s", what);
        rest = strchr(args, ' ');
        while (rest && *rest == ' ')
            rest++;
    }
    unsigned cur = d->mon_cpu;
    if (!strcmp(what, "registers"))
        info_registers(d, rest && *rest ? rest : NULL, cur, o);
    else if (!strcmp(what, "cpus"))
        info_cpus(d, cur, o);
    else if (!strcmp(what, "mtree"))
        info_mtree(d, o);
    else if (!strcmp(what, "qtree"))
        info_qtree(d, o);
    else if (!strcmp(what, "status"))
        text_printf(o, "VM status: %s\n", d->state == RS_RUNNING ? "running" : "paused");
    else
        text_printf(o, "info: unknown or missing item '%s' (registers, cpus, mtree, qtree, status)\n", what);
}

static void exec_line(struct debug *d, const char *line, struct text *o);

/* Every command runs with the harts still: the register and memory
 * readers borrow hart state (QEMU runs them on the vCPU for the same
 * reason). Stop and cont themselves change the state, so they run as is. */
void mon_exec(struct debug *d, const char *line, struct text *o)
{
    char cmd[16] = "";
    sscanf(line, "%15s", cmd);
    bool plain = !strcmp(cmd, "stop") || !strcmp(cmd, "cont") || !strcmp(cmd, "c") ||
                 !strcmp(cmd, "quit") || !strcmp(cmd, "q") || !strcmp(cmd, "system_reset");
    bool held = !plain && dbg_hold(d);
    exec_line(d, line, o);
    dbg_release(d, held);
}

static void exec_line(struct debug *d, const char *line, struct text *o)
{
    char cmd[32] = "";
    while (*line == ' ' || *line == '\t')
        line++;
    sscanf(line, "%31s", cmd);
    const char *args = line + strlen(cmd);
    while (*args == ' ')
        args++;
    if (!*args)
        args = NULL;
    if (!cmd[0])
        return;
    if (!strcmp(cmd, "help") || !strcmp(cmd, "?") || !strcmp(cmd, "h")) text_printf(o, "%s", help_text);
    else if (!strcmp(cmd, "info")) cmd_info(d, args, o);
    else if (!strcmp(cmd, "x") || !strncmp(cmd, "x/", 2)) cmd_x(d, d->mon_cpu, cmd[1] ? line + 1 : args, false, o);
    else if (!strcmp(cmd, "xp") || !strncmp(cmd, "xp/", 3)) cmd_x(d, d->mon_cpu, cmd[2] ? line + 2 : args, true, o);
    else if (!strcmp(cmd, "cpu")) cmd_cpu(d, args, o);
    else if (!strcmp(cmd, "stop")) dbg_stop(d, RS_PAUSED);
    else if (!strcmp(cmd, "cont") || !strcmp(cmd, "c")) dbg_resume(d);
    else if (!strcmp(cmd, "system_reset")) dbg_system_reset(d);
    else if (!strcmp(cmd, "system_powerdown")) dbg_powerdown(d);
    else if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) dbg_quit(d);
    else if (!strcmp(cmd, "log")) cmd_log(d, args, o);
    else if (!strcmp(cmd, "gdbserver")) cmd_gdbserver(d, args, o);
    else text_printf(o, "unknown command: '%s'\n", cmd);
}

/* ---- front ends ---------------------------------------------------------------------- */

/* Monitor text uses \n; terminals and telnet want \r\n. */
static void crlf(struct text *in, struct text *out)
{
    for (size_t i = 0; i < in->len; i++)
        text_printf(out, in->s[i] == '\n' ? "\r\n" : "%c", in->s[i]);
}

static void run_line(struct mon *m, const char *line, bool console)
{
    struct text o = { 0 }, w = { 0 };
    mon_exec(m->d, line, &o);
    crlf(&o, &w);
    text_printf(&w, "%s", prompt);
    if (console)
        console_write(&m->d->v->console, w.s, w.len);
    else
        chan_write(&m->ch, w.s, w.len);
    text_free(&o);
    text_free(&w);
}

/* One byte of a line; returns true when the line is complete. */
static bool line_byte(char *line, size_t *len, bool *overlong, uint8_t b)
{
    if (b == '\r' || b == '\n') {
        line[*len] = 0;
        return true;
    }
    if (b == 0 || b == 0xff)
        return false;  /* telnet negotiation noise */
    if (*len + 1 < LINE_MAX_LEN)
        line[(*len)++] = (char)b;
    else
        *overlong = true;
    return false;
}

void mon_console_byte(void *opaque, uint8_t b)
{
    struct mon *m = opaque;
    struct console *c = &m->d->v->console;
    bool over = false;
    if (b == 0) {
        console_write(c, "\r\n", 2);
        console_write(c, banner, strlen(banner));
        console_write(c, prompt, strlen(prompt));
        return;
    }
    if (b == 0x7f || b == 8) {
        if (m->clen) {
            m->clen--;
            console_write(c, "\b \b", 3);
        }
        return;
    }
    if (b != '\r' && b != '\n')
        console_write(c, (const char *)&b, 1);  /* echo: the terminal is raw */
    if (line_byte(m->cline, &m->clen, &over, b) && !m->has_ready) {
        console_write(c, "\r\n", 2);
        memcpy(m->ready, m->cline, m->clen + 1);
        m->clen = 0;
        m->has_ready = true;
    }
}

static void socket_bytes(struct mon *m, const uint8_t *buf, long n)
{
    for (long i = 0; i < n && m->ch.fd >= 0; i++) {
        if (!line_byte(m->line, &m->len, &m->overlong, buf[i]))
            continue;
        if (buf[i] == '\n' && m->len == 0 && i > 0 && buf[i - 1] == '\r')
            continue;  /* the \n of \r\n */
        if (m->overlong)
            chan_printf(&m->ch, "line too long (max %d)\r\n%s", LINE_MAX_LEN - 1, prompt);
        else
            run_line(m, m->line, false);
        m->len = 0;
        m->overlong = false;
    }
}

void mon_poll(struct mon *m)
{
    if (m->has_ready) {
        m->has_ready = false;
        run_line(m, m->ready, true);
    }
    if (!m->has_socket)
        return;
    if (chan_accept(&m->ch, false)) {
        m->len = 0;
        chan_printf(&m->ch, "%s%s", banner, prompt);
    }
    uint8_t buf[4096];
    long n;
    for (int rounds = 0; rounds < 16 && (n = chan_read(&m->ch, buf, sizeof(buf))) > 0; rounds++)
        socket_bytes(m, buf, n);
}

unsigned mon_pollfds(struct mon *m, struct pollfd *p)
{
    return m->has_socket ? chan_pollfds(&m->ch, p) : 0;
}

struct mon *mon_create(struct debug *d, const char *spec, char *err, size_t n)
{
    struct mon *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    m->d = d;
    m->ch.fd = m->ch.listen_fd = -1;
    if (spec && strcmp(spec, "stdio")) {
        if (!chan_open(&m->ch, spec, false, err, n)) {
            free(m);
            return NULL;
        }
        m->has_socket = true;
        if (m->ch.wait) {
            fprintf(stderr, "rivet: waiting for connection on: %s\n", spec);
            if (chan_accept(&m->ch, true))
                chan_printf(&m->ch, "%s%s", banner, prompt);
        }
    }
    struct console *c = &d->v->console;
    if (spec && !strcmp(spec, "stdio") && c->kind != CONSOLE_MUX_STDIO) {
        snprintf(err, n, "stdio is not the multiplexed console here (use -nographic or "
                 "-serial mon:stdio, then Ctrl-A c)");
        free(m);
        return NULL;
    }
    if (c->kind == CONSOLE_MUX_STDIO && !c->monitor_byte) {
        c->monitor_byte = mon_console_byte;
        c->monitor_opaque = m;
    }
    return m;
}
