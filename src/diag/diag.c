/* The boot timeline: hooks the CPU and the board call, the console tap
 * that watches what the guest prints, the silence timer, and the -d boot
 * summary (text or JSON) at exit. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/diag_int.h"
#include "diag/klog.h"
#include "machine/virt.h"
#include "util/error.h"

#define POLL_NS 100000000ULL            /* the silence timer's resolution */
#define PANIC_GRACE_NS 500000000ULL     /* let the panic message finish first */
#define STORM_REPEAT 10000              /* identical exceptions in a row: a storm */
#define SBI_EXT_DBCN 0x4442434EULL
#define SBI_LEGACY_PUTCHAR 1
#define NR_READ 63                      /* Linux's read(2) and ppoll(2) on RISC-V */
#define NR_PPOLL 73

struct diag_options diag_opts = { NULL, -1 };
__thread struct hart *diag_current_hart;
struct diag_state diag_state = { .lock = PTHREAD_MUTEX_INITIALIZER };
#define D diag_state

static const char *const stage_name[DIAG_KINDS] = {
    "reset", "firmware", "s_mode", "mmu_on", "s_console_output", "real_console", "initramfs",
    "u_mode", "stdin_read", "end",
};

static const char *const stage_missing[DIAG_KINDS] = {
    NULL, NULL, "the firmware never entered S-mode (no kernel started)",
    "the kernel never turned the MMU on", "the kernel never printed from S-mode",
    "no real console was registered (no \"printk: console [...] enabled\")",
    "the initramfs was never unpacked", "the kernel never entered U-mode (init never ran)",
    "user space never waited for console input", "the guest neither powered off nor reset",
};

bool diag_seen(enum diag_kind k)
{
    return __atomic_load_n(&D.seen[k], __ATOMIC_ACQUIRE);
}

static void print_stage(const struct virt *v, enum diag_kind k)
{
    const struct stage *s = &D.stage[k];
    diag_print(v, "rivet: boot: %8.3fs  guest %8.3fs  %11llu insns  %s\n",
               (double)s->host_ns / 1e9, (double)s->guest_ns / 1e9,
               (unsigned long long)s->insns, s->note);
}

void diag_event(enum diag_kind kind, const struct hart *h, uint64_t pc, const char *note)
{
    if (diag_seen(kind) || !D.v)
        return;
    pthread_mutex_lock(&D.lock);
    if (!D.seen[kind]) {
        struct stage *s = &D.stage[kind];
        s->host_ns = host_monotonic_ns() - D.v->clock.host_start_ns;
        s->guest_ns = vclock_ns(&D.v->clock);
        s->insns = h ? h->instret : 0;  /* this hart's own count: no other thread's */
        s->hart = h ? (unsigned)h->hartid : 0;
        s->pc = pc;
        snprintf(s->note, sizeof(s->note), "%s", note ? note : stage_name[kind]);
        __atomic_store_n(&D.seen[kind], 1, __ATOMIC_RELEASE);
        if (log_enabled(&D.v->log, LOG_BOOT) && !log_enabled(&D.v->log, LOG_BOOT_JSON))
            print_stage(D.v, kind);
    }
    pthread_mutex_unlock(&D.lock);
}

/* ---- the CPU's hooks ----------------------------------------------------------- */

static bool dtb_at(struct virt *v, uint64_t pa)
{
    uint32_t magic;
    return diag_read_phys(&v->bus, pa, &magic, 4) && magic == 0xedfe0dd0;  /* big-endian d00dfeed */
}

static void s_entry(const struct hart *h)
{
    struct virt *v = D.v;
    char sym[96], note[240];
    bool inside = v->have_kernel && h->pc >= v->kernel.low && h->pc < v->kernel.high;
    const char *name = diag_symbolize(v, h->pc, sym, sizeof(sym));
    snprintf(note, sizeof(note), "hart %u enters S-mode at 0x%llx%s%s%s: %s; a0=%llu (%s); "
             "a1=0x%llx (%s)", (unsigned)h->hartid, (unsigned long long)h->pc,
             *name ? " <" : "", name, *name ? ">" : "",
             inside ? "inside -kernel" : v->have_kernel ? "NOT inside -kernel" : "no -kernel",
             (unsigned long long)h->x[10], h->x[10] == h->hartid ? "its hartid" : "NOT its hartid",
             (unsigned long long)h->x[11], dtb_at(v, h->x[11]) ? "a device tree" : "NOT a device tree");
    diag_event(DIAG_S_ENTRY, h, h->pc, note);
}

