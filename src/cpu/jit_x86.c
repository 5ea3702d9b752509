/* x86-64 code generation for jit.h. Guest register xN lives at
 * [rbx + offsetof(struct hart, x) + 8N]; rbx holds the hart for the whole
 * block. rax, rcx, rdx and rsi are scratch.
 *
 * Blocks belong to physical code pages, which the guest may run at more
 * than one virtual address (Linux starts with the MMU off, then runs the
 * same code at its virtual address). So blocks contain no guest
 * addresses: the caller sets h->pc to the entry pc, and every pc-relative
 * value is computed from it. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/codecache.h"
#include "cpu/decode.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/jit.h"

/* The layouts the emitted code encodes as constants. */
_Static_assert(sizeof(struct tlb_entry) == 16 && offsetof(struct tlb_entry, tag) == 0 &&
               offsetof(struct tlb_entry, addend) == 8, "tlb_lookup: [rdx+rcx], [rdx+rcx+8], index << 4");
_Static_assert(sizeof(struct fetch_entry) == 16 && offsetof(struct fetch_entry, tag) == 0 &&
               offsetof(struct fetch_entry, page) == 8, "emit_lookup_chain: [rdx], [rdx+8]");
_Static_assert(sizeof(struct dinsn) == 16 && offsetof(struct dinsn, handler) == 0 &&
               offsetof(struct dinsn, imm) == 4, "emit_enter_slot: [rdx], [rdx+4], slot * 16");
_Static_assert(sizeof(((struct hart *)0)->x[0]) == 8 && sizeof(((struct hart *)0)->code_by_host) == 8,
               "8-byte registers and code-set words");
_Static_assert(sizeof(struct hart) < (1u << 31), "displacements from rbx fit in 32 bits");

#define CODE_SIZE (32u << 20)
/* Bounds on one block's code. An instruction's own code is at most
 * INSN_MAX_BYTES and it adds at most EXITS_PER_INSN exits (a single-precision
 * FMA with the dynamic rounding mode has eight: FP off, V=1, frm, three
 * operands not NaN-boxed, a NaN result, flags), each exit stub at most
 * EXIT_STUB_MAX_BYTES (write-backs of every cache register, then a chained
 * lookup); the compile loop stops before an instruction that might not fit,
 * and a block that still overflows is thrown away. */
enum { BLOCK_MAX_EXITS = 160, EXITS_PER_INSN = 10, INSN_MAX_BYTES = 512, EXIT_STUB_MAX_BYTES = 256 };
#define BLOCK_MAX_BYTES (INSN_MAX_BYTES + BLOCK_MAX_EXITS * EXIT_STUB_MAX_BYTES)

static FILE *perfmap;

bool jit_perfmap_open(void)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
    perfmap = fopen(path, "w");
    if (perfmap)
        setvbuf(perfmap, NULL, _IOLBF, 0);
    return perfmap != NULL;
}

bool jit_init(struct jit *j, const char *mode)
{
    memset(j, 0, sizeof(*j));
#if defined(__x86_64__)
    if (mode && !strcmp(mode, "off"))
        return true;
    j->code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (j->code == MAP_FAILED) {
        j->code = NULL;
        return true;  /* no executable memory: interpret */
    }
    j->size = CODE_SIZE;
    j->enabled = true;
    j->threshold = mode && !strcmp(mode, "eager") ? 1 : 32;
#else
    (void)mode;
#endif
    return true;
}

void jit_free(struct jit *j)
{
    if (j->code)
        munmap(j->code, j->size);
    j->code = NULL;
    j->enabled = false;
}

void jit_reset(struct jit *j)
{
    j->used = 0;
    j->nblocks = 0;
    j->npending = 0;
    j->pending_free = 0;
    memset(j->pending_head, 0, sizeof(j->pending_head));
    j->flushes++;
}

bool jit_full(const struct jit *j)
{
    return j->nblocks == JIT_MAX_BLOCKS || j->used + BLOCK_MAX_BYTES > j->size;
}

#if defined(__x86_64__)

