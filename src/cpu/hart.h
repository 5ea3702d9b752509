/* One RISC-V hart (RV64GC + Zba/Zbb/Zbc/Zbs + Sstc; M, S and U modes).
 *
 * The struct is ordered by how often its fields are touched: the integer
 * registers, pc and the current TLB pointers are used by nearly every
 * instruction and share the first cache lines; CSRs that only traps and
 * CSR instructions touch come later; the TLB arrays themselves last. */
#ifndef RIVET_HART_H
#define RIVET_HART_H

#include "cpu/decode.h"
#include "mem/bus.h"
#include "util/common.h"
#include "util/log.h"

enum priv { PRIV_U = 0, PRIV_S = 1, PRIV_M = 3 };

/* Address-translation contexts: a TLB per context, so that privilege
 * changes and the SUM toggling Linux does around user copies need no flush. */
enum mmu_ctx { MMU_U, MMU_S, MMU_S_SUM, MMU_M, MMU_CTX_COUNT };
enum access { ACC_FETCH, ACC_LOAD, ACC_STORE };

#define TLB_BITS 10
#define TLB_SIZE (1u << TLB_BITS)
/* Lookups compare the tag with the address masked by ~4095 | (size - 1),
 * which always clears bits 3..11: a tag with those bits set never matches
 * any access, aligned or not, of any size. */
#define TLB_INVALID (~0ULL)
_Static_assert((TLB_INVALID & 0xff8) == 0xff8, "an invalid tag must never match a lookup");

/* host address = guest virtual address + addend */
struct tlb_entry {
    uint64_t tag;
    uintptr_t addend;
};

struct code_page;
struct fetch_entry {
    uint64_t tag;
    struct code_page *page;
};

/* The TLBs for one translation regime: a satp value with V=0, or a
 * (vsatp, hgatp) pair with V=1, whose entries map guest virtual addresses
 * straight to host memory through both stages. Linux gives each process an
 * ASID and switches satp without SFENCE.VMA, and a hypervisor switches
 * vsatp and hgatp between guests, so a hart keeps a few sets and switches
 * between them instead of flushing. */
#define TLB_SETS 8

struct tlb_set {
    struct tlb_entry ld[MMU_CTX_COUNT][TLB_SIZE];
    struct tlb_entry st[MMU_CTX_COUNT][TLB_SIZE];
    struct fetch_entry fetch[4][TLB_SIZE];  /* indexed by privilege */
    uint64_t atp;           /* satp (V=0) or vsatp (V=1) these translations belong to */
    uint64_t hgatp;         /* with V=1 */
    bool virt;
    uint64_t last_use;      /* for choosing which set to recycle */
    uint8_t used;           /* TLBs filled since the last flush: bit c for data
                               context c, bit 4 + p for fetch at privilege p */
    /* Superpages with entries here: an SFENCE.VMA of an address inside one
     * must flush the set, since its 4 KiB entries sit at many indices. */
    uint8_t nsuper;
    bool super_overflow;
    uint64_t super_base[16], super_size[16];
    uint64_t super_lo, super_hi;  /* the span of them all (once they overflow the list) */
};

/* G-stage translations (guest physical page -> host physical page) that
 * the VS-stage walk needs for every page-table read: without them each
 * TLB miss with V=1 walks the G stage once per VS level. Keyed by the whole
 * hgatp (mode, VMID, root); flushed by HFENCE.GVMA and full TLB flushes,
 * never by a guest's SFENCE.VMA. Only entries whose PTE has A set are
 * filled, and a store needs D too, so A/D updates still walk. */
#define GTLB_SIZE 512

struct gtlb_entry {
    uint64_t gpa_page;      /* TLB_INVALID when empty */
    uint64_t hgatp;
    uint64_t hpa_page;
    uint64_t pte;           /* the leaf G-stage PTE, for its permissions */
};

