/* AMO counters: every hart adds 1 to shared counters AMO_ITERS times with
 * amoadd.w and with amoadd.d (both on one cache line, and on an .aqrl
 * variant), and sets its own bit in a shared mask with amoor.d; the totals
 * must be exact. */
#include "smp.h"

#ifndef AMO_ITERS
#define AMO_ITERS 100000
#endif

static volatile struct {
    uint32_t w;
    uint32_t pad;
    uint64_t d;
    uint64_t d_aqrl;
    uint64_t mask;
} ctr __attribute__((aligned(64)));
static volatile uint64_t dmax[SMP_MAX_HARTS];

int smp_main(unsigned hart, unsigned nharts)
{
    smp_barrier();
    for (unsigned i = 0; i < AMO_ITERS; i++)
        amoadd_w(&ctr.w, 1);
    uint64_t last = 0;
    for (unsigned i = 0; i < AMO_ITERS; i++) {
        uint64_t old = amoadd_d(&ctr.d, 1);
        if (old < last)
            FAIL(10, "amo_counter: hart %u: amoadd.d returned %lu after %lu\n",
                 hart, old, last);
        last = old;
    }
    dmax[hart] = last;
    for (unsigned i = 0; i < AMO_ITERS; i++)
        amoadd_d_aqrl(&ctr.d_aqrl, 1);
    uint64_t bit = 1ull << hart, old;
    __asm__ volatile("amoor.d %0, %2, (%1)" : "=r"(old) : "r"(&ctr.mask), "r"(bit) : "memory");
    if (old & bit)
        FAIL(11, "amo_counter: hart %u: its bit was already set (%lx)\n", hart, old);
    smp_barrier();
    if (hart != 0)
        return 0;

    uint64_t total = (uint64_t)AMO_ITERS * nharts;
    say("amo_counter: %u harts, w=%u d=%lu d.aqrl=%lu mask=%lx (expect %lu)\n",
        nharts, ctr.w, ctr.d, ctr.d_aqrl, ctr.mask, total);
    CHECK(1, ctr.w == (uint32_t)total);
    CHECK(2, ctr.d == total);
    CHECK(3, ctr.d_aqrl == total);
    CHECK(4, ctr.mask == (nharts == 64 ? ~0ull : (1ull << nharts) - 1));
    for (unsigned h = 0; h < nharts; h++)
        CHECK(5, dmax[h] < total);
    return 0;
}