void diag_xret(const struct hart *h)
{
    if (h->priv == PRIV_S && !h->virt && !diag_seen(DIAG_S_ENTRY) && D.v)
        s_entry(h);
    else if (h->priv == PRIV_U && !diag_seen(DIAG_U_ENTRY)) {
        char note[96];
        snprintf(note, sizeof(note), "first U-mode instruction at 0x%llx (init started)",
                 (unsigned long long)h->pc);
        diag_event(DIAG_U_ENTRY, h, h->pc, note);
    }
}

void diag_satp(const struct hart *h, uint64_t satp)
{
    if (diag_seen(DIAG_MMU_ON) || !(satp >> 60))
        return;
    static const char *const mode[] = { [8] = "Sv39", [9] = "Sv48", [10] = "Sv57" };
    unsigned m = (unsigned)(satp >> 60);
    char note[128];
    snprintf(note, sizeof(note), "MMU on: hart %u writes satp=0x%llx (%s) at 0x%llx",
             (unsigned)h->hartid, (unsigned long long)satp, m <= 10 && mode[m] ? mode[m] : "?",
             (unsigned long long)h->pc);
    diag_event(DIAG_MMU_ON, h, h->pc, note);
}

static void scan_console(const uint8_t *buf, size_t len, bool s_mode);

static void s_output(const struct hart *h, const char *via)
{
    if (diag_seen(DIAG_S_OUTPUT))
        return;
    const char *args = diag_bootargs(D.v);
    bool early = args && strstr(args, "earlycon");
    char note[160];
    snprintf(note, sizeof(note), "first console output from S-mode, through the %s (%s)", via,
             early ? "earlycon, the boot console" : "no earlycon: the real console");
    diag_event(DIAG_S_OUTPUT, h, h->pc, note);
}

/* An ecall to the SBI console: legacy putchar or DBCN write/write_byte
 * (other SBI calls, IPIs and fences, are no output). */
static void sbi_console(struct hart *h)
{
    uint64_t a7 = h->x[17], a6 = h->x[16];
    bool console = a7 == SBI_LEGACY_PUTCHAR || (a7 == SBI_EXT_DBCN && a6 <= 2 && a6 != 1);
    if (console)
        __atomic_store_n(&D.last_output_ns, host_monotonic_ns(), __ATOMIC_RELAXED);
    if (a7 == SBI_LEGACY_PUTCHAR || (a7 == SBI_EXT_DBCN && a6 == 2)) {
        uint8_t c = (uint8_t)h->x[10];
        s_output(h, "SBI console");
        scan_console(&c, 1, true);
    } else if (a7 == SBI_EXT_DBCN && a6 == 0) {
        uint8_t buf[256];
        size_t n = h->x[10] < sizeof(buf) ? h->x[10] : sizeof(buf);
        s_output(h, "SBI console");
        if (diag_read_phys(&D.v->bus, h->x[11], buf, n))
            scan_console(buf, n, true);
    }
}

static void record_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    struct trap_ring *t = &D.traps[h->hartid % MAX_HARTS];
    const struct trap_rec *last = &t->r[(t->next + TRAP_RING - 1) % TRAP_RING];
    if (!interrupt && t->total && !last->irq && last->cause == cause && last->epc == h->pc)
        t->repeat++;
    else if (!interrupt) {
        t->repeat = 1;
        if (t->total)
            t->before = *last;
    }
    t->r[t->next] = (struct trap_rec){ cause, h->pc, tval, h->priv, interrupt };
    t->next = (t->next + 1) % TRAP_RING;
    t->total++;
}

