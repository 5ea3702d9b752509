/* Message passing (litmus MP), harts paired (2k writes, 2k+1 reads), each
 * pair on its own cache lines.
 * Fenced:   writer  data = i; fence w,w; flag = i      (i = 1..MP_ITERS)
 *           reader  f = flag; fence r,r; d = data      until f == MP_ITERS
 * RVWMO forbids d < f (a stale data value); the test fails if it is seen.
 * Unfenced: the same without the fences; anything is allowed, so the number
 * of stale reads is only printed. Hart 0 prints, per pair, how many reads
 * saw a flag value that had changed since the previous read (how much the
 * two harts overlapped) and the stale counts. */
#include "smp.h"

#ifndef MP_ITERS
#define MP_ITERS 1000000
#endif

struct line {
    volatile uint64_t v;
    uint64_t pad[7];
} __attribute__((aligned(64)));

static struct line data[SMP_MAX_HARTS / 2], flag[SMP_MAX_HARTS / 2];
static volatile uint64_t seen[2][SMP_MAX_HARTS / 2], stale[2][SMP_MAX_HARTS / 2];

static void writer(unsigned pair, int fenced)
{
    volatile uint64_t *d = &data[pair].v, *f = &flag[pair].v;
    if (fenced) {
        for (uint64_t i = 1; i <= MP_ITERS; i++) {
            *d = i;
            fence_ww();
            *f = i;
        }
    } else {
        for (uint64_t i = 1; i <= MP_ITERS; i++) {
            *d = i;
            *f = i;
        }
    }
}

static void reader(unsigned pair, int fenced)
{
    volatile uint64_t *d = &data[pair].v, *f = &flag[pair].v;
    uint64_t last = 0, changes = 0, bad = 0, fv, dv;
    do {
        fv = *f;
        if (fenced)
            fence_rr();
        dv = *d;
        if (dv < fv)
            bad++;
        if (fv != last) {
            changes++;
            last = fv;
        }
    } while (fv != MP_ITERS);
    seen[fenced][pair] = changes;
    stale[fenced][pair] = bad;
}

int smp_main(unsigned hart, unsigned nharts)
{
    unsigned pair = hart / 2, npairs = nharts / 2;
    for (int fenced = 1; fenced >= 0; fenced--) {
        if (hart == 0) {
            for (unsigned p = 0; p < npairs; p++)
                data[p].v = flag[p].v = 0;
        }
        smp_barrier();
        if (pair < npairs) {
            if (hart & 1)
                reader(pair, fenced);
            else
                writer(pair, fenced);
        }
        smp_barrier();
    }
    if (hart != 0)
        return 0;
    for (unsigned p = 0; p < npairs; p++)
        say("mp_litmus: pair %u (harts %u,%u), %u iterations: fenced %lu changes seen, "
            "%lu stale; unfenced %lu changes seen, %lu stale (allowed)\n",
            p, 2 * p, 2 * p + 1, MP_ITERS, seen[1][p], stale[1][p], seen[0][p], stale[0][p]);
    for (unsigned p = 0; p < npairs; p++)
        CHECK(1, stale[1][p] == 0);
    return 0;
}
