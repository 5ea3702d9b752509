/* The interpreter: pre-decoded slots dispatched with computed goto.
 *
 * The slot pointer d lives in a local and the pc is derived from it only
 * when an instruction needs it (PC), so sequential flow is just a step
 * through the page's slot array (a sentinel slot ends it). Each
 * handler knows its instruction length as the constant LEN: compressed
 * instructions run a second copy of their 32-bit equivalent's handler (see
 * CTARGET in insn.def). Jumps within the page index the array directly,
 * anything else goes through the fetch TLB.
 * Memory accesses try the software TLB inline and fall back to mmu.c.
 * Everything that can change privilege, translation or interrupt state
 * leaves the fast path through `sync`, which re-evaluates interrupts and
 * looks the next instruction up afresh. */
#include <stdio.h>
#include <string.h>

#include "cpu/codecache.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/jit.h"

#define INSN_PAUSE 0x0100000fu  /* fence w, 0 */
#define X(r) h->x[r]
#define F(r) h->f[r]
#define RD  (d->rd)
#define RS1 (d->rs1)
#define RS2 (d->rs2)
#define RS3 ((d->raw >> 27) & 31)
#define IMM ((int64_t)d->imm)

/* Slots hold handler addresses relative to L_UNDECODED, so that a zeroed
 * slot decodes itself. */
#define DISPATCH() goto *(const void *)((const char *)&&L_UNDECODED + d->handler)

/* The guest pc of the current slot: slots are 2 bytes of code apart. */
#define PC (pc_base + (((uintptr_t)d - slot_base) >> 3))

/* Retire the current instruction and run the next one in sequence. */
#define NEXT() do {                                     \
        d += LEN / 2;                                   \
        if (unlikely(--left <= 0))                      \
            goto out;                                   \
        DISPATCH();                                     \
    } while (0)

/* Retire the current instruction, continuing at `target`. */
#define JUMP(target) do {                               \
        uint64_t _t = (target);                         \
        pc = _t;                                        \
        if (unlikely(--left <= 0))                      \
            goto out_pc;                                \
        if (likely((_t & ~4095ULL) == page_va)) {       \
            d = &page->slot[(_t & 4095) >> 1];          \
            ENTER();                                    \
        }                                               \
        goto lookup;                                    \
    } while (0)

/* Dispatch a slot reached by a jump, counting entries to find hot blocks. */
#define ENTER() do {                                    \
        if (unlikely(++((struct dinsn *)d)->heat == jit_threshold)) \
            goto jit_hot;                               \
        DISPATCH();                                     \
    } while (0)

/* Retire the current instruction and leave the fast path. */
#define SYNC_NEXT() do { pc = PC + LEN; left--; goto sync; } while (0)

#define EXCEPTION(cause, tval) do { h->pc = PC; raise_exc(h, cause, tval); goto exception; } while (0)
#define ILLEGAL() EXCEPTION(CAUSE_ILLEGAL, d->raw)
/* An instruction HS could run but VS or VU may not: the hypervisor decides. */
#define VIRTUAL_INSN() EXCEPTION(CAUSE_VIRTUAL_INSN, d->raw)
/* Illegal from U, or the virtual-instruction exception from VU. */
#define U_REFUSES() do { if (h->virt) VIRTUAL_INSN(); ILLEGAL(); } while (0)

/* Run tmp[0] (decoded outside the cache) for the instruction at pc; the
 * zeroed slots after it lead back to lookup. */
#define RUN_TMP() do {                                                  \
        page_va = 1;                                                    \
        pc_base = pc & ~4095ULL;                                        \
        slot_base = (uintptr_t)tmp - ((pc & 4095) >> 1) * sizeof(struct dinsn); \
        d = tmp;                                                        \
        DISPATCH();                                                     \
    } while (0)

/* A handler for an op that compressed instructions also expand to: the
 * same body twice, for 4- and 2-byte instructions. */
#define HC(name, ...)                                   \
    L_##name: { __VA_ARGS__ }                           \
    L_##name##_c: { enum { LEN = 2 }; __VA_ARGS__ }

#define TLB_INDEX(a) (((a) >> 12) & (TLB_SIZE - 1))
#define TLB_MATCH(e, a, size) ((e)->tag == ((a) & (~4095ULL | ((size) - 1))))

#define LOAD(size, addr, out) do {                                      \
        uint64_t _a = (addr);                                           \
        const struct tlb_entry *_e = &h->ld_tlb[TLB_INDEX(_a)];         \
        if (likely(TLB_MATCH(_e, _a, size))) {                          \
            out = guest_ld((const void *)(_e->addend + _a), size);      \
        } else {                                                        \
            h->pc = PC;                                                 \
            h->insn = d->raw;                                           \
            if (!mmu_load_slow(h, _a, size, &out))                      \
                goto exception;                                         \
        }                                                               \
    } while (0)

/* A slow store may have hit a device or rewritten this very page's code,
 * so it leaves through sync (d may no longer be valid). Stores to pages
 * with decoded code (of any hart) take the slow path, which tells the
 * code caches. */
#define STORE(size, addr, value) do {                                   \
        uint64_t _a = (addr), _v = (value);                             \
        const struct tlb_entry *_e = &h->st_tlb[TLB_INDEX(_a)];         \
        if (likely(TLB_MATCH(_e, _a, size) &&                           \
                   !host_page_has_code(h, _e->addend + _a))) {          \
            guest_st((void *)(_e->addend + _a), size, _v);              \
        } else {                                                        \
            h->pc = PC;                                                 \
            h->insn = d->raw;                                           \
            if (!mmu_store_slow(h, _a, size, _v))                       \
                goto exception;                                         \
            pc = h->pc + LEN;                                           \
            left--;                                                     \
            goto sync;                                                  \
        }                                                               \
    } while (0)

#define FP_ENABLED() do { if (unlikely(h->fs_off)) ILLEGAL(); } while (0)
#define FP_DIRTY() do {                                                 \
        h->mstatus |= MSTATUS_FS | MSTATUS_SD;                          \
        if (unlikely(h->virt))                                          \
            h->vsstatus |= MSTATUS_FS | MSTATUS_SD;                     \
    } while (0)
/* The rounding mode of this instruction, or illegal instruction. */
#define FP_RM() ({                                                      \
        unsigned _f = (d->raw >> 12) & 7, _rm = _f == 7 ? h->frm : _f;    \
        if (_rm > 4)                                                    \
            ILLEGAL();                                                  \
        _rm;                                                            \
    })

#define FP_ARITH(op, dbl) do {                                          \
        FP_ENABLED();                                                   \
        unsigned _rm = FP_RM();                                         \
        F(RD) = fp_arith(h, op, dbl, _rm, F(RS1), F(RS2), F(RS3));      \
        FP_DIRTY();                                                     \
        NEXT();                                                         \
    } while (0)

/* The slow path may reset this page's slots (an AMO on a code page), so
 * rd is read before it. The read-modify-write is one host compare-and-swap
 * loop, so that an AMO is atomic against every other hart's accesses. */
