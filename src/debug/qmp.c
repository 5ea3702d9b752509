#define _GNU_SOURCE
/* QMP, the QEMU Machine Protocol: JSON objects in, JSON objects out.
 * The subset: qmp_capabilities, the commands in the table below,
 * human-monitor-command and the STOP, RESUME, RESET, SHUTDOWN and
 * POWERDOWN events. Input that is
 * not JSON, or not a command, is answered with an error and the session
 * goes on. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "debug/dbg.h"

#define MSG_MAX 65536
/* the greeting's and query-version's: QEMU 7.2's numbers, for clients that check */
#define QMP_VERSION "{\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"rivet\"}"

struct qmp {
    struct debug *d;
    struct chan ch;
    bool negotiated;
    char buf[MSG_MAX + 1];
    size_t len;
    int depth;             /* of {} and [] outside strings */
    bool in_str, esc, overlong;
};

/* ---- JSON, just enough ------------------------------------------------------------ */

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* Past a string starting at its quote, or NULL. */
static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && !*++p)
            return NULL;
    return *p ? p + 1 : NULL;
}

static const char *skip_value(const char *p, int depth);

static const char *skip_container(const char *p, int depth, char close, bool keyed)
{
    p = ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (keyed) {
            if (*p != '"' || !(p = skip_string(p)) || *(p = ws(p)) != ':')
                return NULL;
            p = ws(p + 1);
        }
        if (!(p = skip_value(p, depth + 1)))
            return NULL;
        p = ws(p);
        if (*p == close)
            return p + 1;
        if (*p != ',')
            return NULL;
        p = ws(p + 1);
    }
}

static const char *skip_value(const char *p, int depth)
{
    p = ws(p);
    if (depth > 32)
        return NULL;
    if (*p == '{')
        return skip_container(p, depth, '}', true);
    if (*p == '[')
        return skip_container(p, depth, ']', false);
    if (*p == '"')
        return skip_string(p);
    for (const char *lit = "true\0false\0null\0"; *lit; lit += strlen(lit) + 1)
        if (!strncmp(p, lit, strlen(lit)))
            return p + strlen(lit);
    char *end;
    strtod(p, &end);
    return end == p ? NULL : end;
}

/* The value of `key` in the object at p (already checked), or NULL. */
static const char *member(const char *p, const char *key, const char **end)
{
    p = ws(ws(p) + 1);
    while (*p == '"') {
        const char *k = p + 1, *kend = skip_string(p);
        const char *v = ws(ws(kend) + 1);
        const char *vend = skip_value(v, 0);
        if ((size_t)(kend - 1 - k) == strlen(key) && !strncmp(k, key, strlen(key))) {
            *end = vend;
            return v;
        }
        p = ws(ws(vend) + (*ws(vend) == ',' ? 1 : 0));
    }
    return NULL;
}

/* A JSON string's contents (simple escapes only); NULL if not a string. */
static char *string_value(const char *p)
{
    if (!p || *p != '"')
        return NULL;
    const char *end = skip_string(p);
    char *s = malloc((size_t)(end - p)), *o = s;
    if (!s)
        return NULL;
    for (p++; p < end - 1; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        p++;
        *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
    }
    *o = 0;
    return s;
}

static void json_string(struct text *t, const char *s)
{
    text_printf(t, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            text_printf(t, "\\%c", c);
        else if (c == '\n')
            text_printf(t, "\\n");
        else if (c == '\r')
            text_printf(t, "\\r");
        else if (c < 32)
            text_printf(t, "\\u%04x", c);
        else
            text_printf(t, "%c", c);
    }
    text_printf(t, "\"");
}

/* ---- replies ------------------------------------------------------------------------ */

static void send_line(struct qmp *q, struct text *t)
{
    text_printf(t, "\r\n");
    chan_write(&q->ch, t->s, t->len);
    text_free(t);
}

/* `ret` is JSON text; id the request's id member as given, or NULL. */
static void send_return(struct qmp *q, const char *ret, const char *id, size_t id_len)
{
    struct text t = { 0 };
    text_printf(&t, "{\"return\": %s", ret);
    if (id)
        text_printf(&t, ", \"id\": %.*s", (int)id_len, id);
    text_printf(&t, "}");
    send_line(q, &t);
}

static void send_error(struct qmp *q, const char *cls, const char *desc, const char *id, size_t id_len)
{
    struct text t = { 0 };
    text_printf(&t, "{\"error\": {\"class\": \"%s\", \"desc\": ", cls);
    json_string(&t, desc);
    text_printf(&t, "}");
    if (id)
        text_printf(&t, ", \"id\": %.*s", (int)id_len, id);
    text_printf(&t, "}");
    send_line(q, &t);
}

