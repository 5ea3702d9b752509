#define _GNU_SOURCE
/* Running the board: the harts and the I/O side (timers, host input, HTIF,
 * signals, reset and exit).
 *
 * Two ways, as QEMU's TCG: one host thread per hart (the default with more
 * than one hart), while the main thread does the I/O; or every hart in
 * turn on the main thread, a slice of instructions each, with the I/O in
 * between (one hart, -accel tcg,thread=single, -icount, -d exec). Devices
 * are only touched under the bus's device lock, interrupt lines are atomic
 * bits in each hart's mip, and a hart waiting in WFI sleeps on its own
 * condition variable until an interrupt or its timer wakes it. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debug/debug.h"
#include "diag/diag.h"
#include "machine/virt.h"
#include "util/error.h"

#define SLICE_INSNS 20000            /* instructions between device polls */
#define INPUT_POLL_NS 1000000ULL     /* read host input at most every 1 ms */
#define IDLE_WAKE_NS 100000000L      /* longest sleep without looking at signals */
#define IO_PERIOD_NS 1000000L        /* threaded: the I/O thread's longest sleep */

/* One hart's host thread and what it sleeps on. */
struct hart_thread {
    struct virt *v;
    struct hart *h;
    pthread_t tid;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int parked;                      /* atomic: asleep in WFI, kick to wake */
    int host_tid;                    /* atomic: the thread's id, for the monitor and QMP */
};

/* Stopping every hart at a safe point (reset), QEMU's exclusive section. */
struct hart_runner {
    struct hart_thread thread[MAX_HARTS];
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int pause;                       /* atomic: harts must stop and wait */
    unsigned paused;                 /* how many have stopped (under lock) */
    int quit;                        /* atomic: harts must return */
};

static bool stop_requested(const struct virt *v)
{
    return __atomic_load_n(&v->stop, __ATOMIC_ACQUIRE);
}

/* ---- the I/O side ---------------------------------------------------------- */

/* Timer lines and host input; under the device lock when threaded. */
static void poll_devices(struct virt *v)
{
    if (!v->vm_stopped) {  /* stopped (debugger, monitor): guest time stands still */
        clint_update(&v->clint);
        virt_devices_poll(v);  /* timers, host sockets */
        htif_poll(&v->htif);
    }
    uint64_t now = host_monotonic_ns();
    if (now - v->last_input_poll_ns >= INPUT_POLL_NS || v->console.in_count) {
        v->last_input_poll_ns = now;
        console_poll_input(&v->console);
        uart16550_poll_input(&v->uart);
    }
    if (v->console.out_len)
        console_flush(&v->console);  /* a prompt without a newline */
}

/* Stop for the user or the host: returns true when rivet must end. */
static bool must_end(struct virt *v, volatile sig_atomic_t *host_signal)
{
    if (v->console.quit_requested) {
        v->exit_status = 0;
        return true;
    }
    if (v->console.out_broken) {
        console_restore_terminal(&v->console);
        fprintf(stderr, "rivet: console output closed (%s); exiting\n",
                strerror(v->console.out_errno));
        v->exit_status = 1;
        return true;
    }
    if (*host_signal) {
        console_restore_terminal(&v->console);
        fprintf(stderr, "rivet: terminating on signal %d\n", (int)*host_signal);
        v->exit_status = 0;
        return true;
    }
    return stop_requested(v);
}

/* Guest ns of the next device timer event (CLINT mtimecmp, RTC alarm), or
 * UINT64_MAX; with `sstc`, the harts' Sstc timers too. */
static uint64_t next_deadline_ns(const struct virt *v, bool sstc)
{
    uint64_t t = clint_next_deadline(&v->clint);
    for (unsigned h = 0; sstc && h < v->nharts; h++) {
        uint64_t s = hart_stimecmp_deadline(v->hart[h]);
        if (s != UINT64_MAX) {
            s -= (uint64_t)clint_mtime_delta(&v->clint);  /* guest mtime -> clock mtime */
            if (s < t)
                t = s;
        }
    }
    uint64_t ns = t == UINT64_MAX ? UINT64_MAX : mtime_to_ns(t);
    uint64_t dev = virt_devices_next_deadline(v);
    return dev < ns ? dev : ns;
}

