/* Address translation (Sv39/Sv48/Sv57), PMP, the software TLBs and the
 * slow paths of loads, stores and instruction fetch. */
#include <string.h>

#include "cpu/codecache.h"
#include "cpu/hart.h"

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_PPN_MASK ((1ULL << 44) - 1)
#define PTE_RESERVED (~0ULL << 54)  /* Svpbmt/Svnapot are not implemented */

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_A 0x18
#define PMP_L 0x80
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18

/* ---- TLB maintenance ------------------------------------------------- */

static void flush_set(struct tlb_set *t)
{
    for (unsigned c = 0; c < MMU_CTX_COUNT; c++) {
        if (!(t->used & (1u << c)))
            continue;
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            t->ld[c][i].tag = TLB_INVALID;
            t->st[c][i].tag = TLB_INVALID;
        }
    }
    for (unsigned p = 0; p < 4; p++) {
        if (!(t->used & (0x10u << p)))
            continue;
        for (unsigned i = 0; i < TLB_SIZE; i++)
            t->fetch[p][i].tag = TLB_INVALID;
    }
    t->used = 0;
    t->nsuper = 0;
    t->super_overflow = false;
    t->super_lo = UINT64_MAX;
    t->super_hi = 0;
}

static void note_superpage(struct tlb_set *t, uint64_t va, uint64_t bytes)
{
    uint64_t base = va & ~(bytes - 1);
    t->super_lo = base < t->super_lo ? base : t->super_lo;
    t->super_hi = base + bytes > t->super_hi ? base + bytes : t->super_hi;
    for (unsigned i = 0; i < t->nsuper; i++)
        if (t->super_base[i] == base && t->super_size[i] == bytes)
            return;
    if (t->nsuper == ARRAY_SIZE(t->super_base)) {
        t->super_overflow = true;
        return;
    }
    t->super_base[t->nsuper] = base;
    t->super_size[t->nsuper++] = bytes;
}

static bool in_superpage(const struct tlb_set *t, uint64_t va)
{
    if (t->super_overflow)  /* Linux's linear map alone has 128 superpages at 256 MiB: */
        return va - t->super_lo < t->super_hi - t->super_lo;  /* user addresses lie outside */
    for (unsigned i = 0; i < t->nsuper; i++)
        if (va - t->super_base[i] < t->super_size[i])
            return true;
    return false;
}

static void flush_gtlb(struct hart *h)
{
    if (!h->gtlb_used)
        return;
    for (unsigned i = 0; i < GTLB_SIZE; i++)
        h->gtlb[i].gpa_page = TLB_INVALID;
    h->gtlb_used = false;
}

void tlb_flush_gstage(struct hart *h)
{
    flush_gtlb(h);
    tlb_flush_virt(h);
}

/* Only the TLBs filled since their last flush are cleared. */
void tlb_flush_all(struct hart *h)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        flush_set(&h->tlb_set[s]);
    flush_gtlb(h);
}

static bool set_matches(const struct tlb_set *t, const struct hart *h)
{
    if (t->virt != h->virt)
        return false;
    return h->virt ? t->atp == h->vsatp && t->hgatp == h->hgatp : t->atp == h->satp;
}

void tlb_switch_satp(struct hart *h)
{
    if (set_matches(h->tlb, h))
        goto found_current;
    struct tlb_set *best = &h->tlb_set[0];
    for (unsigned s = 0; s < TLB_SETS; s++) {
        struct tlb_set *t = &h->tlb_set[s];
        if (set_matches(t, h)) {
            best = t;
            goto found;
        }
        if (t->last_use < best->last_use)
            best = t;
    }
    flush_set(best);
    best->virt = h->virt;
    best->atp = h->virt ? h->vsatp : h->satp;
    best->hgatp = h->virt ? h->hgatp : 0;
found:
    best->last_use = ++h->tlb_clock;
    h->tlb = best;
found_current:
    hart_update_mmu_ctx(h);
}

void tlb_flush_virt(struct hart *h)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        if (h->tlb_set[s].virt)
            flush_set(&h->tlb_set[s]);
}

static void flush_set_va(struct tlb_set *t, uint64_t va)
{
    if (in_superpage(t, va)) {
        flush_set(t);
        return;
    }
    uint64_t tag = va & ~4095ULL;
    unsigned i = (va >> 12) & (TLB_SIZE - 1);
    for (unsigned c = 0; c < MMU_CTX_COUNT; c++) {
        if (t->ld[c][i].tag == tag)
            t->ld[c][i].tag = TLB_INVALID;
        if (t->st[c][i].tag == tag)
            t->st[c][i].tag = TLB_INVALID;
    }
    for (unsigned p = 0; p < 4; p++)
        if (t->fetch[p][i].tag == tag)
            t->fetch[p][i].tag = TLB_INVALID;
}

