/* LR/SC counters: every hart adds 1 to shared counters LRSC_ITERS times
 * with lr.d/sc.d and with lr.w/sc.w retry loops; the totals must be exact.
 * Hart 0 prints how many SCs failed (contention; informational). */
#include "smp.h"

#ifndef LRSC_ITERS
#define LRSC_ITERS 100000
#endif

static volatile uint64_t cd __attribute__((aligned(64)));
static volatile uint32_t cw __attribute__((aligned(64)));
static volatile uint64_t fails_d, fails_w;

int smp_main(unsigned hart, unsigned nharts)
{
    uint64_t fd = 0, fw = 0;
    smp_barrier();
    for (unsigned i = 0; i < LRSC_ITERS; i++) {
        uint64_t v, rc;
        for (;;) {
            __asm__ volatile("lr.d %0, (%2)\n\t"
                             "addi %0, %0, 1\n\t"
                             "sc.d %1, %0, (%2)"
                             : "=&r"(v), "=&r"(rc) : "r"(&cd) : "memory");
            if (rc == 0)
                break;
            fd++;
        }
    }
    for (unsigned i = 0; i < LRSC_ITERS; i++) {
        uint64_t v, rc;
        for (;;) {
            __asm__ volatile("lr.w.aq %0, (%2)\n\t"
                             "addiw %0, %0, 1\n\t"
                             "sc.w.rl %1, %0, (%2)"
                             : "=&r"(v), "=&r"(rc) : "r"(&cw) : "memory");
            if (rc == 0)
                break;
            fw++;
        }
    }
    amoadd_d(&fails_d, fd);
    amoadd_d(&fails_w, fw);
    smp_barrier();
    if (hart != 0)
        return 0;
    uint64_t total = (uint64_t)LRSC_ITERS * nharts;
    say("lrsc_counter: %u harts, d=%lu w=%u (expect %lu); failed sc.d %lu, sc.w %lu\n",
        nharts, cd, cw, total, fails_d, fails_w);
    CHECK(1, cd == total);
    CHECK(2, cw == (uint32_t)total);
    return 0;
}