enum { RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSI = 6 };
enum { JNE = 0x85, JE = 0x84, JL = 0x8c, JGE = 0x8d, JB = 0x82, JAE = 0x83 };
enum { ALU_ADD = 0, ALU_OR = 1, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

/* Places in the block that leave it: patched once the exits are emitted. */
struct exit_ref {
    uint32_t patch;     /* offset of a rel32 to point at the exit stub */
    int32_t delta;      /* where the guest continues, from the entry pc */
    unsigned retired;   /* instructions retired before leaving */
    bool chain;         /* control flow: may continue into another block */
    uint8_t flush[8];   /* the guest register each dirty cache register holds
                           at the jump (NO_GUEST: clean), written back first */
};

struct emitter {
    uint8_t *buf;
    size_t len;
    struct jit *jit;
    const uint8_t *slots;   /* the page's slot array (struct dinsn, 16 bytes each) */
    unsigned entry_off;     /* the block's offset in its page */
    size_t chain_entry;     /* where chained jumps enter this block (after the prologue) */
    struct exit_ref exit[BLOCK_MAX_EXITS];
    unsigned nexit;
    bool overflow;          /* an exit or byte past the bounds: the block is dropped */
    uint8_t cached[8];      /* the guest register each cache register holds, or NO_GUEST */
    uint8_t dirty;          /* cache registers newer than h->x: a bit per register */
    uint32_t last_use[8];   /* for evicting the least recently used */
    uint32_t uses;
};

static void b1(struct emitter *e, uint8_t v) { e->buf[e->len++] = v; }
static void b4(struct emitter *e, uint32_t v) { memcpy(e->buf + e->len, &v, 4); e->len += 4; }

static int32_t xoff(unsigned r) { return (int32_t)(offsetof(struct hart, x) + 8 * r); }

/* op r64, [rbx + disp32] (or the 32-bit form when !w) */
static void rm_rbx(struct emitter *e, bool w, uint8_t opcode, unsigned reg, int32_t disp)
{
    if (w)
        b1(e, 0x48);
    b1(e, opcode);
    b1(e, (uint8_t)(0x80 | (reg & 7) << 3 | RBX));
    b4(e, (uint32_t)disp);
}

/* ---- guest registers cached in host registers ------------------------------
 * Within a block, the guest registers it reads and writes are also kept in
 * host registers, so that a chain of dependent instructions runs through
 * registers instead of a store and a reload per step. Write-back: a
 * write marks the register dirty instead of storing to h->x, and h->x is
 * brought up to date wherever something else may read it: each exit stub
 * first stores the registers that were dirty at its jump, a helper call
 * is preceded by storing them all, and evicting a dirty register stores
 * it. So an exit, a helper or the interpreter always finds memory up to
 * date, while a temporary rewritten within a block is stored once at most.
 * A block starts with nothing cached (chained blocks too); a helper call,
 * which may write any register and clobbers the caller-saved ones, drops
 * everything. r12-r14
 * are saved by the block's prologue; r9-r11 and rdi are free (rdi's
 * argument is copied to rbx). Scratch: rax, rcx, rdx, rsi; r8 counts the
 * instructions retired, r15 holds the block's entry pc. */
enum { RDI = 7, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15 };
enum { NO_GUEST = 0xff, NCACHE = 7 };
static const uint8_t cache_reg[NCACHE] = { R12, R13, R14, R9, R10, R11, RDI };

static uint8_t rex(bool w, unsigned reg, unsigned rm);

static void cache_drop_all(struct emitter *e)
{
    memset(e->cached, NO_GUEST, sizeof(e->cached));
    e->dirty = 0;
}

/* mov [rbx + x], reg for any host register */
static void write_back(struct emitter *e, unsigned reg, unsigned xr)
{
    b1(e, rex(true, reg, RBX)); b1(e, 0x89);
    b1(e, (uint8_t)(0x80 | (reg & 7) << 3 | RBX));
    b4(e, (uint32_t)xoff(xr));
}

/* Store every dirty cache register to h->x (they stay cached, clean). */
static void flush_dirty(struct emitter *e)
{
    for (int i = 0; i < NCACHE; i++)
        if (e->dirty & (1u << i))
            write_back(e, cache_reg[i], e->cached[i]);
    e->dirty = 0;
}

/* Cache register i now holds guest register xr's newest value. */
static void mark_dirty(struct emitter *e, int i)
{
    e->dirty |= (uint8_t)(1u << i);
}

static int cache_find(struct emitter *e, unsigned xr)
{
    for (int i = 0; i < NCACHE; i++)
        if (e->cached[i] == xr) {
            e->last_use[i] = ++e->uses;
            return i;
        }
    return -1;
}

/* The cache register for xr: its own, or the least recently used one. */
static int cache_claim(struct emitter *e, unsigned xr)
{
    int i = cache_find(e, xr);
    if (i >= 0)
        return i;
    i = 0;
    for (int k = 1; k < NCACHE; k++)
        if (e->cached[k] == NO_GUEST || (e->cached[i] != NO_GUEST && e->last_use[k] < e->last_use[i]))
            i = k;
    if (e->dirty & (1u << i)) {  /* evicting the newest copy: store it first */
        write_back(e, cache_reg[i], e->cached[i]);
        e->dirty &= (uint8_t)~(1u << i);
    }
    e->cached[i] = (uint8_t)xr;
    e->last_use[i] = ++e->uses;
    return i;
}

static uint8_t rex(bool w, unsigned reg, unsigned rm)
{
    return (uint8_t)(0x40 | (w ? 8 : 0) | (reg >= 8 ? 4 : 0) | (rm >= 8 ? 1 : 0));
}

/* mov dst, src (64-bit, or 32-bit zero-extending) */
static void mov_rr(struct emitter *e, bool w, unsigned dst, unsigned src)
{
    uint8_t p = rex(w, src, dst);
    if (p != 0x40)
        b1(e, p);
    b1(e, 0x89);
    b1(e, (uint8_t)(0xc0 | (src & 7) << 3 | (dst & 7)));
}

/* The host register holding xr (not x0), loading it on a miss. */
static unsigned x_reg(struct emitter *e, unsigned xr)
{
    int i = cache_find(e, xr);
    if (i < 0) {
        i = cache_claim(e, xr);
        unsigned h = cache_reg[i];
        b1(e, rex(true, h, RBX)); b1(e, 0x8b);               /* mov h, [rbx + x] */
        b1(e, (uint8_t)(0x80 | (h & 7) << 3 | RBX));
        b4(e, (uint32_t)xoff(xr));
    }
    return cache_reg[i];
}

static void load_x_width(struct emitter *e, bool w, unsigned reg, unsigned xr)
{
    if (xr == 0) {
        b1(e, 0x31); b1(e, (uint8_t)(0xc0 | reg << 3 | reg));  /* xor reg32, reg32 */
        return;
    }
    mov_rr(e, w, reg, x_reg(e, xr));
}

static void load_x(struct emitter *e, unsigned reg, unsigned xr) { load_x_width(e, true, reg, xr); }
static void load_x32(struct emitter *e, unsigned reg, unsigned xr) { load_x_width(e, false, reg, xr); }

/* x[xr] = reg (a scratch register): into xr's cache register, dirty. */
static void store_x(struct emitter *e, unsigned reg, unsigned xr)
{
    if (xr == 0 || xr == XREG_SINK)
        return;
    int i = cache_claim(e, xr);
    mov_rr(e, true, cache_reg[i], reg);
    mark_dirty(e, i);
}

/* op rax, x[xr] for the "op r, r/m" opcodes (add 03, sub 2b, and 23, or
 * 0b, xor 33, cmp 3b; imul 0f af as op2), 64-bit or 32-bit. */
static void op_rax_x(struct emitter *e, bool w, uint8_t opcode, uint8_t op2, unsigned xr)
{
    if (xr == 0) {  /* x0 is 0 in memory: use it there */
        if (w)
            b1(e, 0x48);
        b1(e, opcode);
        if (op2)
            b1(e, op2);
        b1(e, (uint8_t)(0x80 | RAX << 3 | RBX));
        b4(e, (uint32_t)xoff(0));
        return;
    }
    unsigned h = x_reg(e, xr);
    uint8_t p = rex(w, RAX, h);
    if (p != 0x40)
        b1(e, p);
    b1(e, opcode);
    if (op2)
        b1(e, op2);
    b1(e, (uint8_t)(0xc0 | RAX << 3 | (h & 7)));
}

/* op r64, imm32 (sign-extended): ext is the /digit of opcode 81 */
static void alu_imm(struct emitter *e, bool w, unsigned ext, unsigned reg, int32_t imm)
{
    if (w)
        b1(e, 0x48);
    b1(e, 0x81);
    b1(e, (uint8_t)(0xc0 | ext << 3 | reg));
    b4(e, (uint32_t)imm);
}

static void shift_imm(struct emitter *e, bool w, unsigned ext, unsigned reg, uint8_t n)
{
    if (w)
        b1(e, 0x48);
    b1(e, 0xc1);
    b1(e, (uint8_t)(0xc0 | ext << 3 | reg));
    b1(e, n);
}

static void shift_cl(struct emitter *e, bool w, unsigned ext, unsigned reg)
{
    if (w)
        b1(e, 0x48);
    b1(e, 0xd3);
    b1(e, (uint8_t)(0xc0 | ext << 3 | reg));
}

static void movsxd_rax_eax(struct emitter *e) { b1(e, 0x48); b1(e, 0x63); b1(e, 0xc0); }

/* reg += delta (any 64-bit delta) */
static void add_delta(struct emitter *e, unsigned reg, int64_t delta)
{
    if (reg >= 8) {  /* r15: alu_imm encodes low registers only */
        for (int k = 0; k < 2 && delta; k++) {
            int64_t part = delta > INT32_MAX || delta < INT32_MIN ? delta >> 1 : delta;
            b1(e, rex(true, 0, reg)); b1(e, 0x81); b1(e, (uint8_t)(0xc0 | (reg & 7)));  /* add reg, imm32 */
            b4(e, (uint32_t)(int32_t)part);
            delta -= part;
        }
        return;
    }
    if (delta > INT32_MAX || delta < INT32_MIN) {
        alu_imm(e, true, ALU_ADD, reg, (int32_t)(delta >> 1));
        alu_imm(e, true, ALU_ADD, reg, (int32_t)(delta - (delta >> 1)));
    } else if (delta) {
        alu_imm(e, true, ALU_ADD, reg, (int32_t)delta);
    }
}

/* reg = entry pc + delta. The block's entry pc lives in r15 while blocks
 * run (chained blocks pass theirs on in it); h->pc is written only when
 * leaving for C. */
static void guest_pc(struct emitter *e, unsigned reg, int64_t delta)
{
    mov_rr(e, true, reg, R15);
    add_delta(e, reg, delta);
}

/* x[xr] = imm32 (sign-extended), in memory and in the cache */
static void store_imm(struct emitter *e, unsigned xr, int32_t imm)
{
    b1(e, 0x48);
    b1(e, 0xc7);
    b1(e, 0x80 | RBX);
    b4(e, (uint32_t)xoff(xr));
    b4(e, (uint32_t)imm);
    if (xr == 0 || xr == XREG_SINK)
        return;
    int i = cache_claim(e, xr);
    unsigned h = cache_reg[i];
    b1(e, rex(true, 0, h)); b1(e, 0xc7); b1(e, (uint8_t)(0xc0 | (h & 7)));  /* mov h, imm32 */
    b4(e, (uint32_t)imm);
    e->dirty &= (uint8_t)~(1u << i);  /* memory has the value too */
}

/* A jump to an exit stub (filled in later) that leaves with the guest pc
 * at entry + delta. */
static void jump_exit_kind(struct emitter *e, uint8_t jcc, int64_t delta, unsigned retired,
                           bool chain)
{
    if (jcc) {
        b1(e, 0x0f);
        b1(e, jcc);
    } else {
        b1(e, 0xe9);
    }
    if (e->nexit == BLOCK_MAX_EXITS) {  /* (room_for_insn makes this unreachable) */
        e->overflow = true;
        e->nexit = 0;
    }
    struct exit_ref *x = &e->exit[e->nexit++];
    *x = (struct exit_ref){ (uint32_t)e->len, (int32_t)delta, retired, chain, { 0 } };
    for (int i = 0; i < NCACHE; i++)
        x->flush[i] = e->dirty & (1u << i) ? e->cached[i] : NO_GUEST;
    b4(e, 0);
}

/* Leaving for a slow path: the interpreter runs the next instruction. */
static void jump_exit(struct emitter *e, uint8_t jcc, int64_t delta, unsigned retired)
{
    jump_exit_kind(e, jcc, delta, retired, false);
}

/* Leaving by guest control flow: another block may follow at once. */
static void jump_flow(struct emitter *e, uint8_t jcc, int64_t delta, unsigned retired)
{
    jump_exit_kind(e, jcc, delta, retired, true);
}


/* rax = guest address; on a TLB hit rax = host address, else leave the
 * block before this instruction. */
static void tlb_lookup(struct emitter *e, bool store, unsigned size, unsigned off, unsigned retired)
{
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xc1);                  /* mov rcx, rax */
    shift_imm(e, true, SH_SHR, RCX, 12 - 4);                  /* index * sizeof(entry), */
    alu_imm(e, false, ALU_AND, RCX, (TLB_SIZE - 1) << 4);    /* 16 bytes (asserted above) */
    rm_rbx(e, true, 0x8b, RDX, (int32_t)(store ? offsetof(struct hart, st_tlb)
                                               : offsetof(struct hart, ld_tlb)));
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xc6);                  /* mov rsi, rax */
    alu_imm(e, true, ALU_AND, RSI, (int32_t)(0xfffff000u | (size - 1)));
    b1(e, 0x48); b1(e, 0x3b); b1(e, 0x34); b1(e, 0x0a);     /* cmp rsi, [rdx+rcx] */
    jump_exit(e, JNE, off, retired);
    b1(e, 0x48); b1(e, 0x03); b1(e, 0x44); b1(e, 0x0a); b1(e, 0x08); /* add rax, [rdx+rcx+8] */
}

/* rax = the host address a store goes to: if the page holds decoded code
 * (any hart's), leave the block before the store; the interpreter's slow
 * path tells the code caches. */
static void emit_code_page_check(struct emitter *e, unsigned off, unsigned retired)
{
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xc1);                  /* mov rcx, rax */
    shift_imm(e, true, SH_SHR, RCX, 12);
    rm_rbx(e, true, 0x8b, RDX, (int32_t)offsetof(struct hart, code_by_host));
    b1(e, 0x48); b1(e, 0x83); b1(e, 0x3c); b1(e, 0xca); b1(e, 0x00); /* cmp qword [rdx+rcx*8], 0 */
    jump_exit(e, JNE, off, retired);
}

/* rax = rs1 + imm, the address a load or store uses: one lea from the
 * cached register. */
static void guest_address(struct emitter *e, const struct decoded *d)
{
    if (d->rs1 == 0) {
        b1(e, 0x48); b1(e, 0xc7); b1(e, 0xc0); b4(e, (uint32_t)d->imm);  /* mov rax, imm32 */
        return;
    }
    unsigned h = x_reg(e, d->rs1);
    if (!d->imm) {
        mov_rr(e, true, RAX, h);
        return;
    }
    b1(e, rex(true, RAX, h)); b1(e, 0x8d);                   /* lea rax, [h + imm32] */
    b1(e, (uint8_t)(0x80 | RAX << 3 | (h & 7)));
    if ((h & 7) == 4)
        b1(e, 0x24);                                          /* r12 as a base takes a SIB byte */
    b4(e, (uint32_t)d->imm);
}

/* rax = the host address an access of `size` at rs1 + imm goes to, on
 * the TLB's fast path; a store also leaves the block if the page holds
 * code. Otherwise the block is left before this instruction. */
static void host_address(struct emitter *e, const struct decoded *d, bool store, unsigned size,
                         unsigned off, unsigned retired)
{
    guest_address(e, d);
    tlb_lookup(e, store, size, off, retired);
    if (store)
        emit_code_page_check(e, off, retired);
}