void tlb_flush_va(struct hart *h, uint64_t va)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        flush_set_va(&h->tlb_set[s], va);
}

/* Only the sets of that address space (a satp or vsatp with this ASID):
 * the others keep their entries, global mappings among them, which an
 * SFENCE.VMA with an ASID does not concern. Linux flushes a process's
 * mappings this way at exec, exit and munmap. */
void tlb_flush_asid(struct hart *h, uint64_t asid, bool all_va, uint64_t va)
{
    for (unsigned s = 0; s < TLB_SETS; s++) {
        struct tlb_set *t = &h->tlb_set[s];
        if (((t->atp >> 44) & 0xffff) != (asid & 0xffff))
            continue;
        if (all_va)
            flush_set(t);
        else
            flush_set_va(t, va);
    }
}

/* The data context of the current regime; with MPRV and MPV from M-mode
 * the regime is not the hart's own and accesses are not cached. */
static unsigned mmu_ctx(const struct hart *h)
{
    switch (data_priv(h)) {
    case PRIV_M: return MMU_M;
    case PRIV_S: return (sstatus_of(h, h->virt) & MSTATUS_SUM) ? MMU_S_SUM : MMU_S;
    default: return MMU_U;
    }
}

static bool data_cached(const struct hart *h)
{
    return data_virt(h) == h->virt;
}

void hart_update_mmu_ctx(struct hart *h)
{
    unsigned c = mmu_ctx(h);
    bool cached = data_cached(h);
    h->ld_tlb = cached ? h->tlb->ld[c] : h->nocache_tlb;
    h->st_tlb = cached ? h->tlb->st[c] : h->nocache_tlb;
    h->fetch_tlb = h->tlb->fetch[h->priv];
}

/* ---- PMP ------------------------------------------------------------- */

void pmp_update(struct hart *h)
{
    struct pmp *p = &h->pmp;
    p->any_active = false;
    p->active_end = 0;
    for (unsigned i = 0; i < PMP_COUNT; i++) {
        uint64_t a = p->addr[i];
        p->lo[i] = p->hi[i] = 0;
        switch (p->cfg[i] & PMP_A) {
        case PMP_TOR:
            p->lo[i] = i ? p->addr[i - 1] << 2 : 0;
            p->hi[i] = a << 2;
            break;
        case PMP_NA4:
            p->lo[i] = a << 2;
            p->hi[i] = (a << 2) + 4;
            break;
        case PMP_NAPOT: {
            unsigned ones = (unsigned)__builtin_ctzll(~a | (1ULL << 63));
            uint64_t size = ones + 3 >= 56 ? (1ULL << 56) : 1ULL << (ones + 3);
            p->lo[i] = (a << 2) & ~(size - 1) & ((1ULL << 56) - 1);
            p->hi[i] = p->lo[i] + size;
            break;
        }
        }
        if (p->cfg[i] & PMP_A) {
            p->any_active = true;
            p->active_end = i + 1;
        }
    }
}

enum { PMP_NO_MATCH = -1, PMP_PARTIAL = -2 };

/* The lowest-numbered entry that matches [pa, pa+size), PMP_NO_MATCH, or
 * PMP_PARTIAL when that entry covers only part of the range. */
static int pmp_lookup(const struct pmp *p, uint64_t pa, uint64_t size)
{
    uint64_t end = pa + size;
    for (int i = 0; i < (int)p->active_end; i++) {
        if (!(p->cfg[i] & PMP_A) || p->hi[i] <= p->lo[i])
            continue;
        if (pa >= p->lo[i] && end <= p->hi[i])
            return i;
        if (pa < p->hi[i] && end > p->lo[i])
            return PMP_PARTIAL;
    }
    return PMP_NO_MATCH;
}

static bool pmp_allows(const struct pmp *p, int entry, enum access acc, unsigned priv)
{
    if (entry == PMP_PARTIAL)
        return false;
    if (entry == PMP_NO_MATCH)
        return priv == PRIV_M;
    uint8_t cfg = p->cfg[entry];
    if (priv == PRIV_M && !(cfg & PMP_L))
        return true;
    static const uint8_t need[] = { [ACC_FETCH] = PMP_X, [ACC_LOAD] = PMP_R, [ACC_STORE] = PMP_W };
    return cfg & need[acc];
}

