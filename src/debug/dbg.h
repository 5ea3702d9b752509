/* Shared state of the debugger, the monitor and QMP (internal to src/debug). */
#ifndef RIVET_DEBUG_DBG_H
#define RIVET_DEBUG_DBG_H

#include <stdarg.h>

#include "debug/chan.h"
#include "debug/debug.h"
#include "machine/virt.h"

#define MAX_BPS 64
#define MAX_WATCH 16
#define BP_WORDS (2048 / 64)   /* a bit per halfword offset in a page */

/* gdb's Z2 (write), Z3 (read), Z4 (access) */
enum watch_type { WATCH_WRITE = 2, WATCH_READ = 3, WATCH_ACCESS = 4 };

struct watch {
    uint64_t addr, len;
    enum watch_type type;
};

/* Why the machine stands still, as QMP's query-status names it. */
enum run_state { RS_RUNNING, RS_PAUSED, RS_DEBUG, RS_PRELAUNCH };

/* A growing text buffer: monitor output goes to gdb, QMP or a socket. */
struct text {
    char *s;
    size_t len, cap;
};
void text_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_free(struct text *t);

struct debug {
    struct virt *v;
    enum run_state state;
    /* breakpoints (gdb's Z0/Z1): virtual addresses */
    uint64_t bp[MAX_BPS];
    unsigned nbp;
    uint64_t offsets[BP_WORDS];   /* what hart_bp_offsets points to */
    bool offsets_live;
    struct watch watch[MAX_WATCH];
    unsigned nwatch;
    bool watch_dirty;             /* TLBs must forget the watched pages */
    struct watch hit_watch;       /* the watchpoint that stopped the machine */
    bool hit_watch_valid;
    bool jit_off;
    bool jit_was[MAX_HARTS];
    uint64_t skip_pc[MAX_HARTS];  /* resume from here without stopping */
    int hit_hart;                 /* atomic: the hart that hit a breakpoint, or -1 */
    bool phys_mode;               /* Qqemu.PhyMemMode:1 */
    unsigned mon_cpu;             /* the monitor's current hart (its `cpu N`) */
    bool reset_announced;
    bool quit_by_host;
    struct gdb *gdb;
    struct mon *mon;
    struct qmp *qmp;
};

/* debug.c: the machine's state, for all three front ends. */
void dbg_stop(struct debug *d, enum run_state why);
void dbg_resume(struct debug *d);
/* Around reads of hart state while the guest may run: returns whether the
 * harts were held, for dbg_release. */
bool dbg_hold(struct debug *d);
void dbg_release(struct debug *d, bool held);
/* Step hart i by one instruction (the machine stays stopped). */
void dbg_step(struct debug *d, unsigned i);
bool dbg_bp_insert(struct debug *d, uint64_t addr);
bool dbg_bp_remove(struct debug *d, uint64_t addr);
void dbg_bp_clear(struct debug *d);
bool dbg_watch_insert(struct debug *d, uint64_t addr, uint64_t len, enum watch_type type);
bool dbg_watch_remove(struct debug *d, uint64_t addr, uint64_t len, enum watch_type type);
/* The watchpoint that stopped the machine (last stop or step), or NULL. */
const struct watch *dbg_watch_hit(struct debug *d);
void dbg_system_reset(struct debug *d);
void dbg_powerdown(struct debug *d);
void dbg_quit(struct debug *d);
const char *dbg_state_name(enum run_state s);

/* gdbstub.c */
struct gdb *gdb_create(struct debug *d, const char *spec, char *err, size_t n);
void gdb_destroy(struct gdb *g);
unsigned gdb_pollfds(struct gdb *g, struct pollfd *p);
void gdb_poll(struct gdb *g);
/* The machine stopped (hart `hart` hit a breakpoint, or -1: something else). */
void gdb_stopped(struct gdb *g, int hart);
void gdb_exiting(struct gdb *g, int status);

/* monitor.c: run one command line, output into `out`. */
void mon_exec(struct debug *d, const char *line, struct text *out);
struct mon *mon_create(struct debug *d, const char *spec, char *err, size_t n);
unsigned mon_pollfds(struct mon *m, struct pollfd *p);
void mon_poll(struct mon *m);
/* The console's Ctrl-A c side: a byte typed while the monitor has it. */
void mon_console_byte(void *opaque, uint8_t b);

/* qmp.c */
struct qmp *qmp_create(struct debug *d, const char *spec, char *err, size_t n);
unsigned qmp_pollfds(struct qmp *q, struct pollfd *p);
void qmp_poll(struct qmp *q);
/* An event; `data` is a JSON object's text or NULL. */
void qmp_event(struct qmp *q, const char *name, const char *data);

#endif