/* Sleep until host input, at most `max_ns` of host time. */
static void wait_input(struct virt *v, uint64_t max_ns)
{
    if (max_ns > v->dev_timeout_ns)  /* a device (slirp) has a timer due */
        max_ns = v->dev_timeout_ns;
    int fd = console_wait_fd(&v->console);
    struct pollfd p[1 + DEBUG_MAX_FDS + VIRT_MAX_DEV_FDS] = { { fd, POLLIN, 0 } };
    nfds_t n = 1 + debug_pollfds(v, &p[1], DEBUG_MAX_FDS);  /* gdb, monitor, QMP */
    memcpy(&p[n], v->dev_fds, v->ndev_fds * sizeof(p[0]));  /* network sockets */
    n += v->ndev_fds;
    struct timespec ts = { (time_t)(max_ns / 1000000000ULL), (long)(max_ns % 1000000000ULL) };
    if (ppoll(p, n, &ts, NULL) > 0)
        v->last_input_poll_ns = 0;  /* input arrived: read it now */
}

static uint64_t wait_until(const struct virt *v, uint64_t deadline, uint64_t cap)
{
    uint64_t now = vclock_ns(&v->clock);
    uint64_t wait = deadline == UINT64_MAX ? cap : deadline > now ? deadline - now : 0;
    return wait < cap ? wait : cap;
}

/* ---- one thread: harts in turn ---------------------------------------------- */

static bool hart_waiting(const struct hart *h)
{
    return h->wfi && !(hart_mip(h) & h->mie);
}

static bool all_waiting(const struct virt *v)
{
    for (unsigned h = 0; h < v->nharts; h++)
        if (!hart_waiting(v->hart[h]))
            return false;
    return true;
}

/* Every hart waits for an interrupt: sleep until the next timer event or
 * host input (real time), or jump straight to the event (-icount). Wake at
 * least every 100 ms even with nothing to wait for, so that a signal that
 * lands between the run loop's check and ppoll is seen. */
static void wait_for_event(struct virt *v)
{
    uint64_t deadline = next_deadline_ns(v, true);
    if (v->clock.icount && deadline != UINT64_MAX) {
        vclock_skip_to(&v->clock, deadline);
        return;
    }
    wait_input(v, wait_until(v, deadline, IDLE_WAKE_NS));
}

static uint64_t slice_length(const struct virt *v)
{
    if (log_enabled(&v->log, LOG_EXEC))
        return 1;
    if (!v->clock.icount)
        return SLICE_INSNS;
    uint64_t deadline = next_deadline_ns(v, true), now = vclock_ns(&v->clock);
    if (deadline == UINT64_MAX || deadline <= now)
        return SLICE_INSNS;
    uint64_t n = (deadline - now + (1ULL << v->clock.shift) - 1) >> v->clock.shift;
    return n < 1 ? 1 : n > SLICE_INSNS ? SLICE_INSNS : n;
}

/* Run one hart for a slice, unless it waits for an interrupt. */
static uint64_t run_slice(struct virt *v, struct hart *h, uint64_t slice)
{
    h->spin_hint = SPIN_NONE;
    diag_slice(h);  /* who prints on the console; pc samples for the diagnosis */
    hart_update_timer(h, clint_mtime(&v->clint));
    if (h->wfi && (hart_mip(h) & h->mie))
        h->wfi = false;
    return h->wfi ? 0 : hart_run(h, slice);
}

/* A debugger's breakpoint asked for the machine to stop (any thread). */
static bool stop_wanted(const struct virt *v)
{
    return __atomic_load_n(&v->stop_request, __ATOMIC_ACQUIRE);
}

static void run_single_thread(struct virt *v, volatile sig_atomic_t *host_signal)
{
    while (!stop_requested(v)) {
        uint64_t slice = slice_length(v);
        for (unsigned h = 0; h < v->nharts && !stop_requested(v) && !v->vm_stopped &&
                             !stop_wanted(v); h++)
            v->clock.insns += run_slice(v, v->hart[h], slice);
        poll_devices(v);
        debug_service(v);
        if (diag_due(v))  /* silence timer, Ctrl-A d, panic */
            diag_report(v);
        if (must_end(v, host_signal))
            break;
        if (v->reset_pending)
            virt_reset(v);
        else if (v->vm_stopped)
            wait_input(v, IDLE_WAKE_NS);
        else if (all_waiting(v))
            wait_for_event(v);
    }
}