bool pmp_check(const struct hart *h, uint64_t pa, unsigned size, enum access acc, unsigned priv)
{
    /* Like QEMU: until some entry is programmed, nothing is restricted. */
    if (!h->pmp.any_active)
        return true;
    return pmp_allows(&h->pmp, pmp_lookup(&h->pmp, pa, size), acc, priv);
}

/* May a whole page be cached in a TLB for this access? */
static bool pmp_page_cacheable(const struct hart *h, uint64_t pa_page, enum access acc, unsigned priv)
{
    if (!h->pmp.any_active)
        return true;
    int e = pmp_lookup(&h->pmp, pa_page, 4096);
    return e != PMP_PARTIAL && pmp_allows(&h->pmp, e, acc, priv);
}

/* ---- page-table walks ---------------------------------------------------- */

/* What an access is, threaded through both stages of the walk (Spike's
 * access descriptor): the faults it raises depend on all of it. */
struct access_desc {
    uint64_t va;          /* the address the instruction used: tval */
    enum access acc;
    unsigned priv;        /* U or S for translated accesses */
    bool virt;            /* two stages: VS (vsatp) then G (hgatp) */
    bool hlvx;            /* HLVX: execute permission stands in for read */
    uint32_t insn;        /* the instruction, for htinst/mtinst (0: none) */
};

static const uint8_t page_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_PAGE, [ACC_LOAD] = CAUSE_LOAD_PAGE, [ACC_STORE] = CAUSE_STORE_PAGE,
};
static const uint8_t guest_page_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_GUEST_PAGE, [ACC_LOAD] = CAUSE_LOAD_GUEST_PAGE,
    [ACC_STORE] = CAUSE_STORE_GUEST_PAGE,
};
static const uint8_t access_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_ACCESS, [ACC_LOAD] = CAUSE_LOAD_ACCESS, [ACC_STORE] = CAUSE_STORE_ACCESS,
};
static const char *const access_name[] = { "fetch", "load", "store" };

/* Pseudo-instructions htinst holds for a fault on an implicit access to a
 * VS-level page table (RV64: a 64-bit read, or the A/D write). */
#define TINST_PTE_READ  0x00003000u
#define TINST_PTE_WRITE 0x00003020u

/* A fault whose tval is the access's address. */
static bool fault(struct hart *h, const struct access_desc *a, uint64_t cause)
{
    raise_exc(h, cause, a->va);
    h->exc.gva = a->virt;
    return false;
}

static bool page_fault(struct hart *h, const struct access_desc *a, const char *why)
{
    log_msg(h->log, LOG_MMU, "mmu: %s%s page fault at 0x%llx: %s\n", a->virt ? "VS-stage " : "",
            access_name[a->acc], (unsigned long long)a->va, why);
    return fault(h, a, page_fault_cause[a->acc]);
}

static bool guest_page_fault(struct hart *h, const struct access_desc *a, uint64_t gpa,
                             uint32_t tinst, const char *why)
{
    log_msg(h->log, LOG_MMU, "mmu: guest-page fault (%s) at 0x%llx, GPA 0x%llx: %s\n",
            access_name[a->acc], (unsigned long long)a->va, (unsigned long long)gpa, why);
    fault(h, a, guest_page_fault_cause[a->acc]);
    h->exc.tval2 = gpa >> 2;
    h->exc.tinst = tinst;
    return false;
}

/* The instruction as htinst reports it for an explicit access: the same
 * operation with its address offset (0 here: the fault is at the address
 * the instruction formed) in place of rs1 and no immediate; a compressed
 * one as its 32-bit form with bit 1 clear. */
static uint32_t transformed_insn(uint32_t raw)
{
    if ((raw & 3) != 3 && raw) {
        struct decoded d;
        decode_insn(raw, &d);
        unsigned rd = d.rd == XREG_SINK ? 0 : d.rd;
        switch (d.op) {
        case OP_lw_c:  return (2u << 12) | (rd << 7) | 0x01;
        case OP_ld_c:  return (3u << 12) | (rd << 7) | 0x01;
        case OP_fld_c: return (3u << 12) | (rd << 7) | 0x05;
        case OP_sw_c:  return ((unsigned)d.rs2 << 20) | (2u << 12) | 0x21;
        case OP_sd_c:  return ((unsigned)d.rs2 << 20) | (3u << 12) | 0x21;
        case OP_fsd_c: return ((unsigned)d.rs2 << 20) | (3u << 12) | 0x25;
        default:       return 0;
        }
    }
    switch (raw & 0x7f) {
    case 0x03: case 0x07: return raw & 0x00007fffu;   /* loads: no imm, no rs1 */
    case 0x23: case 0x27: return raw & 0x01f0707fu;   /* stores: rs2, funct3 */
    case 0x2f: case 0x73: return raw & ~(0x1fu << 15); /* AMO, HLV/HSV: no rs1 */
    default:              return 0;
    }
}