static bool emit_load(struct emitter *e, const struct decoded *d, unsigned size, bool sign,
                      unsigned off, unsigned retired)
{
    host_address(e, d, false, size, off, retired);
    /* load straight into rd's cache register (x0: into rax, thrown away) */
    bool cached = d->rd != 0 && d->rd != XREG_SINK;
    unsigned dst = cached ? cache_reg[cache_claim(e, d->rd)] : RAX;
    bool wide = size * 2 + sign != 2 && size * 2 + sign != 4 && size * 2 + sign != 8;
    uint8_t p = rex(wide, dst, RAX);
    if (p != 0x40)
        b1(e, p);
    switch (size * 2 + sign) {
    case 2: b1(e, 0x0f); b1(e, 0xb6); break;  /* movzx dst32, byte [rax] */
    case 3: b1(e, 0x0f); b1(e, 0xbe); break;  /* movsx dst, byte [rax] */
    case 4: b1(e, 0x0f); b1(e, 0xb7); break;  /* movzx dst32, word [rax] */
    case 5: b1(e, 0x0f); b1(e, 0xbf); break;  /* movsx dst, word [rax] */
    case 8: b1(e, 0x8b); break;               /* mov dst32, [rax] */
    case 9: b1(e, 0x63); break;               /* movsxd dst, [rax] */
    default: b1(e, 0x8b); break;              /* mov dst, [rax] */
    }
    b1(e, (uint8_t)((dst & 7) << 3 | RAX));
    if (cached)
        mark_dirty(e, cache_find(e, d->rd));
    return true;
}

static bool emit_store(struct emitter *e, const struct decoded *d, unsigned size, unsigned off,
                       unsigned retired)
{
    host_address(e, d, true, size, off, retired);
    /* the value straight from rs2's cache register */
    unsigned src = RCX;
    if (d->rs2 == 0)
        b1(e, 0x31), b1(e, 0xc9);                            /* xor ecx, ecx */
    else
        src = x_reg(e, d->rs2);
    if (size == 2)
        b1(e, 0x66);
    uint8_t p = rex(size == 8, src, RAX);
    if (p != 0x40 || size == 1)  /* a REX prefix makes dil/sil the byte registers */
        b1(e, p);
    b1(e, size == 1 ? 0x88 : 0x89);                           /* mov [rax], src */
    b1(e, (uint8_t)((src & 7) << 3 | RAX));
    return true;
}

static void patch_rel32(struct emitter *e, size_t at)
{
    int32_t rel = (int32_t)(e->len - (at + 4));
    memcpy(e->buf + at, &rel, 4);
}

/* A forward jcc rel32 (jcc 0: jmp) within the block's code; returns the
 * offset of the rel32 for patch_rel32. */
static size_t jump_forward(struct emitter *e, uint8_t jcc)
{
    if (jcc) {
        b1(e, 0x0f);
        b1(e, jcc);
    } else {
        b1(e, 0xe9);
    }
    size_t at = e->len;
    b4(e, 0);
    return at;
}

static void set_resv_valid(struct emitter *e, bool v)
{
    b1(e, 0xc6); b1(e, 0x83);                                /* mov byte [rbx+resv_valid], v */
    b4(e, (uint32_t)offsetof(struct hart, resv_valid)); b1(e, v);
}

/* LR: the load of the fast path, then the reservation recorded as the
 * interpreter's load_reserved does (the host address and the value read). */
static void emit_lr(struct emitter *e, const struct decoded *d, unsigned size, unsigned off,
                    unsigned retired)
{
    host_address(e, d, false, size, off, retired);
    if (size == 8)
        b1(e, 0x48);
    b1(e, 0x8b); b1(e, 0x08);                                /* mov rcx/ecx, [rax] */
    set_resv_valid(e, true);
    rm_rbx(e, true, 0x89, RAX, (int32_t)offsetof(struct hart, resv_host));
    rm_rbx(e, true, 0x89, RCX, (int32_t)offsetof(struct hart, resv_value));
    if (size == 4) {
        b1(e, 0x48); b1(e, 0x63); b1(e, 0xc9);               /* movsxd rcx, ecx */
    }
    store_x(e, RCX, d->rd);
}

/* SC: the store's fast path (TLB hit, no code in the page), then as the
 * interpreter's store_conditional: it fails unless a reservation is held
 * on this host address, and succeeds if one compare-and-swap against the
 * value the LR read does; either way the reservation is gone. */
static void emit_sc(struct emitter *e, const struct decoded *d, unsigned size, unsigned off,
                    unsigned retired)
{
    host_address(e, d, true, size, off, retired);
    load_x(e, RCX, d->rs2);                                  /* the value to store */
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xc6);                  /* mov rsi, rax */
    b1(e, 0xba); b4(e, 1);                                   /* mov edx, 1: failed */
    b1(e, 0x80); b1(e, 0xbb);                                /* cmp byte [rbx+resv_valid], 0 */
    b4(e, (uint32_t)offsetof(struct hart, resv_valid)); b1(e, 0);
    size_t no_resv = jump_forward(e, JE);
    rm_rbx(e, true, 0x3b, RSI, (int32_t)offsetof(struct hart, resv_host)); /* cmp rsi, [resv_host] */
    size_t elsewhere = jump_forward(e, JNE);
    rm_rbx(e, true, 0x8b, RAX, (int32_t)offsetof(struct hart, resv_value));
    b1(e, 0xf0);                                             /* lock cmpxchg [rsi], rcx/ecx */
    if (size == 8)
        b1(e, 0x48);
    b1(e, 0x0f); b1(e, 0xb1); b1(e, 0x0e);
    b1(e, 0x0f); b1(e, 0x95); b1(e, 0xc2);                  /* setne dl: 0 when stored */
    patch_rel32(e, no_resv);
    patch_rel32(e, elsewhere);
    set_resv_valid(e, false);
    store_x(e, RDX, d->rd);
}

/* AMOs: the store fast path (which proves the page writable, and so
 * readable, RAM without code), then one locked host instruction: xchg for
 * swap, xadd for add, else a compare-and-swap loop; rd gets the old value
 * (sign-extended for .w), as the interpreter's AMO() gives it. */
enum amo_kind { AMO_SWAP, AMO_ADD, AMO_AND, AMO_OR, AMO_XOR, AMO_MIN, AMO_MAX, AMO_MINU, AMO_MAXU };

static void emit_amo(struct emitter *e, const struct decoded *d, unsigned size, enum amo_kind kind,
                     unsigned off, unsigned retired)
{
    static const uint8_t alu[] = { [AMO_AND] = 0x21, [AMO_OR] = 0x09, [AMO_XOR] = 0x31 };
    static const uint8_t cmov[] = { [AMO_MIN] = 0x4c, [AMO_MAX] = 0x4f,  /* cmovl, cmovg */
                                    [AMO_MINU] = 0x42, [AMO_MAXU] = 0x47 };  /* cmovb, cmova */
    bool w = size == 8;
    host_address(e, d, true, size, off, retired);
    load_x(e, RCX, d->rs2);
    if (kind == AMO_SWAP || kind == AMO_ADD) {
        if (kind == AMO_ADD)
            b1(e, 0xf0);                                     /* lock */
        if (w)
            b1(e, 0x48);
        if (kind == AMO_ADD)
            b1(e, 0x0f), b1(e, 0xc1);                        /* xadd [rax], rcx */
        else
            b1(e, 0x87);                                     /* xchg [rax], rcx */
        b1(e, 0x08);
    } else {
        b1(e, 0x48); b1(e, 0x89); b1(e, 0xc6);              /* mov rsi, rax */
        if (w)
            b1(e, 0x48);
        b1(e, 0x8b); b1(e, 0x06);                            /* mov rax, [rsi]: old */
        size_t loop = e->len;
        b1(e, 0x48); b1(e, 0x89); b1(e, 0xc2);              /* mov rdx, rax */
        if (kind <= AMO_XOR) {
            if (w)
                b1(e, 0x48);
            b1(e, alu[kind]); b1(e, 0xca);                   /* op rdx, rcx */
        } else {
            if (w)
                b1(e, 0x48);
            b1(e, 0x39); b1(e, 0xd1);                        /* cmp rcx, rdx */
            if (w)
                b1(e, 0x48);
            b1(e, 0x0f); b1(e, cmov[kind]); b1(e, 0xd1);     /* cmovcc rdx, rcx */
        }
        b1(e, 0xf0);                                         /* lock cmpxchg [rsi], rdx */
        if (w)
            b1(e, 0x48);
        b1(e, 0x0f); b1(e, 0xb1); b1(e, 0x16);
        b1(e, 0x75); b1(e, (uint8_t)(loop - (e->len + 1))); /* jne loop */
        b1(e, 0x48); b1(e, 0x89); b1(e, 0xc1);              /* mov rcx, rax */
    }
    if (!w) {
        b1(e, 0x48); b1(e, 0x63); b1(e, 0xc9);               /* movsxd rcx, ecx */
    }
    store_x(e, RCX, d->rd);
}

/* Where to compute rd: rd's own cache register, already holding rs1's
 * value, so that the result needs no copy through rax; or -1 when rd is x0
 * or rs1 is x0, or rd is `keep` (a second source still to be read) but not
 * rs1. */
static int dest_with_rs1(struct emitter *e, const struct decoded *d, unsigned keep)
{
    if (d->rd == 0 || d->rd == XREG_SINK || d->rs1 == 0 || (d->rd == keep && d->rd != d->rs1))
        return -1;
    unsigned hs = x_reg(e, d->rs1);
    if (d->rd == d->rs1)
        return (int)hs;
    unsigned hd = cache_reg[cache_claim(e, d->rd)];  /* never hs: it was used last */
    mov_rr(e, true, hd, hs);
    return (int)hd;
}

/* The end of an instruction computed in rd's register hd: the 32-bit forms
 * sign-extend (movsxd hd, hd32), then h->x[rd] is written. */
static void finish_dest(struct emitter *e, unsigned hd, unsigned rd, bool w32)
{
    if (w32) {
        b1(e, rex(true, hd, hd)); b1(e, 0x63); b1(e, (uint8_t)(0xc0 | (hd & 7) << 3 | (hd & 7)));
    }
    mark_dirty(e, cache_find(e, rd));
}

/* rd = rs1 OP rs2 for the ALU ops that x86 has as "op r, r/m". */
static void emit_rr(struct emitter *e, const struct decoded *d, uint8_t opcode, bool w32)
{
    int hd = dest_with_rs1(e, d, d->rs2);
    if (hd < 0) {
        load_x(e, RAX, d->rs1);
        op_rax_x(e, !w32, opcode, 0, d->rs2);
        if (w32)
            movsxd_rax_eax(e);
        store_x(e, RAX, d->rd);
        return;
    }
    if (d->rs2 == 0) {                                       /* op hd, [rbx + x0] */
        b1(e, rex(!w32, (unsigned)hd, RBX)); b1(e, opcode);
        b1(e, (uint8_t)(0x80 | (hd & 7) << 3 | RBX));
        b4(e, (uint32_t)xoff(0));
    } else {
        unsigned h2 = x_reg(e, d->rs2);                      /* op hd, h2 */
        b1(e, rex(!w32, (unsigned)hd, h2)); b1(e, opcode);
        b1(e, (uint8_t)(0xc0 | (hd & 7) << 3 | (h2 & 7)));
    }
    finish_dest(e, (unsigned)hd, d->rd, w32);
}