#define AMO(size, expr) do {                                            \
        uint8_t *_p;                                                    \
        uint64_t _pa;                                                   \
        unsigned _rd = RD;                                              \
        h->pc = PC;                                                     \
        h->insn = d->raw;                                               \
        if (!amo_host_ptr(h, X(RS1), size, &_p, &_pa))                  \
            goto exception;                                             \
        uint64_t src = X(RS2), old;                                     \
        if ((size) == 4) {                                              \
            uint32_t *_w = (uint32_t *)(void *)_p, _o = __atomic_load_n(_w, __ATOMIC_RELAXED); \
            do {                                                        \
                old = (uint64_t)(int64_t)(int32_t)_o;                   \
            } while (!__atomic_compare_exchange_n(_w, &_o, (uint32_t)(expr), true, \
                                                  __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)); \
        } else {                                                        \
            uint64_t *_w = (uint64_t *)(void *)_p;                      \
            old = __atomic_load_n(_w, __ATOMIC_RELAXED);                \
            while (!__atomic_compare_exchange_n(_w, &old, (expr), true, \
                                                __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) \
                ;                                                       \
        }                                                               \
        if (_pa != AMO_FAST)                                            \
            bus_ram_written(h->bus, _pa, size);                         \
        X(_rd) = old;                                                   \
        pc = h->pc + LEN;                                               \
        left--;                                                         \
        goto sync;                                                      \
    } while (0)

/* The 128-bit carry-less product; clmul, clmulh and clmulr are views of it. */
static unsigned __int128 clmul128(uint64_t a, uint64_t b)
{
    unsigned __int128 r = 0;
    for (unsigned i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= (unsigned __int128)a << i;
    return r;
}

static uint64_t orc_b(uint64_t v)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += 8)
        if ((v >> i) & 0xff)
            r |= 0xffULL << i;
    return r;
}

static uint64_t rotl64(uint64_t v, unsigned s) { s &= 63; return s ? (v << s) | (v >> (64 - s)) : v; }
static uint64_t rotr64(uint64_t v, unsigned s) { s &= 63; return s ? (v >> s) | (v << (64 - s)) : v; }
static uint32_t rotl32(uint32_t v, unsigned s) { s &= 31; return s ? (v << s) | (v >> (32 - s)) : v; }
static uint32_t rotr32(uint32_t v, unsigned s) { s &= 31; return s ? (v >> s) | (v << (32 - s)) : v; }
static int64_t sx32(uint64_t v) { return (int64_t)(int32_t)v; }

#define AMO_FAST UINT64_MAX

/* An exception of a data access at va (LR/SC and AMO checks). */
static bool data_fault(struct hart *h, uint64_t cause, uint64_t va)
{
    raise_exc(h, cause, va);
    h->exc.gva = data_virt(h);
    return false;
}

/* Host pointer for an aligned SC or AMO at va: from the store TLB, which
 * proves the page writable RAM, when it holds the page and the page holds
 * no code (*pa = AMO_FAST); else translated, faulting as a store would,
 * with *pa the physical address to tell the code caches about after the
 * write and *p NULL if that is not writable RAM. */
static bool store_host_ptr(struct hart *h, uint64_t va, unsigned size, uint8_t **p, uint64_t *pa)
{
    const struct tlb_entry *e = &h->st_tlb[TLB_INDEX(va)];
    if (likely(TLB_MATCH(e, va, size) && !host_page_has_code(h, e->addend + va))) {
        *p = (uint8_t *)(e->addend + va);
        *pa = AMO_FAST;
        return true;
    }
    return mmu_atomic_ptr(h, va, size, ACC_STORE, p, pa);  /* (fills the store TLB) */
}

/* Host pointer for an AMO: it must be aligned, readable and writable RAM. */
static bool amo_host_ptr(struct hart *h, uint64_t va, unsigned size, uint8_t **p, uint64_t *pa)
{
    if (va & (size - 1))
        return data_fault(h, CAUSE_MISALIGNED_STORE, va);
    if (!store_host_ptr(h, va, size, p, pa))
        return false;
    if (!*p || (*pa != AMO_FAST && !pmp_check(h, *pa, size, ACC_LOAD, data_priv(h))))
        return data_fault(h, CAUSE_STORE_ACCESS, va);
    return true;
}

/* LR and SC name the reserved location by its host address, so that both
 * find it through the TLBs and walk only on a miss: Linux runs them by the
 * hundred thousand (every cmpxchg). A store or AMO by this hart between
 * them leaves the reservation as it is, as on QEMU: the spec requires an
 * SC to fail after other harts' stores, and the SC's compare-and-swap
 * against what the LR read sees those, and this hart's unless they stored
 * that same value. */
static bool load_reserved(struct hart *h, uint64_t va, unsigned size, uint64_t *value)
{
    if (va & (size - 1))
        return data_fault(h, CAUSE_MISALIGNED_LOAD, va);
    const struct tlb_entry *e = &h->ld_tlb[TLB_INDEX(va)];
    const uint8_t *p = (const uint8_t *)(e->addend + va);
    if (unlikely(!TLB_MATCH(e, va, size))) {
        uint64_t pa;
        uint8_t *q;
        if (!mmu_atomic_ptr(h, va, size, ACC_LOAD, &q, &pa))
            return false;
        if (!q)
            return data_fault(h, CAUSE_LOAD_ACCESS, va);
        p = q;
    }
    *value = guest_ld(p, size);
    h->resv_valid = true;
    h->resv_host = (uintptr_t)p;
    h->resv_value = *value;
    return true;
}