static bool leaf_permits(uint64_t pte, enum access acc, unsigned priv, uint64_t status,
                         bool mxr, bool hlvx)
{
    if (priv == PRIV_U && !(pte & PTE_U))
        return false;
    if (priv == PRIV_S && (pte & PTE_U) && (acc == ACC_FETCH || !(status & MSTATUS_SUM)))
        return false;
    switch (acc) {
    case ACC_FETCH: return pte & PTE_X;
    case ACC_LOAD:  return hlvx ? (pte & PTE_X) : (pte & PTE_R) || (mxr && (pte & PTE_X));
    default:        return pte & PTE_W;
    }
}

enum ad_result { AD_DONE, AD_CHANGED, AD_FAULT };

static enum ad_result update_ad_bits(struct hart *h, uint64_t pte_pa, uint64_t old, uint64_t new)
{
    uint64_t *p = bus_ram_ptr(h->bus, pte_pa, 8);
    if (!p)
        return bus_store(h->bus, pte_pa, 8, new) ? AD_DONE : AD_FAULT;
    if (!__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
        return AD_CHANGED;
    bus_ram_written(h->bus, pte_pa, 8);
    return AD_DONE;
}

/* Read a PTE at host physical address pte_pa (checked as S-mode by PMP). */
static bool read_pte(struct hart *h, const struct access_desc *a, uint64_t pte_pa, uint64_t *pte)
{
    if (!pmp_check(h, pte_pa, 8, ACC_LOAD, PRIV_S) || !bus_load(h->bus, pte_pa, 8, pte))
        return fault(h, a, access_fault_cause[a->acc]);
    return true;
}

enum { GSTAGE_BARE_BYTES = 1 << 30 };  /* no G stage: do not limit the page size */

/* G stage: guest physical gpa to host physical *hpa, for the access a (or,
 * for an implicit VS page-table access, checked as `check` and reported
 * with `tinst`). Every G-stage access is checked as a U-mode access; an
 * implicit read needs R: neither MXR nor HLVX's execute permission stands
 * in for it. */
static bool g_stage(struct hart *h, const struct access_desc *a, uint64_t gpa, enum access check,
                    uint32_t tinst, uint64_t *hpa, uint64_t *page_bytes)
{
    bool implicit = tinst == TINST_PTE_READ || tinst == TINST_PTE_WRITE;
    bool mxr = !implicit && (h->mstatus & MSTATUS_MXR);
    bool hlvx = !implicit && a->hlvx;
    unsigned mode = (unsigned)(h->hgatp >> 60);
    if (mode == 0) {
        *hpa = gpa;
        *page_bytes = GSTAGE_BARE_BYTES;
        return true;
    }
    struct gtlb_entry *g = &h->gtlb[(gpa >> 12) & (GTLB_SIZE - 1)];
    uint64_t need = PTE_A | (check == ACC_STORE ? PTE_D : 0);
    if (g->gpa_page == (gpa & ~4095ULL) && g->hgatp == h->hgatp && (g->pte & need) == need &&
        leaf_permits(g->pte, check, PRIV_U, 0, mxr, hlvx)) {
        *hpa = g->hpa_page | (gpa & 4095);
        *page_bytes = 4096;
        return true;
    }
    unsigned levels = mode - 5;  /* Sv39x4 = 8 -> 3 ... Sv57x4 = 10 -> 5 */
    if (gpa >> (12 + 9 * levels + 2))
        return guest_page_fault(h, a, gpa, tinst, "GPA wider than hgatp's mode");
    uint64_t table = ((h->hgatp & PTE_PPN_MASK) & ~3ULL) << 12;  /* 16 KiB root */
    for (int lvl = (int)levels - 1; lvl >= 0; lvl--) {
        unsigned shift = 12 + 9 * (unsigned)lvl;
        uint64_t index = (gpa >> shift) & (lvl == (int)levels - 1 ? 2047 : 511);
        uint64_t pte_pa = table + index * 8, pte;
        if (!read_pte(h, a, pte_pa, &pte))
            return false;
        if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) || (pte & PTE_RESERVED))
            return guest_page_fault(h, a, gpa, tinst, "invalid G-stage PTE");
        if (!(pte & (PTE_R | PTE_X))) {
            table = ((pte >> 10) & PTE_PPN_MASK) << 12;
            continue;
        }
        if (!leaf_permits(pte, check, PRIV_U, 0, mxr, hlvx))
            return guest_page_fault(h, a, gpa, tinst, "G-stage permission");
        uint64_t ppn = (pte >> 10) & PTE_PPN_MASK, span = 1ULL << shift;
        if (ppn & ((span >> 12) - 1))
            return guest_page_fault(h, a, gpa, tinst, "misaligned G-stage superpage");
        if ((pte & need) != need) {
            if (!pmp_check(h, pte_pa, 8, ACC_STORE, PRIV_S))
                return fault(h, a, access_fault_cause[a->acc]);
            enum ad_result r = update_ad_bits(h, pte_pa, pte, pte | need);
            if (r == AD_CHANGED)
                return g_stage(h, a, gpa, check, tinst, hpa, page_bytes);
            if (r == AD_FAULT)
                return fault(h, a, access_fault_cause[a->acc]);
        }
        *hpa = (ppn << 12) | (gpa & (span - 1));
        *page_bytes = span;
        *g = (struct gtlb_entry){ .gpa_page = gpa & ~4095ULL, .hgatp = h->hgatp,
                                  .hpa_page = *hpa & ~4095ULL, .pte = pte | need };
        h->gtlb_used = true;
        return true;
    }
    return guest_page_fault(h, a, gpa, tinst, "no G-stage leaf");
}