enum {
#define EXC(name, code, desc) CAUSE_##name = code,
#define IRQ(name, code, desc)
#include "cpu/cause.def"
#undef EXC
#undef IRQ
};
enum {
#define EXC(name, code, desc)
#define IRQ(name, code, desc) IRQ_##name = code,
#include "cpu/cause.def"
#undef EXC
#undef IRQ
};
const char *cause_name(uint64_t cause, bool interrupt);
#define MIP_SSIP (1ULL << IRQ_SSI)
#define MIP_MSIP (1ULL << IRQ_MSI)
#define MIP_STIP (1ULL << IRQ_STI)
#define MIP_MTIP (1ULL << IRQ_MTI)
#define MIP_SEIP (1ULL << IRQ_SEI)
#define MIP_MEIP (1ULL << IRQ_MEI)
#define MIP_VSSIP (1ULL << IRQ_VSSI)
#define MIP_VSTIP (1ULL << IRQ_VSTI)
#define MIP_VSEIP (1ULL << IRQ_VSEI)
#define MIP_SGEIP (1ULL << IRQ_SGEI)
#define VS_INTERRUPTS (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)
#define HS_INTERRUPTS (VS_INTERRUPTS | MIP_SGEIP)  /* what hie and hip show */

/* mstatus fields */
#define MSTATUS_SIE   (1ULL << 1)
#define MSTATUS_MIE   (1ULL << 3)
#define MSTATUS_SPIE  (1ULL << 5)
#define MSTATUS_MPIE  (1ULL << 7)
#define MSTATUS_SPP   (1ULL << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP   (3ULL << 11)
#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS    (3ULL << 13)
#define MSTATUS_MPRV  (1ULL << 17)
#define MSTATUS_SUM   (1ULL << 18)
#define MSTATUS_MXR   (1ULL << 19)
#define MSTATUS_TVM   (1ULL << 20)
#define MSTATUS_TW    (1ULL << 21)
#define MSTATUS_TSR   (1ULL << 22)
#define MSTATUS_UXL   (3ULL << 32)
#define MSTATUS_SXL   (3ULL << 34)
#define MSTATUS_GVA   (1ULL << 38)
#define MSTATUS_MPV   (1ULL << 39)
#define MSTATUS_SD    (1ULL << 63)

/* hstatus fields */
#define HSTATUS_GVA   (1ULL << 6)
#define HSTATUS_SPV   (1ULL << 7)
#define HSTATUS_SPVP  (1ULL << 8)
#define HSTATUS_HU    (1ULL << 9)
#define HSTATUS_VTVM  (1ULL << 20)
#define HSTATUS_VTW   (1ULL << 21)
#define HSTATUS_VTSR  (1ULL << 22)
#define HSTATUS_VSXL  (3ULL << 32)
#define MENVCFG_STCE  (1ULL << 63)
#define MENVCFG_FIOM  1ULL
#define FS_OFF   0
#define FS_DIRTY 3

#define PMP_COUNT 16

struct pmp {
    uint8_t cfg[PMP_COUNT];
    uint64_t addr[PMP_COUNT];
    uint64_t lo[PMP_COUNT], hi[PMP_COUNT];  /* decoded [lo, hi) per entry; hi == 0: off */
    bool any_active;
    unsigned active_end;  /* entries at or above this index are all off */
};

struct hart;
struct cpu_shared;
struct code_cache;

#define TRIGGERS 4
struct trigger {
    uint64_t tdata1, tdata2;
};

/* What a hart needs from the board it sits on. */
struct hart_env {
    uint64_t (*read_time)(void *opaque);   /* mtime, 10 MHz */
    /* Name the code at a pc for diagnostics ("func+0x12"), or NULL. */
    const char *(*symbolize)(void *opaque, uint64_t pc, char *buf, size_t n);
    void *opaque;
};

/* The trap a helper wants the interpreter to take. */
struct exception {
    uint64_t cause;
    uint64_t tval;
    uint64_t tval2;   /* htval/mtval2: guest physical address >> 2 */
    uint64_t tinst;   /* htinst/mtinst */
    bool gva;         /* tval holds a guest virtual address */
};

/* Why a hart ended its slice early: it is waiting for another. */
enum spin_hint {
    SPIN_NONE,
    SPIN_PAUSE,     /* PAUSE (cpu_relax): let the others run */
    SPIN_WFI_BUSY,  /* WFI with an interrupt pending but disabled: a polling loop */
};