void qmp_event(struct qmp *q, const char *name, const char *data)
{
    if (!q->negotiated || q->ch.fd < 0)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct text t = { 0 };
    text_printf(&t, "{\"timestamp\": {\"seconds\": %ld, \"microseconds\": %ld}, \"event\": \"%s\"",
                (long)tv.tv_sec, (long)tv.tv_usec, name);
    if (data)
        text_printf(&t, ", \"data\": %s", data);
    text_printf(&t, "}");
    send_line(q, &t);
}

static void greet(struct qmp *q)
{
    q->negotiated = false;
    q->len = 0;
    q->depth = 0;
    q->in_str = q->esc = q->overlong = false;
    chan_puts(&q->ch, "{\"QMP\": {\"version\": " QMP_VERSION ", \"capabilities\": [\"oob\"]}}\r\n");
}

/* ---- commands ----------------------------------------------------------------------- */

static void query_status(struct qmp *q, struct text *r)
{
    bool running = q->d->state == RS_RUNNING;
    text_printf(r, "{\"status\": \"%s\", \"singlestep\": false, \"running\": %s}",
                dbg_state_name(running ? RS_RUNNING : q->d->state), running ? "true" : "false");
}

static void query_cpus(struct qmp *q, struct text *r)
{
    text_printf(r, "[");
    for (unsigned i = 0; i < q->d->v->nharts; i++)
        text_printf(r, "%s{\"thread-id\": %d, \"props\": {\"core-id\": %u, \"thread-id\": 0, "
                    "\"socket-id\": 0}, \"qom-path\": \"/machine/soc0/harts[%u]\", "
                    "\"cpu-index\": %u, \"target\": \"riscv64\"}",
                    i ? ", " : "", virt_hart_thread_id(q->d->v, i), i, i, i);
    text_printf(r, "]");
}

/* human-monitor-command: the monitor's output as a string. */
static bool hmp(struct qmp *q, const char *msg, struct text *r)
{
    const char *end, *args = member(msg, "arguments", &end);
    char *line = args && *args == '{' ? string_value(member(args, "command-line", &end)) : NULL;
    if (!line)
        return false;
    struct text o = { 0 };
    mon_exec(q->d, line, &o);
    json_string(r, o.s ? o.s : "");
    text_free(&o);
    free(line);
    return true;
}

static void query_commands(struct qmp *q, struct text *r);

static void do_stop(struct qmp *q, struct text *r) { (void)r; dbg_stop(q->d, RS_PAUSED); }
static void do_cont(struct qmp *q, struct text *r) { (void)r; dbg_resume(q->d); }
static void do_reset(struct qmp *q, struct text *r) { (void)r; dbg_system_reset(q->d); }
static void do_powerdown(struct qmp *q, struct text *r) { (void)r; dbg_powerdown(q->d); }
static void do_quit(struct qmp *q, struct text *r) { (void)r; dbg_quit(q->d); }

/* The commands after negotiation (human-monitor-command, which takes
 * arguments, is handled apart): a function, or a constant reply. A client
 * such as qmp-shell lists them with query-commands; the replies follow
 * QEMU 7.2's. */
static const struct qmp_command {
    const char *name;
    void (*run)(struct qmp *q, struct text *r);
    const char *reply;
} commands[] = {
    { "query-status", query_status, NULL },
    { "query-cpus-fast", query_cpus, NULL },
    { "query-version", NULL, QMP_VERSION },
    { "query-name", NULL, "{}" },
    { "query-target", NULL, "{\"arch\": \"riscv64\"}" },
    { "query-kvm", NULL, "{\"enabled\": false, \"present\": false}" },
    { "query-commands", query_commands, NULL },
    { "stop", do_stop, NULL },
    { "cont", do_cont, NULL },
    { "system_reset", do_reset, NULL },
    { "system_powerdown", do_powerdown, NULL },
    { "quit", do_quit, NULL },
};

static void query_commands(struct qmp *q, struct text *r)
{
    (void)q;
    text_printf(r, "[{\"name\": \"qmp_capabilities\"}, {\"name\": \"human-monitor-command\"}");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        text_printf(r, ", {\"name\": \"%s\"}", commands[i].name);
    text_printf(r, "]");
}