/* Where a page-table entry at (guest) physical address pte_addr lives:
 * with V=1 page tables are in guest physical memory, reached through the
 * G stage as implicit loads (or stores, for A/D updates). */
static bool pte_host_address(struct hart *h, const struct access_desc *a, uint64_t pte_addr,
                             bool write, uint64_t *pte_pa)
{
    if (!a->virt) {
        *pte_pa = pte_addr;
        return true;
    }
    uint64_t bytes;
    return g_stage(h, a, pte_addr, write ? ACC_STORE : ACC_LOAD,
                   write ? TINST_PTE_WRITE : TINST_PTE_READ, pte_pa, &bytes);
}

/* The first stage: satp with V=0, vsatp with V=1. *out is a physical
 * address, or a guest physical one with V=1. */
static bool stage1(struct hart *h, const struct access_desc *a, uint64_t *out,
                   uint64_t *page_bytes)
{
    uint64_t atp = a->virt ? h->vsatp : h->satp;
    unsigned mode = (unsigned)(atp >> 60);
    if (mode == 0) {
        *out = a->va;
        *page_bytes = GSTAGE_BARE_BYTES;
        return true;
    }
    unsigned levels = mode - 5;  /* Sv39 = 8 -> 3, Sv48 = 9 -> 4, Sv57 = 10 -> 5 */
    if ((uint64_t)sext(a->va, 12 + 9 * levels) != a->va)
        return page_fault(h, a, "address not canonical");
    uint64_t status = sstatus_of(h, a->virt);
    bool mxr = (status | h->mstatus) & MSTATUS_MXR;
    uint64_t table = (atp & PTE_PPN_MASK) << 12;
    for (int lvl = (int)levels - 1; lvl >= 0; lvl--) {
        unsigned shift = 12 + 9 * (unsigned)lvl;
        uint64_t pte_addr = table + ((a->va >> shift) & 511) * 8, pte_pa, pte;
        if (!pte_host_address(h, a, pte_addr, false, &pte_pa) || !read_pte(h, a, pte_pa, &pte))
            return false;
        if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) || (pte & PTE_RESERVED))
            return page_fault(h, a, "invalid PTE");
        if (!(pte & (PTE_R | PTE_X))) {
            table = ((pte >> 10) & PTE_PPN_MASK) << 12;
            continue;
        }
        if (!leaf_permits(pte, a->acc, a->priv, status, mxr, a->hlvx))
            return page_fault(h, a, "permission");
        uint64_t ppn = (pte >> 10) & PTE_PPN_MASK, span = 1ULL << shift;
        if (ppn & ((span >> 12) - 1))
            return page_fault(h, a, "misaligned superpage");
        uint64_t need = PTE_A | (a->acc == ACC_STORE ? PTE_D : 0);
        if ((pte & need) != need) {
            /* Hardware A/D update, as QEMU does: atomically, and only if
             * the PTE still holds what the walk read (another hart or the
             * OS may have changed it); otherwise walk again. */
            if (!pte_host_address(h, a, pte_addr, true, &pte_pa))
                return false;
            if (!pmp_check(h, pte_pa, 8, ACC_STORE, PRIV_S))
                return fault(h, a, access_fault_cause[a->acc]);
            enum ad_result r = update_ad_bits(h, pte_pa, pte, pte | need);
            if (r == AD_CHANGED)
                return stage1(h, a, out, page_bytes);
            if (r == AD_FAULT)
                return fault(h, a, access_fault_cause[a->acc]);
        }
        *out = (ppn << 12) | (a->va & (span - 1));
        *page_bytes = span;
        return true;
    }
    return page_fault(h, a, "no leaf");
}