/* Returns false on an exception; *failed is the value SC writes to rd. */
static bool store_conditional(struct hart *h, uint64_t va, unsigned size, uint64_t value,
                              uint64_t *failed)
{
    if (va & (size - 1))
        return data_fault(h, CAUSE_MISALIGNED_STORE, va);
    uint8_t *p;
    uint64_t pa;
    if (!store_host_ptr(h, va, size, &p, &pa))
        return false;
    /* Only writable RAM can be stored to: an SC to the MROM fails rather
     * than claim a store that was dropped (p is NULL). */
    bool held = h->resv_valid && p && (uintptr_t)p == h->resv_host;
    h->resv_valid = false;
    *failed = true;
    if (!held)
        return true;
    /* As on QEMU: the SC succeeds if the location still holds what the LR
     * read, checked and written in one host compare-and-swap, so a store
     * by any other hart in between makes it fail (ABA aside, which RVWMO's
     * forward-progress rules allow). */
    if (size == 4) {
        uint32_t expect = (uint32_t)h->resv_value;
        *failed = !__atomic_compare_exchange_n((uint32_t *)(void *)p, &expect, (uint32_t)value,
                                               false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
    } else {
        uint64_t expect = h->resv_value;
        *failed = !__atomic_compare_exchange_n((uint64_t *)(void *)p, &expect, value,
                                               false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
    }
    if (!*failed && pa != AMO_FAST)
        bus_ram_written(h->bus, pa, size);
    return true;
}

static void fill_slot(struct dinsn *slot, const struct decoded *dec, const void *const *labels,
                      const void *base)
{
    slot->handler = (int32_t)((const char *)labels[dec->op] - (const char *)base);
    slot->imm = dec->imm;
    slot->rd = dec->rd;
    slot->rs1 = dec->rs1;
    slot->rs2 = dec->rs2;
    slot->raw = dec->raw;
}

static void log_exec(struct hart *h)
{
    uint32_t lo = 0, hi = 0;
    struct exception saved = h->exc;
    if (mmu_fetch16(h, h->pc, &lo) && (lo & 3) == 3)
        mmu_fetch16(h, h->pc + 2, &hi);
    h->exc = saved;
    char buf[96];
    log_msg(h->log, LOG_EXEC, "%c 0x%016llx: %s\n", "US?M"[h->priv],
            (unsigned long long)h->pc, disasm_insn(buf, sizeof(buf), lo | hi << 16, h->pc));
}

static void log_decode(struct hart *h, uint64_t pc, uint32_t raw)
{
    char buf[96];
    log_msg(h->log, LOG_IN_ASM, "0x%016llx:  %0*x  %s\n", (unsigned long long)pc,
            (raw & 3) == 3 ? 8 : 4, raw, disasm_insn(buf, sizeof(buf), raw, pc));
}

/* Decode the instruction at pc into its slot of `page`. Returns false for
 * a 32-bit instruction that straddles the page end: the slot then sends it
 * to the uncached path every time. */
static bool decode_slot(struct hart *h, struct code_page *page, struct dinsn *slot, uint64_t pc,
                        const void *const *labels, const void *base)
{
    unsigned off = pc & 4095;
    const uint8_t *host = memory_ptr(page->mem, page->pa + off);
    /* Other harts may be rewriting this code: read it as they write it,
     * in whole halfwords (instructions are 2-byte aligned). */
    uint32_t raw = (uint32_t)guest_ld(host, 2);
    code_page_note_decode(h->cc, page, off >> 1);
    if ((raw & 3) == 3) {
        if (off == 4094) {
            slot->handler = (int32_t)((const char *)labels[OP_CROSS_PAGE] - (const char *)base);
            return false;
        }
        raw |= (uint32_t)guest_ld(host + 2, 2) << 16;
    }
    struct decoded dec;
    decode_insn(raw, &dec);
    fill_slot(slot, &dec, labels, base);
    if (log_enabled(h->log, LOG_IN_ASM))
        log_decode(h, pc, raw);
    return true;
}

const uint64_t *volatile hart_bp_offsets;
bool (*hart_bp_hook)(struct hart *h, uint64_t pc);
volatile bool hart_debug_halt;

uint64_t hart_run(struct hart *h, uint64_t budget)
{
    static const void *const labels[OP_COUNT] = {
        [OP_UNDECODED] = &&L_UNDECODED, [OP_ILLEGAL] = &&L_ILLEGAL,
        [OP_CROSS_PAGE] = &&L_CROSS_PAGE,
#define INSN(n, mask, match, fmt, args, ext) [OP_##n] = &&L_##n,
#define CINSN(n, mask, match, cfmt, target, ext)
#define CTARGET(n) [OP_##n##_c] = &&L_##n##_c,
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#undef CTARGET
    };
    enum { LEN = 4 };  /* handlers of compressed variants redefine it */
    int64_t left = (int64_t)budget, counted = (int64_t)budget;
    uint64_t pc = h->pc;           /* valid at lookup, sync and out_pc only */
    uint64_t page_va = 1;          /* page of d for direct jumps; 1: none */
    uint64_t pc_base = 0;          /* guest address of slot_base */
    uintptr_t slot_base = 0;
    struct code_page *page = NULL;
    const struct dinsn *d = NULL;
    struct dinsn tmp[3];  /* one instruction decoded outside the cache */
    struct decoded dec;
    struct jit *jit = &h->cc->jit;
    /* uint8_t heat never reaches 256: the JIT is off. */
    const unsigned jit_threshold = jit->enabled ? jit->threshold : 256;

    if (log_enabled(h->log, LOG_EXEC) && left > 0) {
        log_exec(h);
        left = counted = 1;
        budget = 1;
    }
    /* A safe point: no slot of this hart's cache is in use. */
    code_cache_set_current(h->cc);
    if (code_cache_has_mail(h->cc))
        code_cache_read_mail(h->cc);
    if (unlikely(h->trig_resync))
        trigger_resync(h);
    goto sync;

sync:
    /* (a plain load first: the locked exchange costs 20-odd cycles on
     * every block return, and the flag is almost always clear) */
    if (!h->irqs_held && __atomic_load_n(&h->irq_maybe, __ATOMIC_RELAXED) &&
        __atomic_exchange_n(&h->irq_maybe, false, __ATOMIC_ACQ_REL)) {
        h->pc = pc;
        if (hart_check_interrupts(h))
            pc = h->pc;
    }
    /* halt: a watchpoint hit; trig_resync: triggers changed, drop the code */
    if (left <= 0 || h->wfi || unlikely(__atomic_load_n(&hart_debug_halt, __ATOMIC_RELAXED)) || unlikely(h->trig_resync))
        goto out_pc;
    goto lookup;

lookup: {
        const struct fetch_entry *fe = &h->fetch_tlb[TLB_INDEX(pc)];
        if (likely(fe->tag == (pc & ~4095ULL))) {
            page = fe->page;
        } else {
            uint64_t pa;
            h->pc = pc;
            if (!mmu_fetch_page(h, pc, &page, &pa))
                goto exception;
            if (!page)
                goto decode_uncached;
        }
        page_va = pc_base = pc & ~4095ULL;
        slot_base = (uintptr_t)page->slot;
        d = &page->slot[(pc & 4095) >> 1];
        ENTER();
    }

decode_uncached: {
        /* Straddling two pages, or in a page PMP splits: fetch through the
         * MMU every time and run from a private slot. */
        uint32_t lo, hi = 0;
        h->pc = pc;
        if (!mmu_fetch16(h, pc, &lo))
            goto exception;
        if ((lo & 3) == 3 && !mmu_fetch16(h, pc + 2, &hi))
            goto exception;
        dec.raw = lo | hi << 16;
        goto run_uncached;
    }

run_uncached: {  /* dec.raw: one instruction fetched outside the cache */
        decode_insn(dec.raw, &dec);
        fill_slot(&tmp[0], &dec, labels, &&L_UNDECODED);
        memset(&tmp[1], 0, 2 * sizeof(tmp[1]));  /* undecoded: back to lookup */
        if (log_enabled(h->log, LOG_IN_ASM))
            log_decode(h, pc, dec.raw);
        RUN_TMP();
    }

jit_hot: {
        /* A slot entered jit_threshold times: compile the block it starts. */
        struct dinsn *slot = (struct dinsn *)d;
        const int32_t jit_entry = (int32_t)((const char *)&&L_JIT - (const char *)&&L_UNDECODED);
        if (page_va == 1 || slot->handler == jit_entry || unlikely(h->trig_exec | h->trig_data))
            DISPATCH();  /* (blocks do not check triggers) */
        pc = PC;
        if (slot->handler == 0 && !decode_slot(h, page, slot, pc, labels, &&L_UNDECODED))
            DISPATCH();  /* straddles the page end: never compiled */
        if (jit_full(jit)) {
            code_cache_flush(h->cc);  /* frees this page too: start over */
            goto lookup;
        }
        jit->entry_handler = jit_entry;
        int b = jit_compile(jit, memory_ptr(page->mem, page->pa), page->pa, page->slot, pc & 4095);
        if (b >= 0) {
            memcpy(jit->block[b].entry, slot, sizeof(*slot));
            slot->handler = jit_entry;
            slot->imm = b;
        }
        DISPATCH();
    }

L_JIT: {
        const struct jit_block *b = &jit->block[d->imm];
        h->pc = PC;
        h->jit_budget = left;
        uint64_t n = b->fn(h);
        if (unlikely(n == 0)) {
            /* Stopped before its first instruction: interpret that one. */
            pc = PC;
            memcpy(&tmp[0], b->entry, sizeof(tmp[0]));
            memset(&tmp[1], 0, 2 * sizeof(tmp[1]));
            RUN_TMP();
        }
        left -= (int64_t)n;
        pc = h->pc;
        if (unlikely(left <= 0))
            goto out_pc;
        if (likely((pc & ~4095ULL) == page_va)) {
            d = &page->slot[(pc & 4095) >> 1];
            ENTER();
        }
        goto lookup;
    }

L_UNDECODED: {
        pc = PC;
        /* The sentinel after a page, or the slots after an uncached one. */
        if (page_va == 1 || d == &page->slot[CODE_SLOTS])
            goto lookup;
        if (!decode_slot(h, page, (struct dinsn *)d, pc, labels, &&L_UNDECODED))
            goto decode_uncached;
        /* A debugger breakpoint may be at this page offset (in whatever
         * address space): the slot asks the debugger each time instead. */
        if ((unlikely(hart_bp_offsets != NULL) && (hart_bp_offsets[(pc & 4095) >> 7] >> ((pc >> 1) & 63) & 1)) ||
            (unlikely(h->trig_exec) && trigger_exec_marks(h, pc)))  /* Sdtrig */
            ((struct dinsn *)d)->handler = (int32_t)((const char *)&&L_DEBUG_BP - (const char *)&&L_UNDECODED);
        DISPATCH();
    }
L_DEBUG_BP:
    /* Stop here if the debugger has a breakpoint at this virtual pc;
     * otherwise run the instruction from outside the cache. */
    pc = PC;
    if (hart_bp_hook && hart_bp_hook(h, pc))
        goto out_pc;
    if (unlikely(h->trig_exec) && trigger_exec_fires(h, pc)) {  /* Sdtrig execute trigger */
        h->pc = pc;
        goto exception;
    }
    goto decode_uncached;
L_CROSS_PAGE: {
        /* A 32-bit instruction across the page end (in a hot loop more
         * often than one would think): its upper half through the fetch
         * TLB, walking only on a miss, and decoded each time, since the
         * next page's mapping and contents may change under this slot. */
        pc = PC;
        uint32_t lo = (uint32_t)guest_ld(memory_ptr(page->mem, page->pa + 4094), 2);
        const struct fetch_entry *fe = &h->fetch_tlb[TLB_INDEX(pc + 2)];
        struct code_page *next = fe->page;
        if (fe->tag != pc + 2) {  /* pc + 2 is the next page's start */
            uint64_t pa;
            h->pc = pc;
            if (!mmu_fetch_page(h, pc + 2, &next, &pa))  /* (may flush this page) */
                goto exception;
            if (!next)
                goto decode_uncached;  /* PMP splits the next page */
        }
        dec.raw = lo | (uint32_t)guest_ld(memory_ptr(next->mem, next->pa), 2) << 16;
        goto run_uncached;
    }
L_ILLEGAL:
    ILLEGAL();

exception:
    /* A trap retires nothing, but it uses up budget all the same: a guest
     * whose trap handler itself traps (mtvec at an illegal instruction or
     * at unmapped space) must still return to the run loop, which is where
     * signals and Ctrl-A x are seen. counted moves with left so that
     * instret stays exact. */
    hart_take_trap(h, h->exc.cause, h->exc.tval, false);
    pc = h->pc;
    left--;
    counted--;
    goto sync;

out:
    pc = PC;
out_pc:
    h->pc = pc;
    h->instret += (uint64_t)(counted - left);
    return budget - (uint64_t)left;

    /* ---- RV64I ---- */
HC(lui, X(RD) = (uint64_t)IMM; NEXT();)
L_auipc:  X(RD) = PC + (uint64_t)IMM; NEXT();
HC(jal,    uint64_t t = PC + (uint64_t)IMM; X(RD) = PC + LEN; JUMP(t);)
HC(jalr,   uint64_t t = (X(RS1) + (uint64_t)IMM) & ~1ULL; X(RD) = PC + LEN; JUMP(t);)
HC(beq,    if (X(RS1) == X(RS2)) JUMP(PC + (uint64_t)IMM); NEXT();)
HC(bne,    if (X(RS1) != X(RS2)) JUMP(PC + (uint64_t)IMM); NEXT();)
L_blt:    if ((int64_t)X(RS1) < (int64_t)X(RS2)) JUMP(PC + (uint64_t)IMM); NEXT();
L_bge:    if ((int64_t)X(RS1) >= (int64_t)X(RS2)) JUMP(PC + (uint64_t)IMM); NEXT();
L_bltu:   if (X(RS1) < X(RS2)) JUMP(PC + (uint64_t)IMM); NEXT();
L_bgeu:   if (X(RS1) >= X(RS2)) JUMP(PC + (uint64_t)IMM); NEXT();
L_lb:   { uint64_t v; LOAD(1, X(RS1) + IMM, v); X(RD) = (uint64_t)(int64_t)(int8_t)v; NEXT(); }
L_lh:   { uint64_t v; LOAD(2, X(RS1) + IMM, v); X(RD) = (uint64_t)(int64_t)(int16_t)v; NEXT(); }
HC(lw, uint64_t v; LOAD(4, X(RS1) + IMM, v); X(RD) = (uint64_t)sx32(v); NEXT();)
HC(ld, uint64_t v; LOAD(8, X(RS1) + IMM, v); X(RD) = v; NEXT();)
L_lbu:  { uint64_t v; LOAD(1, X(RS1) + IMM, v); X(RD) = v; NEXT(); }
L_lhu:  { uint64_t v; LOAD(2, X(RS1) + IMM, v); X(RD) = v; NEXT(); }
L_lwu:  { uint64_t v; LOAD(4, X(RS1) + IMM, v); X(RD) = v; NEXT(); }
L_sb:     STORE(1, X(RS1) + IMM, X(RS2)); NEXT();
L_sh:     STORE(2, X(RS1) + IMM, X(RS2)); NEXT();
HC(sw, STORE(4, X(RS1) + IMM, X(RS2)); NEXT();)
HC(sd, STORE(8, X(RS1) + IMM, X(RS2)); NEXT();)
HC(addi, X(RD) = X(RS1) + (uint64_t)IMM; NEXT();)
L_slti:   X(RD) = (int64_t)X(RS1) < IMM; NEXT();
L_sltiu:  X(RD) = X(RS1) < (uint64_t)IMM; NEXT();
L_xori:   X(RD) = X(RS1) ^ (uint64_t)IMM; NEXT();
L_ori:    X(RD) = X(RS1) | (uint64_t)IMM; NEXT();
HC(andi, X(RD) = X(RS1) & (uint64_t)IMM; NEXT();)
HC(slli, X(RD) = X(RS1) << IMM; NEXT();)
HC(srli, X(RD) = X(RS1) >> IMM; NEXT();)
HC(srai, X(RD) = (uint64_t)((int64_t)X(RS1) >> IMM); NEXT();)
HC(add, X(RD) = X(RS1) + X(RS2); NEXT();)
HC(sub, X(RD) = X(RS1) - X(RS2); NEXT();)
L_sll:    X(RD) = X(RS1) << (X(RS2) & 63); NEXT();
L_slt:    X(RD) = (int64_t)X(RS1) < (int64_t)X(RS2); NEXT();
L_sltu:   X(RD) = X(RS1) < X(RS2); NEXT();
HC(xor, X(RD) = X(RS1) ^ X(RS2); NEXT();)
L_srl:    X(RD) = X(RS1) >> (X(RS2) & 63); NEXT();
L_sra:    X(RD) = (uint64_t)((int64_t)X(RS1) >> (X(RS2) & 63)); NEXT();
HC(or, X(RD) = X(RS1) | X(RS2); NEXT();)
HC(and, X(RD) = X(RS1) & X(RS2); NEXT();)
HC(addiw, X(RD) = (uint64_t)sx32(X(RS1) + (uint64_t)IMM); NEXT();)
L_slliw:  X(RD) = (uint64_t)sx32((uint32_t)X(RS1) << IMM); NEXT();
L_srliw:  X(RD) = (uint64_t)sx32((uint32_t)X(RS1) >> IMM); NEXT();
L_sraiw:  X(RD) = (uint64_t)(int64_t)((int32_t)X(RS1) >> IMM); NEXT();
HC(addw, X(RD) = (uint64_t)sx32(X(RS1) + X(RS2)); NEXT();)
HC(subw, X(RD) = (uint64_t)sx32(X(RS1) - X(RS2)); NEXT();)
L_sllw:   X(RD) = (uint64_t)sx32((uint32_t)X(RS1) << (X(RS2) & 31)); NEXT();
L_srlw:   X(RD) = (uint64_t)sx32((uint32_t)X(RS1) >> (X(RS2) & 31)); NEXT();
L_sraw:   X(RD) = (uint64_t)(int64_t)((int32_t)X(RS1) >> (X(RS2) & 31)); NEXT();
/* x86-64 keeps every order RVWMO asks for but store -> later load: a FENCE
 * whose predecessor set has writes (W or O) and successor set has reads
 * (R or I) needs a host fence, when other harts run at the same time.
 * Others need only stop the compiler. */
L_fence:
    if ((d->raw & (0x5u << 24)) && (d->raw & (0xau << 20)) && h->cc->cs->threaded)
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    else
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
    /* PAUSE (Zihintpause, Linux's cpu_relax): the hart spins waiting for
     * another. End the slice so that the others run: the next hart in
     * turn, or (on threads) whoever the host schedules when we yield. */
    if (unlikely(d->raw == INSN_PAUSE)) {
        h->spin_hint = SPIN_PAUSE;
        left = 1;
    }
    NEXT();
L_ecall:  EXCEPTION(h->priv == PRIV_M ? CAUSE_ECALL_M : h->priv == PRIV_U ? CAUSE_ECALL_U
                   : h->virt ? CAUSE_ECALL_VS : CAUSE_ECALL_S, 0);
/* tval is the pc: a guest virtual address when V=1 */
HC(ebreak, h->pc = PC; raise_exc(h, CAUSE_BREAKPOINT, PC); h->exc.gva = h->virt; goto exception;)

    /* ---- Zifencei: this hart's own stores invalidate its decoded code as
     * they happen; FENCE.I takes in what other harts and devices wrote. ---- */
L_fence_i:
    code_cache_fence_i(h->cc);
    SYNC_NEXT();

    /* ---- Zicsr ---- */
/* Counters read by CSR instructions must include this slice's progress. */
#define CSR_OP(op, operand, writes) do {                                        \
        uint64_t _old;                                                          \
        h->pc = PC;                                                             \
        h->instret += (uint64_t)(counted - left);                               \
        counted = left;                                                         \
        if (!csr_access(h, (unsigned)d->imm & 0xfff, op, operand, writes, &_old, d->raw)) \
            goto exception;                                                     \
        X(RD) = _old;                                                           \
        SYNC_NEXT();                                                            \
    } while (0)
L_csrrw:  CSR_OP(CSR_OP_RW, X(RS1), true);
L_csrrs:  CSR_OP(CSR_OP_RS, X(RS1), RS1 != 0);
L_csrrc:  CSR_OP(CSR_OP_RC, X(RS1), RS1 != 0);
L_csrrwi: CSR_OP(CSR_OP_RW, RS1, true);
L_csrrsi: CSR_OP(CSR_OP_RS, RS1, RS1 != 0);
L_csrrci: CSR_OP(CSR_OP_RC, RS1, RS1 != 0);

    /* ---- privileged ---- */
L_mret:
    if (h->priv < PRIV_M)
        ILLEGAL();
    hart_mret(h);
    pc = h->pc;
    left--;
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    goto sync;
L_sret:
    if (h->priv == PRIV_U)
        U_REFUSES();
    if (h->priv == PRIV_S && !h->virt && (h->mstatus & MSTATUS_TSR))
        ILLEGAL();
    if (h->priv == PRIV_S && h->virt && (h->hstatus & HSTATUS_VTSR))
        VIRTUAL_INSN();
    hart_sret(h);
    pc = h->pc;
    left--;
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    goto sync;
L_wfi:
    if (h->priv < PRIV_M && (h->mstatus & MSTATUS_TW))
        ILLEGAL();
    if (h->virt && (h->priv == PRIV_U || (h->hstatus & HSTATUS_VTW)))
        VIRTUAL_INSN();
    if (h->priv == PRIV_U)
        ILLEGAL();
    if (!(hart_mip(h) & h->mie)) {
        h->wfi = true;
    } else {
        /* An interrupt is pending but not taken (interrupts off): WFI does
         * not wait, and the guest is polling in a loop around it (OpenSBI's
         * HSM wait with an IPI already pending). Let the others run. */
        h->spin_hint = SPIN_WFI_BUSY;
        left = left > 1 ? 1 : left;
    }
    SYNC_NEXT();
L_sfence_vma:
    if (h->priv == PRIV_U)
        U_REFUSES();
    if (h->priv == PRIV_S && !h->virt && (h->mstatus & MSTATUS_TVM))
        ILLEGAL();
    if (h->priv == PRIV_S && h->virt && (h->hstatus & HSTATUS_VTVM))
        VIRTUAL_INSN();
    if (RS2 != 0)
        tlb_flush_asid(h, X(RS2), RS1 == 0, X(RS1));
    else if (h->virt && RS1 == 0)
        tlb_flush_virt(h);
    else if (RS1 == 0)
        tlb_flush_all(h);
    else
        tlb_flush_va(h, X(RS1));
    SYNC_NEXT();

    /* ---- H: only HS and M (and U with hstatus.HU for the loads and
     * stores) may use them; from V=1 they are the hypervisor's to emulate ---- */
#define H_ALLOWED(u_ok) do {                                            \
        if (!h->has_h)                                                  \
            ILLEGAL();                                                  \
        if (h->virt)                                                    \
            VIRTUAL_INSN();                                             \
        if (h->priv == PRIV_U && !(u_ok))                               \
            ILLEGAL();                                                  \
    } while (0)
L_hfence_vvma:
    H_ALLOWED(false);
    tlb_flush_virt(h);
    SYNC_NEXT();
L_hfence_gvma:
    H_ALLOWED(false);
    if (h->priv == PRIV_S && (h->mstatus & MSTATUS_TVM))
        ILLEGAL();
    tlb_flush_gstage(h);
    SYNC_NEXT();
/* HLV/HSV go through the slow path every time (never a TLB of the
 * hart's own regime), so they leave through sync like slow stores. */
#define HLV(size, exec, conv) do {                                      \
        uint64_t _v, _next = PC + LEN;                                  \
        unsigned _rd = RD;                                              \
        H_ALLOWED(h->hstatus & HSTATUS_HU);                             \
        h->pc = PC;                                                     \
        h->insn = d->raw;                                               \
        if (!mmu_hlv(h, X(RS1), size, exec, &_v))                       \
            goto exception;                                             \
        X(_rd) = conv;                                                  \
        pc = _next;                                                     \
        left--;                                                         \
        goto sync;                                                      \
    } while (0)
