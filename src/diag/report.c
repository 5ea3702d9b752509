/* The report printed when the guest is silent, panics, fails to boot or the
 * user presses Ctrl-A d: the kernel log out of guest memory, what each hart
 * is doing, and the diagnosis (explain.c). */
#define _GNU_SOURCE
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/diag_int.h"
#include "diag/explain.h"
#include "diag/klog.h"
#include "machine/virt.h"

#define LOG_LINES 30            /* the kernel log's tail that fits one screen */
#define SPIN_BYTES 256          /* pcs that stay within this window: a loop */

void diag_print(const struct virt *v, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    FILE *f = v->log.out ? v->log.out : stderr;
    /* The terminal may be in raw mode while the guest runs: no implicit CR. */
    bool raw = v->console.raw && isatty(fileno(f));
    for (const char *p = buf; *p; p++) {
        if (*p == '\n' && raw)
            fputc('\r', f);
        fputc(*p, f);
    }
    fflush(f);
}

const char *diag_bootargs(const struct virt *v)
{
    if (v->cfg->append)
        return v->cfg->append;
    int chosen = v->fdt ? fdt_path_offset(v->fdt, "/chosen") : -1;
    return chosen >= 0 ? fdt_getprop(v->fdt, chosen, "bootargs", NULL) : NULL;
}

/* The vmlinux's symbols without the ELF mapping symbols ("$x...", which
 * mark code and data, not functions) and local labels. */
static void filter_symbols(const struct symtab *in, struct symtab *out)
{
    out->sym = malloc(in->count * sizeof(*out->sym));
    out->count = 0;
    for (size_t i = 0; out->sym && i < in->count; i++)
        if (in->sym[i].name[0] != '$' && strncmp(in->sym[i].name, ".L", 2))
            out->sym[out->count++] = in->sym[i];
}

const struct symtab *diag_kernel_syms(const struct virt *v)
{
    if (diag_state.sysmap.count)
        return &diag_state.sysmap;
    if (!v->have_kernel || !v->kernel.syms.count)
        return NULL;
    if (!diag_state.ksyms.sym)  /* diag_start's call, before any hart runs */
        filter_symbols(&v->kernel.syms, &diag_state.ksyms);
    return diag_state.ksyms.count ? &diag_state.ksyms : &v->kernel.syms;
}

struct kmap diag_kernel_map(const struct virt *v)
{
    const struct symtab *s = diag_kernel_syms(v);
    struct kmap km = { 0, 0, false };
    if (s && v->have_kernel && (symtab_find(s, "_start", &km.link) || symtab_find(s, "_text", &km.link))) {
        km.load = v->kernel.low;
        km.valid = true;
    }
    return km;
}

const char *diag_symbolize(const struct virt *v, uint64_t pc, char *buf, size_t n)
{
    const struct symtab *s = diag_kernel_syms(v);
    struct kmap km = diag_kernel_map(v);
    const char *r = s ? symtab_describe(s, pc, buf, n) : NULL;
    if (!r && s && km.valid && pc >= v->kernel.low && pc < v->kernel.high)
        r = symtab_describe(s, pc - km.load + km.link, buf, n);  /* the MMU is still off */
    if (!r && v->have_firmware)
        r = symtab_describe(&v->firmware.syms, pc, buf, n);
    return r ? r : "";
}

/* The satp to read kernel memory through: a hart that has its MMU on. */
static uint64_t kernel_satp(const struct virt *v)
{
    for (unsigned h = 0; h < v->nharts; h++)
        if (v->hart[h]->satp >> 60)
            return v->hart[h]->satp;
    return 0;
}

/* ---- the kernel log -------------------------------------------------------------- */

static void print_tail(const struct virt *v, const char *text, size_t len, unsigned lines)
{
    const char *p = text + len;
    if (p > text && p[-1] == '\n')
        p--;
    for (unsigned n = 0; p > text; p--)
        if (p[-1] == '\n' && ++n == lines)
            break;
    while (p < text + len) {
        size_t l = strcspn(p, "\n");
        diag_print(v, "  %.*s\n", (int)l, p);
        p += l + (p[l] == '\n');
    }
}

static void print_klog(const struct virt *v, const struct klog *k)
{
    if (k->text) {
        unsigned total = k->records;
        diag_print(v, "rivet: kernel log (the printk ring buffer in guest memory, %s; %u "
                   "records%s):\n", k->source, total, total > LOG_LINES ? ", the last ones" : "");
        print_tail(v, k->text, k->len, LOG_LINES);
        return;
    }
    diag_print(v, "rivet: kernel log: not read: %s\n", k->error);
    if (diag_state.console_len) {
        diag_print(v, "rivet: what the kernel printed on the console last:\n");
        print_tail(v, diag_state.console, diag_state.console_len, 10);
    }
}

/* ---- the harts ------------------------------------------------------------------- */

static void irq_names(uint64_t bits, char *buf, size_t n)
{
    static const char *const names[] = { [1] = "SSI", [3] = "MSI", [5] = "STI", [7] = "MTI",
                                         [9] = "SEI", [11] = "MEI" };
    size_t len = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
        if ((bits >> i & 1) && names[i] && len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? " " : "", names[i]);
    if (!len)
        snprintf(buf, n, "nothing");
}