/* Translate a's address to a host physical one. On success *page_bytes is
 * the size of the mapping (the smaller of the two stages'). */
static bool translate(struct hart *h, const struct access_desc *a, uint64_t *pa,
                      uint64_t *page_bytes)
{
    if (a->priv == PRIV_M) {
        *pa = a->va;
        *page_bytes = 4096;
        return true;
    }
    uint64_t gpa, bytes1, bytes2;
    if (!stage1(h, a, a->virt ? &gpa : pa, &bytes1))
        return false;
    if (!a->virt) {
        *page_bytes = bytes1 == GSTAGE_BARE_BYTES ? 4096 : bytes1;
        return true;
    }
    if (!g_stage(h, a, gpa, a->acc, transformed_insn(a->insn), pa, &bytes2))
        return false;
    /* The span an SFENCE.VMA must treat as one mapping: the VS stage's (a
     * G-stage change is flushed by HFENCE.GVMA, which drops every V set). */
    *page_bytes = bytes1 == GSTAGE_BARE_BYTES ? 4096 : bytes1;
    return true;
}

/* ---- data accesses ----------------------------------------------------- */

/* Cache the translation of va's page. The host page must lie wholly inside
 * guest RAM or ROM: the fast paths add the addend to any address that
 * matches the tag, without further checks. */
static void tlb_install(struct hart *h, struct tlb_entry *tlb, uint64_t va, struct memory *m,
                        uint64_t pa, uint64_t page_bytes)
{
    uint64_t pa_page = pa & ~4095ULL;
    if (!memory_has_page(m, pa_page) || !data_cached(h))
        return;
    if (unlikely(hart_watch != NULL) && hart_watch(h, va & ~4095ULL, 4096, WATCH_PAGE))
        return;  /* a debugger watches this page: every access must come here */
    if (unlikely(h->trig_data) && trigger_page_watched(h, va & ~4095ULL))
        return;  /* so must accesses a load/store trigger may match */
    uint8_t *host = memory_ptr(m, pa_page);
    h->tlb->used |= (uint8_t)(1u << mmu_ctx(h));
    struct tlb_entry *e = &tlb[(va >> 12) & (TLB_SIZE - 1)];
    e->tag = va & ~4095ULL;
    e->addend = (uintptr_t)host - (va & ~4095ULL);
    if (page_bytes > 4096)
        note_superpage(h->tlb, va, page_bytes);
}

static struct access_desc data_access(const struct hart *h, uint64_t va, enum access acc)
{
    return (struct access_desc){ .va = va, .acc = acc, .priv = data_priv(h),
                                 .virt = data_virt(h), .insn = h->insn };
}

/* Translate one naturally-contained access and check PMP; on success say
 * where it lands. */
static bool resolve_access(struct hart *h, const struct access_desc *a, unsigned size,
                           uint64_t *pa, struct memory **mem, uint64_t *page_bytes)
{
    if (!translate(h, a, pa, page_bytes))
        return false;
    if (!pmp_check(h, *pa, size, a->acc, a->priv))
        return fault(h, a, access_fault_cause[a->acc]);
    *mem = bus_memory(h->bus, *pa, size);
    return true;
}

static bool resolve(struct hart *h, uint64_t va, unsigned size, enum access acc,
                    uint64_t *pa, struct memory **mem, uint64_t *page_bytes)
{
    struct access_desc a = data_access(h, va, acc);
    return resolve_access(h, &a, size, pa, mem, page_bytes);
}