#define HSV(size) do {                                                  \
        uint64_t _next = PC + LEN;                                      \
        H_ALLOWED(h->hstatus & HSTATUS_HU);                             \
        h->pc = PC;                                                     \
        h->insn = d->raw;                                               \
        if (!mmu_hsv(h, X(RS1), size, X(RS2)))                          \
            goto exception;                                             \
        pc = _next;                                                     \
        left--;                                                         \
        goto sync;                                                      \
    } while (0)
L_hlv_b:   HLV(1, false, (uint64_t)(int64_t)(int8_t)_v);
L_hlv_bu:  HLV(1, false, _v);
L_hlv_h:   HLV(2, false, (uint64_t)(int64_t)(int16_t)_v);
L_hlv_hu:  HLV(2, false, _v);
L_hlvx_hu: HLV(2, true, _v);
L_hlv_w:   HLV(4, false, (uint64_t)sx32(_v));
L_hlv_wu:  HLV(4, false, _v);
L_hlvx_wu: HLV(4, true, _v);
L_hlv_d:   HLV(8, false, _v);
L_hsv_b:   HSV(1);
L_hsv_h:   HSV(2);
L_hsv_w:   HSV(4);
L_hsv_d:   HSV(8);

    /* ---- M ---- */
L_mul:    X(RD) = X(RS1) * X(RS2); NEXT();
L_mulh:   X(RD) = (uint64_t)(((__int128)(int64_t)X(RS1) * (int64_t)X(RS2)) >> 64); NEXT();
L_mulhsu: X(RD) = (uint64_t)(((__int128)(int64_t)X(RS1) * (unsigned __int128)X(RS2)) >> 64); NEXT();
L_mulhu:  X(RD) = (uint64_t)(((unsigned __int128)X(RS1) * X(RS2)) >> 64); NEXT();
L_div: {
        int64_t a = (int64_t)X(RS1), b = (int64_t)X(RS2);
        X(RD) = b == 0 ? ~0ULL : (a == INT64_MIN && b == -1) ? (uint64_t)a : (uint64_t)(a / b);
        NEXT();
    }