/* read(0, ...), or ppoll() whose first descriptor is 0 waiting for input
 * (busybox's line editing polls before it reads). */
static bool waits_for_stdin(const struct hart *h)
{
    if (h->x[17] == NR_READ)
        return h->x[10] == 0;
    int32_t pollfd[2];  /* int fd; short events, revents */
    return h->x[17] == NR_PPOLL && h->x[11] >= 1 &&
           diag_read_virt(&D.v->bus, h->satp, NULL, h->x[10], pollfd, sizeof(pollfd)) &&
           pollfd[0] == 0 && (pollfd[1] & 1);  /* POLLIN */
}

void diag_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
    if (!D.v)
        return;
    record_trap(h, cause, tval, interrupt);
    if (interrupt)
        return;
    if (cause == CAUSE_ECALL_S && !h->virt)
        sbi_console(h);
    else if (cause == CAUSE_ECALL_U && !diag_seen(DIAG_STDIN_READ) && diag_seen(DIAG_CONSOLE) &&
             waits_for_stdin(h))
        diag_event(DIAG_STDIN_READ, h, h->pc, "user space waits for console input (the shell "
                   "is ready)");
}

bool diag_trap_storm(unsigned hart)
{
    return D.traps[hart % MAX_HARTS].repeat >= STORM_REPEAT;
}

/* ---- the console tap ------------------------------------------------------------ */

static struct chardev tap, *tap_inner;

/* Lines the timeline waits for, in what the kernel prints. */
static void scan_line(const char *l)
{
    const char *p = strstr(l, "printk: console [");
    if (p && strstr(p, "] enabled")) {
        char note[96];
        snprintf(note, sizeof(note), "real console registered: %.*s", (int)strcspn(p + 16, " "),
                 p + 16);
        diag_event(DIAG_CONSOLE, diag_current_hart, 0, note);
    }
    if (strstr(l, "Freeing initrd memory"))
        diag_event(DIAG_INITRAMFS, diag_current_hart, 0, "initramfs unpacked (Freeing initrd memory)");
    if (strstr(l, "Kernel panic - not syncing"))
        __atomic_store_n(&D.panic_ns, host_monotonic_ns(), __ATOMIC_RELEASE);
    /* Failures the kernel survives, visible on a working console. */
    static const char *const failures[] = {
        "unable to open an initial console", "Initramfs unpacking failed", "Failed to execute",
        "No working init found", "Unable to mount root fs",
    };
    for (size_t i = 0; i < ARRAY_SIZE(failures); i++)
        if (strstr(l, failures[i]))
            __atomic_store_n(&D.failure_seen, 1, __ATOMIC_RELEASE);
}

static void scan_console(const uint8_t *buf, size_t len, bool s_mode)
{
    pthread_mutex_lock(&D.lock);
    for (size_t i = 0; i < len; i++) {
        if (s_mode) {
            if (D.console_len == CONSOLE_KEEP) {  /* keep the newest half */
                memmove(D.console, D.console + CONSOLE_KEEP / 2, CONSOLE_KEEP / 2);
                D.console_len = CONSOLE_KEEP / 2;
            }
            D.console[D.console_len++] = (char)buf[i];
            D.console[D.console_len] = 0;
        }
        if (buf[i] == '\n' || D.line_len == sizeof(D.line) - 1) {
            char line[sizeof(D.line)];
            memcpy(line, D.line, D.line_len);
            line[D.line_len] = 0;
            D.line_len = 0;
            pthread_mutex_unlock(&D.lock);  /* scan_line records events: they take the lock */
            scan_line(line);
            pthread_mutex_lock(&D.lock);
        } else if (buf[i] != '\r') {
            D.line[D.line_len++] = (char)buf[i];
        }
    }
    pthread_mutex_unlock(&D.lock);
}

static void tap_write(void *opaque, const uint8_t *buf, size_t len)
{
    (void)opaque;
    const struct hart *h = diag_current_hart;
    __atomic_store_n(&D.last_output_ns, host_monotonic_ns(), __ATOMIC_RELAXED);
    bool s_mode = h && h->priv != PRIV_M;
    if (h && h->priv == PRIV_S)
        s_output(h, "UART");
    scan_console(buf, len, s_mode);
    tap_inner->write(tap_inner->opaque, buf, len);
}