/* ---- a thread per hart --------------------------------------------------------- */

static struct hart_thread *thread_of(struct virt *v, const struct hart *h)
{
    return &v->runner->thread[h->hartid];
}

/* An interrupt became pending for h: wake it if it sleeps in WFI. The
 * caller set the mip bit first (sequentially consistent), and park()
 * publishes `parked` before it reads mip, so one of the two sees the other. */
static struct virt *kick_board;

static void kick(struct hart *h)
{
    struct hart_thread *t = thread_of(kick_board, h);
    if (!__atomic_load_n(&t->parked, __ATOMIC_SEQ_CST))
        return;
    pthread_mutex_lock(&t->lock);
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
}

static void kick_all(struct virt *v)
{
    for (unsigned i = 0; i < v->nharts; i++) {
        struct hart_thread *t = &v->runner->thread[i];
        pthread_mutex_lock(&t->lock);
        pthread_cond_signal(&t->wake);
        pthread_mutex_unlock(&t->lock);
    }
}

static bool runner_wants(const struct hart_runner *r)
{
    return __atomic_load_n(&r->pause, __ATOMIC_ACQUIRE) || __atomic_load_n(&r->quit, __ATOMIC_ACQUIRE);
}

static struct timespec abs_host_time(uint64_t guest_ns, const struct virt *v)
{
    uint64_t host = guest_ns == UINT64_MAX ? UINT64_MAX : v->clock.host_start_ns + guest_ns;
    uint64_t cap = host_monotonic_ns() + IDLE_WAKE_NS;
    if (host > cap)
        host = cap;
    return (struct timespec){ (time_t)(host / 1000000000ULL), (long)(host % 1000000000ULL) };
}

/* WFI: sleep until an interrupt is pending, this hart's Sstc timer is due,
 * or the runner wants it (CLINT timers are the I/O thread's: they arrive
 * as interrupts). */
static void park(struct hart_thread *t)
{
    struct hart *h = t->h;
    uint64_t s = hart_stimecmp_deadline(h);
    uint64_t guest_ns = s == UINT64_MAX ? UINT64_MAX
                      : mtime_to_ns(s - (uint64_t)clint_mtime_delta(&t->v->clint));
    struct timespec until = abs_host_time(guest_ns, t->v);
    pthread_mutex_lock(&t->lock);
    __atomic_store_n(&t->parked, 1, __ATOMIC_SEQ_CST);
    while (!(hart_mip(h) & h->mie) && !runner_wants(t->v->runner)) {
        if (pthread_cond_timedwait(&t->wake, &t->lock, &until) == ETIMEDOUT)
            break;
    }
    __atomic_store_n(&t->parked, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&t->lock);
}

/* Stop here while the I/O thread holds every hart (reset). */
static void hold_for_pause(struct hart_runner *r)
{
    pthread_mutex_lock(&r->lock);
    r->paused++;
    pthread_cond_broadcast(&r->changed);
    while (__atomic_load_n(&r->pause, __ATOMIC_ACQUIRE) && !__atomic_load_n(&r->quit, __ATOMIC_ACQUIRE))
        pthread_cond_wait(&r->changed, &r->lock);
    r->paused--;
    pthread_mutex_unlock(&r->lock);
}

/* The hart spins waiting for another: give the host CPU to the others.
 * A WFI that cannot wait (an interrupt is pending with interrupts off)
 * loops with nothing to do but read memory, so it also sleeps a little:
 * WFI may take any time to complete. */
static void ease_spin(struct hart *h)
{
    if (h->spin_hint == SPIN_WFI_BUSY) {
        struct timespec ts = { 0, 50000 };
        nanosleep(&ts, NULL);
    } else {
        sched_yield();
    }
    h->spin_hint = SPIN_NONE;
}