/* LR, SC and AMOs on a TLB miss: the host address of the (aligned)
 * access and its physical address, the page installed in the load or store
 * TLB as a load's or store's would be, so that the next one hits (compiled
 * blocks run them from the TLBs only). NULL *p: not RAM (not writable RAM
 * for a store), which LR and AMOs report as an access fault and SC as a
 * failure. */
bool mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, enum access acc, uint8_t **p,
                     uint64_t *pa)
{
    uint64_t page_bytes;
    struct memory *m;
    if (!resolve(h, va, size, acc, pa, &m, &page_bytes))
        return false;
    *p = NULL;
    if (!m || (acc == ACC_STORE && m->readonly))
        return true;
    *p = memory_ptr(m, *pa);
    if (pmp_page_cacheable(h, *pa & ~4095ULL, acc, data_priv(h)))
        tlb_install(h, acc == ACC_STORE ? h->st_tlb : h->ld_tlb, va, m, *pa, page_bytes);
    return true;
}

/* Misaligned accesses to RAM complete byte by byte (as on QEMU); to a
 * device they raise the misaligned exception, and where nothing is mapped
 * an access fault (as QEMU and Spike). Every byte is translated and checked
 * before any is accessed, so a fault leaves memory untouched. */
static bool resolve_bytes(struct hart *h, uint64_t va, unsigned size, enum access acc,
                          uint64_t pa[8])
{
    uint64_t page_bytes;
    struct memory *m;
    for (unsigned i = 0; i < size; i++) {
        struct access_desc a = data_access(h, va + i, acc);
        if (!resolve_access(h, &a, 1, &pa[i], &m, &page_bytes))
            return false;
        if (!m && !bus_is_device(h->bus, pa[i]))
            return fault(h, &a, access_fault_cause[acc]);
        if (!m) {
            a.va = va;
            return fault(h, &a, acc == ACC_LOAD ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE);
        }
    }
    return true;
}

static bool load_misaligned(struct hart *h, uint64_t va, unsigned size, uint64_t *value)
{
    uint64_t pa[8], v = 0, byte;
    if (!resolve_bytes(h, va, size, ACC_LOAD, pa))
        return false;
    for (unsigned i = 0; i < size; i++) {
        bus_load(h->bus, pa[i], 1, &byte);
        v |= byte << (8 * i);
    }
    *value = v;
    return true;
}

static bool store_misaligned(struct hart *h, uint64_t va, unsigned size, uint64_t value)
{
    uint64_t pa[8];
    if (!resolve_bytes(h, va, size, ACC_STORE, pa))
        return false;
    for (unsigned i = 0; i < size; i++)
        bus_store(h->bus, pa[i], 1, (value >> (8 * i)) & 0xff);
    return true;
}

bool (*volatile hart_watch)(struct hart *h, uint64_t va, unsigned size, int kind);

bool mmu_load_slow(struct hart *h, uint64_t va, unsigned size, uint64_t *value)
{
    if (unlikely(hart_watch != NULL))
        hart_watch(h, va, size, WATCH_LOAD);
    if (unlikely(h->trig_data) && trigger_data_fires(h, va, size, false))
        return false;  /* Sdtrig: a breakpoint exception before the access */
    if (va & (size - 1))
        return load_misaligned(h, va, size, value);
    uint64_t pa, page_bytes;
    struct memory *m;
    if (!resolve(h, va, size, ACC_LOAD, &pa, &m, &page_bytes))
        return false;
    if (m) {
        *value = guest_ld(memory_ptr(m, pa), size);
        if (pmp_page_cacheable(h, pa & ~4095ULL, ACC_LOAD, data_priv(h)))
            tlb_install(h, h->ld_tlb, va, m, pa, page_bytes);
        return true;
    }
    /* a device read (e.g. a PLIC claim) can change interrupt lines */
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    if (!bus_load(h->bus, pa, size, value)) {
        struct access_desc a = data_access(h, va, ACC_LOAD);
        return fault(h, &a, CAUSE_LOAD_ACCESS);
    }
    return true;
}