/* rd = rs1 OP imm: opcode 81 /ext with an imm32 (ALU), or c1 /ext with
 * an imm8 (shifts); in rd's cache register when it can be, else in rax. */
static void emit_op_imm(struct emitter *e, const struct decoded *d, uint8_t opcode, unsigned ext,
                        bool w32)
{
    int hd = dest_with_rs1(e, d, 0);
    unsigned reg = hd < 0 ? RAX : (unsigned)hd;
    if (hd < 0)
        load_x(e, RAX, d->rs1);
    b1(e, rex(!w32, 0, reg)); b1(e, opcode);
    b1(e, (uint8_t)(0xc0 | ext << 3 | (reg & 7)));
    if (opcode == 0xc1)
        b1(e, (uint8_t)d->imm);
    else
        b4(e, (uint32_t)d->imm);
    if (hd >= 0) {
        finish_dest(e, reg, d->rd, w32);
        return;
    }
    if (w32)
        movsxd_rax_eax(e);
    store_x(e, RAX, d->rd);
}

static void emit_ri(struct emitter *e, const struct decoded *d, unsigned ext, bool w32)
{
    emit_op_imm(e, d, 0x81, ext, w32);
}

static void emit_shift_imm(struct emitter *e, const struct decoded *d, unsigned ext, bool w32)
{
    emit_op_imm(e, d, 0xc1, ext, w32);
}

/* x86 masks shift counts by 63 (64-bit) or 31 (32-bit), as RISC-V does. */
static void emit_shift_reg(struct emitter *e, const struct decoded *d, unsigned ext, bool w32)
{
    load_x(e, RCX, d->rs2);
    load_x(e, RAX, d->rs1);
    shift_cl(e, !w32, ext, RAX);
    if (w32)
        movsxd_rax_eax(e);
    store_x(e, RAX, d->rd);
}

/* rd = (rs1 <cc> rs2-or-imm) ? 1 : 0 */
static void emit_set(struct emitter *e, const struct decoded *d, uint8_t setcc, bool imm)
{
    unsigned h1 = RAX;
    if (d->rs1)
        h1 = x_reg(e, d->rs1);
    else
        load_x(e, RAX, 0);
    unsigned h2 = imm || !d->rs2 ? RAX : x_reg(e, d->rs2);
    b1(e, 0x31); b1(e, 0xc9);                                /* xor ecx, ecx */
    if (imm) {
        b1(e, rex(true, 0, h1)); b1(e, 0x81);                /* cmp h1, imm32 */
        b1(e, (uint8_t)(0xc0 | ALU_CMP << 3 | (h1 & 7)));
        b4(e, (uint32_t)d->imm);
    } else if (!d->rs2) {
        b1(e, rex(true, h1, RBX)); b1(e, 0x3b);              /* cmp h1, [rbx + x0] */
        b1(e, (uint8_t)(0x80 | (h1 & 7) << 3 | RBX));
        b4(e, (uint32_t)xoff(0));
    } else {
        b1(e, rex(true, h1, h2)); b1(e, 0x3b);               /* cmp h1, h2 */
        b1(e, (uint8_t)(0xc0 | (h1 & 7) << 3 | (h2 & 7)));
    }
    b1(e, 0x0f); b1(e, setcc); b1(e, 0xc1);                  /* setcc cl */
    store_x(e, RCX, d->rd);
}

static void emit_mul(struct emitter *e, const struct decoded *d, bool w32)
{
    int hd = dest_with_rs1(e, d, d->rs2);
    if (hd >= 0 && d->rs2) {
        unsigned h2 = x_reg(e, d->rs2);                      /* imul hd, h2 */
        b1(e, rex(!w32, (unsigned)hd, h2)); b1(e, 0x0f); b1(e, 0xaf);
        b1(e, (uint8_t)(0xc0 | (hd & 7) << 3 | (h2 & 7)));
        finish_dest(e, (unsigned)hd, d->rd, w32);
        return;
    }
    load_x(e, RAX, d->rs1);
    op_rax_x(e, !w32, 0x0f, 0xaf, d->rs2);                   /* imul rax, rs2 */
    if (w32)
        movsxd_rax_eax(e);
    store_x(e, RAX, d->rd);
}

/* Zba: rd = (zero-extended-if-uw(rs1) << n) + rs2 */
static void emit_shadd(struct emitter *e, const struct decoded *d, unsigned n, bool uw)
{
    if (uw)
        load_x32(e, RAX, d->rs1);                            /* mov eax: zero-extends */
    else
        load_x(e, RAX, d->rs1);
    if (n)
        shift_imm(e, true, SH_SHL, RAX, (uint8_t)n);
    op_rax_x(e, true, 0x03, 0, d->rs2);
    store_x(e, RAX, d->rd);
}

/* Zbb andn/orn/xnor: rd = rs1 OP ~rs2 */
static void emit_not_rs2(struct emitter *e, const struct decoded *d, uint8_t opcode)
{
    load_x(e, RAX, d->rs1);
    load_x(e, RCX, d->rs2);
    b1(e, 0x48); b1(e, 0xf7); b1(e, 0xd1);                  /* not rcx */
    b1(e, 0x48); b1(e, opcode); b1(e, 0xc8);                /* op rax, rcx */
    store_x(e, RAX, d->rd);
}

/* Zbb min/max: rax = rs1; if (cond) rax = rs2 */
static void emit_minmax(struct emitter *e, const struct decoded *d, uint8_t cmovcc)
{
    load_x(e, RAX, d->rs1);
    load_x(e, RCX, d->rs2);
    b1(e, 0x48); b1(e, 0x39); b1(e, 0xc8);                  /* cmp rax, rcx */
    b1(e, 0x48); b1(e, 0x0f); b1(e, cmovcc); b1(e, 0xc1);   /* cmovcc rax, rcx */
    store_x(e, RAX, d->rd);
}

/* sext.b, sext.h, zext.h: rax = rs1, then movsx/movzx rax, al/ax */
static void emit_extend(struct emitter *e, const struct decoded *d, bool rexw, uint8_t op2)
{
    load_x(e, RAX, d->rs1);
    if (rexw)
        b1(e, 0x48);
    b1(e, 0x0f);
    b1(e, op2);
    b1(e, 0xc0);
    store_x(e, RAX, d->rd);
}

/* rd = jit_helper(h, raw, op) in C, for what is not open-coded (division,
 * F/D); if it says the instruction traps, leave the block before it. r8,
 * the retired count, is caller-saved: kept on the stack (two slots, so that
 * rsp stays 16-byte aligned at the call). */
static void emit_helper_call(struct emitter *e, const struct decoded *d, unsigned op,
                             unsigned off, unsigned retired)
{
    flush_dirty(e);  /* the helper reads and writes h->x */
    cache_drop_all(e);
    b1(e, 0x4c); b1(e, 0x89); b1(e, 0xbb);                  /* mov [rbx+pc], r15: as C expects */
    b4(e, (uint32_t)offsetof(struct hart, pc));
    b1(e, 0x41); b1(e, 0x50);                                /* push r8 */
    b1(e, 0x48); b1(e, 0x83); b1(e, 0xec); b1(e, 0x08);     /* sub rsp, 8 */
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xdf);                  /* mov rdi, rbx */
    b1(e, 0xbe); b4(e, d->raw);                              /* mov esi, raw */
    b1(e, 0xba); b4(e, op);                                  /* mov edx, op */
    b1(e, 0x48); b1(e, 0xb8);                                /* mov rax, jit_helper */
    uint64_t fn = (uint64_t)(uintptr_t)jit_helper;
    memcpy(e->buf + e->len, &fn, 8);
    e->len += 8;
    b1(e, 0xff); b1(e, 0xd0);                                /* call rax */
    b1(e, 0x48); b1(e, 0x83); b1(e, 0xc4); b1(e, 0x08);     /* add rsp, 8 */
    b1(e, 0x41); b1(e, 0x58);                                /* pop r8 */
    b1(e, 0x84); b1(e, 0xc0);                                /* test al, al */
    jump_exit(e, JE, off, retired);
}

/* F/D loads and stores: the TLB fast path of integer ones, after checking
 * that FP is on and outside V=1 (where vsstatus.FS would need dirtying
 * too: left to the interpreter), then FS marked dirty. */
static void emit_fp_guard(struct emitter *e, unsigned off, unsigned retired)
{
    b1(e, 0x80); b1(e, 0xbb); b4(e, (uint32_t)offsetof(struct hart, fs_off)); b1(e, 0); /* cmp byte [rbx+fs_off], 0 */
    jump_exit(e, JNE, off, retired);
    b1(e, 0x80); b1(e, 0xbb); b4(e, (uint32_t)offsetof(struct hart, virt)); b1(e, 0);   /* cmp byte [rbx+virt], 0 */
    jump_exit(e, JNE, off, retired);
}

static void emit_fs_dirty(struct emitter *e)
{
    b1(e, 0x48); b1(e, 0xb9);                                /* mov rcx, FS | SD */
    uint64_t bits = MSTATUS_FS | MSTATUS_SD;
    memcpy(e->buf + e->len, &bits, 8);
    e->len += 8;
    rm_rbx(e, true, 0x09, RCX, (int32_t)offsetof(struct hart, mstatus)); /* or [mstatus], rcx */
}

static int32_t foff(unsigned r) { return (int32_t)(offsetof(struct hart, f) + 8 * r); }

static void emit_fp_load(struct emitter *e, const struct decoded *d, unsigned size, unsigned off,
                         unsigned retired)
{
    emit_fp_guard(e, off, retired);
    host_address(e, d, false, size, off, retired);
    if (size == 4) {
        b1(e, 0x8b); b1(e, 0x00);                            /* mov eax, [rax] */
        b1(e, 0x48); b1(e, 0xb9);                            /* mov rcx, NaN-box */
        uint64_t box = 0xffffffff00000000ULL;
        memcpy(e->buf + e->len, &box, 8);
        e->len += 8;
        b1(e, 0x48); b1(e, 0x09); b1(e, 0xc8);              /* or rax, rcx */
    } else {
        b1(e, 0x48); b1(e, 0x8b); b1(e, 0x00);              /* mov rax, [rax] */
    }
    rm_rbx(e, true, 0x89, RAX, foff(d->rd));
    emit_fs_dirty(e);
}