/* Run `cmd`; false when it does not exist. r gets the return value. */
static bool run_command(struct qmp *q, const char *cmd, const char *msg, struct text *r, bool *bad_args)
{
    if (!strcmp(cmd, "human-monitor-command")) {
        *bad_args = !hmp(q, msg, r);
        return true;
    }
    size_t i = 0;
    while (i < ARRAY_SIZE(commands) && strcmp(cmd, commands[i].name))
        i++;
    if (i == ARRAY_SIZE(commands))
        return false;
    if (commands[i].run)
        commands[i].run(q, r);
    else
        text_printf(r, "%s", commands[i].reply);
    if (!r->len)
        text_printf(r, "{}");
    return true;
}

static void execute(struct qmp *q, const char *msg, const char *id, size_t id_len)
{
    const char *end;
    char *cmd = string_value(member(msg, "execute", &end));
    struct text r = { 0 };
    bool bad_args = false;
    char desc[200];
    char *oob = cmd ? NULL : string_value(member(msg, "exec-oob", &end));
    if (oob) {
        /* None of ours may run out of band (as most of QEMU's). */
        snprintf(desc, sizeof(desc), "The command %.100s does not support OOB", oob);
        send_error(q, "GenericError", desc, id, id_len);
        free(oob);
    } else if (!cmd) {
        send_error(q, "GenericError", "QMP input lacks member 'execute'", id, id_len);
    } else if (!strcmp(cmd, "qmp_capabilities")) {
        if (q->negotiated)
            send_error(q, "CommandNotFound", "Capabilities negotiation is already complete, command ignored", id, id_len);
        else
            send_return(q, "{}", id, id_len);
        q->negotiated = true;
    } else if (!q->negotiated) {
        send_error(q, "CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'", id, id_len);
    } else if (!run_command(q, cmd, msg, &r, &bad_args)) {
        snprintf(desc, sizeof(desc), "The command %.100s has not been found", cmd);
        send_error(q, "CommandNotFound", desc, id, id_len);
    } else if (bad_args) {
        send_error(q, "GenericError", "Parameter 'command-line' is missing", id, id_len);
    } else {
        send_return(q, r.s, id, id_len);
    }
    text_free(&r);
    free(cmd);
}

static void handle_message(struct qmp *q, const char *msg)
{
    const char *end = skip_value(msg, 0);
    if (!end || *ws(end) || *ws(msg) != '{') {
        send_error(q, "GenericError", "JSON parse error, expecting a JSON object", NULL, 0);
        return;
    }
    const char *id_end, *id = member(msg, "id", &id_end);
    execute(q, msg, id, id ? (size_t)(id_end - id) : 0);
}

/* Split the stream into top-level JSON values by bracket depth. */
static void rx_byte(struct qmp *q, char c)
{
    if (q->len == MSG_MAX) {
        q->overlong = true;
        q->len = 0;
    }
    if (q->depth == 0 && !q->in_str && q->len == 0 && (c == ' ' || c == '\r' || c == '\n' || c == '\t'))
        return;
    q->buf[q->len++] = c;
    if (q->in_str) {
        q->in_str = q->esc || c != '"';
        q->esc = !q->esc && c == '\\';
        return;
    }
    q->in_str = c == '"';
    q->depth += (c == '{' || c == '[') - (c == '}' || c == ']');
    bool complete = q->depth <= 0 && (c == '}' || c == ']' || c == '\n');
    if (!complete)
        return;
    q->buf[q->len] = 0;
    if (q->overlong)
        send_error(q, "GenericError", "JSON message too long", NULL, 0);
    else
        handle_message(q, q->buf);
    q->len = 0;
    q->depth = 0;
    q->overlong = false;
}

void qmp_poll(struct qmp *q)
{
    if (chan_accept(&q->ch, false))
        greet(q);
    char buf[4096];
    long n;
    for (int rounds = 0; rounds < 16 && (n = chan_read(&q->ch, buf, sizeof(buf))) > 0; rounds++)
        for (long i = 0; i < n && q->ch.fd >= 0; i++)
            rx_byte(q, buf[i]);
}

unsigned qmp_pollfds(struct qmp *q, struct pollfd *p)
{
    return chan_pollfds(&q->ch, p);
}

struct qmp *qmp_create(struct debug *d, const char *spec, char *err, size_t n)
{
    struct qmp *q = calloc(1, sizeof(*q));
    if (!q) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    if (!chan_open(&q->ch, spec, false, err, n)) {
        free(q);
        return NULL;
    }
    q->d = d;
    if (q->ch.wait) {
        fprintf(stderr, "rivet: waiting for connection on: %s\n", spec);
        if (chan_accept(&q->ch, true))
            greet(q);
    }
    return q;
}
