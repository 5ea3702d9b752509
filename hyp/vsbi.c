/* rivet-hv: the SBI a guest sees (SBI spec 2.0), one handler per extension.
 * Calls are served here from the zone's own state, or passed down to the
 * host firmware when they concern the real machine (console, power). */
#include "zone.h"
#include "csr.h"
#include "sbi.h"

#define SBI_IMPL_ID_RIVET_HV 0x72697674   /* "rivt": not a registered id */

struct call { unsigned long fid, a0, a1, a2; long error; long value; bool legacy; };

/* ---- TIME ------------------------------------------------------------ */

static bool use_sstc(const struct vcpu *v) { return host.sstc && !v->zone->cfg->no_sstc; }

static void set_timer(struct vcpu *v, uint64_t when)
{
    if (use_sstc(v)) {          /* the hart compares it with time itself and drives VSTIP */
        csr_write(CSR_VSTIMECMP, when);
        return;
    }
    csr_clear(CSR_HVIP, MIP_VSTIP);
    v->next_timer = when;
    sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
    csr_set(CSR_SIE, 1ul << IRQ_S_TIMER);
}

/* Without Sstc: the host timer fired for the guest's deadline. */
void vtimer_host_irq(struct vcpu *v)
{
    (void)v;
    csr_set(CSR_HVIP, MIP_VSTIP);
    sbi_call(SBI_EXT_TIME, 0, ~0ul, 0, 0);   /* clears the host's STIP */
    csr_clear(CSR_SIE, 1ul << IRQ_S_TIMER);
}

/* ---- zone power ------------------------------------------------------ */

static void zone_reset(struct vcpu *v, unsigned long type, unsigned long reason)
{
    struct zone *z = v->zone;
    if (type == SBI_SRST_SHUTDOWN) {
        LOG("zone %d (%s): shutdown requested by the guest (reason %lu)\n", z->id, z->cfg->name, reason);
        zone_stop(z, v, NULL);
        return;
    }
    if (zone_reboot(z, v))
        return;
    /* no stash of the images to reboot from: with a single zone, reboot the
     * machine (the loader puts the images back); else stop the zone */
    if (nr_zones > 1) {
        zone_stop(z, v, "reboot requested, but the zone has no stash to reboot from");
        return;
    }
    LOG("zone %d (%s): %s reboot requested; no stash: rebooting the machine\n", z->id, z->cfg->name,
        type == SBI_SRST_COLD_REBOOT ? "cold" : "warm");
    sbi_call(SBI_EXT_SRST, 0, type, reason, 0);
    panic("host SBI SRST reboot returned");
}

/* ---- extensions ------------------------------------------------------ */

static bool have_ext(unsigned long ext)
{
    switch (ext) {
    case SBI_EXT_BASE: case SBI_EXT_TIME: case SBI_EXT_IPI: case SBI_EXT_RFENCE:
    case SBI_EXT_HSM: case SBI_EXT_SRST: case SBI_EXT_DBCN:
    case SBI_EXT_LEGACY_PUTCHAR: case SBI_EXT_LEGACY_GETCHAR: case SBI_EXT_LEGACY_SET_TIMER:
    case SBI_EXT_LEGACY_SHUTDOWN:
        return true;
    }
    return false;
}

static void base(struct call *c)
{
    switch (c->fid) {
    case 0: c->value = 2l << 24; break;                  /* spec version 2.0 */
    case 1: c->value = SBI_IMPL_ID_RIVET_HV; break;
    case 2: c->value = 1; break;
    case 3: c->value = have_ext(c->a0); break;
    case 4: case 5: case 6: c->value = 0; break;          /* mvendorid, marchid, mimpid */
    default: c->error = SBI_ERR_NOT_SUPPORTED;
    }
}

/* Do req on each vhart of (hart_mask, hart_mask_base): here for this one,
 * through a request to the others (waiting for fences to be done). */
static long for_each_vhart(struct vcpu *v, unsigned long mask, unsigned long mbase, uint32_t req)
{
    struct zone *z = v->zone;
    if (mbase != ~0ul && (mbase >= (unsigned long)z->nr_vharts ||
                          (mbase + 64 > (unsigned long)z->nr_vharts && mask >> (z->nr_vharts - mbase))))
        return SBI_ERR_INVALID_PARAM;
    for (int i = 0; i < z->nr_vharts; i++) {
        struct vcpu *t = &z->vcpu[i];
        if (mbase != ~0ul && (i < (long)mbase || !(mask >> (i - mbase) & 1)))
            continue;
        if (t == v) {
            if (req & REQ_VSSIP) csr_set(CSR_HVIP, MIP_VSSIP);
            if (req & REQ_FENCE_I) __asm__ volatile("fence.i");
            if (req & REQ_VVMA) hfence_vvma_all();
        } else if (t->hsm_state == SBI_HSM_STARTED) {
            vcpu_request(v, t, req, req != REQ_VSSIP);
        }
    }
    return SBI_SUCCESS;
}

