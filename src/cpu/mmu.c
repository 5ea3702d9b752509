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
}

static void note_superpage(struct tlb_set *t, uint64_t va, uint64_t bytes)
{
    uint64_t base = va & ~(bytes - 1);
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
    if (t->super_overflow)
        return true;
    for (unsigned i = 0; i < t->nsuper; i++)
        if (va - t->super_base[i] < t->super_size[i])
            return true;
    return false;
}

/* Only the TLBs filled since their last flush are cleared. */
void tlb_flush_all(struct hart *h)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        flush_set(&h->tlb_set[s]);
}

void tlb_switch_satp(struct hart *h)
{
    struct tlb_set *best = &h->tlb_set[0];
    for (unsigned s = 0; s < TLB_SETS; s++) {
        struct tlb_set *t = &h->tlb_set[s];
        if (t->satp == h->satp) {
            best = t;
            goto found;
        }
        if (t->last_use < best->last_use)
            best = t;
    }
    flush_set(best);
    best->satp = h->satp;
found:
    best->last_use = ++h->tlb_clock;
    h->tlb = best;
    hart_update_mmu_ctx(h);
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

static unsigned mmu_ctx(const struct hart *h)
{
    switch (data_priv(h)) {
    case PRIV_M: return MMU_M;
    case PRIV_S: return (h->mstatus & MSTATUS_SUM) ? MMU_S_SUM : MMU_S;
    default: return MMU_U;
    }
}

void hart_update_mmu_ctx(struct hart *h)
{
    unsigned c = mmu_ctx(h);
    h->ld_tlb = h->tlb->ld[c];
    h->st_tlb = h->tlb->st[c];
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

/* ---- page-table walk --------------------------------------------------- */

static const uint8_t page_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_PAGE, [ACC_LOAD] = CAUSE_LOAD_PAGE, [ACC_STORE] = CAUSE_STORE_PAGE,
};
static const uint8_t access_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_ACCESS, [ACC_LOAD] = CAUSE_LOAD_ACCESS, [ACC_STORE] = CAUSE_STORE_ACCESS,
};

static bool page_fault(struct hart *h, uint64_t va, enum access acc, const char *why)
{
    log_msg(h->log, LOG_MMU, "mmu: %s page fault at 0x%llx: %s\n",
            acc == ACC_FETCH ? "fetch" : acc == ACC_LOAD ? "load" : "store",
            (unsigned long long)va, why);
    raise_exc(h, page_fault_cause[acc], va);
    return false;
}

static bool leaf_permits(const struct hart *h, uint64_t pte, enum access acc, unsigned priv)
{
    if (priv == PRIV_U && !(pte & PTE_U))
        return false;
    if (priv == PRIV_S && (pte & PTE_U) &&
        (acc == ACC_FETCH || !(h->mstatus & MSTATUS_SUM)))
        return false;
    switch (acc) {
    case ACC_FETCH: return pte & PTE_X;
    case ACC_LOAD:  return (pte & PTE_R) || ((h->mstatus & MSTATUS_MXR) && (pte & PTE_X));
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

/* Translate va for `acc` at privilege `priv`. On success *pa is set and
 * *page_bytes is the size of the leaf mapping (4 KiB or a superpage). */
static bool translate(struct hart *h, uint64_t va, enum access acc, unsigned priv,
                      uint64_t *pa, uint64_t *page_bytes)
{
    unsigned mode = (unsigned)(h->satp >> 60);
    *page_bytes = 4096;
    if (priv == PRIV_M || mode == 0) {
        *pa = va;
        return true;
    }
    unsigned levels = mode - 5;  /* Sv39 = 8 → 3, Sv48 = 9 → 4, Sv57 = 10 → 5 */
    unsigned va_bits = 12 + 9 * levels;
    if ((uint64_t)sext(va, va_bits) != va)
        return page_fault(h, va, acc, "address not canonical");
    uint64_t table = (h->satp & PTE_PPN_MASK) << 12;
    for (int lvl = (int)levels - 1; lvl >= 0; lvl--) {
        unsigned shift = 12 + 9 * (unsigned)lvl;
        uint64_t pte_pa = table + ((va >> shift) & 511) * 8, pte;
        if (!pmp_check(h, pte_pa, 8, ACC_LOAD, PRIV_S) || !bus_load(h->bus, pte_pa, 8, &pte)) {
            raise_exc(h, access_fault_cause[acc], va);
            return false;
        }
        if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) || (pte & PTE_RESERVED))
            return page_fault(h, va, acc, "invalid PTE");
        if (!(pte & (PTE_R | PTE_X))) {
            table = ((pte >> 10) & PTE_PPN_MASK) << 12;
            continue;
        }
        if (!leaf_permits(h, pte, acc, priv))
            return page_fault(h, va, acc, "permission");
        uint64_t ppn = (pte >> 10) & PTE_PPN_MASK;
        uint64_t span = 1ULL << shift;
        if (ppn & ((span >> 12) - 1))
            return page_fault(h, va, acc, "misaligned superpage");
        uint64_t need = PTE_A | (acc == ACC_STORE ? PTE_D : 0);
        if ((pte & need) != need) {
            /* Hardware A/D update, as QEMU does: atomically, and only if
             * the PTE still holds what the walk read (another hart or the
             * OS may have changed it); otherwise walk again. */
            if (!pmp_check(h, pte_pa, 8, ACC_STORE, PRIV_S)) {
                raise_exc(h, access_fault_cause[acc], va);
                return false;
            }
            enum ad_result r = update_ad_bits(h, pte_pa, pte, pte | need);
            if (r == AD_CHANGED)
                return translate(h, va, acc, priv, pa, page_bytes);
            if (r == AD_FAULT) {
                raise_exc(h, access_fault_cause[acc], va);
                return false;
            }
        }
        *pa = (ppn << 12) | (va & (span - 1));
        *page_bytes = span;
        return true;
    }
    return page_fault(h, va, acc, "no leaf");
}