static void emit_fp_store(struct emitter *e, const struct decoded *d, unsigned size, unsigned off,
                          unsigned retired)
{
    emit_fp_guard(e, off, retired);
    host_address(e, d, true, size, off, retired);
    rm_rbx(e, true, 0x8b, RCX, foff(d->rs2));                /* mov rcx, f[rs2] */
    if (size == 4) {
        b1(e, 0x89); b1(e, 0x08);                            /* mov [rax], ecx */
    } else {
        b1(e, 0x48); b1(e, 0x89); b1(e, 0x08);              /* mov [rax], rcx */
    }
    emit_fs_dirty(e);
}

static void emit_ptr(struct emitter *e, const void *p)
{
    uint64_t v = (uint64_t)(uintptr_t)p;
    memcpy(e->buf + e->len, &v, 8);
    e->len += 8;
}

/* ---- F/D arithmetic on the host's SSE unit -------------------------------------
 * Round to nearest only (a static rm of RNE, or dyn with frm = RNE: other
 * modes take the helper). The host computes with MXCSR as rivet keeps it
 * (round to nearest, exceptions masked); its flags are IEEE's, as RISC-V's,
 * tininess after rounding included. After the operation, MXCSR is read
 * and compared with the default plus the flags the guest's fflags already
 * hold (and DE, which is not an IEEE flag): any other flag (a new one for
 * the guest, or one left by other host code), a changed control field or a
 * NaN result (RISC-V wants the canonical one) leaves the block before the
 * instruction, with f[rd] untouched, and the interpreter computes it
 * exactly. So the inline path needs no operand checks and no MXCSR write.
 * Reading MXCSR costs more than the operation, so it is skipped in the
 * common case, as QEMU's hardfloat does: when fflags already holds NX and
 * the result is finite and above the smallest normal, the operation cannot
 * have raised anything but NX (invalid operations give NaN, division by
 * zero and overflow infinity, underflow a result at most the smallest
 * normal: tininess is detected after rounding). */
/* By fflags value: the MXCSR bits that may differ from the default after
 * an operation (DE, a subnormal operand, is not an IEEE flag; the others
 * are the guest's flags already set: NX=PE, UF=UE, OF=OE, DZ=ZE, NV=IE),
 * inverted for an AND. A constant table: harts compile on their threads. */
#define MXCSR_SEEN(f) (0x02u | ((f) & FFLAG_NX ? 0x20u : 0) | ((f) & FFLAG_UF ? 0x10u : 0) | \
                       ((f) & FFLAG_OF ? 0x08u : 0) | ((f) & FFLAG_DZ ? 0x04u : 0) |      \
                       ((f) & FFLAG_NV ? 0x01u : 0))
#define MXCSR_ALLOWED4(f) ~MXCSR_SEEN(f), ~MXCSR_SEEN((f) + 1), ~MXCSR_SEEN((f) + 2), ~MXCSR_SEEN((f) + 3)
static const uint32_t mxcsr_allowed[32] = {
    MXCSR_ALLOWED4(0), MXCSR_ALLOWED4(4), MXCSR_ALLOWED4(8), MXCSR_ALLOWED4(12),
    MXCSR_ALLOWED4(16), MXCSR_ALLOWED4(20), MXCSR_ALLOWED4(24), MXCSR_ALLOWED4(28),
};

enum { SSE_SQRT = 0x51, SSE_ADD = 0x58, SSE_MUL = 0x59, SSE_SUB = 0x5c, SSE_DIV = 0x5e,
       SSE_LOAD = 0x10, SSE_STORE = 0x11 };

/* op xmm<reg>, [rbx + disp]: movsd/addsd/... (F2) or the ss forms (F3). */
static void sse_rbx(struct emitter *e, bool dbl, uint8_t opcode, unsigned reg, int32_t disp)
{
    b1(e, dbl ? 0xf2 : 0xf3); b1(e, 0x0f); b1(e, opcode);
    b1(e, (uint8_t)(0x80 | reg << 3 | RBX));
    b4(e, (uint32_t)disp);
}

/* vfm*213s[sd] xmm0, xmm1, [rbx + disp]: xmm0 = ±(xmm1 * xmm0) ± [mem]. */
static void fma_rbx(struct emitter *e, bool dbl, uint8_t opcode, int32_t disp)
{
    b1(e, 0xc4); b1(e, 0xe2);                                /* VEX: 0F38 */
    b1(e, dbl ? 0xf1 : 0x71);                                /* W, vvvv = xmm1, 66 */
    b1(e, opcode);
    b1(e, 0x80 | RBX);
    b4(e, (uint32_t)disp);
}

static bool fp_inline_rm(const struct decoded *d)
{
    return d->rm == RM_RNE || d->rm == 7;
}

/* A single operand must be NaN-boxed; if not, the interpreter decides. */
static void emit_boxed_check(struct emitter *e, unsigned fr, unsigned off, unsigned retired)
{
    b1(e, 0x83); b1(e, 0xbb); b4(e, (uint32_t)(foff(fr) + 4)); b1(e, 0xff); /* cmp dword [f+4], -1 */
    jump_exit(e, JNE, off, retired);
}

static bool emit_fp_arith(struct emitter *e, const struct decoded *d, unsigned op, unsigned off,
                          unsigned retired)
{
    static const struct { uint16_t op; bool dbl; uint8_t sse, fma; uint8_t nsrc; } ops[] = {
        { OP_fadd_d, true, SSE_ADD, 0, 2 }, { OP_fsub_d, true, SSE_SUB, 0, 2 },
        { OP_fmul_d, true, SSE_MUL, 0, 2 }, { OP_fdiv_d, true, SSE_DIV, 0, 2 },
        { OP_fsqrt_d, true, SSE_SQRT, 0, 1 },
        { OP_fmadd_d, true, 0, 0xa9, 3 }, { OP_fmsub_d, true, 0, 0xab, 3 },
        { OP_fnmsub_d, true, 0, 0xad, 3 }, { OP_fnmadd_d, true, 0, 0xaf, 3 },
        { OP_fadd_s, false, SSE_ADD, 0, 2 }, { OP_fsub_s, false, SSE_SUB, 0, 2 },
        { OP_fmul_s, false, SSE_MUL, 0, 2 }, { OP_fdiv_s, false, SSE_DIV, 0, 2 },
        { OP_fsqrt_s, false, SSE_SQRT, 0, 1 },
        { OP_fmadd_s, false, 0, 0xa9, 3 }, { OP_fmsub_s, false, 0, 0xab, 3 },
        { OP_fnmsub_s, false, 0, 0xad, 3 }, { OP_fnmadd_s, false, 0, 0xaf, 3 },
    };
    unsigned i = 0;
    while (i < sizeof(ops) / sizeof(ops[0]) && ops[i].op != op)
        i++;
    if (i == sizeof(ops) / sizeof(ops[0]) || !fp_inline_rm(d) || (ops[i].fma && !fp_host_has_fma()))
        return false;
    bool dbl = ops[i].dbl;
    const uint8_t src[3] = { d->rs1, d->rs2, d->rs3 };
    emit_fp_guard(e, off, retired);
    if (d->rm == 7) {
        b1(e, 0x80); b1(e, 0xbb); b4(e, (uint32_t)offsetof(struct hart, frm)); b1(e, RM_RNE); /* cmp byte [frm], RNE */
        jump_exit(e, JNE, off, retired);
    }
    for (unsigned k = 0; !dbl && k < ops[i].nsrc; k++)
        emit_boxed_check(e, src[k], off, retired);
    if (ops[i].sse == SSE_SQRT) {
        sse_rbx(e, dbl, SSE_SQRT, 0, foff(d->rs1));          /* sqrtsd xmm0, [f1] */
    } else if (ops[i].sse) {
        sse_rbx(e, dbl, SSE_LOAD, 0, foff(d->rs1));          /* movsd xmm0, [f1] */
        sse_rbx(e, dbl, ops[i].sse, 0, foff(d->rs2));        /* addsd xmm0, [f2] ... */
    } else {
        sse_rbx(e, dbl, SSE_LOAD, 0, foff(d->rs1));
        sse_rbx(e, dbl, SSE_LOAD, 1, foff(d->rs2));
        fma_rbx(e, dbl, ops[i].fma, foff(d->rs3));
    }
    b1(e, 0xf6); b1(e, 0x83); b4(e, (uint32_t)offsetof(struct hart, fflags)); b1(e, FFLAG_NX); /* test byte [fflags], NX */
    size_t read_flags = jump_forward(e, JE);
    if (dbl) {
        b1(e, 0x66); b1(e, 0x48); b1(e, 0x0f); b1(e, 0x7e); b1(e, 0xc0); /* movq rax, xmm0 */
        b1(e, 0x48); b1(e, 0x01); b1(e, 0xc0);               /* add rax, rax: drop the sign */
        b1(e, 0x48); b1(e, 0xb9); emit_ptr(e, (void *)(uintptr_t)0x0020000000000001ULL); /* mov rcx, |DBL_MIN|*2 + 1 */
        b1(e, 0x48); b1(e, 0x29); b1(e, 0xc8);               /* sub rax, rcx */
        b1(e, 0x48); b1(e, 0xb9); emit_ptr(e, (void *)(uintptr_t)0xffbfffffffffffffULL); /* mov rcx, inf*2 - that */
        b1(e, 0x48); b1(e, 0x39); b1(e, 0xc8);               /* cmp rax, rcx */
    } else {
        b1(e, 0x66); b1(e, 0x0f); b1(e, 0x7e); b1(e, 0xc0);  /* movd eax, xmm0 */
        b1(e, 0x01); b1(e, 0xc0);                            /* add eax, eax */
        b1(e, 0x2d); b4(e, 0x01000001);                      /* sub eax, |FLT_MIN|*2 + 1 */
        b1(e, 0x3d); b4(e, 0xfdffffff);                      /* cmp eax, inf*2 - that */
    }
    size_t normal = jump_forward(e, JB);
    patch_rel32(e, read_flags);
    if (dbl)
        b1(e, 0x66);
    b1(e, 0x0f); b1(e, 0x2e); b1(e, 0xc0);                   /* ucomisd/ss xmm0, xmm0 */
    jump_exit(e, 0x8a, off, retired);                        /* jp: NaN */
    b1(e, 0x0f); b1(e, 0xae); b1(e, 0x5c); b1(e, 0x24); b1(e, 0xfc); /* stmxcsr [rsp-4] (red zone) */
    b1(e, 0x8b); b1(e, 0x44); b1(e, 0x24); b1(e, 0xfc);      /* mov eax, [rsp-4] */
    b1(e, 0x0f); b1(e, 0xb6); b1(e, 0x8b); b4(e, (uint32_t)offsetof(struct hart, fflags)); /* movzx ecx, byte [fflags] */
    b1(e, 0x48); b1(e, 0xba);                                /* mov rdx, masks */
    uint64_t masks = (uint64_t)(uintptr_t)mxcsr_allowed;
    memcpy(e->buf + e->len, &masks, 8);
    e->len += 8;
    b1(e, 0x23); b1(e, 0x04); b1(e, 0x8a);                   /* and eax, [rdx + rcx*4] */
    b1(e, 0x3d); b4(e, 0x1f80);                              /* cmp eax, MXCSR default */
    jump_exit(e, JNE, off, retired);
    patch_rel32(e, normal);
    sse_rbx(e, dbl, SSE_STORE, 0, foff(d->rd));              /* movsd [fd], xmm0 */
    if (!dbl) {
        b1(e, 0xc7); b1(e, 0x83); b4(e, (uint32_t)(foff(d->rd) + 4)); b4(e, 0xffffffffu); /* NaN-box */
    }
    emit_fs_dirty(e);
    return true;
}