static size_t tap_read(void *opaque, uint8_t *buf, size_t len)
{
    (void)opaque;
    return tap_inner->read ? tap_inner->read(tap_inner->opaque, buf, len) : 0;
}

struct chardev *diag_console_tap(struct chardev *inner)
{
    tap_inner = inner;
    tap = (struct chardev){ tap_write, tap_read, NULL };
    return &tap;
}

/* ---- start, poll, end -------------------------------------------------------------- */

static void load_sysmap(const char *path);

void diag_start(struct virt *v)
{
    D.v = v;
    D.last_output_ns = host_monotonic_ns();
    if (diag_opts.symbols && !D.sysmap_text)
        load_sysmap(diag_opts.symbols);
    diag_kernel_syms(v);  /* built now, while no hart thread runs */
    char note[160];
    snprintf(note, sizeof(note), "reset: %u hart%s at 0x%llx", v->nharts, v->nharts > 1 ? "s" : "",
             (unsigned long long)v->start_pc[0]);
    diag_event(DIAG_RESET, NULL, v->start_pc[0], note);
    snprintf(note, sizeof(note), "firmware entry at 0x%llx (%s)", (unsigned long long)v->fw_entry,
             v->have_firmware ? v->firmware.path : v->have_kernel ? "-kernel, in M-mode" : "none");
    diag_event(DIAG_FIRMWARE, NULL, v->fw_entry, note);
}

void diag_guest_end(bool reset, int status)
{
    if (D.ended)
        return;
    D.ended = true;
    D.end_reset = reset;
    D.end_status = status;
    char note[64];
    snprintf(note, sizeof(note), reset ? "the guest reset the board" : "the guest powered off "
             "(status %d)", status);
    diag_event(DIAG_END, diag_current_hart, 0, note);
}

void diag_request_report(void)
{
    __atomic_store_n(&D.report_requested, 1, __ATOMIC_RELEASE);
}

static bool is_linux(const struct virt *v)
{
    return v->have_kernel && (v->kernel.kind == IMAGE_VMLINUX || v->kernel.kind == IMAGE_LINUX);
}

/* By default only a Linux boot is watched: a bare-metal program may well
 * compute in silence. -icount: guest time is not host time. */
static unsigned silence_limit(const struct virt *v)
{
    if (diag_opts.silence_s >= 0)
        return (unsigned)diag_opts.silence_s;
    return v->clock.icount || !is_linux(v) ? 0 : 10;
}

/* A boot that has come all the way: a real console and a shell on it. */
static bool boot_healthy(void)
{
    return diag_seen(DIAG_CONSOLE) && diag_seen(DIAG_STDIN_READ) &&
           !__atomic_load_n(&D.panic_ns, __ATOMIC_ACQUIRE) &&
           !__atomic_load_n(&D.failure_seen, __ATOMIC_ACQUIRE);
}

void diag_slice(struct hart *h)
{
    diag_current_hart = h;
    struct pc_samples *s = &D.samples[h->hartid % MAX_HARTS];
    s->pc[s->next] = h->pc;
    s->instret[s->next] = h->instret;
    s->next = (s->next + 1) % PC_SAMPLES;
    s->count += s->count < PC_SAMPLES;
}

