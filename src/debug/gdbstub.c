#define _GNU_SOURCE
/* The GDB remote serial protocol, all-stop: every hart is a thread (id =
 * hart + 1), the machine stops as a whole. Packets are parsed as bytes
 * arrive, so a client that stops mid-packet costs nothing; a packet longer
 * than PACKET_MAX is dropped with a message. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/dbg.h"
#include "debug/gdbregs.h"
#include "debug/memaccess.h"

#define PACKET_MAX 16384
#define MEM_MAX 4096           /* bytes per m/M/X packet */
#define SIGINT_GDB 2
#define SIGTRAP_GDB 5

enum rx_state { RX_IDLE, RX_DATA, RX_ESC, RX_SUM1, RX_SUM2 };

struct gdb {
    struct debug *d;
    struct chan ch;
    struct gdb_regs regs;
    enum rx_state rx;
    char pkt[PACKET_MAX + 1];
    size_t len;
    bool overlong;
    uint8_t sum, given_sum;
    bool no_ack;
    bool waiting;          /* gdb resumed and waits for a stop reply */
    bool we_stopped;       /* the machine stands still because of gdb */
    unsigned g_thread;     /* Hg: registers and memory of this hart */
    unsigned last_stop;    /* the hart the last stop reply named */
};

/* ---- output --------------------------------------------------------------------- */

static const char hexd[] = "0123456789abcdef";

static void send_packet(struct gdb *g, const char *data, size_t n)
{
    struct text t = { 0 };
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + (uint8_t)data[i]);
    text_printf(&t, "$%.*s#%c%c", (int)n, data, hexd[sum >> 4], hexd[sum & 15]);
    chan_write(&g->ch, t.s, t.len);
    text_free(&t);
}

static void reply(struct gdb *g, const char *s)
{
    send_packet(g, s, strlen(s));
}