L_divu:   X(RD) = X(RS2) == 0 ? ~0ULL : X(RS1) / X(RS2); NEXT();
L_rem: {
        int64_t a = (int64_t)X(RS1), b = (int64_t)X(RS2);
        X(RD) = b == 0 ? (uint64_t)a : (a == INT64_MIN && b == -1) ? 0 : (uint64_t)(a % b);
        NEXT();
    }
L_remu:   X(RD) = X(RS2) == 0 ? X(RS1) : X(RS1) % X(RS2); NEXT();
L_mulw:   X(RD) = (uint64_t)sx32(X(RS1) * X(RS2)); NEXT();
L_divw: {
        int32_t a = (int32_t)X(RS1), b = (int32_t)X(RS2);
        X(RD) = (uint64_t)(int64_t)(b == 0 ? -1 : (a == INT32_MIN && b == -1) ? a : a / b);
        NEXT();
    }
L_divuw: {
        uint32_t a = (uint32_t)X(RS1), b = (uint32_t)X(RS2);
        X(RD) = (uint64_t)sx32(b == 0 ? ~0u : a / b);
        NEXT();
    }
L_remw: {
        int32_t a = (int32_t)X(RS1), b = (int32_t)X(RS2);
        X(RD) = (uint64_t)(int64_t)(b == 0 ? a : (a == INT32_MIN && b == -1) ? 0 : a % b);
        NEXT();
    }