bool diag_due(struct virt *v)
{
    uint64_t now = host_monotonic_ns();
    bool asked = __atomic_exchange_n(&D.report_requested, 0, __ATOMIC_ACQ_REL);
    if (!asked && now - D.last_poll_ns < POLL_NS)
        return false;
    D.last_poll_ns = now;
    uint64_t panic = __atomic_load_n(&D.panic_ns, __ATOMIC_ACQUIRE);
    uint64_t last = __atomic_load_n(&D.last_output_ns, __ATOMIC_RELAXED);
    unsigned limit = silence_limit(v);
    if (last > D.last_report_ns || !D.silence_next)
        D.silence_next = limit;  /* the guest spoke again: re-arm */
    D.silence_report = false;
    if (asked) {
        snprintf(D.why, sizeof(D.why), "Ctrl-A d");
    } else if (panic && !D.panic_reported && now - panic > PANIC_GRACE_NS) {
        D.panic_reported = true;
        snprintf(D.why, sizeof(D.why), "kernel panic");
    } else if (limit && !boot_healthy() && now - last >= D.silence_next * 1000000000ULL) {
        /* Again after twice as long: a slow kernel may get further meanwhile. */
        snprintf(D.why, sizeof(D.why), "the guest has printed nothing for %u s", D.silence_next);
        D.silence_next *= 2;
        D.silence_report = true;
    } else {
        return false;
    }
    return true;
}

void diag_report(struct virt *v)
{
    /* A longer silence with nothing new in the kernel log: said already. */
    if (D.silence_report && D.reports && diag_klog_records(v) == D.last_records)
        return;
    diag_report_why(v, D.why);
}

bool diag_boot_failed(const struct virt *v)
{
    if (!is_linux(v))
        return false;
    for (unsigned h = 0; h < v->nharts; h++)
        if (diag_trap_storm(h))
            return true;
    if (__atomic_load_n(&D.panic_ns, __ATOMIC_ACQUIRE) ||
        __atomic_load_n(&D.failure_seen, __ATOMIC_ACQUIRE))
        return true;
    /* "quiet" hides the kernel's console line: user space that ran and
     * powered the machine off with status 0 then did its job. */
    const char *args = diag_bootargs(v);
    bool quiet = args && (strstr(args, "quiet") || strstr(args, "loglevel="));
    if (quiet && diag_seen(DIAG_U_ENTRY) && diag_seen(DIAG_END) && !D.end_reset &&
        D.end_status == 0)
        return false;
    return !diag_seen(DIAG_U_ENTRY) || !diag_seen(DIAG_CONSOLE);
}

/* ---- the summary ----------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void print_json(const struct virt *v, int status)
{
    FILE *f = v->log.out ? v->log.out : stderr;
    fprintf(f, "{\"stages\": [");
    bool first = true;
    for (int k = 0; k < DIAG_KINDS; k++) {
        if (!diag_seen(k))
            continue;
        const struct stage *s = &D.stage[k];
        fprintf(f, "%s{\"stage\": \"%s\", \"host_s\": %.6f, \"guest_s\": %.6f, \"insns\": %llu, "
                "\"hart\": %u, \"pc\": \"0x%llx\", \"note\": ", first ? "" : ", ", stage_name[k],
                (double)s->host_ns / 1e9, (double)s->guest_ns / 1e9,
                (unsigned long long)s->insns, s->hart, (unsigned long long)s->pc);
        json_string(f, s->note);
        fputc('}', f);
        first = false;
    }
    fprintf(f, "], \"missing\": [");
    first = true;
    for (int k = 0; k < DIAG_KINDS; k++) {
        if (diag_seen(k) || !stage_missing[k] || (k == DIAG_INITRAMFS && !v->have_initrd))
            continue;
        fprintf(f, "%s{\"stage\": \"%s\", \"what\": ", first ? "" : ", ", stage_name[k]);
        json_string(f, stage_missing[k]);
        fputc('}', f);
        first = false;
    }
    fprintf(f, "], \"exit_status\": %d, \"boot_failed\": %s}\n", status,
            diag_boot_failed(v) ? "true" : "false");
    fflush(f);
}

static const char *const stage_logged[DIAG_KINDS] = {
    [DIAG_CONSOLE] = "a real console was registered", [DIAG_INITRAMFS] = "initramfs unpacked",
};

/* A stage the console never showed may still be in the kernel log: the
 * kernel got there, but printed it nowhere. */
