/* A block compiler for hot integer code (x86-64 hosts).
 *
 * A block starts at a hot slot and runs the instructions that follow it in
 * the same page, ending at a jump, at an instruction it does not compile,
 * or after JIT_MAX_INSNS; a conditional branch leaves the block only when
 * taken (so a loop body with early exits is one block). Guest registers stay in
 * struct hart; loads and stores use the same software TLBs as the
 * interpreter. A compiled block never takes a trap itself: wherever the
 * fast path does not apply (a TLB miss, a misaligned access, a device),
 * it stops before that instruction and the interpreter carries on, so all
 * the slow paths, traps and interrupts stay in one place.
 *
 * Blocks chain: at a branch whose target is in the same page, a block
 * jumps straight into the next one while h->jit_budget lasts, instead of
 * returning to the interpreter. The jump is direct once the target is
 * compiled (patched in when it is, as QEMU's goto_tb): blocks of one page
 * only link to each other, so when the page's slots are reset (its code
 * was written) the whole group becomes unreachable together. Until then
 * the jump goes through the target's slot. */
#ifndef RIVET_JIT_H
#define RIVET_JIT_H

#include "cpu/decode.h"


#define JIT_MAX_INSNS 64
#define JIT_MAX_BLOCKS 65536
#define JIT_MAX_PENDING 4096  /* chain jumps waiting for their target to be compiled */
#define JIT_PENDING_BITS 10

struct hart;

/* Runs a block entered with h->pc = its entry pc: returns how many
 * instructions retired and leaves the pc to continue at in h->pc. */
typedef uint64_t (*jit_block_fn)(struct hart *h);

struct jit_block {
    jit_block_fn fn;
    /* The entry slot as the interpreter had it (a struct dinsn): run when
     * the block stops before its first instruction. */
    uint8_t entry[16];
};

struct jit {
    bool enabled;
    uint8_t threshold;       /* entries to a slot before it is compiled */
    int32_t entry_handler;   /* the slot handler value that marks a compiled block */
    const void *chain[JIT_MAX_BLOCKS];  /* where a chained jump enters each block */
    uint8_t *code;
    size_t size, used;
    struct jit_block block[JIT_MAX_BLOCKS];
    unsigned nblocks;
    /* Chain jumps waiting for their target to be compiled, hashed by
     * (page, offset) into chains linked by index + 1 (0: none), so that a
     * zeroed struct is empty; removed entries go on a free list. */
    struct jit_pending {
        const void *slots;   /* the page (its slot array) */
        uint32_t target;     /* the target's offset in the page */
        uint32_t site;       /* offset in code of the 10-byte `mov rdx, &slot` to patch */
        uint32_t next;
    } pending[JIT_MAX_PENDING];
    uint32_t pending_head[1u << JIT_PENDING_BITS];
    uint32_t pending_free;
    unsigned npending;       /* entries ever used since the last reset */
    uint64_t compiled, flushes;
};

/* mode: "off", "on" (the default) or "eager" (compile at first entry, for tests). */
bool jit_init(struct jit *j, const char *mode);
void jit_free(struct jit *j);
/* Forget every block (the code cache was flushed). */
void jit_reset(struct jit *j);
/* Compile the block at offset `off` of a code page whose bytes are at
 * `page_host` (guest physical address `page_pa`) and whose slots are
 * `slots` (for chaining). Returns the block index, or -1 if its first
 * instruction cannot be compiled or the buffer is full. */
int jit_compile(struct jit *j, const uint8_t *page_host, uint64_t page_pa, const void *slots,
                unsigned off);

/* -perfmap, as QEMU's: name every compiled block in /tmp/perf-<pid>.map
 * (by its guest physical address) so that `perf report` can attribute host
 * samples to guest code. False if the file cannot be written. */
bool jit_perfmap_open(void);
bool jit_full(const struct jit *j);

/* jit_helpers.c: the instructions blocks run by calling C (division, F/D);
 * false means the instruction traps and the interpreter must run it. */
bool jit_helper(struct hart *h, uint32_t raw, uint32_t op);
bool jit_helper_handles(unsigned op);

#endif