L_remuw: {
        uint32_t a = (uint32_t)X(RS1), b = (uint32_t)X(RS2);
        X(RD) = (uint64_t)sx32(b == 0 ? a : a % b);
        NEXT();
    }

    /* ---- A ---- */
L_lr_w: { uint64_t v; h->pc = PC; h->insn = d->raw; if (!load_reserved(h, X(RS1), 4, &v)) goto exception;
          X(RD) = (uint64_t)sx32(v); NEXT(); }
L_lr_d: { uint64_t v; h->pc = PC; h->insn = d->raw; if (!load_reserved(h, X(RS1), 8, &v)) goto exception;
          X(RD) = v; NEXT(); }
L_sc_w: { uint64_t r, next = PC + LEN; unsigned rd = RD; h->pc = PC; h->insn = d->raw;
          if (!store_conditional(h, X(RS1), 4, X(RS2), &r)) goto exception;
          X(rd) = r; pc = next; left--; goto sync; }
L_sc_d: { uint64_t r, next = PC + LEN; unsigned rd = RD; h->pc = PC; h->insn = d->raw;
          if (!store_conditional(h, X(RS1), 8, X(RS2), &r)) goto exception;
          X(rd) = r; pc = next; left--; goto sync; }
L_amoswap_w: AMO(4, src);
L_amoadd_w:  AMO(4, old + src);
L_amoxor_w:  AMO(4, old ^ src);
L_amoand_w:  AMO(4, old & src);
L_amoor_w:   AMO(4, old | src);
L_amomin_w:  AMO(4, (int32_t)old < (int32_t)src ? old : src);
L_amomax_w:  AMO(4, (int32_t)old > (int32_t)src ? old : src);
L_amominu_w: AMO(4, (uint32_t)old < (uint32_t)src ? old : src);
L_amomaxu_w: AMO(4, (uint32_t)old > (uint32_t)src ? old : src);
L_amoswap_d: AMO(8, src);
L_amoadd_d:  AMO(8, old + src);
L_amoxor_d:  AMO(8, old ^ src);
L_amoand_d:  AMO(8, old & src);
L_amoor_d:   AMO(8, old | src);
L_amomin_d:  AMO(8, (int64_t)old < (int64_t)src ? old : src);
L_amomax_d:  AMO(8, (int64_t)old > (int64_t)src ? old : src);
L_amominu_d: AMO(8, old < src ? old : src);
L_amomaxu_d: AMO(8, old > src ? old : src);

    /* ---- F and D ---- */