static void *hart_thread_main(void *arg)
{
    struct hart_thread *t = arg;
    struct hart_runner *r = t->v->runner;
    __atomic_store_n(&t->host_tid, (int)gettid(), __ATOMIC_RELEASE);
    while (!__atomic_load_n(&r->quit, __ATOMIC_ACQUIRE)) {
        if (__atomic_load_n(&r->pause, __ATOMIC_ACQUIRE)) {
            hold_for_pause(r);
            continue;
        }
        run_slice(t->v, t->h, SLICE_INSNS);
        if (hart_waiting(t->h) && !runner_wants(r))
            park(t);
        else if (t->h->spin_hint)
            ease_spin(t->h);
    }
    return NULL;
}

/* Bring every hart to a stop at a safe point, and release them again. */
static void pause_harts(struct virt *v)
{
    struct hart_runner *r = v->runner;
    __atomic_store_n(&r->pause, 1, __ATOMIC_RELEASE);
    kick_all(v);
    pthread_mutex_lock(&r->lock);
    while (r->paused < v->nharts)
        pthread_cond_wait(&r->changed, &r->lock);
    pthread_mutex_unlock(&r->lock);
}

static void resume_harts(struct virt *v)
{
    struct hart_runner *r = v->runner;
    pthread_mutex_lock(&r->lock);
    __atomic_store_n(&r->pause, 0, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
}

static void start_threads(struct virt *v)
{
    struct hart_runner *r = v->runner;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->changed, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    for (unsigned i = 0; i < v->nharts; i++) {
        struct hart_thread *t = &r->thread[i];
        *t = (struct hart_thread){ .v = v, .h = v->hart[i] };
        pthread_mutex_init(&t->lock, NULL);
        pthread_cond_init(&t->wake, &ca);
    }
    pthread_condattr_destroy(&ca);
    kick_board = v;
    hart_kick_hook = kick;
    bus_set_threaded(&v->bus, true);
    v->cpus.threaded = true;
    for (unsigned i = 0; i < v->nharts; i++) {
        int err = pthread_create(&r->thread[i].tid, NULL, hart_thread_main, &r->thread[i]);
        if (err)
            fatal("cannot start the thread of hart %u: %s", i, strerror(err));
        r->thread[i].started = true;
    }
}

static void stop_threads(struct virt *v)
{
    struct hart_runner *r = v->runner;
    __atomic_store_n(&r->quit, 1, __ATOMIC_RELEASE);
    pthread_mutex_lock(&r->lock);
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->lock);
    kick_all(v);
    for (unsigned i = 0; i < v->nharts; i++)
        if (r->thread[i].started)
            pthread_join(r->thread[i].tid, NULL);
    hart_kick_hook = NULL;
    bus_set_threaded(&v->bus, false);
}

static void run_threads(struct virt *v, volatile sig_atomic_t *host_signal)
{
    v->runner = calloc(1, sizeof(*v->runner));
    if (!v->runner)
        fatal("out of memory starting the harts");
    if (v->vm_stopped)  /* -S: the harts wait at their first safe point */
        v->runner->pause = 1;
    start_threads(v);
    for (;;) {
        bus_lock(&v->bus);
        poll_devices(v);
        bool end = must_end(v, host_signal);
        uint64_t deadline = next_deadline_ns(v, false);
        bus_unlock(&v->bus);
        if (end)
            break;
        debug_service(v);
        if (diag_due(v)) {  /* the report reads every hart: hold them meanwhile */
            bool hold = !v->vm_stopped;  /* (a stopped machine's are held already) */
            if (hold)
                pause_harts(v);
            diag_report(v);
            if (hold)
                resume_harts(v);
        }
        if (__atomic_load_n(&v->reset_pending, __ATOMIC_ACQUIRE)) {
            pause_harts(v);
            virt_reset(v);
            if (!v->vm_stopped)  /* a stopped machine stays stopped, as QEMU's */
                resume_harts(v);
            continue;
        }
        wait_input(v, v->vm_stopped ? IDLE_WAKE_NS : wait_until(v, deadline, IO_PERIOD_NS));
    }
    stop_threads(v);
    free(v->runner);
    v->runner = NULL;
}

/* ---- stopping the machine (debugger, monitor, QMP) ---------------------------- */

/* Any thread (a hart at a breakpoint): the I/O thread stops the machine
 * soon; with harts on threads they already hold at their next safe point. */