static bool in_klog(const struct virt *v, int k)
{
    static const char *const pattern[DIAG_KINDS] = {
        [DIAG_CONSOLE] = "] enabled", [DIAG_INITRAMFS] = "Freeing initrd memory",
    };
    static struct klog log;
    static bool read;
    if (!pattern[k])
        return false;
    if (!read) {
        struct kmap km = diag_kernel_map(v);
        uint64_t satp = 0;
        for (unsigned h = 0; h < v->nharts && !satp; h++)
            satp = v->hart[h]->satp >> 60 ? v->hart[h]->satp : 0;
        klog_read(&D.v->bus, satp, &km, diag_kernel_syms(v), &log);
        read = true;
    }
    return log.text && strstr(log.text, pattern[k]) &&
           (k != DIAG_CONSOLE || strstr(log.text, "printk: console ["));
}

static void print_summary(const struct virt *v, int status)
{
    double host = (double)(host_monotonic_ns() - v->clock.host_start_ns) / 1e9;
    diag_print(v, "rivet: boot summary (host time, guest time, instructions of the hart):\n");
    int order[DIAG_KINDS], n = 0;
    for (int k = 0; k < DIAG_KINDS; k++)  /* in the order they came: not always the usual one */
        if (diag_seen(k))
            order[n++] = k;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && D.stage[order[j]].host_ns < D.stage[order[j - 1]].host_ns; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < n; i++)
        print_stage(v, order[i]);
    for (int k = 0; k < DIAG_KINDS; k++)
        if (!diag_seen(k) && stage_missing[k] && !(k == DIAG_INITRAMFS && !v->have_initrd))
            diag_print(v, in_klog(v, k) ? "rivet: boot: log only: %s (in the kernel log, never on "
                       "the console)\n" : "rivet: boot:    never: %s\n",
                       in_klog(v, k) ? stage_logged[k] : stage_missing[k]);
    diag_print(v, "rivet: boot: %8.3fs  rivet exits with status %d\n", host, status);
}

void diag_at_exit(struct virt *v, int status)
{
    if (!D.v)
        return;
    if (log_enabled(&v->log, LOG_BOOT_JSON))
        print_json(v, status);
    else if (log_enabled(&v->log, LOG_BOOT))
        print_summary(v, status);
    if (!diag_boot_failed(v))
        return;
    /* Once is enough, unless the guest said more since (console or log). */
    uint64_t last = __atomic_load_n(&D.last_output_ns, __ATOMIC_RELAXED);
    if (D.reports && last <= D.last_report_ns && diag_klog_records(v) == D.last_records)
        diag_print(v, "rivet: the boot failed; the diagnosis above still applies\n");
    else
        diag_report_why(v, "rivet exits after a failed boot");
}

/* ---- System.map ---------------------------------------------------------------------- */

static int by_addr(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* "ffffffff80002000 T _stext" per line; each symbol runs to the next. */
static void load_sysmap(const char *path)
{
    size_t size;
    uint8_t *text = read_file_or_die("-M virt,symbols", path, &size);
    char *s = realloc(text, size + 1);
    if (!s)
        fatal("-M virt,symbols=%s: out of memory", path);
    s[size] = 0;
    D.sysmap_text = s;
    size_t cap = 1024, n = 0;
    struct symbol *sym = malloc(cap * sizeof(*sym));
    for (char *line = strtok(s, "\n"); line && sym; line = strtok(NULL, "\n")) {
        char *end, type;
        unsigned long long addr = strtoull(line, &end, 16);
        if (end == line || sscanf(end, " %c", &type) != 1 || !strchr("TtDdBbRrWw", type))
            continue;
        char *name = strrchr(line, ' ');
        if (n == cap)
            sym = realloc(sym, (cap *= 2) * sizeof(*sym));
        if (sym && name)
            sym[n++] = (struct symbol){ addr, 0, name + 1 };
    }
    if (!sym || !n)
        fatal("-M virt,symbols=%s: not a System.map (no \"ADDRESS TYPE NAME\" lines)", path);
    qsort(sym, n, sizeof(*sym), by_addr);
    for (size_t i = 0; i + 1 < n; i++)
        sym[i].size = sym[i + 1].addr - sym[i].addr;
    D.sysmap = (struct symtab){ sym, n, NULL };  /* the names stay in `text` */
}