/* Sign injection (fmv, fneg, fabs are its special cases) and moves between
 * the register files: bit operations on the 64-bit images, no rounding,
 * no flags. A single's operands must be NaN-boxed (else the interpreter
 * takes the canonical NaN); its result keeps rs1's all-ones upper half. */
static bool emit_fp_move(struct emitter *e, const struct decoded *d, unsigned op, unsigned off,
                         unsigned retired)
{
    bool dbl = true;
    unsigned kind;  /* 0 sgnj, 1 sgnjn, 2 sgnjx */
    switch (op) {
    case OP_fmv_x_d: case OP_fmv_x_w:
        emit_fp_guard(e, off, retired);
        rm_rbx(e, true, 0x8b, RAX, foff(d->rs1));            /* mov rax, f[rs1] */
        if (op == OP_fmv_x_w)
            movsxd_rax_eax(e);
        store_x(e, RAX, d->rd);
        return true;
    case OP_fmv_d_x: case OP_fmv_w_x:
        emit_fp_guard(e, off, retired);
        load_x(e, RAX, d->rs1);
        if (op == OP_fmv_w_x) {
            b1(e, 0x89); b1(e, 0xc0);                        /* mov eax, eax */
            b1(e, 0x48); b1(e, 0xb9); emit_ptr(e, (void *)(uintptr_t)0xffffffff00000000ULL); /* mov rcx, box */
            b1(e, 0x48); b1(e, 0x09); b1(e, 0xc8);           /* or rax, rcx */
        }
        rm_rbx(e, true, 0x89, RAX, foff(d->rd));
        emit_fs_dirty(e);
        return true;
    case OP_fsgnj_s: dbl = false; /* fall through */
    case OP_fsgnj_d: kind = 0; break;
    case OP_fsgnjn_s: dbl = false; /* fall through */
    case OP_fsgnjn_d: kind = 1; break;
    case OP_fsgnjx_s: dbl = false; /* fall through */
    case OP_fsgnjx_d: kind = 2; break;
    default:
        return false;
    }
    emit_fp_guard(e, off, retired);
    if (!dbl) {
        emit_boxed_check(e, d->rs1, off, retired);
        emit_boxed_check(e, d->rs2, off, retired);
    }
    rm_rbx(e, true, 0x8b, RAX, foff(d->rs1));                /* mov rax, f[rs1] */
    rm_rbx(e, true, 0x8b, RCX, foff(d->rs2));                /* mov rcx, f[rs2] */
    b1(e, 0x48); b1(e, 0xba);                                /* mov rdx, sign bit */
    emit_ptr(e, (void *)(uintptr_t)(dbl ? 1ULL << 63 : 1ULL << 31));
    if (kind == 1) {
        b1(e, 0x48); b1(e, 0xf7); b1(e, 0xd1);               /* not rcx */
    }
    b1(e, 0x48); b1(e, 0x21); b1(e, 0xd1);                   /* and rcx, rdx: rs2's sign */
    if (kind == 2) {
        b1(e, 0x48); b1(e, 0x31); b1(e, 0xc8);               /* xor rax, rcx */
    } else {
        b1(e, 0x48); b1(e, 0xf7); b1(e, 0xd2);               /* not rdx */
        b1(e, 0x48); b1(e, 0x21); b1(e, 0xd0);               /* and rax, rdx: rs1 without its sign */
        b1(e, 0x48); b1(e, 0x09); b1(e, 0xc8);               /* or rax, rcx */
    }
    rm_rbx(e, true, 0x89, RAX, foff(d->rd));
    emit_fs_dirty(e);
    return true;
}

/* feq/flt/fle: ucomisd/ucomiss; an unordered compare (a NaN operand:
 * flags to raise) leaves the block for the interpreter. */
static bool emit_fp_compare(struct emitter *e, const struct decoded *d, unsigned op, unsigned off,
                            unsigned retired)
{
    static const struct { uint16_t op; bool dbl; uint8_t setcc; } ops[] = {
        { OP_feq_d, true, 0x94 }, { OP_flt_d, true, 0x92 }, { OP_fle_d, true, 0x96 },  /* sete setb setbe */
        { OP_feq_s, false, 0x94 }, { OP_flt_s, false, 0x92 }, { OP_fle_s, false, 0x96 },
    };
    unsigned i = 0;
    while (i < sizeof(ops) / sizeof(ops[0]) && ops[i].op != op)
        i++;
    if (i == sizeof(ops) / sizeof(ops[0]))
        return false;
    bool dbl = ops[i].dbl;
    emit_fp_guard(e, off, retired);
    if (!dbl) {
        emit_boxed_check(e, d->rs1, off, retired);
        emit_boxed_check(e, d->rs2, off, retired);
    }
    sse_rbx(e, dbl, SSE_LOAD, 0, foff(d->rs1));              /* movsd xmm0, f[rs1] */
    if (dbl)
        b1(e, 0x66);
    b1(e, 0x0f); b1(e, 0x2e); b1(e, 0x83); b4(e, (uint32_t)foff(d->rs2)); /* ucomisd xmm0, f[rs2] */
    jump_exit(e, 0x8a, off, retired);                        /* jp: unordered */
    b1(e, 0x0f); b1(e, ops[i].setcc); b1(e, 0xc0);           /* setcc al */
    b1(e, 0x0f); b1(e, 0xb6); b1(e, 0xc0);                   /* movzx eax, al */
    store_x(e, RAX, d->rd);
    return true;
}

/* Ops are decoded by the common decoder; the compressed variants share
 * their 32-bit equivalents' code. */
static unsigned base_op(unsigned op)
{
    switch (op) {
#define INSN(n, mask, match, fmt, args, ext)
#define CINSN(n, mask, match, cfmt, target, ext)
#define CTARGET(n) case OP_##n##_c: return OP_##n;
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#undef CTARGET
    default: return op;
    }
}

/* r8 counts the instructions retired by the blocks chained so far. */
static void add_r8(struct emitter *e, unsigned n)
{
    b1(e, 0x49); b1(e, 0x81); b1(e, 0xc0); b4(e, n);        /* add r8, n */
}

/* Return to the interpreter with the total retired (the pc is set). */
static void emit_return(struct emitter *e, unsigned retired)
{
    add_r8(e, retired);
    b1(e, 0x4c); b1(e, 0x89); b1(e, 0xbb);                  /* mov [rbx+pc], r15 */
    b4(e, (uint32_t)offsetof(struct hart, pc));
    b1(e, 0x4c); b1(e, 0x89); b1(e, 0xc0);                  /* mov rax, r8 */
    b1(e, 0x41); b1(e, 0x5f);                                /* pop r15 */
    b1(e, 0x41); b1(e, 0x5e);                                /* pop r14 */
    b1(e, 0x41); b1(e, 0x5d);                                /* pop r13 */
    b1(e, 0x41); b1(e, 0x5c);                                /* pop r12 */
    b1(e, 0x5b);                                             /* pop rbx */
    b1(e, 0xc3);                                             /* ret */
}

static void emit_lookup_chain(struct emitter *e, unsigned retired);

enum emit_result { EMIT_NO, EMIT_OK, EMIT_END };

static enum emit_result emit_branch(struct emitter *e, const struct decoded *d, uint8_t jcc,
                                    unsigned off, unsigned retired)
{
    if (d->rs1 == 0) {
        load_x(e, RAX, d->rs1);
        op_rax_x(e, true, 0x3b, 0, d->rs2);                  /* cmp rax, rs2 */
    } else {
        unsigned h1 = x_reg(e, d->rs1);
        unsigned h2 = d->rs2 ? x_reg(e, d->rs2) : h1;
        /* cmp h1, h2; against x0 test h1, h1, which sets ZF, SF, OF
         * and CF as cmp h1, 0 would */
        b1(e, rex(true, h1, h2)); b1(e, d->rs2 ? 0x3b : 0x85);
        b1(e, (uint8_t)(0xc0 | (h1 & 7) << 3 | (h2 & 7)));
    }
    /* Taken: leave (or chain). Not taken: the block goes on, registers
     * still cached, so a loop body with early exits is one block. */
    jump_flow(e, jcc, (int64_t)off + d->imm, retired + 1);
    return EMIT_OK;
}

