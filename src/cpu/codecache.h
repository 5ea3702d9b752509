/* The decoded-instruction cache and the state all harts share.
 *
 * Instructions are decoded once per physical 4 KiB page into an array of
 * slots, one per 2-byte offset, filled lazily on first execution. A page
 * whose instructions are cached is flagged on the bus, so stores to it take
 * the slow path and reset its slots (self-modifying code, loaders, DMA). */
#ifndef RIVET_CODECACHE_H
#define RIVET_CODECACHE_H

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

struct code_page {
    uint64_t pa;                        /* physical address of the page */
    struct memory *mem;                 /* RAM or ROM holding it */
    uint16_t lo, hi;                    /* slots [lo, hi) may be decoded */
    struct dinsn slot[CODE_SLOTS + 1];  /* +1: a sentinel, never decoded */
};

struct hart;

struct cpu_shared {
    struct bus *bus;
    struct hart *hart[MAX_HARTS];
    unsigned nharts;
    struct code_page **ram_pages, **rom_pages;
    unsigned live_pages, max_pages;
    uint64_t flushes;      /* whole-cache flushes because it filled up */
    struct jit jit;
};

/* jit_mode: see jit_init. */
bool cpu_shared_init(struct cpu_shared *cs, struct bus *bus, const char *jit_mode);
void cpu_shared_free(struct cpu_shared *cs);
void cpu_shared_add_hart(struct cpu_shared *cs, struct hart *h);

/* The code page for physical page `pa` (allocating it); may flush the whole
 * cache first, so the caller must not hold slot pointers across this. */
struct code_page *code_page_get(struct cpu_shared *cs, struct memory *m, uint64_t pa);
/* Called when a slot of `page` is (re)decoded. */
void code_page_note_decode(struct cpu_shared *cs, struct code_page *page, unsigned slot);
/* Forget every decoded instruction (reset, FENCE.I is not needed for this). */
void code_cache_flush(struct cpu_shared *cs);
/* Bus watcher: stores to pages with cached code. */
void code_cache_notify_write(void *cs, uint64_t pa, unsigned len);

#endif