void virt_request_stop(struct virt *v)
{
    __atomic_store_n(&v->stop_request, true, __ATOMIC_RELEASE);
    if (v->runner)
        __atomic_store_n(&v->runner->pause, 1, __ATOMIC_RELEASE);
}

/* I/O thread: every hart at a safe point, guest time frozen. */
void virt_vm_stop(struct virt *v)
{
    __atomic_store_n(&v->stop_request, false, __ATOMIC_RELEASE);
    if (v->vm_stopped)
        return;
    if (v->runner)
        pause_harts(v);
    v->vm_stopped = true;
    v->stopped_at_ns = host_monotonic_ns();
}

/* Guest time takes up again where it stopped (real-time mode). */
static void thaw_clock(struct virt *v)
{
    uint64_t now = host_monotonic_ns();
    if (!v->clock.icount)
        v->clock.host_start_ns += now - v->stopped_at_ns;
    v->stopped_at_ns = now;
}

/* The host thread running hart i (QEMU's thread_id): its own, or the
 * main thread's when the harts run in turn. */
int virt_hart_thread_id(struct virt *v, unsigned i)
{
    int tid = v->runner ? __atomic_load_n(&v->runner->thread[i].host_tid, __ATOMIC_ACQUIRE) : 0;
    return tid ? tid : (int)getpid();
}

/* While stopped: keep guest time where it stopped, so that a debugger
 * reading `time` (or stepping) sees no time pass. */
void virt_hold_clock(struct virt *v)
{
    if (v->vm_stopped)
        thaw_clock(v);
}

void virt_vm_resume(struct virt *v)
{
    if (!v->vm_stopped)
        return;
    thaw_clock(v);
    v->vm_stopped = false;
    if (v->runner)
        resume_harts(v);
}

/* One step of one hart while the machine is stopped, on the I/O thread
 * (the hart's own thread holds at its safe point). */
uint64_t virt_step_hart(struct virt *v, struct hart *h)
{
    thaw_clock(v);
    /* gdb's stepi lands on the next instruction, not in an interrupt
     * handler that became pending meanwhile (QEMU's default, SSTEP_NOIRQ);
     * irq_maybe stays set, so the interrupt is taken when the hart runs. */
    h->irqs_held = true;
    uint64_t n = run_slice(v, h, 1);
    h->irqs_held = false;
    code_cache_set_current(NULL);  /* this thread runs no hart */
    thaw_clock(v);
    return n;
}

/* ---- both --------------------------------------------------------------------- */

static bool use_threads(const struct virt *v)
{
    return v->nharts > 1 && !v->cfg->single_thread && !v->clock.icount &&
           !log_enabled(&v->log, LOG_EXEC);
}

static void print_stats(const struct virt *v)
{
    uint64_t insns = 0, flushes = 0, compiled = 0;
    for (unsigned h = 0; h < v->nharts; h++) {
        insns += v->hart[h]->instret;
        flushes += v->hart[h]->cc->flushes;
        compiled += v->hart[h]->cc->jit.compiled;
    }
    double secs = (double)(host_monotonic_ns() - v->clock.host_start_ns) / 1e9;
    fprintf(stderr, "rivet: %llu instructions in %.3f s (%.1f MIPS), %llu code-cache flushes, "
            "%llu blocks compiled\n", (unsigned long long)insns, secs, (double)insns / secs / 1e6,
            (unsigned long long)flushes, (unsigned long long)compiled);
    for (unsigned h = 0; v->nharts > 1 && h < v->nharts; h++)
        fprintf(stderr, "rivet: hart %u: %llu instructions, pc 0x%llx\n", h,
                (unsigned long long)v->hart[h]->instret, (unsigned long long)v->hart[h]->pc);
}

int virt_run(struct virt *v, volatile sig_atomic_t *host_signal)
{
    diag_start(v);  /* first: a bad -M virt,symbols= file must not leave the terminal raw */
    console_start(&v->console, host_signal);
    if (v->vm_stopped)
        v->stopped_at_ns = host_monotonic_ns();
    if (use_threads(v))
        run_threads(v, host_signal);
    else
        run_single_thread(v, host_signal);
    console_close(&v->console);
    if (getenv("RIVET_STATS"))
        print_stats(v);
    return v->exit_status;
}