struct hart {
    /* ---- hot: every instruction ---- */
    uint64_t x[33];                     /* x[32] absorbs writes to x0 */
    uint64_t pc;
    struct tlb_entry *ld_tlb, *st_tlb;  /* the current data context's TLBs */
    struct fetch_entry *fetch_tlb;      /* the current privilege's fetch TLB */
    uint64_t f[32];
    uint64_t instret;                   /* retired instructions (minstret) */
    int64_t jit_budget;                 /* instructions chained JIT blocks may still run */
    uint8_t priv;
    uint8_t fs_off;                     /* mstatus.FS == Off: F instructions trap */
    uint8_t frm;                        /* fcsr.frm */
    uint8_t fflags;                     /* fcsr.fflags */
    bool wfi;                           /* waiting for an interrupt */
    uint8_t spin_hint;                  /* the slice ended in a spin-wait (enum spin_hint) */
    bool irq_maybe;                     /* re-evaluate interrupts before the next insn */
    bool irqs_held;                     /* a debugger's single step: take none (as QEMU) */
    struct tlb_set *tlb;                /* the set for the current satp */
    /* code_harts word of the RAM page at host address p: *(uint64_t *)
     * (code_by_host + (p >> 12) * 8). Stores check it before the fast path. */
    uintptr_t code_by_host;
    uint64_t tlb_clock;                 /* counts set switches, for last_use */

    /* ---- LR/SC ---- */
    bool resv_valid;
    uintptr_t resv_host;   /* the reserved location, as a host address */
    uint64_t resv_value;   /* what the LR read: the SC compares against it */

    /* ---- CSRs ---- */
    uint64_t mstatus;
    /* mip without the PLIC's S-mode line: device lines (MSIP, MTIP, MEIP,
     * SSIP from the ACLINT) and the bits software writes (SSIP, STIP, the
     * software SEIP). Other threads change it, so always through atomics:
     * hart_mip() to read, hart_set_irq() and mip_update() to write. */
    uint64_t mip;
    uint8_t seip_line;     /* the PLIC's line, ORed into mip.SEIP on reads */
    uint64_t mie, mideleg, medeleg;
    uint64_t mtvec, mepc, mcause, mtval, mscratch;
    uint64_t stvec, sepc, scause, stval, sscratch;
    uint64_t satp;
    uint64_t menvcfg, senvcfg;
    uint32_t mcounteren, scounteren, mcountinhibit;
    uint64_t stimecmp;
    uint64_t mcycle_offset, minstret_offset;   /* counter writes */
    uint64_t hartid;
    struct pmp pmp;

    /* ---- hypervisor extension (has_h: -cpu rv64,h=true) ---- */
    bool has_h;
    bool has_sstc;         /* Sstc (stimecmp, vstimecmp, menvcfg.STCE) */
    bool virt;             /* V: the hart runs in VS- or VU-mode */
    bool vstip_timer;      /* vstimecmp has passed (henvcfg.STCE): ORed into VSTIP */
    uint64_t hstatus, hedeleg, hideleg, hgatp, htval, htinst, htimedelta, henvcfg;
    uint32_t hcounteren;
    uint64_t vsstatus, vstvec, vsscratch, vsepc, vscause, vstval, vsatp, vstimecmp;
    uint64_t mtval2, mtinst;
    uint32_t insn;         /* the instruction a slow path works for: htinst/mtinst */

    /* ---- Sdtrig (trigger.c) ---- */
    struct trigger trig[TRIGGERS];
    uint8_t tselect;
    uint8_t trig_exec, trig_data;   /* armed for execute / load-store: a bit per trigger */
    bool trig_resync;               /* drop decoded code at the next safe point */
    uint64_t tcontrol, mcontext, scontext;

    struct bus *bus;
    struct code_cache *cc;  /* this hart's own decoded code and JIT blocks */
    struct hart_env env;
    struct log *log;
    struct exception exc;   /* filled by a helper that returns false */

    struct tlb_set tlb_set[TLB_SETS];
    struct gtlb_entry gtlb[GTLB_SIZE];
    bool gtlb_used;        /* filled since its last flush */
    /* Data TLB for a regime that is not the hart's own (M-mode with MPRV
     * and MPV=1): never filled, so every access takes the slow path. */
    struct tlb_entry nocache_tlb[TLB_SIZE];
};

