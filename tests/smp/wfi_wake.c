/* WFI wake-up by IPI. Each other hart runs 2 * WFI_ROUNDS rounds: it
 * clears its MSIP, tells hart 0 it is about to sleep, and executes WFI
 * (mie.MSIE set, mstatus.MIE clear: WFI wakes on pending & enabled, no trap
 * is taken) until mip.MSIP is set and hart 0 has published this round's
 * number; then it reports back. Hart 0 waits WFI_DELAY mtime ticks after
 * the hart said it sleeps, so the IPI finds it asleep, then writes the
 * round number and sets its MSIP. First one hart at a time, then all harts
 * asleep at once and woken together. WFI returning with nothing pending
 * (allowed) and an MSIP before the round's number (a late one) are counted
 * and printed. */
#include "smp.h"

#ifndef WFI_ROUNDS
#define WFI_ROUNDS 200
#endif
#ifndef WFI_DELAY
#define WFI_DELAY 1000                  /* mtime ticks: 100 us at 10 MHz */
#endif

static volatile uint64_t armed[SMP_MAX_HARTS], woken[SMP_MAX_HARTS], wake_seq[SMP_MAX_HARTS];
static volatile uint64_t empty_wakes[SMP_MAX_HARTS], early[SMP_MAX_HARTS];

static int all_eq(volatile uint64_t *a, uint64_t r, unsigned n)
{
    for (unsigned h = 1; h < n; h++)
        if (a[h] != r)
            return 0;
    return 1;
}

static void delay(void)
{
    uint64_t t = mtime();
    while (mtime() - t < WFI_DELAY)
        ;
}

int smp_main(unsigned hart, unsigned nharts)
{
    smp_barrier();
    if (hart != 0) {
        for (uint64_t r = 1; r <= 2 * WFI_ROUNDS; r++) {
            msip_clear(hart);
            fence();
            armed[hart] = r;
            kick(0);
            for (;;) {
                wfi();
                if (!(read_csr(mip) & MIP_MSIP)) {
                    empty_wakes[hart]++;
                    continue;
                }
                msip_clear(hart);
                fence();
                if (wake_seq[hart] == r)
                    break;
                early[hart]++;          /* a late MSIP from before; sleep on */
            }
            woken[hart] = r;
            kick(0);
        }
        return 0;
    }

    uint64_t lat = 0, nlat = 0;
    for (unsigned k = 1; k < nharts; k++)
        for (uint64_t r = 1; r <= WFI_ROUNDS; r++) {
            WAIT(armed[k] == r);
            delay();
            wake_seq[k] = r;
            uint64_t t = mtime();
            kick(k);
            WAIT(woken[k] == r);
            lat += mtime() - t;
            nlat++;
        }
    for (uint64_t r = WFI_ROUNDS + 1; r <= 2 * WFI_ROUNDS; r++) {
        WAIT(all_eq(armed, r, nharts));
        delay();
        for (unsigned k = 1; k < nharts; k++)
            wake_seq[k] = r;
        kick_all(0);
        WAIT(all_eq(woken, r, nharts));
    }
    uint64_t e = 0, l = 0;
    for (unsigned k = 1; k < nharts; k++) {
        e += empty_wakes[k];
        l += early[k];
    }
    say("wfi_wake: %u harts, %u wake-ups each (one at a time, then all at once); "
        "mean kick-to-report %lu mtime ticks; %lu wakes with nothing pending, "
        "%lu late MSIPs\n", nharts, 2 * WFI_ROUNDS, nlat ? lat / nlat : 0, e, l);
    return 0;
}