/* Compile one instruction; EMIT_NO leaves it to the interpreter. */
static enum emit_result emit_insn(struct emitter *e, const struct decoded *d, unsigned off,
                                  unsigned retired)
{
    switch (base_op(d->op)) {
    case OP_lui:   store_imm(e, d->rd, d->imm); return EMIT_OK;
    case OP_auipc:
        guest_pc(e, RAX, (int64_t)off + d->imm);
        store_x(e, RAX, d->rd);
        return EMIT_OK;
    case OP_addi:  emit_ri(e, d, ALU_ADD, false); return EMIT_OK;
    case OP_xori:  emit_ri(e, d, ALU_XOR, false); return EMIT_OK;
    case OP_ori:   emit_ri(e, d, ALU_OR, false); return EMIT_OK;
    case OP_andi:  emit_ri(e, d, ALU_AND, false); return EMIT_OK;
    case OP_addiw: emit_ri(e, d, ALU_ADD, true); return EMIT_OK;
    case OP_slti:  emit_set(e, d, 0x9c, true); return EMIT_OK;   /* setl */
    case OP_sltiu: emit_set(e, d, 0x92, true); return EMIT_OK;   /* setb */
    case OP_slt:   emit_set(e, d, 0x9c, false); return EMIT_OK;
    case OP_sltu:  emit_set(e, d, 0x92, false); return EMIT_OK;
    case OP_slli:  emit_shift_imm(e, d, SH_SHL, false); return EMIT_OK;
    case OP_srli:  emit_shift_imm(e, d, SH_SHR, false); return EMIT_OK;
    case OP_srai:  emit_shift_imm(e, d, SH_SAR, false); return EMIT_OK;
    case OP_slliw: emit_shift_imm(e, d, SH_SHL, true); return EMIT_OK;
    case OP_srliw: emit_shift_imm(e, d, SH_SHR, true); return EMIT_OK;
    case OP_sraiw: emit_shift_imm(e, d, SH_SAR, true); return EMIT_OK;
    case OP_sll:   emit_shift_reg(e, d, SH_SHL, false); return EMIT_OK;
    case OP_srl:   emit_shift_reg(e, d, SH_SHR, false); return EMIT_OK;
    case OP_sra:   emit_shift_reg(e, d, SH_SAR, false); return EMIT_OK;
    case OP_sllw:  emit_shift_reg(e, d, SH_SHL, true); return EMIT_OK;
    case OP_srlw:  emit_shift_reg(e, d, SH_SHR, true); return EMIT_OK;
    case OP_sraw:  emit_shift_reg(e, d, SH_SAR, true); return EMIT_OK;
    case OP_add:   emit_rr(e, d, 0x03, false); return EMIT_OK;
    case OP_sub:   emit_rr(e, d, 0x2b, false); return EMIT_OK;
    case OP_and:   emit_rr(e, d, 0x23, false); return EMIT_OK;
    case OP_or:    emit_rr(e, d, 0x0b, false); return EMIT_OK;
    case OP_xor:   emit_rr(e, d, 0x33, false); return EMIT_OK;
    case OP_addw:  emit_rr(e, d, 0x03, true); return EMIT_OK;
    case OP_subw:  emit_rr(e, d, 0x2b, true); return EMIT_OK;
    case OP_rori:  emit_shift_imm(e, d, SH_ROR, false); return EMIT_OK;
    case OP_roriw: emit_shift_imm(e, d, SH_ROR, true); return EMIT_OK;
    case OP_ror:   emit_shift_reg(e, d, SH_ROR, false); return EMIT_OK;
    case OP_rol:   emit_shift_reg(e, d, SH_ROL, false); return EMIT_OK;
    case OP_rorw:  emit_shift_reg(e, d, SH_ROR, true); return EMIT_OK;
    case OP_rolw:  emit_shift_reg(e, d, SH_ROL, true); return EMIT_OK;
    case OP_andn:  emit_not_rs2(e, d, 0x21); return EMIT_OK;     /* and */
    case OP_orn:   emit_not_rs2(e, d, 0x09); return EMIT_OK;     /* or */
    case OP_xnor:  emit_not_rs2(e, d, 0x31); return EMIT_OK;     /* xor */
    case OP_min:   emit_minmax(e, d, 0x4f); return EMIT_OK;      /* cmovg */
    case OP_max:   emit_minmax(e, d, 0x4c); return EMIT_OK;      /* cmovl */
    case OP_minu:  emit_minmax(e, d, 0x47); return EMIT_OK;      /* cmova */
    case OP_maxu:  emit_minmax(e, d, 0x42); return EMIT_OK;      /* cmovb */
    case OP_sext_b: emit_extend(e, d, true, 0xbe); return EMIT_OK;
    case OP_sext_h: emit_extend(e, d, true, 0xbf); return EMIT_OK;
    case OP_zext_h: emit_extend(e, d, false, 0xb7); return EMIT_OK;
    case OP_sh1add: emit_shadd(e, d, 1, false); return EMIT_OK;
    case OP_sh2add: emit_shadd(e, d, 2, false); return EMIT_OK;
    case OP_sh3add: emit_shadd(e, d, 3, false); return EMIT_OK;
    case OP_add_uw: emit_shadd(e, d, 0, true); return EMIT_OK;
    case OP_sh1add_uw: emit_shadd(e, d, 1, true); return EMIT_OK;
    case OP_sh2add_uw: emit_shadd(e, d, 2, true); return EMIT_OK;
    case OP_sh3add_uw: emit_shadd(e, d, 3, true); return EMIT_OK;
    case OP_slli_uw:
        load_x32(e, RAX, d->rs1);
        shift_imm(e, true, SH_SHL, RAX, (uint8_t)d->imm);
        store_x(e, RAX, d->rd);
        return EMIT_OK;
    case OP_mul:   emit_mul(e, d, false); return EMIT_OK;
    case OP_mulw:  emit_mul(e, d, true); return EMIT_OK;
    case OP_lb:  return emit_load(e, d, 1, true, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_lh:  return emit_load(e, d, 2, true, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_lw:  return emit_load(e, d, 4, true, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_ld:  return emit_load(e, d, 8, false, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_lbu: return emit_load(e, d, 1, false, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_lhu: return emit_load(e, d, 2, false, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_lwu: return emit_load(e, d, 4, false, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_sb:  return emit_store(e, d, 1, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_sh:  return emit_store(e, d, 2, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_sw:  return emit_store(e, d, 4, off, retired) ? EMIT_OK : EMIT_NO;
    case OP_sd:  return emit_store(e, d, 8, off, retired) ? EMIT_OK : EMIT_NO;
#define AMO_CASES(name, kind) \
    case OP_##name##_w: emit_amo(e, d, 4, kind, off, retired); return EMIT_OK; \
    case OP_##name##_d: emit_amo(e, d, 8, kind, off, retired); return EMIT_OK;
    AMO_CASES(amoswap, AMO_SWAP) AMO_CASES(amoadd, AMO_ADD) AMO_CASES(amoand, AMO_AND)
    AMO_CASES(amoor, AMO_OR) AMO_CASES(amoxor, AMO_XOR) AMO_CASES(amomin, AMO_MIN)
    AMO_CASES(amomax, AMO_MAX) AMO_CASES(amominu, AMO_MINU) AMO_CASES(amomaxu, AMO_MAXU)
#undef AMO_CASES
    case OP_lr_w: emit_lr(e, d, 4, off, retired); return EMIT_OK;
    case OP_lr_d: emit_lr(e, d, 8, off, retired); return EMIT_OK;
    case OP_sc_w: emit_sc(e, d, 4, off, retired); return EMIT_OK;
    case OP_sc_d: emit_sc(e, d, 8, off, retired); return EMIT_OK;
    case OP_beq:  return emit_branch(e, d, JE, off, retired);
    case OP_bne:  return emit_branch(e, d, JNE, off, retired);
    case OP_blt:  return emit_branch(e, d, JL, off, retired);
    case OP_bge:  return emit_branch(e, d, JGE, off, retired);
    case OP_bltu: return emit_branch(e, d, JB, off, retired);
    case OP_bgeu: return emit_branch(e, d, JAE, off, retired);
    case OP_jal:
        guest_pc(e, RAX, off + d->len);
        store_x(e, RAX, d->rd);
        jump_flow(e, 0, (int64_t)off + d->imm, retired + 1);
        return EMIT_END;
    case OP_jalr:
        /* The target is read before rd is written: rd may be rs1. */
        load_x(e, RAX, d->rs1);
        if (d->imm)
            alu_imm(e, true, ALU_ADD, RAX, d->imm);
        alu_imm(e, true, ALU_AND, RAX, -2);
        guest_pc(e, RCX, off + d->len);
        store_x(e, RCX, d->rd);
        mov_rr(e, true, R15, RAX);                           /* the pc goes on in r15 */
        flush_dirty(e);                                      /* leaving the block */
        emit_lookup_chain(e, retired + 1);
        return EMIT_END;
    case OP_flw: emit_fp_load(e, d, 4, off, retired); return EMIT_OK;
    case OP_fld: emit_fp_load(e, d, 8, off, retired); return EMIT_OK;
    case OP_fsw: emit_fp_store(e, d, 4, off, retired); return EMIT_OK;
    case OP_fsd: emit_fp_store(e, d, 8, off, retired); return EMIT_OK;
    default:
        if (emit_fp_arith(e, d, base_op(d->op), off, retired) ||
            emit_fp_move(e, d, base_op(d->op), off, retired) ||
            emit_fp_compare(e, d, base_op(d->op), off, retired))
            return EMIT_OK;
        if (!jit_helper_handles(base_op(d->op)))
            return EMIT_NO;
        emit_helper_call(e, d, base_op(d->op), off, retired);
        return EMIT_OK;
    }
}

/* Count this block's instructions; leave (through the rel32 whose offset
 * is returned) when the budget is spent. */
static size_t emit_budget_check(struct emitter *e, unsigned retired)
{
    add_r8(e, retired);
    b1(e, 0x4c); b1(e, 0x3b); b1(e, 0x83);                  /* cmp r8, [rbx+budget] */
    b4(e, (uint32_t)offsetof(struct hart, jit_budget));
    b1(e, 0x0f); b1(e, 0x8d);                                /* jge out */
    size_t out = e->len;
    b4(e, 0);
    return out;
}

/* rdx points at a slot: jump into its block if it has one, else leave
 * (through the rel32 whose offset is returned). */
static size_t emit_enter_slot(struct emitter *e)
{
    b1(e, 0x8b); b1(e, 0x02);                                /* mov eax, [rdx]: handler */
    b1(e, 0x3d); b4(e, (uint32_t)e->jit->entry_handler);     /* cmp eax, compiled */
    b1(e, 0x0f); b1(e, 0x85);                                /* jne out */
    size_t out = e->len;
    b4(e, 0);
    b1(e, 0x48); b1(e, 0x63); b1(e, 0x42); b1(e, 0x04);     /* movsxd rax, [rdx+4]: block */
    b1(e, 0x48); b1(e, 0xba);                                /* mov rdx, chain table */
    emit_ptr(e, e->jit->chain);
    b1(e, 0xff); b1(e, 0x24); b1(e, 0xc2);                  /* jmp [rdx + rax*8] */
    return out;
}

/* Continue into the block compiled at page offset `target`, if there is
 * one and the budget allows; otherwise return. */
/* jmp rel32 at `at` (in the JIT's code) to `to`. */
static void write_jmp(uint8_t *at, const uint8_t *to)
{
    int32_t rel = (int32_t)(to - (at + 5));
    at[0] = 0xe9;
    memcpy(at + 1, &rel, 4);
}

/* The block compiled at the target, if any: where a chained jump enters it. */
static const uint8_t *compiled_target(const struct emitter *e, unsigned target)
{
    if (target == e->entry_off)
        return e->buf + e->chain_entry;  /* a loop back to this block's start */
    const struct dinsn *slot = (const struct dinsn *)(e->slots + (target >> 1) * 16);
    if (slot->handler != e->jit->entry_handler)
        return NULL;
    return e->jit->chain[slot->imm];
}

static unsigned pending_hash(const void *slots, unsigned target)
{
    uint64_t v = ((uint64_t)(uintptr_t)slots ^ target) * 0x9e3779b97f4a7c15ULL;
    return (unsigned)(v >> (64 - JIT_PENDING_BITS));
}

/* A chain jump at code offset `site` waits for the block at (slots,
 * target); with no room left it keeps going through the slot. */
static void add_pending(struct jit *j, const void *slots, unsigned target, uint32_t site)
{
    uint32_t i;
    if (j->pending_free) {
        i = j->pending_free - 1;
        j->pending_free = j->pending[i].next;
    } else if (j->npending < JIT_MAX_PENDING) {
        i = j->npending++;
    } else {
        return;
    }
    unsigned b = pending_hash(slots, target);
    j->pending[i] = (struct jit_pending){ slots, target, site, j->pending_head[b] };
    j->pending_head[b] = i + 1;
}

static void emit_chain(struct emitter *e, unsigned retired, unsigned target)
{
    size_t out1 = emit_budget_check(e, retired);
    const uint8_t *to = compiled_target(e, target);
    if (to) {
        write_jmp(e->buf + e->len, to);
        e->len += 5;
        patch_rel32(e, out1);
        emit_return(e, 0);
        return;
    }
    struct jit *j = e->jit;
    add_pending(j, e->slots, target, (uint32_t)(e->buf + e->len - j->code));
    b1(e, 0x48); b1(e, 0xba);                                /* mov rdx, &slot */
    emit_ptr(e, e->slots + (target >> 1) * 16);
    size_t out2 = emit_enter_slot(e);
    patch_rel32(e, out1);
    patch_rel32(e, out2);
    emit_return(e, 0);
}

/* rax and r15 hold the next guest pc: find its slot through
 * the fetch TLB, as the interpreter would, and continue into its block if
 * it has one and the budget allows; otherwise return. */
static void emit_lookup_chain(struct emitter *e, unsigned retired)
{
    size_t out1 = emit_budget_check(e, retired);
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xc1);                  /* mov rcx, rax */
    shift_imm(e, true, SH_SHR, RCX, 12);
    alu_imm(e, false, ALU_AND, RCX, TLB_SIZE - 1);
    shift_imm(e, false, SH_SHL, RCX, 4);                      /* index * sizeof(entry) */
    rm_rbx(e, true, 0x8b, RDX, (int32_t)offsetof(struct hart, fetch_tlb));
    b1(e, 0x48); b1(e, 0x01); b1(e, 0xca);                  /* add rdx, rcx */
    b1(e, 0x48); b1(e, 0x89); b1(e, 0xc6);                  /* mov rsi, rax */
    alu_imm(e, true, ALU_AND, RSI, (int32_t)0xfffff000u);
    b1(e, 0x48); b1(e, 0x3b); b1(e, 0x32);                  /* cmp rsi, [rdx]: tag */
    b1(e, 0x0f); b1(e, 0x85);                                /* jne out */
    size_t out2 = e->len;
    b4(e, 0);
    b1(e, 0x48); b1(e, 0x8b); b1(e, 0x52); b1(e, 0x08);     /* mov rdx, [rdx+8]: page */
    b1(e, 0x89); b1(e, 0xc1);                                /* mov ecx, eax */
    alu_imm(e, false, ALU_AND, RCX, 4095);
    b1(e, 0x48); b1(e, 0x8d); b1(e, 0x94); b1(e, 0xca);     /* lea rdx, [rdx+rcx*8+slots] */
    b4(e, (uint32_t)offsetof(struct code_page, slot));
    size_t out3 = emit_enter_slot(e);
    patch_rel32(e, out1);
    patch_rel32(e, out2);
    patch_rel32(e, out3);
    emit_return(e, 0);
}

/* Each exit stores the continuation pc, then chains or returns. */
static void emit_exits(struct emitter *e)
{
    for (unsigned i = 0; i < e->nexit; i++) {
        struct exit_ref *x = &e->exit[i];
        patch_rel32(e, x->patch);
        for (int k = 0; k < NCACHE; k++)
            if (x->flush[k] != NO_GUEST)
                write_back(e, cache_reg[k], x->flush[k]);
        add_delta(e, R15, x->delta);
        int64_t target = (int64_t)e->entry_off + x->delta;
        if (!x->chain)
            emit_return(e, x->retired);
        else if (target >= 0 && target < 4096)
            emit_chain(e, x->retired, (unsigned)target);
        else {
            mov_rr(e, true, RAX, R15);                       /* the lookup's argument */
            emit_lookup_chain(e, x->retired);
        }
    }
}

/* A block was compiled at (slots, off): chain jumps waiting for it now
 * jump there directly (this hart's own code: no other thread runs it). The
 * chain is found by hash: scanning every waiting jump was two thirds of
 * jit_compile's time in a Linux boot. */
static void link_pending(struct jit *j, const void *slots, unsigned off, const void *chain)
{
    uint32_t *link = &j->pending_head[pending_hash(slots, off)];
    while (*link) {
        uint32_t i = *link - 1;
        struct jit_pending *p = &j->pending[i];
        if (p->slots == slots && p->target == off) {
            write_jmp(j->code + p->site, chain);
            *link = p->next;
            p->next = j->pending_free;
            j->pending_free = i + 1;
        } else {
            link = &p->next;
        }
    }
}

/* One more instruction fits: its code, its exits and their stubs, and the
 * block's final exit. */
static bool room_for_insn(const struct emitter *e)
{
    unsigned exits = e->nexit + EXITS_PER_INSN + 1;
    return exits <= BLOCK_MAX_EXITS &&
           e->len + INSN_MAX_BYTES + (size_t)exits * EXIT_STUB_MAX_BYTES <= BLOCK_MAX_BYTES;
}

int jit_compile(struct jit *j, const uint8_t *page_host, uint64_t page_pa, const void *slots,
                unsigned entry_off)
{
    if (!j->enabled || jit_full(j))
        return -1;
    struct emitter e = { .buf = j->code + j->used, .jit = j, .slots = slots, .entry_off = entry_off };
    const uint8_t *host = page_host + entry_off;
    unsigned bytes_left = 4096 - entry_off;
    b1(&e, 0x53);                                            /* push rbx */
    b1(&e, 0x41); b1(&e, 0x54);                              /* push r12 (r12-r15: the */
    b1(&e, 0x41); b1(&e, 0x55);                              /* push r13  register cache; */
    b1(&e, 0x41); b1(&e, 0x56);                              /* push r14  five pushes keep */
    b1(&e, 0x41); b1(&e, 0x57);                              /* push r15  rsp 16-aligned) */
    b1(&e, 0x48); b1(&e, 0x89); b1(&e, 0xfb);                /* mov rbx, rdi */
    b1(&e, 0x4c); b1(&e, 0x8b); b1(&e, 0xbb);                /* mov r15, [rbx+pc] */
    b4(&e, (uint32_t)offsetof(struct hart, pc));
    cache_drop_all(&e);
    b1(&e, 0x45); b1(&e, 0x31); b1(&e, 0xc0);                /* xor r8d, r8d */
    size_t chain_entry = e.len;
    e.chain_entry = chain_entry;
    unsigned n = 0, off = 0;
    bool ended = false;
    while (n < JIT_MAX_INSNS && off + 2 <= bytes_left && room_for_insn(&e)) {
        uint32_t raw = ld16(host + off);
        if ((raw & 3) == 3) {
            if (off + 4 > bytes_left)
                break;
            raw = ld32(host + off);
        }
        struct decoded d;
        decode_insn(raw, &d);
        enum emit_result r = emit_insn(&e, &d, off, n);
        if (r == EMIT_NO)
            break;
        n++;
        off += d.len;
        if (r == EMIT_END) {
            ended = true;
            break;
        }
    }
    if (n == 0)
        return -1;
    if (!ended)
        jump_flow(&e, 0, off, n);
    emit_exits(&e);
    if (e.overflow || e.len > BLOCK_MAX_BYTES)
        return -1;  /* (the bounds above make this unreachable) */
    struct jit_block *b = &j->block[j->nblocks];
    b->fn = (jit_block_fn)(void *)(j->code + j->used);
    j->chain[j->nblocks] = j->code + j->used + chain_entry;
    if (perfmap)  /* one fprintf per line: stdio locks the stream, harts compile on their threads */
        fprintf(perfmap, "%lx %zx rivet-jit pa=0x%" PRIx64 " (%u insns)\n",
                (unsigned long)(uintptr_t)b->fn, e.len, page_pa + entry_off, n);
    j->used += (e.len + 15) & ~(size_t)15;
    j->compiled++;
    link_pending(j, slots, entry_off, j->chain[j->nblocks]);
    return (int)j->nblocks++;
}

#else

int jit_compile(struct jit *j, const uint8_t *page_host, uint64_t page_pa, const void *slots,
                unsigned entry_off)
{
    (void)j; (void)page_host; (void)page_pa; (void)slots; (void)entry_off;
    return -1;
}

#endif