/* False when out of host memory. */
bool hart_init(struct hart *h, uint64_t hartid, struct bus *bus, struct cpu_shared *shared,
               struct hart_env env, struct log *log);
void hart_reset(struct hart *h, uint64_t pc);

/* Run until `budget` steps have been taken, the hart waits for an
 * interrupt, or it must return for the board to act; returns the steps
 * taken: instructions retired plus traps taken, so that a loop of traps
 * also ends the slice. */
uint64_t hart_run(struct hart *h, uint64_t budget);

/* Debugger breakpoints (src/debug), without touching guest memory: while
 * hart_bp_offsets is set (a bitmap of the 2048 halfword offsets in a page),
 * slots decoded at a marked offset call hart_bp_hook(h, pc), which returns
 * true to stop the hart there (hart_run returns with h->pc at it). The
 * debugger flushes the code caches when it marks a new offset and keeps
 * the JIT off while any is marked. */
extern const uint64_t *volatile hart_bp_offsets;
extern bool (*hart_bp_hook)(struct hart *h, uint64_t pc);
/* Debugger watchpoints: while hart_watch is set, no data TLB entry is
 * installed for a page it claims (WATCH_PAGE), so accesses there take the
 * slow paths, which report every load and store to it. On a hit it sets
 * hart_debug_halt, which ends hart_run at the next sync (right after a
 * slow store; a load's hart stops at the end of its slice). */
enum { WATCH_PAGE, WATCH_LOAD, WATCH_STORE };
extern bool (*volatile hart_watch)(struct hart *h, uint64_t va, unsigned size, int kind);
extern volatile bool hart_debug_halt;

/* A device line into mip (MSIP, MTIP, MEIP, SEIP, SSIP); any thread. */
void hart_set_irq(struct hart *h, uint64_t mip_bit, bool level);
/* Called when another thread has made an interrupt pending for h, so that
 * a hart parked in WFI wakes; set by the board (NULL: nothing to wake). */
extern void (*hart_kick_hook)(struct hart *h);
/* Recompute time-driven state (Sstc STIP) from the current mtime. */
void hart_update_timer(struct hart *h, uint64_t mtime);
/* mtime at which this hart's Sstc timer fires, or UINT64_MAX. */
uint64_t hart_stimecmp_deadline(const struct hart *h);

/* trap.c */
void hart_take_trap(struct hart *h, uint64_t cause, uint64_t tval, bool interrupt);
bool hart_check_interrupts(struct hart *h);
uint64_t hart_pending_interrupts(const struct hart *h);
void hart_mret(struct hart *h);
void hart_sret(struct hart *h);

/* csr.c: false means an exception is in h->exc */
bool csr_access(struct hart *h, unsigned csr, unsigned op, uint64_t operand, bool do_write,
                uint64_t *old, uint32_t raw);
/* The CSR's name ("mstatus", "pmpaddr3"), or its number in hex. */
const char *csr_name(unsigned csr, char *buf, size_t n);
/* mstatus.FS or (V=1) vsstatus.FS changed: recompute fs_off and SD. */
void hart_sync_fs(struct hart *h);
enum { CSR_OP_RW, CSR_OP_RS, CSR_OP_RC };
void hart_update_mmu_ctx(struct hart *h);

/* trigger.c: Sdtrig. The *_fires functions leave a breakpoint exception
 * in h->exc and return true when a trigger matches. */
void trigger_reset(struct hart *h);
void trigger_write_tselect(struct hart *h, uint64_t v);
uint64_t trigger_read(const struct hart *h, unsigned n);
void trigger_write(struct hart *h, unsigned n, uint64_t v);
uint64_t trigger_tinfo(const struct hart *h);
void trigger_write_tcontrol(struct hart *h, uint64_t v);
void trigger_enter_m(struct hart *h);
void trigger_mret(struct hart *h);
bool trigger_exec_marks(const struct hart *h, uint64_t pc);
bool trigger_exec_fires(struct hart *h, uint64_t pc);
bool trigger_data_fires(struct hart *h, uint64_t va, unsigned size, bool store);
bool trigger_page_watched(const struct hart *h, uint64_t va_page);
void trigger_resync(struct hart *h);

