#define _GNU_SOURCE
/* The machine as the debugger and the monitors see it: run state, stop
 * and resume (through run.c's pause at safe points), single steps, the
 * breakpoint table the harts consult, and QMP's events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/dbg.h"
#include "util/error.h"

static struct debug *the_debug;  /* for the harts' breakpoint hook */

void text_printf(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = (t->len + (size_t)n + 1) * 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            free(s);
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, (size_t)n + 1);
    t->len += (size_t)n;
    free(s);
}

void text_free(struct text *t)
{
    free(t->s);
    *t = (struct text){ 0 };
}

const char *dbg_state_name(enum run_state s)
{
    static const char *const names[] = { "running", "paused", "debug", "prelaunch" };
    return names[s];
}

/* ---- breakpoints ------------------------------------------------------------ */

/* The harts' hook: stop at a breakpoint unless resuming from it. Runs on
 * the harts' threads; the table only changes while they are stopped. */
static bool bp_hook(struct hart *h, uint64_t pc)
{
    struct debug *d = the_debug;
    bool hit = false;
    for (unsigned i = 0; i < d->nbp && !hit; i++)
        hit = d->bp[i] == pc;
    if (!hit)
        return false;
    if (d->skip_pc[h->hartid] == pc) {
        d->skip_pc[h->hartid] = 1;  /* odd: never a pc */
        return false;
    }
    int none = -1;
    __atomic_compare_exchange_n(&d->hit_hart, &none, (int)h->hartid, false,
                                __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
    virt_request_stop(d->v);
    return true;
}

bool dbg_bp_insert(struct debug *d, uint64_t addr)
{
    for (unsigned i = 0; i < d->nbp; i++)
        if (d->bp[i] == addr)
            return true;
    if (d->nbp == MAX_BPS)
        return false;
    d->bp[d->nbp++] = addr;
    return true;
}

bool dbg_bp_remove(struct debug *d, uint64_t addr)
{
    for (unsigned i = 0; i < d->nbp; i++)
        if (d->bp[i] == addr) {
            d->bp[i] = d->bp[--d->nbp];
            return true;
        }
    return false;
}

/* gdb went away: its breakpoints and watchpoints with it. */
void dbg_bp_clear(struct debug *d)
{
    d->nbp = 0;
    d->watch_dirty |= d->nwatch != 0;
    d->nwatch = 0;
}

/* Watchpoints: the harts' slow paths report their accesses here (and
 * ask whether a page may be cached in a TLB: not if watched). */
static bool watch_hook(struct hart *h, uint64_t va, unsigned size, int kind)
{
    struct debug *d = the_debug;
    for (unsigned i = 0; i < d->nwatch; i++) {
        const struct watch *w = &d->watch[i];
        if (va >= w->addr + w->len || w->addr >= va + size)
            continue;
        if (kind == WATCH_PAGE)
            return true;
        if ((kind == WATCH_LOAD && w->type == WATCH_WRITE) || (kind == WATCH_STORE && w->type == WATCH_READ))
            continue;
        int none = -1;
        if (__atomic_compare_exchange_n(&d->hit_hart, &none, (int)h->hartid, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            d->hit_watch = *w;
            d->hit_watch_valid = true;
        }
        __atomic_store_n(&hart_debug_halt, true, __ATOMIC_RELAXED);
        virt_request_stop(d->v);
        return true;
    }
    return false;
}

bool dbg_watch_insert(struct debug *d, uint64_t addr, uint64_t len, enum watch_type type)
{
    if (d->nwatch == MAX_WATCH || !len)
        return false;
    d->watch[d->nwatch++] = (struct watch){ addr, len, type };
    d->watch_dirty = true;
    return true;
}

bool dbg_watch_remove(struct debug *d, uint64_t addr, uint64_t len, enum watch_type type)
{
    for (unsigned i = 0; i < d->nwatch; i++) {
        struct watch *w = &d->watch[i];
        if (w->addr == addr && w->len == len && w->type == type) {
            *w = d->watch[--d->nwatch];
            d->watch_dirty = true;
            return true;
        }
    }
    return false;
}

const struct watch *dbg_watch_hit(struct debug *d)
{
    return d->hit_watch_valid ? &d->hit_watch : NULL;
}

/* A compiled block may run past a breakpoint or store to a watched page
 * without asking: no JIT while there are any. Turning it off drops the
 * blocks (with all decoded code). */
static void set_jit_off(struct debug *d, bool off)
{
    struct virt *v = d->v;
    if (off == d->jit_off)
        return;
    for (unsigned i = 0; i < v->nharts; i++) {
        struct code_cache *cc = v->hart[i]->cc;
        if (off) {
            d->jit_was[i] = cc->jit.enabled;
            code_cache_flush(cc);
        }
        cc->jit.enabled = off ? false : d->jit_was[i];
    }
    d->jit_off = off;
}

static void flush_all_code(struct debug *d)
{
    for (unsigned i = 0; i < d->v->nharts; i++)
        code_cache_flush(d->v->hart[i]->cc);
}

static void apply_watches(struct debug *d)
{
    if (!d->watch_dirty)
        return;
    for (unsigned i = 0; i < d->v->nharts; i++)
        tlb_flush_all(d->v->hart[i]);  /* entries for pages now watched */
    hart_watch = d->nwatch ? watch_hook : NULL;
    d->watch_dirty = false;
}

/* Before the harts run again: mark the breakpoints' page offsets, and
 * flush the decoded code if a slot at a new offset may already exist.
 * Offsets no longer used stay marked (their slots just ask for nothing)
 * until the last breakpoint goes. */
static void apply_bps(struct debug *d)
{
    uint64_t want[BP_WORDS] = { 0 };
    for (unsigned i = 0; i < d->nbp; i++) {
        unsigned idx = (unsigned)(d->bp[i] & 4095) >> 1;
        want[idx / 64] |= 1ULL << (idx % 64);
    }
    bool fresh = false, any = false;
    for (unsigned w = 0; w < BP_WORDS; w++) {
        fresh |= (want[w] & ~d->offsets[w]) != 0;
        any |= want[w] != 0;
    }
    if (fresh) {
        for (unsigned w = 0; w < BP_WORDS; w++)
            d->offsets[w] |= want[w];
        d->offsets_live = true;
        hart_bp_offsets = d->offsets;
    } else if (!any && d->offsets_live) {
        hart_bp_offsets = NULL;
        memset(d->offsets, 0, sizeof(d->offsets));
        d->offsets_live = false;
    }
    bool was_off = d->jit_off;
    set_jit_off(d, d->offsets_live || d->nwatch);
    if (fresh && was_off)
        flush_all_code(d);  /* (set_jit_off flushed already otherwise) */
    apply_watches(d);
    __atomic_store_n(&hart_debug_halt, false, __ATOMIC_RELAXED);
    d->hit_watch_valid = false;
}

/* ---- run state ------------------------------------------------------------------ */

/* The machine has stopped: tell QMP and a waiting gdb. */
static void announce_stop(struct debug *d, enum run_state why)
{
    d->state = why;
    int hit = __atomic_exchange_n(&d->hit_hart, -1, __ATOMIC_ACQ_REL);
    if (d->qmp)
        qmp_event(d->qmp, "STOP", NULL);
    if (d->gdb)
        gdb_stopped(d->gdb, hit);
}

void dbg_stop(struct debug *d, enum run_state why)
{
    if (d->v->vm_stopped)
        return;
    virt_vm_stop(d->v);
    announce_stop(d, why);
}

/* Hold the harts still for a moment (register and memory reads while the
 * guest runs: the reads borrow hart state), without a STOP event. */
bool dbg_hold(struct debug *d)
{
    if (d->v->vm_stopped)
        return false;
    virt_vm_stop(d->v);
    return true;
}

void dbg_release(struct debug *d, bool held)
{
    if (!held)
        return;
    if (__atomic_load_n(&d->hit_hart, __ATOMIC_ACQUIRE) >= 0)
        announce_stop(d, RS_DEBUG);  /* a breakpoint fired meanwhile: stay stopped */
    else
        virt_vm_resume(d->v);
}

void dbg_resume(struct debug *d)
{
    struct virt *v = d->v;
    if (!v->vm_stopped)
        return;
    apply_bps(d);
    for (unsigned i = 0; i < v->nharts; i++)
        d->skip_pc[i] = v->hart[i]->pc;
    d->state = RS_RUNNING;
    if (d->qmp)
        qmp_event(d->qmp, "RESUME", NULL);
    virt_vm_resume(v);
}

void dbg_step(struct debug *d, unsigned i)
{
    struct hart *h = d->v->hart[i];
    apply_bps(d);
    d->skip_pc[i] = h->pc;
    virt_step_hart(d->v, h);
    d->skip_pc[i] = 1;
    __atomic_store_n(&hart_debug_halt, false, __ATOMIC_RELAXED);  /* hit_watch stays, for gdb */
    __atomic_store_n(&d->hit_hart, -1, __ATOMIC_RELEASE);
    __atomic_store_n(&d->v->stop_request, false, __ATOMIC_RELEASE);
}

void dbg_system_reset(struct debug *d)
{
    __atomic_store_n(&d->v->reset_pending, true, __ATOMIC_RELEASE);
    if (d->qmp && !d->reset_announced)
        qmp_event(d->qmp, "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
    d->reset_announced = true;
}

/* rivet's virt board has no power button for the guest to see (as QEMU's
 * riscv virt has none): the request is only announced. */
void dbg_powerdown(struct debug *d)
{
    if (d->qmp)
        qmp_event(d->qmp, "POWERDOWN", NULL);
}

void dbg_quit(struct debug *d)
{
    d->quit_by_host = true;
    d->v->exit_status = 0;
    __atomic_store_n(&d->v->stop, true, __ATOMIC_RELEASE);
}

/* ---- the I/O loop's side -------------------------------------------------------- */

static void check_reset(struct debug *d)
{
    bool pending = __atomic_load_n(&d->v->reset_pending, __ATOMIC_ACQUIRE);
    if (pending && !d->reset_announced && d->qmp)
        qmp_event(d->qmp, "RESET", "{\"guest\": true, \"reason\": \"guest-reset\"}");
    d->reset_announced = pending;
}

void debug_service(struct virt *v)
{
    struct debug *d = v->debug;
    if (!d)
        return;
    if (__atomic_load_n(&v->stop_request, __ATOMIC_ACQUIRE))
        dbg_stop(d, RS_DEBUG);
    virt_hold_clock(v);  /* what the front ends read below sees frozen time */
    check_reset(d);
    if (d->gdb)
        gdb_poll(d->gdb);
    if (d->mon)
        mon_poll(d->mon);
    if (d->qmp)
        qmp_poll(d->qmp);
}

unsigned debug_pollfds(struct virt *v, struct pollfd *p, unsigned max)
{
    struct debug *d = v->debug;
    struct pollfd tmp[DEBUG_MAX_FDS];
    unsigned n = 0;
    if (!d)
        return 0;
    if (d->gdb)
        n += gdb_pollfds(d->gdb, tmp + n);
    if (d->mon)
        n += mon_pollfds(d->mon, tmp + n);
    if (d->qmp)
        n += qmp_pollfds(d->qmp, tmp + n);
    if (n > max)
        n = max;
    memcpy(p, tmp, n * sizeof(*p));
    return n;
}

const char *debug_check_spec(const char *spec, bool stdio_ok)
{
    if (!strcmp(spec, "none"))
        return NULL;
    return chan_check_spec(spec, stdio_ok);
}

static void open_front_ends(struct debug *d, const struct debug_opts *o)
{
    char err[256];
    if (o->gdb && strcmp(o->gdb, "none") && !(d->gdb = gdb_create(d, o->gdb, err, sizeof(err))))
        fatal("-gdb %s: %s", o->gdb, err);
    if (o->monitor && strcmp(o->monitor, "none") && !(d->mon = mon_create(d, o->monitor, err, sizeof(err))))
        fatal("-monitor %s: %s", o->monitor, err);
    if (o->qmp && strcmp(o->qmp, "none") && !(d->qmp = qmp_create(d, o->qmp, err, sizeof(err))))
        fatal("-qmp %s: %s", o->qmp, err);
}

void debug_init(struct virt *v, const struct debug_opts *o)
{
    struct debug *d = calloc(1, sizeof(*d));
    if (!d)
        fatal("out of memory");
    d->v = v;
    d->hit_hart = -1;
    for (unsigned i = 0; i < MAX_HARTS; i++)
        d->skip_pc[i] = 1;
    the_debug = d;
    hart_bp_hook = bp_hook;
    v->debug = d;
    if (o->start_stopped) {
        v->vm_stopped = true;  /* run.c holds the harts before their first step */
        d->state = RS_PRELAUNCH;
    }
    open_front_ends(d, o);
    if (!d->mon && v->console.kind == CONSOLE_MUX_STDIO)
        d->mon = mon_create(d, NULL, NULL, 0);  /* Ctrl-A c */
}

void debug_shutdown(struct virt *v)
{
    struct debug *d = v->debug;
    if (!d)
        return;
    if (d->qmp)
        qmp_event(d->qmp, "SHUTDOWN", d->quit_by_host
                  ? "{\"guest\": false, \"reason\": \"host-qmp-quit\"}"
                  : "{\"guest\": true, \"reason\": \"guest-shutdown\"}");
    if (d->gdb)
        gdb_exiting(d->gdb, v->exit_status);
}