bool mmu_store_slow(struct hart *h, uint64_t va, unsigned size, uint64_t value)
{
    if (unlikely(hart_watch != NULL))
        hart_watch(h, va, size, WATCH_STORE);
    if (unlikely(h->trig_data) && trigger_data_fires(h, va, size, true))
        return false;  /* Sdtrig: a breakpoint exception before the access */
    if (va & (size - 1))
        return store_misaligned(h, va, size, value);
    uint64_t pa, page_bytes;
    struct memory *m;
    if (!resolve(h, va, size, ACC_STORE, &pa, &m, &page_bytes))
        return false;
    if (m) {
        bus_store(h->bus, pa, size, value);
        if (!m->readonly && pmp_page_cacheable(h, pa & ~4095ULL, ACC_STORE, data_priv(h)))
            tlb_install(h, h->st_tlb, va, m, pa, page_bytes);
        return true;
    }
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    if (!bus_store(h->bus, pa, size, value)) {
        struct access_desc a = data_access(h, va, ACC_STORE);
        return fault(h, &a, CAUSE_STORE_ACCESS);
    }
    return true;
}

/* ---- instruction fetch ------------------------------------------------- */

static bool fetch_resolve(struct hart *h, uint64_t va, uint64_t *pa, struct memory **m,
                          uint64_t *page_bytes)
{
    struct access_desc a = { .va = va, .acc = ACC_FETCH, .priv = h->priv, .virt = h->virt };
    if (!translate(h, &a, pa, page_bytes))
        return false;
    *m = bus_memory(h->bus, *pa, 2);
    if (!*m || !pmp_check(h, *pa, 2, ACC_FETCH, h->priv))
        return fault(h, &a, CAUSE_FETCH_ACCESS);
    return true;
}

/* The code page holding va. *page is NULL when the page cannot be cached
 * as a whole (PMP splits it): the caller then executes one instruction at
 * a time, checking each. */
bool mmu_fetch_page(struct hart *h, uint64_t va, struct code_page **page, uint64_t *pa)
{
    uint64_t page_bytes;
    struct memory *m;
    if (!fetch_resolve(h, va, pa, &m, &page_bytes))
        return false;
    *page = NULL;
    if (!pmp_page_cacheable(h, *pa & ~4095ULL, ACC_FETCH, h->priv) ||
        !memory_has_page(m, *pa & ~4095ULL))
        return true;
    *page = code_page_get(h->cc, m, *pa & ~4095ULL);
    h->tlb->used |= (uint8_t)(0x10u << h->priv);
    struct fetch_entry *e = &h->fetch_tlb[(va >> 12) & (TLB_SIZE - 1)];
    e->tag = va & ~4095ULL;
    e->page = *page;
    if (page_bytes > 4096)
        note_superpage(h->tlb, va, page_bytes);
    return true;
}

bool mmu_fetch16(struct hart *h, uint64_t va, uint32_t *half)
{
    uint64_t pa, page_bytes;
    struct memory *m;
    if (!fetch_resolve(h, va, &pa, &m, &page_bytes))
        return false;
    *half = (uint32_t)guest_ld(memory_ptr(m, pa), 2);
    return true;
}


/* ---- HLV, HLVX, HSV ----------------------------------------------------- */

/* An access as the guest (VS or VU, per hstatus.SPVP) would make it, from
 * HS or M (or U with hstatus.HU); never cached, MPRV ignored. */
static struct access_desc hlv_access(const struct hart *h, uint64_t va, enum access acc, bool hlvx)
{
    return (struct access_desc){ .va = va, .acc = acc, .virt = true, .hlvx = hlvx,
                                 .priv = (h->hstatus & HSTATUS_SPVP) ? PRIV_S : PRIV_U,
                                 .insn = h->insn };
}

bool mmu_hlv(struct hart *h, uint64_t va, unsigned size, bool exec, uint64_t *value)
{
    struct access_desc a = hlv_access(h, va, ACC_LOAD, exec);
    uint64_t pa, page_bytes;
    struct memory *m;
    if (va & (size - 1))
        return fault(h, &a, CAUSE_MISALIGNED_LOAD);
    if (!resolve_access(h, &a, size, &pa, &m, &page_bytes))
        return false;
    if (m) {
        *value = guest_ld(memory_ptr(m, pa), size);
        return true;
    }
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    return bus_load(h->bus, pa, size, value) || fault(h, &a, CAUSE_LOAD_ACCESS);
}

bool mmu_hsv(struct hart *h, uint64_t va, unsigned size, uint64_t value)
{
    struct access_desc a = hlv_access(h, va, ACC_STORE, false);
    uint64_t pa, page_bytes;
    struct memory *m;
    if (va & (size - 1))
        return fault(h, &a, CAUSE_MISALIGNED_STORE);
    if (!resolve_access(h, &a, size, &pa, &m, &page_bytes))
        return false;
    if (!m)
        __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    return bus_store(h->bus, pa, size, value) || fault(h, &a, CAUSE_STORE_ACCESS);
}