L_flw:  { FP_ENABLED(); uint64_t v; LOAD(4, X(RS1) + IMM, v); F(RD) = fp_box((uint32_t)v); FP_DIRTY(); NEXT(); }
HC(fld, FP_ENABLED(); uint64_t v; LOAD(8, X(RS1) + IMM, v); F(RD) = v; FP_DIRTY(); NEXT();)
L_fsw:    FP_ENABLED(); STORE(4, X(RS1) + IMM, (uint32_t)F(RS2)); NEXT();
HC(fsd, FP_ENABLED(); STORE(8, X(RS1) + IMM, F(RS2)); NEXT();)
L_fmadd_s:  FP_ARITH(FA_MADD, false);
L_fmsub_s:  FP_ARITH(FA_MSUB, false);
L_fnmsub_s: FP_ARITH(FA_NMSUB, false);
L_fnmadd_s: FP_ARITH(FA_NMADD, false);
L_fadd_s:   FP_ARITH(FA_ADD, false);
L_fsub_s:   FP_ARITH(FA_SUB, false);
L_fmul_s:   FP_ARITH(FA_MUL, false);
L_fdiv_s:   FP_ARITH(FA_DIV, false);
L_fsqrt_s:  FP_ARITH(FA_SQRT, false);
L_fmadd_d:  FP_ARITH(FA_MADD, true);
L_fmsub_d:  FP_ARITH(FA_MSUB, true);
L_fnmsub_d: FP_ARITH(FA_NMSUB, true);
L_fnmadd_d: FP_ARITH(FA_NMADD, true);
L_fadd_d:   FP_ARITH(FA_ADD, true);
L_fsub_d:   FP_ARITH(FA_SUB, true);
L_fmul_d:   FP_ARITH(FA_MUL, true);
L_fdiv_d:   FP_ARITH(FA_DIV, true);
L_fsqrt_d:  FP_ARITH(FA_SQRT, true);
#define FP_RESULT(dest, expr) do { FP_ENABLED(); dest = (expr); FP_DIRTY(); NEXT(); } while (0)
#define FP_RESULT_RM(dest, expr) do { FP_ENABLED(); unsigned rm = FP_RM(); (void)rm; dest = (expr); FP_DIRTY(); NEXT(); } while (0)
L_fsgnj_s:  FP_RESULT(F(RD), fp_sign_inject(false, FS_J, F(RS1), F(RS2)));
L_fsgnjn_s: FP_RESULT(F(RD), fp_sign_inject(false, FS_JN, F(RS1), F(RS2)));
L_fsgnjx_s: FP_RESULT(F(RD), fp_sign_inject(false, FS_JX, F(RS1), F(RS2)));
L_fsgnj_d:  FP_RESULT(F(RD), fp_sign_inject(true, FS_J, F(RS1), F(RS2)));
L_fsgnjn_d: FP_RESULT(F(RD), fp_sign_inject(true, FS_JN, F(RS1), F(RS2)));
L_fsgnjx_d: FP_RESULT(F(RD), fp_sign_inject(true, FS_JX, F(RS1), F(RS2)));
L_fmin_s:   FP_RESULT(F(RD), fp_minmax(h, false, false, F(RS1), F(RS2)));
L_fmax_s:   FP_RESULT(F(RD), fp_minmax(h, false, true, F(RS1), F(RS2)));
L_fmin_d:   FP_RESULT(F(RD), fp_minmax(h, true, false, F(RS1), F(RS2)));
L_fmax_d:   FP_RESULT(F(RD), fp_minmax(h, true, true, F(RS1), F(RS2)));
L_feq_s:    FP_RESULT(X(RD), fp_compare(h, false, FC_EQ, F(RS1), F(RS2)));
L_flt_s:    FP_RESULT(X(RD), fp_compare(h, false, FC_LT, F(RS1), F(RS2)));
L_fle_s:    FP_RESULT(X(RD), fp_compare(h, false, FC_LE, F(RS1), F(RS2)));
L_feq_d:    FP_RESULT(X(RD), fp_compare(h, true, FC_EQ, F(RS1), F(RS2)));
L_flt_d:    FP_RESULT(X(RD), fp_compare(h, true, FC_LT, F(RS1), F(RS2)));
L_fle_d:    FP_RESULT(X(RD), fp_compare(h, true, FC_LE, F(RS1), F(RS2)));
L_fclass_s: FP_ENABLED(); X(RD) = fp_classify(false, F(RS1)); NEXT();
L_fclass_d: FP_ENABLED(); X(RD) = fp_classify(true, F(RS1)); NEXT();
L_fmv_x_w:  FP_ENABLED(); X(RD) = (uint64_t)sx32(F(RS1)); NEXT();
L_fmv_x_d:  FP_ENABLED(); X(RD) = F(RS1); NEXT();
L_fmv_w_x:  FP_RESULT(F(RD), fp_box((uint32_t)X(RS1)));
L_fmv_d_x:  FP_RESULT(F(RD), X(RS1));
L_fcvt_w_s:  FP_RESULT_RM(X(RD), fp_to_int(h, false, FI_W, rm, F(RS1)));
L_fcvt_wu_s: FP_RESULT_RM(X(RD), fp_to_int(h, false, FI_WU, rm, F(RS1)));
L_fcvt_l_s:  FP_RESULT_RM(X(RD), fp_to_int(h, false, FI_L, rm, F(RS1)));
L_fcvt_lu_s: FP_RESULT_RM(X(RD), fp_to_int(h, false, FI_LU, rm, F(RS1)));
L_fcvt_w_d:  FP_RESULT_RM(X(RD), fp_to_int(h, true, FI_W, rm, F(RS1)));
L_fcvt_wu_d: FP_RESULT_RM(X(RD), fp_to_int(h, true, FI_WU, rm, F(RS1)));
L_fcvt_l_d:  FP_RESULT_RM(X(RD), fp_to_int(h, true, FI_L, rm, F(RS1)));
L_fcvt_lu_d: FP_RESULT_RM(X(RD), fp_to_int(h, true, FI_LU, rm, F(RS1)));
L_fcvt_s_w:  FP_RESULT_RM(F(RD), fp_from_int(h, false, FI_W, rm, X(RS1)));
L_fcvt_s_wu: FP_RESULT_RM(F(RD), fp_from_int(h, false, FI_WU, rm, X(RS1)));
L_fcvt_s_l:  FP_RESULT_RM(F(RD), fp_from_int(h, false, FI_L, rm, X(RS1)));
L_fcvt_s_lu: FP_RESULT_RM(F(RD), fp_from_int(h, false, FI_LU, rm, X(RS1)));
L_fcvt_d_w:  FP_RESULT_RM(F(RD), fp_from_int(h, true, FI_W, rm, X(RS1)));
L_fcvt_d_wu: FP_RESULT_RM(F(RD), fp_from_int(h, true, FI_WU, rm, X(RS1)));
L_fcvt_d_l:  FP_RESULT_RM(F(RD), fp_from_int(h, true, FI_L, rm, X(RS1)));
L_fcvt_d_lu: FP_RESULT_RM(F(RD), fp_from_int(h, true, FI_LU, rm, X(RS1)));
L_fcvt_s_d:  FP_RESULT_RM(F(RD), fp_d_to_s(h, rm, F(RS1)));
L_fcvt_d_s:  FP_RESULT_RM(F(RD), fp_s_to_d(h, F(RS1)));

    /* ---- Zba ---- */
