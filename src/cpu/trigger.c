/* Sdtrig: the debug triggers a hart offers its own software (tselect,
 * tdata1-3, tinfo, tcontrol, mcontext, scontext), as QEMU 7.2 has them:
 * TRIGGERS address/data match triggers of type 2 (mcontrol) or 6
 * (mcontrol6) matching execute, load and store addresses (equal, NAPOT,
 * >=, <), whose only action is a breakpoint exception, with per-privilege
 * enables; M-mode triggers fire only while tcontrol.mte is set, which a
 * trap into M-mode clears (saved in mpte) and MRET restores.
 *
 * Matching costs nothing while no trigger is armed. An armed execute
 * trigger marks its address's page offset: slots decoded there (after the
 * hart's next safe point drops its decoded code) ask trigger_exec_fires.
 * An armed load/store trigger keeps its pages out of the data TLBs, so
 * those accesses reach the slow paths, which ask trigger_data_fires. */
#include "cpu/codecache.h"
#include "cpu/hart.h"

#define TD1_TYPE_SHIFT 60
#define TYPE_MCONTROL 2ULL
#define TYPE_MCONTROL6 6ULL
#define TYPE_DISABLED 15ULL
#define MC_LOAD    (1ULL << 0)
#define MC_STORE   (1ULL << 1)
#define MC_EXECUTE (1ULL << 2)
#define MC_U       (1ULL << 3)
#define MC_S       (1ULL << 4)
#define MC_M       (1ULL << 6)
#define MC_MATCH_SHIFT 7
#define MC_MATCH   (0xfULL << MC_MATCH_SHIFT)
#define MC_HIT     (1ULL << 20)     /* mcontrol */
#define MC6_HIT0   (1ULL << 22)     /* mcontrol6 */
#define MC6_VU     (1ULL << 23)
#define MC6_VS     (1ULL << 24)
#define TCONTROL_MTE  (1ULL << 3)
#define TCONTROL_MPTE (1ULL << 7)

enum { MATCH_EQ = 0, MATCH_NAPOT = 1, MATCH_GE = 2, MATCH_LT = 3 };

static uint64_t type_of(uint64_t tdata1)
{
    return tdata1 >> TD1_TYPE_SHIFT;
}

/* tdata1 as written, reduced to what rivet implements (WARL). */
static uint64_t legal_tdata1(uint64_t v)
{
    uint64_t type = type_of(v);
    if (type != TYPE_MCONTROL && type != TYPE_MCONTROL6)
        return TYPE_DISABLED << TD1_TYPE_SHIFT;
    uint64_t keep = MC_LOAD | MC_STORE | MC_EXECUTE | MC_U | MC_S | MC_M |
                    (type == TYPE_MCONTROL ? MC_HIT : MC6_HIT0 | MC6_VU | MC6_VS);
    uint64_t match = (v & MC_MATCH) >> MC_MATCH_SHIFT;
    if (match > MATCH_LT)
        match = MATCH_EQ;  /* mask matches (4, 5) and negations are not offered */
    return (type << TD1_TYPE_SHIFT) | (v & keep) | (match << MC_MATCH_SHIFT);
}

/* Which triggers are armed for execute and for loads/stores. */
static void rearm(struct hart *h)
{
    uint8_t exec = 0, data = 0;
    for (unsigned i = 0; i < TRIGGERS; i++) {
        uint64_t t = h->trig[i].tdata1, type = type_of(t);
        bool on = (type == TYPE_MCONTROL || type == TYPE_MCONTROL6) &&
                  (t & (MC_U | MC_S | MC_M | (type == TYPE_MCONTROL6 ? MC6_VU | MC6_VS : 0)));
        exec |= (uint8_t)((on && (t & MC_EXECUTE)) << i);
        data |= (uint8_t)((on && (t & (MC_LOAD | MC_STORE))) << i);
    }
    /* Slots already decoded and pages already in the TLBs do not ask: the
     * code goes at the next safe point (hart_run's start), the TLBs now. */
    if (exec || h->trig_exec)
        h->trig_resync = true;
    h->trig_exec = exec;
    h->trig_data = data;
    tlb_flush_all(h);
}

void trigger_reset(struct hart *h)
{
    for (unsigned i = 0; i < TRIGGERS; i++)
        h->trig[i] = (struct trigger){ .tdata1 = TYPE_MCONTROL << TD1_TYPE_SHIFT };
    h->tselect = 0;
    h->tcontrol = 0;
    h->mcontext = h->scontext = 0;
    h->trig_exec = h->trig_data = 0;
    h->trig_resync = true;
}

void trigger_write_tselect(struct hart *h, uint64_t v)
{
    if (v < TRIGGERS)
        h->tselect = (uint8_t)v;
}