static void hex_encode(struct text *t, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        text_printf(t, "%c%c", hexd[p[i] >> 4], hexd[p[i] & 15]);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* n bytes of hex from s; false on a bad digit. */
static bool hex_decode(const char *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
        if (lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* A hex number at *s, advancing past it. */
static bool parse_hex(const char **s, uint64_t *v)
{
    const char *p = *s;
    *v = 0;
    while (hexval(*p) >= 0 && p - *s < 16)
        *v = *v << 4 | (uint64_t)hexval(*p++);
    if (p == *s)
        return false;
    *s = p;
    return true;
}

/* A stop reply naming the hart, and the watchpoint if one fired. */
static void send_stop(struct gdb *g, int sig, unsigned hart)
{
    static const char *const kind[] = { [WATCH_WRITE] = "watch", [WATCH_READ] = "rwatch",
                                         [WATCH_ACCESS] = "awatch" };
    char buf[96];
    const struct watch *w = sig == SIGTRAP_GDB ? dbg_watch_hit(g->d) : NULL;
    g->last_stop = hart;
    g->g_thread = hart;
    int n = snprintf(buf, sizeof(buf), "T%02xthread:%02x;", sig, hart + 1);
    if (w)
        snprintf(buf + n, sizeof(buf) - (size_t)n, "%s:%" PRIx64 ";", kind[w->type], w->addr);
    reply(g, buf);
}

/* ---- the machine ------------------------------------------------------------------ */

static struct hart *cur_hart(struct gdb *g)
{
    return g->d->v->hart[g->g_thread];
}

void gdb_stopped(struct gdb *g, int hart)
{
    if (!g->waiting || g->ch.fd < 0)
        return;
    g->waiting = false;
    g->we_stopped = true;
    send_stop(g, hart >= 0 ? SIGTRAP_GDB : SIGINT_GDB, hart >= 0 ? (unsigned)hart : g->last_stop);
}

void gdb_exiting(struct gdb *g, int status)
{
    if (g->ch.fd >= 0) {
        char buf[8];
        snprintf(buf, sizeof(buf), "W%02x", status & 0xff);
        reply(g, buf);
    }
    chan_close(&g->ch);
}

static void do_continue(struct gdb *g)
{
    g->waiting = true;
    g->we_stopped = false;
    dbg_resume(g->d);
}

static void do_step(struct gdb *g, unsigned hart)
{
    dbg_step(g->d, hart);
    send_stop(g, SIGTRAP_GDB, hart);
}

/* A thread id: hart + 1; -1 (all) and 0 (any) mean the first hart. */
static bool thread_to_hart(struct gdb *g, const char *s, unsigned *hart)
{
    if (!strcmp(s, "-1") || !strcmp(s, "0")) {
        *hart = 0;
        return true;
    }
    uint64_t id;
    if (!parse_hex(&s, &id) || *s || id == 0 || id > g->d->v->nharts)
        return false;
    *hart = (unsigned)id - 1;
    return true;
}

/* vCont;ACTION[:THREAD]...: a step of one thread steps just that hart
 * (the others stay stopped); otherwise everything continues. */
static void handle_vcont(struct gdb *g, char *args)
{
    for (char *a = strtok(args, ";"); a; a = strtok(NULL, ";")) {
        char *colon = strchr(a, ':');
        unsigned hart = g->g_thread;
        if (colon && !thread_to_hart(g, colon + 1, &hart)) {
            reply(g, "E22");
            return;
        }
        if (a[0] == 's' || a[0] == 'S') {
            do_step(g, hart);
            return;
        }
    }
    do_continue(g);
}

/* ---- packets ------------------------------------------------------------------------ */

static void read_all_regs(struct gdb *g)
{
    struct text t = { 0 };
    struct hart *h = cur_hart(g);
    for (unsigned i = 0; i < 33; i++) {
        uint64_t v = 0;
        gdb_reg_read(&g->regs, h, i, &v);
        hex_encode(&t, &v, 8);
    }
    send_packet(g, t.s, t.len);
    text_free(&t);
}

static void write_all_regs(struct gdb *g, const char *s)
{
    struct hart *h = cur_hart(g);
    for (unsigned i = 0; i < 33 && strlen(s) >= 16; i++, s += 16) {
        uint64_t v;
        if (!hex_decode(s, (uint8_t *)&v, 8))
            break;
        gdb_reg_write(&g->regs, h, i, v);
    }
    reply(g, "OK");
}

static void read_reg(struct gdb *g, const char *s)
{
    uint64_t n, v;
    if (!parse_hex(&s, &n) || !gdb_reg_read(&g->regs, cur_hart(g), (unsigned)n, &v)) {
        reply(g, n < g->regs.count ? "E14" : "");
        return;
    }
    struct text t = { 0 };
    hex_encode(&t, &v, g->regs.reg[n].bits / 8);
    send_packet(g, t.s, t.len);
    text_free(&t);
}

static void write_reg(struct gdb *g, const char *s)
{
    uint64_t n, v = 0;
    if (!parse_hex(&s, &n) || *s++ != '=' || n >= g->regs.count) {
        reply(g, "E22");
        return;
    }
    size_t bytes = strlen(s) / 2 > 8 ? 8 : strlen(s) / 2;
    if (!hex_decode(s, (uint8_t *)&v, bytes))
        reply(g, "E22");
    else
        reply(g, gdb_reg_write(&g->regs, cur_hart(g), (unsigned)n, v) ? "OK" : "E14");
}

/* "ADDR,LEN" then `sep`. */
static bool parse_range(const char **s, uint64_t *addr, uint64_t *len, char sep)
{
    return parse_hex(s, addr) && *(*s)++ == ',' && parse_hex(s, len) && (!sep || *(*s)++ == sep);
}

static void read_mem(struct gdb *g, const char *s)
{
    uint64_t addr, len;
    uint8_t buf[MEM_MAX];
    if (!parse_range(&s, &addr, &len, 0)) {
        reply(g, "E22");
        return;
    }
    if (len > MEM_MAX)
        len = MEM_MAX;
    if (!dbg_read(cur_hart(g), addr, buf, len, g->d->phys_mode)) {
        reply(g, "E14");
        return;
    }
    struct text t = { 0 };
    hex_encode(&t, buf, len);
    send_packet(g, t.s ? t.s : "", t.len);
    text_free(&t);
}

static void write_mem(struct gdb *g, const char *s, bool binary, size_t pkt_len)
{
    uint64_t addr, len;
    uint8_t buf[MEM_MAX];
    const char *start = s;
    if (!parse_range(&s, &addr, &len, ':') || len > MEM_MAX) {
        reply(g, "E22");
        return;
    }
    size_t avail = pkt_len - (size_t)(s - start);
    bool ok = binary ? avail == len : avail == 2 * len && hex_decode(s, buf, len);
    if (binary && ok)
        memcpy(buf, s, len);
    if (!ok) {
        reply(g, "E22");
        return;
    }
    reply(g, !len || dbg_write(cur_hart(g), addr, buf, len, g->d->phys_mode) ? "OK" : "E14");
}

/* Z0/Z1 (software and hardware breakpoints are the same here: neither
 * touches guest memory), Z2/Z3/Z4 watchpoints of any length. */
static void breakpoint(struct gdb *g, const char *s, bool insert)
{
    char type = s[0];
    uint64_t addr, kind;
    s += 2;
    if (type < '0' || type > '4' || s[-1] != ',') {
        reply(g, "");
        return;
    }
    if (!parse_range(&s, &addr, &kind, 0)) {
        reply(g, "E22");
        return;
    }
    bool ok;
    if (type <= '1')
        ok = insert ? dbg_bp_insert(g->d, addr) : (dbg_bp_remove(g->d, addr), true);
    else if (insert)
        ok = dbg_watch_insert(g->d, addr, kind, (enum watch_type)(type - '0'));
    else
        ok = (dbg_watch_remove(g->d, addr, kind, (enum watch_type)(type - '0')), true);
    reply(g, ok ? "OK" : "E28");
}

static void xfer_features(struct gdb *g, const char *s)
{
    uint64_t off, len;
    if (strncmp(s, "target.xml:", 11)) {
        reply(g, "E00");
        return;
    }
    s += 11;
    if (!parse_range(&s, &off, &len, 0)) {
        reply(g, "E22");
        return;
    }
    struct text x = { 0 }, t = { 0 };
    gdb_regs_xml(&g->regs, &x);
    if (off >= x.len) {
        reply(g, "l");
    } else {
        size_t n = x.len - off < len ? x.len - off : len;
        text_printf(&t, "%c%.*s", off + n >= x.len ? 'l' : 'm', (int)n, x.s + off);
        send_packet(g, t.s, t.len);
    }
    text_free(&x);
    text_free(&t);
}

static void thread_info(struct gdb *g)
{
    struct text t = { 0 };
    text_printf(&t, "m");
    for (unsigned i = 0; i < g->d->v->nharts; i++)
        text_printf(&t, "%s%x", i ? "," : "", i + 1);
    send_packet(g, t.s, t.len);
    text_free(&t);
}

static void thread_extra(struct gdb *g, const char *s)
{
    unsigned hart;
    if (!thread_to_hart(g, s, &hart)) {
        reply(g, "E22");
        return;
    }
    char buf[64];
    struct text t = { 0 };
    snprintf(buf, sizeof(buf), "CPU#%u [%s]", hart, g->d->v->hart[hart]->wfi ? "halted " : "running");
    hex_encode(&t, buf, strlen(buf));
    send_packet(g, t.s, t.len);
    text_free(&t);
}

/* monitor CMD: the human monitor's output as console text (O packets). */
static void rcmd(struct gdb *g, const char *hex)
{
    size_t n = strlen(hex) / 2;
    char *line = calloc(1, n + 1);
    if (!line || !hex_decode(hex, (uint8_t *)line, n)) {
        free(line);
        reply(g, "E22");
        return;
    }
    struct text out = { 0 }, pkt = { 0 };
    mon_exec(g->d, line, &out);
    if (out.len) {
        text_printf(&pkt, "O");
        hex_encode(&pkt, out.s, out.len);
        send_packet(g, pkt.s, pkt.len);
    }
    reply(g, "OK");
    text_free(&out);
    text_free(&pkt);
    free(line);
}

static void set_thread(struct gdb *g, const char *s)
{
    unsigned hart;
    if (s[0] != 'g' && s[0] != 'c') {
        reply(g, "E22");
        return;
    }
    if (!thread_to_hart(g, s + 1, &hart)) {
        reply(g, "E22");
        return;
    }
    if (s[0] == 'g')
        g->g_thread = hart;
    reply(g, "OK");
}

static void query(struct gdb *g, char *p)
{
    if (!strncmp(p, "qSupported", 10))
        reply(g, "PacketSize=3fff;qXfer:features:read+;vContSupported+;QStartNoAckMode+");
    else if (!strncmp(p, "qXfer:features:read:", 20))
        xfer_features(g, p + 20);
    else if (!strcmp(p, "qAttached"))
        reply(g, "1");
    else if (!strcmp(p, "qC")) {
        char buf[16];
        snprintf(buf, sizeof(buf), "QC%x", g->g_thread + 1);
        reply(g, buf);
    } else if (!strcmp(p, "qfThreadInfo"))
        thread_info(g);
    else if (!strcmp(p, "qsThreadInfo"))
        reply(g, "l");
    else if (!strncmp(p, "qThreadExtraInfo,", 17))
        thread_extra(g, p + 17);
    else if (!strncmp(p, "qRcmd,", 6))
        rcmd(g, p + 6);
    else if (!strcmp(p, "qqemu.PhyMemMode"))
        reply(g, g->d->phys_mode ? "1" : "0");
    else
        reply(g, "");
}

static void set_query(struct gdb *g, const char *p)
{
    if (!strcmp(p, "QStartNoAckMode")) {
        reply(g, "OK");
        g->no_ack = true;
    } else if (!strncmp(p, "Qqemu.PhyMemMode:", 17) && (p[17] == '0' || p[17] == '1') && !p[18]) {
        g->d->phys_mode = p[17] == '1';
        reply(g, "OK");
    } else {
        reply(g, "");
    }
}

static void detach(struct gdb *g)
{
    reply(g, "OK");
    dbg_bp_clear(g->d);
    g->waiting = false;
    dbg_resume(g->d);
    chan_drop(&g->ch);
}

static void handle_v(struct gdb *g, char *p)
{
    if (!strcmp(p, "vCont?"))
        reply(g, "vCont;c;C;s;S");
    else if (!strncmp(p, "vCont;", 6))
        handle_vcont(g, p + 6);
    else if (!strncmp(p, "vKill", 5)) {
        reply(g, "OK");
        dbg_quit(g->d);
    } else
        reply(g, "");
}

/* Packets that read or write hart state: gdb sends them only while the
 * machine is stopped, but a confused client might not. */
static bool touches_harts(char c)
{
    return strchr("gGpPmMXsHT?", c) != NULL;
}

static void dispatch(struct gdb *g, char *p, size_t len);

static void handle_packet(struct gdb *g, char *p, size_t len)
{
    bool held = touches_harts(p[0]) && dbg_hold(g->d);
    dispatch(g, p, len);
    dbg_release(g->d, held);
}

static void dispatch(struct gdb *g, char *p, size_t len)
{
    switch (p[0]) {
    case '?': send_stop(g, SIGTRAP_GDB, g->last_stop); break;
    case 'g': read_all_regs(g); break;
    case 'G': write_all_regs(g, p + 1); break;
    case 'p': read_reg(g, p + 1); break;
    case 'P': write_reg(g, p + 1); break;
    case 'm': read_mem(g, p + 1); break;
    case 'M': write_mem(g, p + 1, false, len - 1); break;
    case 'X': write_mem(g, p + 1, true, len - 1); break;
    case 'c': do_continue(g); break;
    case 's': do_step(g, g->g_thread); break;
    case 'H': set_thread(g, p + 1); break;
    case 'T': { unsigned h; reply(g, thread_to_hart(g, p + 1, &h) ? "OK" : "E22"); break; }
    case 'Z': breakpoint(g, p + 1, true); break;
    case 'z': breakpoint(g, p + 1, false); break;
    case 'q': query(g, p); break;
    case 'Q': set_query(g, p); break;
    case 'v': handle_v(g, p); break;
    case 'D': detach(g); break;
    case 'k': dbg_quit(g->d); chan_drop(&g->ch); break;
    default: reply(g, ""); break;
    }
}

/* ---- bytes in ------------------------------------------------------------------------ */

static void end_packet(struct gdb *g)
{
    g->rx = RX_IDLE;
    if (g->overlong) {
        fprintf(stderr, "rivet: gdb: packet longer than %d bytes dropped\n", PACKET_MAX);
        if (!g->no_ack)
            chan_write(&g->ch, "-", 1);
        return;
    }
    if (g->sum != g->given_sum && !g->no_ack) {
        chan_write(&g->ch, "-", 1);  /* gdb sends it again */
        return;
    }
    if (!g->no_ack)
        chan_write(&g->ch, "+", 1);
    g->pkt[g->len] = 0;
    handle_packet(g, g->pkt, g->len);
}

static void packet_byte(struct gdb *g, uint8_t b)
{
    if (g->len < PACKET_MAX)
        g->pkt[g->len++] = (char)b;
    else
        g->overlong = true;
}

static void rx_byte(struct gdb *g, uint8_t b)
{
    switch (g->rx) {
    case RX_IDLE:
        if (b == '$') {
            g->rx = RX_DATA;
            g->len = 0;
            g->sum = 0;
            g->overlong = false;
        } else if (b == 0x03 && !g->d->v->vm_stopped) {
            dbg_stop(g->d, RS_DEBUG);  /* Ctrl-C; gdb_stopped replies */
        } else if (b == 0x03) {
            gdb_stopped(g, -1);  /* already stopped (the monitor): say so */
        }
        break;  /* acks and noise between packets */
    case RX_DATA:
        if (b == '#') {
            g->rx = RX_SUM1;
            break;
        }
        g->sum = (uint8_t)(g->sum + b);  /* the checksum covers escapes as sent */
        if (b == '}')
            g->rx = RX_ESC;
        else
            packet_byte(g, b);
        break;
    case RX_ESC:
        g->sum = (uint8_t)(g->sum + b);
        packet_byte(g, b ^ 0x20);
        g->rx = RX_DATA;
        break;
    case RX_SUM1:
        g->given_sum = (uint8_t)(hexval((char)b) << 4);
        g->rx = RX_SUM2;
        break;
    case RX_SUM2:
        g->given_sum |= (uint8_t)(hexval((char)b) & 15);
        end_packet(g);
        break;
    }
}

/* gdb attaches: the machine stops, as under QEMU. */
static void attached(struct gdb *g)
{
    g->rx = RX_IDLE;
    g->no_ack = false;
    g->waiting = false;
    g->g_thread = 0;
    g->last_stop = 0;  /* '?' names the first hart to a new gdb, as QEMU's does */
    dbg_stop(g->d, RS_DEBUG);
    g->we_stopped = true;
}

/* gdb went away without detaching: forget its breakpoints and let the
 * guest run on if gdb had it stopped. */
static void vanished(struct gdb *g)
{
    fprintf(stderr, "rivet: gdb: connection closed\n");
    dbg_bp_clear(g->d);
    if (g->we_stopped && g->d->v->vm_stopped)
        dbg_resume(g->d);
    g->we_stopped = g->waiting = false;
}

/* The client first (it may have gone, making room for the next one). */
void gdb_poll(struct gdb *g)
{
    uint8_t buf[4096];
    for (int rounds = 0; rounds < 64 && g->ch.fd >= 0; rounds++) {
        long n = chan_read(&g->ch, buf, sizeof(buf));
        if (n < 0)
            vanished(g);
        if (n <= 0)
            break;
        for (long i = 0; i < n && g->ch.fd >= 0; i++)
            rx_byte(g, buf[i]);
    }
    if (chan_accept(&g->ch, false))
        attached(g);
}

unsigned gdb_pollfds(struct gdb *g, struct pollfd *p)
{
    return chan_pollfds(&g->ch, p);
}

struct gdb *gdb_create(struct debug *d, const char *spec, char *err, size_t n)
{
    struct gdb *g = calloc(1, sizeof(*g));
    if (!g) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    /* QEMU's -gdb takes a bare port number as tcp::PORT */
    char buf[160];
    bool bare = strspn(spec, "0123456789") == strlen(spec) && *spec;
    snprintf(buf, sizeof(buf), bare ? "tcp::%s" : "%s", spec);
    if (!chan_open(&g->ch, buf, false, err, n)) {
        free(g);
        return NULL;
    }
    g->d = d;
    gdb_regs_init(&g->regs, d->v->hart[0]);
    return g;
}

void gdb_destroy(struct gdb *g)
{
    chan_close(&g->ch);
    free(g);
}