L_sh1add:    X(RD) = (X(RS1) << 1) + X(RS2); NEXT();
L_sh2add:    X(RD) = (X(RS1) << 2) + X(RS2); NEXT();
L_sh3add:    X(RD) = (X(RS1) << 3) + X(RS2); NEXT();
L_add_uw:    X(RD) = (uint64_t)(uint32_t)X(RS1) + X(RS2); NEXT();
L_sh1add_uw: X(RD) = ((uint64_t)(uint32_t)X(RS1) << 1) + X(RS2); NEXT();
L_sh2add_uw: X(RD) = ((uint64_t)(uint32_t)X(RS1) << 2) + X(RS2); NEXT();
L_sh3add_uw: X(RD) = ((uint64_t)(uint32_t)X(RS1) << 3) + X(RS2); NEXT();
L_slli_uw:   X(RD) = (uint64_t)(uint32_t)X(RS1) << IMM; NEXT();

    /* ---- Zbb ---- */
L_andn:   X(RD) = X(RS1) & ~X(RS2); NEXT();
L_orn:    X(RD) = X(RS1) | ~X(RS2); NEXT();
L_xnor:   X(RD) = ~(X(RS1) ^ X(RS2)); NEXT();
L_clz:    X(RD) = X(RS1) ? (uint64_t)__builtin_clzll(X(RS1)) : 64; NEXT();
L_ctz:    X(RD) = X(RS1) ? (uint64_t)__builtin_ctzll(X(RS1)) : 64; NEXT();
L_cpop:   X(RD) = (uint64_t)__builtin_popcountll(X(RS1)); NEXT();
L_clzw:   X(RD) = (uint32_t)X(RS1) ? (uint64_t)__builtin_clz((uint32_t)X(RS1)) : 32; NEXT();
L_ctzw:   X(RD) = (uint32_t)X(RS1) ? (uint64_t)__builtin_ctz((uint32_t)X(RS1)) : 32; NEXT();
L_cpopw:  X(RD) = (uint64_t)__builtin_popcount((uint32_t)X(RS1)); NEXT();
L_max:    X(RD) = (int64_t)X(RS1) > (int64_t)X(RS2) ? X(RS1) : X(RS2); NEXT();
L_maxu:   X(RD) = X(RS1) > X(RS2) ? X(RS1) : X(RS2); NEXT();
L_min:    X(RD) = (int64_t)X(RS1) < (int64_t)X(RS2) ? X(RS1) : X(RS2); NEXT();
L_minu:   X(RD) = X(RS1) < X(RS2) ? X(RS1) : X(RS2); NEXT();
L_sext_b: X(RD) = (uint64_t)(int64_t)(int8_t)X(RS1); NEXT();
L_sext_h: X(RD) = (uint64_t)(int64_t)(int16_t)X(RS1); NEXT();
L_zext_h: X(RD) = (uint16_t)X(RS1); NEXT();
L_rol:    X(RD) = rotl64(X(RS1), (unsigned)X(RS2)); NEXT();
L_ror:    X(RD) = rotr64(X(RS1), (unsigned)X(RS2)); NEXT();
L_rolw:   X(RD) = (uint64_t)sx32(rotl32((uint32_t)X(RS1), (unsigned)X(RS2))); NEXT();
L_rorw:   X(RD) = (uint64_t)sx32(rotr32((uint32_t)X(RS1), (unsigned)X(RS2))); NEXT();
L_rori:   X(RD) = rotr64(X(RS1), (unsigned)IMM); NEXT();
L_roriw:  X(RD) = (uint64_t)sx32(rotr32((uint32_t)X(RS1), (unsigned)IMM)); NEXT();
L_orc_b:  X(RD) = orc_b(X(RS1)); NEXT();
L_rev8:   X(RD) = __builtin_bswap64(X(RS1)); NEXT();

    /* ---- Zbc ---- */
L_clmul:  X(RD) = (uint64_t)clmul128(X(RS1), X(RS2)); NEXT();
L_clmulh: X(RD) = (uint64_t)(clmul128(X(RS1), X(RS2)) >> 64); NEXT();
L_clmulr: X(RD) = (uint64_t)(clmul128(X(RS1), X(RS2)) >> 63); NEXT();

    /* ---- Zbs ---- */
L_bclr:   X(RD) = X(RS1) & ~(1ULL << (X(RS2) & 63)); NEXT();
L_bclri:  X(RD) = X(RS1) & ~(1ULL << IMM); NEXT();
L_bext:   X(RD) = (X(RS1) >> (X(RS2) & 63)) & 1; NEXT();
L_bexti:  X(RD) = (X(RS1) >> IMM) & 1; NEXT();
L_binv:   X(RD) = X(RS1) ^ (1ULL << (X(RS2) & 63)); NEXT();
L_binvi:  X(RD) = X(RS1) ^ (1ULL << IMM); NEXT();
L_bset:   X(RD) = X(RS1) | (1ULL << (X(RS2) & 63)); NEXT();
L_bseti:  X(RD) = X(RS1) | (1ULL << IMM); NEXT();
}