/* ---- data accesses ----------------------------------------------------- */

/* Cache the translation of va's page. The host page must lie wholly inside
 * guest RAM or ROM: the fast paths add the addend to any address that
 * matches the tag, without further checks. */
static void tlb_install(struct hart *h, struct tlb_entry *tlb, uint64_t va, struct memory *m,
                        uint64_t pa, uint64_t page_bytes)
{
    uint64_t pa_page = pa & ~4095ULL;
    if (!memory_has_page(m, pa_page))
        return;
    uint8_t *host = memory_ptr(m, pa_page);
    h->tlb->used |= (uint8_t)(1u << mmu_ctx(h));
    struct tlb_entry *e = &tlb[(va >> 12) & (TLB_SIZE - 1)];
    e->tag = va & ~4095ULL;
    e->addend = (uintptr_t)host - (va & ~4095ULL);
    if (page_bytes > 4096)
        note_superpage(h->tlb, va, page_bytes);
}

/* Translate one naturally-contained access and check PMP; on success say
 * where it lands. */
static bool resolve(struct hart *h, uint64_t va, unsigned size, enum access acc,
                    uint64_t *pa, struct memory **mem, uint64_t *page_bytes)
{
    unsigned priv = data_priv(h);
    if (!translate(h, va, acc, priv, pa, page_bytes))
        return false;
    if (!pmp_check(h, *pa, size, acc, priv)) {
        raise_exc(h, access_fault_cause[acc], va);
        return false;
    }
    *mem = bus_memory(h->bus, *pa, size);
    return true;
}

bool mmu_translate_data(struct hart *h, uint64_t va, enum access acc, unsigned size, uint64_t *pa)
{
    struct memory *m;
    uint64_t pb;
    return resolve(h, va, size, acc, pa, &m, &pb);
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
        if (!resolve(h, va + i, 1, acc, &pa[i], &m, &page_bytes))
            return false;
        if (!m && !bus_is_device(h->bus, pa[i])) {
            raise_exc(h, access_fault_cause[acc], va + i);
            return false;
        }
        if (!m) {
            raise_exc(h, acc == ACC_LOAD ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE, va);
            return false;
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

bool mmu_load_slow(struct hart *h, uint64_t va, unsigned size, uint64_t *value)
{
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
        raise_exc(h, CAUSE_LOAD_ACCESS, va);
        return false;
    }
    return true;
}

static void clear_reservation_on_store(struct hart *h, uint64_t pa, unsigned size)
{
    if (h->resv_valid && pa < (h->resv_pa | 7) + 1 && pa + size > (h->resv_pa & ~7ULL))
        h->resv_valid = false;
}

bool mmu_store_slow(struct hart *h, uint64_t va, unsigned size, uint64_t value)
{
    if (va & (size - 1)) {
        h->resv_valid = false;
        return store_misaligned(h, va, size, value);
    }
    uint64_t pa, page_bytes;
    struct memory *m;
    if (!resolve(h, va, size, ACC_STORE, &pa, &m, &page_bytes))
        return false;
    clear_reservation_on_store(h, pa, size);
    if (m) {
        bus_store(h->bus, pa, size, value);
        if (!m->readonly &&
            !(h->resv_valid && (h->resv_pa & ~4095ULL) == (pa & ~4095ULL)) &&
            pmp_page_cacheable(h, pa & ~4095ULL, ACC_STORE, data_priv(h)))
            tlb_install(h, h->st_tlb, va, m, pa, page_bytes);
        return true;
    }
    __atomic_store_n(&h->irq_maybe, true, __ATOMIC_RELAXED);
    if (!bus_store(h->bus, pa, size, value)) {
        raise_exc(h, CAUSE_STORE_ACCESS, va);
        return false;
    }
    return true;
}

/* ---- instruction fetch ------------------------------------------------- */

static bool fetch_resolve(struct hart *h, uint64_t va, uint64_t *pa, struct memory **m,
                          uint64_t *page_bytes)
{
    if (!translate(h, va, ACC_FETCH, h->priv, pa, page_bytes))
        return false;
    *m = bus_memory(h->bus, *pa, 2);
    if (!*m || !pmp_check(h, *pa, 2, ACC_FETCH, h->priv)) {
        raise_exc(h, CAUSE_FETCH_ACCESS, va);
        return false;
    }
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