/* mmu.c */
bool mmu_load_slow(struct hart *h, uint64_t va, unsigned size, uint64_t *value);
bool mmu_store_slow(struct hart *h, uint64_t va, unsigned size, uint64_t value);
bool mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, enum access acc, uint8_t **p,
                    uint64_t *pa);
bool mmu_fetch_page(struct hart *h, uint64_t va, struct code_page **page, uint64_t *pa);
bool mmu_fetch16(struct hart *h, uint64_t va, uint32_t *half);
void tlb_flush_all(struct hart *h);
/* satp, vsatp, hgatp or V changed: use (or recycle) the set for the new
 * regime. */
void tlb_switch_satp(struct hart *h);
/* HFENCE.VVMA/GVMA, SFENCE.VMA with V=1: forget every V=1 translation. */
void tlb_flush_virt(struct hart *h);
/* HFENCE.GVMA: the G-stage cache and every V=1 set. */
void tlb_flush_gstage(struct hart *h);
/* HLV/HLVX/HSV: an access as VS/VU (hstatus.SPVP) would make it. */
bool mmu_hlv(struct hart *h, uint64_t va, unsigned size, bool exec, uint64_t *value);
bool mmu_hsv(struct hart *h, uint64_t va, unsigned size, uint64_t value);
void tlb_flush_va(struct hart *h, uint64_t va);
/* SFENCE.VMA with an ASID (rs2 != x0): rs1 = x0 (all_va) or va. */
void tlb_flush_asid(struct hart *h, uint64_t asid, bool all_va, uint64_t va);
bool pmp_check(const struct hart *h, uint64_t pa, unsigned size, enum access acc, unsigned priv);
void pmp_update(struct hart *h);

/* Does the RAM page at host address `host` hold some hart's decoded code?
 * Then a store there must take the slow path, which tells the caches. */
static inline bool host_page_has_code(const struct hart *h, uintptr_t host)
{
    return __atomic_load_n((const uint64_t *)(h->code_by_host + (host >> 12) * 8),
                           __ATOMIC_RELAXED) != 0;
}

/* The effective mip: software bits, device lines, the PLIC's SEIP and the
 * VS timer. */
static inline uint64_t hart_mip(const struct hart *h)
{
    uint64_t line = __atomic_load_n(&h->seip_line, __ATOMIC_ACQUIRE) ? MIP_SEIP : 0;
    uint64_t vstimer = h->vstip_timer ? MIP_VSTIP : 0;
    return __atomic_load_n(&h->mip, __ATOMIC_ACQUIRE) | line | vstimer;
}

/* mip = (mip & ~mask) | (bits & mask), atomically against device lines. */
static inline void mip_update(struct hart *h, uint64_t mask, uint64_t bits)
{
    uint64_t old = __atomic_load_n(&h->mip, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&h->mip, &old, (old & ~mask) | (bits & mask), true,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        ;
}

static inline void raise_exc(struct hart *h, uint64_t cause, uint64_t tval)
{
    h->exc = (struct exception){ .cause = cause, .tval = tval };
}

/* Effective privilege of loads and stores (MPRV). */
static inline unsigned data_priv(const struct hart *h)
{
    if (h->priv == PRIV_M && (h->mstatus & MSTATUS_MPRV))
        return (unsigned)((h->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    return h->priv;
}

/* ... and whether they are virtualized (MPRV with MPV, as OpenSBI reads
 * guest memory). */
static inline bool data_virt(const struct hart *h)
{
    if (h->priv == PRIV_M && (h->mstatus & MSTATUS_MPRV))
        return data_priv(h) != PRIV_M && (h->mstatus & MSTATUS_MPV);
    return h->virt;
}

/* The status register that governs V=1 supervisor behaviour (SUM, MXR,
 * SIE...): vsstatus when virtualized, else mstatus. */
static inline uint64_t sstatus_of(const struct hart *h, bool virt)
{
    return virt ? h->vsstatus : h->mstatus;
}

#endif