uint64_t trigger_read(const struct hart *h, unsigned n)
{
    const struct trigger *t = &h->trig[h->tselect];
    return n == 1 ? t->tdata1 : n == 2 ? t->tdata2 : 0;  /* no textra: tdata3 is 0 */
}

void trigger_write(struct hart *h, unsigned n, uint64_t v)
{
    struct trigger *t = &h->trig[h->tselect];
    if (n == 1)
        t->tdata1 = legal_tdata1(v);
    else if (n == 2)
        t->tdata2 = v;
    rearm(h);
}

uint64_t trigger_tinfo(const struct hart *h)
{
    (void)h;
    return (1ULL << TYPE_MCONTROL) | (1ULL << TYPE_MCONTROL6);  /* as QEMU 7.2: no version */
}

void trigger_write_tcontrol(struct hart *h, uint64_t v)
{
    h->tcontrol = v & (TCONTROL_MTE | TCONTROL_MPTE);
}

/* Traps into M-mode disarm M-mode triggers until MRET. */
void trigger_enter_m(struct hart *h)
{
    h->tcontrol = (h->tcontrol & TCONTROL_MTE) ? TCONTROL_MPTE : 0;
}

void trigger_mret(struct hart *h)
{
    if (h->tcontrol & TCONTROL_MPTE)
        h->tcontrol |= TCONTROL_MTE;
    else
        h->tcontrol &= ~TCONTROL_MTE;
}

/* Enabled for the mode the hart is in now? */
static bool enabled_here(const struct hart *h, uint64_t t)
{
    bool m6 = type_of(t) == TYPE_MCONTROL6;
    if (h->virt)
        return m6 && (t & (h->priv == PRIV_S ? MC6_VS : MC6_VU));
    if (h->priv == PRIV_M)
        return (t & MC_M) && (h->tcontrol & TCONTROL_MTE);
    return t & (h->priv == PRIV_S ? MC_S : MC_U);
}

/* Does [addr, addr+size) match the trigger's tdata2? */
static bool address_matches(const struct trigger *t, uint64_t addr, unsigned size)
{
    uint64_t a = t->tdata2, last = addr + size - 1;
    switch ((t->tdata1 & MC_MATCH) >> MC_MATCH_SHIFT) {
    case MATCH_EQ: return a >= addr && a <= last;
    case MATCH_NAPOT: {
        uint64_t ones = (uint64_t)__builtin_ctzll(~a);  /* n trailing ones: 2^(n+1) bytes */
        uint64_t mask = ones >= 63 ? 0 : ~((1ULL << (ones + 1)) - 1);
        return (a & mask) <= last && addr <= ((a & mask) | ~mask);
    }
    case MATCH_GE: return last >= a;
    case MATCH_LT: return addr < a;
    }
    return false;
}

static bool fire(struct hart *h, unsigned kind_bits, uint8_t armed, uint64_t addr, unsigned size)
{
    for (unsigned i = 0; i < TRIGGERS; i++) {
        struct trigger *t = &h->trig[i];
        if (!(armed >> i & 1) || !(t->tdata1 & kind_bits) || !enabled_here(h, t->tdata1) ||
            !address_matches(t, addr, size))
            continue;
        t->tdata1 |= type_of(t->tdata1) == TYPE_MCONTROL ? MC_HIT : MC6_HIT0;
        raise_exc(h, CAUSE_BREAKPOINT, addr);
        return true;
    }
    return false;
}

bool trigger_exec_marks(const struct hart *h, uint64_t pc)
{
    for (unsigned i = 0; i < TRIGGERS; i++) {
        const struct trigger *t = &h->trig[i];
        if ((h->trig_exec >> i & 1) &&
            (((t->tdata1 & MC_MATCH) >> MC_MATCH_SHIFT) != MATCH_EQ ||
             ((t->tdata2 ^ pc) & 4094) == 0))
            return true;  /* ranges mark every offset */
    }
    return false;
}

bool trigger_exec_fires(struct hart *h, uint64_t pc)
{
    return fire(h, MC_EXECUTE, h->trig_exec, pc, 1);
}

bool trigger_data_fires(struct hart *h, uint64_t va, unsigned size, bool store)
{
    return fire(h, store ? MC_STORE : MC_LOAD, h->trig_data, va, size);
}

/* May a data TLB entry for va's page be installed? Not if a trigger
 * could match inside it. */
bool trigger_page_watched(const struct hart *h, uint64_t va_page)
{
    for (unsigned i = 0; i < TRIGGERS; i++)
        if ((h->trig_data >> i & 1) && address_matches(&h->trig[i], va_page, 4096))
            return true;
    return false;
}

/* A safe point (no slot in use): drop the decoded code so that slots at
 * execute triggers are decoded again, marked. */
void trigger_resync(struct hart *h)
{
    h->trig_resync = false;
    code_cache_flush(h->cc);
}
