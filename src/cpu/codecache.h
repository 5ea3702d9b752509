/* The decoded-instruction caches and the state the harts share.
 *
 * Each hart has its own code cache: instructions are decoded once per
 * physical 4 KiB page into an array of slots, one per 2-byte offset, filled
 * lazily on first execution, and hot blocks are compiled into the hart's
 * own JIT buffer. Only the owning hart reads or changes its cache, so no
 * hart can ever run slots or blocks another thread is rewriting or freeing.
 *
 * The bus keeps, per page, the set of harts with code there. Every store
 * to such a page reaches code_cache_notify_write (the store fast paths
 * check the set): the storing hart drops its own copy at once; other harts
 * get the page posted to their inbox and drop it at their next safe point
 * (a slice boundary or FENCE.I), which is all RISC-V asks: a hart need only
 * see new code after its own FENCE.I. */
#ifndef RIVET_CODECACHE_H
#define RIVET_CODECACHE_H

#include <pthread.h>

#include "cpu/decode.h"
#include "cpu/jit.h"
#include "mem/bus.h"

#define CODE_SLOTS 2048

/* An instruction in the interpreter's form, 16 bytes: where its handler
 * is, and its operands. A zeroed slot runs the decode handler, so new and
 * invalidated pages need no initialisation. */
struct dinsn {
    int32_t handler;  /* handler address minus the decode handler's */
    int32_t imm;      /* immediate; CSR number for Zicsr; shift amount */
    uint8_t rd, rs1, rs2;
    uint8_t heat;     /* entries by jumps, to find blocks worth compiling */
    uint32_t raw;     /* instruction bits: mtval for illegal instruction, FP rm, rs3 */
};
_Static_assert(sizeof(struct dinsn) == 16, "the JIT indexes slots as 16-byte entries");

struct code_page {
    uint64_t pa;                        /* physical address of the page */
    struct memory *mem;                 /* RAM or ROM holding it */
    uint16_t lo, hi;                    /* slots [lo, hi) may be decoded */
    struct dinsn slot[CODE_SLOTS + 1];  /* +1: a sentinel, never decoded */
};

#define CODE_INBOX_MAX 64   /* posted pages; more than this: drop everything */
#define CODE_YOUNG_MAX 64   /* pages first decoded since the last FENCE.I */

struct cpu_shared;

struct hart;

struct code_cache {
    struct cpu_shared *cs;
    struct hart *owner;                 /* its fetch TLB points into the pages */
    uint64_t hart_bit;                  /* this hart's bit in memory.code_harts */
    struct code_page **ram_pages, **rom_pages;
    /* Pages come from one reserved, lazily committed arena: a page's 32 KiB
     * of slots costs host memory only where slots were decoded, and a flush
     * hands everything back at once. */
    struct code_page *arena;
    unsigned live_pages, max_pages;
    uint64_t flushes;      /* whole-cache flushes because it filled up */
    /* Pages whose first decode may have raced with another hart's store
     * (x86 lets a store sit in its buffer past our check): FENCE.I
     * re-decodes them. Only needed when harts run on threads. */
    uint64_t young[CODE_YOUNG_MAX];
    unsigned nyoung;
    bool young_overflow;
    /* Pages other threads wrote to, posted for this hart to drop. */
    pthread_mutex_t inbox_lock;
    int inbox_pending;                  /* atomic: the inbox is not empty */
    uint64_t inbox[CODE_INBOX_MAX];
    unsigned ninbox;
    bool inbox_overflow;
    struct jit jit;
};

struct cpu_shared {
    struct bus *bus;
    const char *jit_mode;
    bool threaded;                      /* harts run on several host threads */
    struct code_cache *cache[MAX_HARTS];
    unsigned ncaches;
};

/* jit_mode: see jit_init. */
bool cpu_shared_init(struct cpu_shared *cs, struct bus *bus, const char *jit_mode);
void cpu_shared_free(struct cpu_shared *cs);
/* A new, empty cache for the next hart; NULL when out of memory. */
struct code_cache *code_cache_create(struct cpu_shared *cs, struct hart *owner);

/* The hart whose thread this is runs with this cache (NULL: none, e.g. a
 * device on the I/O thread): its own stores drop its own code at once. */
void code_cache_set_current(struct code_cache *cc);

/* The code page for physical page `pa` (allocating it); may flush the whole
 * cache first, so the caller must not hold slot pointers across this. */
struct code_page *code_page_get(struct code_cache *cc, struct memory *m, uint64_t pa);
/* Called when a slot of `page` is (re)decoded. */
void code_page_note_decode(struct code_cache *cc, struct code_page *page, unsigned slot);
/* Forget every decoded instruction and compiled block of this cache. */
void code_cache_flush(struct code_cache *cc);
/* A safe point of the owning hart: drop the pages others posted. */
static inline bool code_cache_has_mail(struct code_cache *cc)
{
    return __atomic_load_n(&cc->inbox_pending, __ATOMIC_ACQUIRE) != 0;
}
void code_cache_read_mail(struct code_cache *cc);
/* FENCE.I: afterwards the hart sees every store made before it. */
void code_cache_fence_i(struct code_cache *cc);
/* Bus watcher: a store to pages with cached code. */
void code_cache_notify_write(void *cs, uint64_t pa, unsigned len);

#endif