static void print_traps(const struct virt *v, unsigned hart)
{
    const struct trap_ring *t = &diag_state.traps[hart];
    unsigned shown = t->total < 3 ? (unsigned)t->total : 3;
    for (unsigned i = 0; i < shown; i++) {
        const struct trap_rec *r = &t->r[(t->next + TRAP_RING - 1 - i) % TRAP_RING];
        char sym[96];
        const char *s = diag_symbolize(v, r->epc, sym, sizeof(sym));
        diag_print(v, "rivet:   trap: %s (cause %llu) at epc 0x%llx%s%s%s, tval 0x%llx, from %c-mode\n",
                   cause_name(r->cause, r->irq), (unsigned long long)r->cause,
                   (unsigned long long)r->epc, *s ? " <" : "", s, *s ? ">" : "",
                   (unsigned long long)r->tval, "US?M"[r->priv & 3]);
    }
}

/* What a running hart does, from the pcs of its last slices: all within a
 * few instructions while it retires more is a loop. */
static const char *activity(const struct hart *h, unsigned i, char *buf, size_t n)
{
    if (h->wfi) {
        char irqs[64];
        uint64_t level = h->priv == PRIV_M ? ~0ULL : (MIP_SSIP | MIP_STIP | MIP_SEIP);
        irq_names(h->mie & level, irqs, sizeof(irqs));
        bool ie = h->mstatus & (h->priv == PRIV_M ? MSTATUS_MIE : MSTATUS_SIE);
        snprintf(buf, n, "in WFI, waiting for %s (%cstatus.%cIE=%d)", irqs,
                 h->priv == PRIV_M ? 'm' : 's', h->priv == PRIV_M ? 'M' : 'S', ie);
        return buf;
    }
    const struct pc_samples *s = &diag_state.samples[i];
    uint64_t lo = h->pc, hi = h->pc;
    for (unsigned k = 0; k < s->count; k++) {
        lo = s->pc[k] < lo ? s->pc[k] : lo;
        hi = s->pc[k] > hi ? s->pc[k] : hi;
    }
    unsigned oldest = (s->next + PC_SAMPLES - s->count) % PC_SAMPLES;
    if (s->count == PC_SAMPLES && h->instret != s->instret[oldest] && hi - lo < SPIN_BYTES)
        snprintf(buf, n, "spinning in a loop (0x%llx-0x%llx)", (unsigned long long)lo,
                 (unsigned long long)hi);
    else
        snprintf(buf, n, "running");
    return buf;
}

static void print_hart(const struct virt *v, unsigned i)
{
    const struct hart *h = v->hart[i];
    char sym[96], what[160];
    const char *s = diag_symbolize(v, h->pc, sym, sizeof(sym));
    const struct trap_ring *t = &diag_state.traps[i];
    if (diag_trap_storm(i)) {
        const struct trap_rec *r = &t->r[(t->next + TRAP_RING - 1) % TRAP_RING];
        snprintf(what, sizeof(what), "trap storm: %s at the same pc %llu times in a row",
                 cause_name(r->cause, false), (unsigned long long)t->repeat);
    } else {
        activity(h, i, what, sizeof(what));
    }
    diag_print(v, "rivet: hart %u: %s%c-mode, pc 0x%llx%s%s%s: %s\n", i, h->virt ? "V" : "",
               "US?M"[h->priv & 3], (unsigned long long)h->pc, *s ? " <" : "", s, *s ? ">" : "",
               what);
    if (diag_trap_storm(i))
        print_traps(v, i);
}

unsigned diag_klog_records(struct virt *v)
{
    struct klog k;
    struct kmap km = diag_kernel_map(v);
    klog_read(&v->bus, kernel_satp(v), &km, diag_kernel_syms(v), &k);
    unsigned n = k.records;
    klog_free(&k);
    return n;
}

/* ---- the report ------------------------------------------------------------------ */

void diag_report_why(struct virt *v, const char *why)
{
    bus_lock(&v->bus);
    if (v->console.out_len)
        console_flush(&v->console);  /* the guest's last words before ours */
    bus_unlock(&v->bus);
    diag_print(v, "\nrivet: ==== guest diagnosis (%s) ====\n", why);
    struct klog k;
    struct kmap km = diag_kernel_map(v);
    bool is_linux = v->have_kernel && (v->kernel.kind == IMAGE_VMLINUX || v->kernel.kind == IMAGE_LINUX);
    if (is_linux) {
        klog_read(&v->bus, kernel_satp(v), &km, diag_kernel_syms(v), &k);
        print_klog(v, &k);
    } else {
        memset(&k, 0, sizeof(k));
    }
    for (unsigned i = 0; i < v->nharts; i++)
        print_hart(v, i);
    diag_explain(v, k.text ? k.text : diag_state.console);
    diag_print(v, "rivet: ==== end of diagnosis ====\n");
    diag_state.last_records = k.records;
    klog_free(&k);
    diag_state.reports++;
    diag_state.last_report_ns = host_monotonic_ns();
}
