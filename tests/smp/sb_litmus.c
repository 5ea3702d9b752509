/* Store buffering (litmus SB), harts paired (2k, 2k+1), each pair on its
 * own cache lines; in iteration i (1..SB_ITERS):
 *     hart A:  x = i; fence rw,rw; r1 = y
 *     hart B:  y = i; fence rw,rw; r2 = x
 * RVWMO forbids r1 < i && r2 < i (both loads passing the stores) when both
 * fences are there; the test fails if it is seen. This is the case a
 * TSO host (x86) allows unless FENCE emits a host store-load fence.
 * The unfenced variant runs too; its relaxed count is only printed.
 * Before each iteration a hart waits (at most SB_SPIN polls, so a single
 * host thread is not stalled) for the other to have finished the previous
 * one, to keep the two in step. */
#include "smp.h"

#ifndef SB_ITERS
#define SB_ITERS 100000
#endif
#ifndef SB_SPIN
#define SB_SPIN 200
#endif

struct line {
    volatile uint64_t v;
    uint64_t pad[7];
} __attribute__((aligned(64)));

static struct line xs[SMP_MAX_HARTS / 2], ys[SMP_MAX_HARTS / 2];
static volatile uint64_t relaxed[2][SMP_MAX_HARTS / 2][2];
static uint8_t r_old[SMP_MAX_HARTS][SB_ITERS + 1];

static void side(unsigned hart, volatile uint64_t *mine, volatile uint64_t *other, int fenced)
{
    uint8_t *out = r_old[hart];
    for (uint64_t i = 1; i <= SB_ITERS; i++) {
        for (unsigned s = 0; s < SB_SPIN && *other < i - 1; s++)
            ;
        *mine = i;
        if (fenced)
            fence_rwrw();
        out[i] = *other < i;
    }
}

int smp_main(unsigned hart, unsigned nharts)
{
    unsigned pair = hart / 2, npairs = nharts / 2;
    for (int fenced = 1; fenced >= 0; fenced--) {
        if (hart == 0)
            for (unsigned p = 0; p < npairs; p++)
                xs[p].v = ys[p].v = 0;
        smp_barrier();
        if (pair < npairs) {
            if (hart & 1)
                side(hart, &ys[pair].v, &xs[pair].v, fenced);
            else
                side(hart, &xs[pair].v, &ys[pair].v, fenced);
        }
        smp_barrier();
        if (hart < npairs) {            /* count pair `hart`'s outcomes */
            uint64_t both = 0, one = 0;
            for (unsigned i = 1; i <= SB_ITERS; i++) {
                unsigned a = r_old[2 * hart][i], b = r_old[2 * hart + 1][i];
                both += a && b;
                one += a != b;
            }
            relaxed[fenced][hart][0] = both;
            relaxed[fenced][hart][1] = one;
        }
        smp_barrier();
    }
    if (hart != 0)
        return 0;
    for (unsigned p = 0; p < npairs; p++)
        say("sb_litmus: pair %u, %u iterations: fenced %lu both-old (forbidden), %lu one-old; "
            "unfenced %lu both-old (allowed), %lu one-old\n", p, SB_ITERS,
            relaxed[1][p][0], relaxed[1][p][1], relaxed[0][p][0], relaxed[0][p][1]);
    for (unsigned p = 0; p < npairs; p++)
        CHECK(1, relaxed[1][p][0] == 0);
    return 0;
}