static void hsm(struct vcpu *v, struct call *c)
{
    struct zone *z = v->zone;
    switch (c->fid) {
    case 0: {                                           /* hart_start(hartid, start_addr, opaque) */
        if (c->a0 >= (unsigned long)z->nr_vharts) {
            c->error = SBI_ERR_INVALID_PARAM;
            break;
        }
        struct vcpu *t = &z->vcpu[c->a0];
        int stopped = SBI_HSM_STOPPED;
        if (!__atomic_compare_exchange_n(&t->hsm_state, &stopped, -1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            c->error = SBI_ERR_ALREADY_AVAILABLE;
            break;
        }
        t->start_addr = c->a1;
        t->start_arg = c->a2;
        __atomic_store_n(&t->hsm_state, SBI_HSM_START_PENDING, __ATOMIC_RELEASE);
        vcpu_request(v, t, REQ_START, false);
        break;
    }
    case 1:                                             /* hart_stop: back to hart_wait */
        __atomic_store_n(&v->hsm_state, SBI_HSM_STOPPED, __ATOMIC_RELEASE);
        break;
    case 2:                                             /* hart_get_status */
        if (c->a0 >= (unsigned long)z->nr_vharts)
            c->error = SBI_ERR_INVALID_PARAM;
        else
            c->value = z->vcpu[c->a0].hsm_state < 0 ? SBI_HSM_START_PENDING : z->vcpu[c->a0].hsm_state;
        break;
    case 3:                                             /* hart_suspend: retentive only */
        if (c->a0 == 0) {
            __asm__ volatile("wfi");
            c->value = 0;
        } else
            c->error = SBI_ERR_NOT_SUPPORTED;
        break;
    default:
        c->error = SBI_ERR_NOT_SUPPORTED;
    }
}

static void dbcn(struct vcpu *v, struct call *c)
{
    uint64_t hpa;
    switch (c->fid) {
    case 0:                                             /* write(num, base_lo, base_hi) */
    case 1:                                             /* read */
        if (!gpa_to_hpa(v->zone, c->a1 | c->a2 << 32, c->a0, &hpa)) {
            c->error = SBI_ERR_INVALID_PARAM;
            break;
        }
        if (c->fid == 0) {
            console_write((const char *)hpa, c->a0);
            c->value = (long)c->a0;
        } else {
            long n = 0;
            for (; n < (long)c->a0; n++) {
                long ch = sbi_call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
                if (ch < 0)
                    break;
                ((uint8_t *)hpa)[n] = (uint8_t)ch;
            }
            c->value = n;
        }
        break;
    case 2:
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, c->a0 & 0xff, 0, 0);
        break;
    default:
        c->error = SBI_ERR_NOT_SUPPORTED;
    }
}

void vsbi_handle(struct vcpu *v)
{
    unsigned long ext = REG(v, 17);
    struct call c = { .fid = REG(v, 16), .a0 = REG(v, 10), .a1 = REG(v, 11), .a2 = REG(v, 12) };
    v->sepc += 4;
    switch (ext) {
    case SBI_EXT_LEGACY_SET_TIMER:
        c.legacy = true;
        set_timer(v, c.a0);
        break;
    case SBI_EXT_LEGACY_PUTCHAR:
        c.legacy = true;
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, c.a0, 0, 0);
        break;
    case SBI_EXT_LEGACY_GETCHAR:
        c.legacy = true;
        c.error = sbi_call(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0).error;
        break;
    case SBI_EXT_LEGACY_SHUTDOWN:
        c.legacy = true;
        zone_reset(v, SBI_SRST_SHUTDOWN, 0);
        break;
    case SBI_EXT_BASE:
        base(&c);
        break;
    case SBI_EXT_TIME:
        if (c.fid == 0)
            set_timer(v, c.a0);
        else
            c.error = SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EXT_IPI:
        c.error = c.fid == 0 ? for_each_vhart(v, c.a0, c.a1, REQ_VSSIP) : SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EXT_RFENCE:
        if (c.fid == 0)
            c.error = for_each_vhart(v, c.a0, c.a1, REQ_FENCE_I);
        else if (c.fid == 1 || c.fid == 2)   /* sfence.vma (asid): a guest's sfence is an hfence.vvma */
            c.error = for_each_vhart(v, c.a0, c.a1, REQ_VVMA);
        else
            c.error = SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EXT_HSM:
        hsm(v, &c);
        break;
    case SBI_EXT_SRST:
        if (c.fid == 0 && c.a0 <= SBI_SRST_WARM_REBOOT)
            zone_reset(v, c.a0, c.a1);
        else
            c.error = c.fid == 0 ? SBI_ERR_INVALID_PARAM : SBI_ERR_NOT_SUPPORTED;
        break;
    case SBI_EXT_DBCN:
        dbcn(v, &c);
        break;
    default:
        c.error = SBI_ERR_NOT_SUPPORTED;
    }
    REG(v, 10) = (unsigned long)c.error;
    if (!c.legacy)
        REG(v, 11) = (unsigned long)c.value;
}
