/* PLIC claim race. The UART (PLIC source 10) raises its interrupt when its
 * THR-empty interrupt is enabled (IER bit 1) while the transmitter is idle.
 * Source 10 is enabled, threshold 0, in every hart's M-mode context (2h).
 * Each of PLIC_ROUNDS rounds: all harts meet, one hart (round number mod
 * the number of harts, so the early start rotates) sets IER = 2, and
 * every hart that sees mip.MEIP reads its context's claim register. Exactly
 * one claim per round must return 10 and every other claim 0; the winner
 * clears IER (so the line drops) and then completes 10. Hart 0 checks the
 * number of wins after every round and prints who won how often and how
 * many claims returned 0. */
#include "smp.h"

#ifndef PLIC_ROUNDS
#define PLIC_ROUNDS 1000
#endif

#define UART_IRQ   10
#define UART_IER   (UART_BASE + 1)
#define PLIC_PRIO(s)        (PLIC_BASE + 4 * (s))
#define PLIC_ENABLE(ctx)    (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     (PLIC_THRESHOLD(ctx) + 4)

static volatile uint64_t wins, round_done, bad_claim;
static volatile uint64_t won[SMP_MAX_HARTS], zero_claims[SMP_MAX_HARTS];

static void race(unsigned hart, uint64_t r)
{
    unsigned spins = 0;
    for (;;) {
        if (round_done == r)
            return;
        if (read_csr(mip) & MIP_MEIP) {
            uint32_t c = mmio_read32(PLIC_CLAIM(2 * hart));
            if (c == 0) {
                zero_claims[hart]++;
                continue;
            }
            if (c != UART_IRQ)
                bad_claim = c;
            mmio_write8(UART_IER, 0);           /* the line drops ... */
            fence();
            mmio_write32(PLIC_CLAIM(2 * hart), c);      /* ... then complete */
            won[hart]++;
            amoadd_d_aqrl(&wins, 1);
            round_done = r;
            kick_all(hart);
            return;
        }
        if (spins < SMP_SPIN) {
            spins++;
            continue;
        }
        msip_clear(hart);
        fence();
        if (round_done != r && !(read_csr(mip) & MIP_MEIP))
            wfi();                      /* wakes on MEIP or the winner's MSIP */
    }
}

int smp_main(unsigned hart, unsigned nharts)
{
    if (hart == 0) {
        mmio_write8(UART_IER, 0);
        mmio_write32(PLIC_PRIO(UART_IRQ), 1);
        for (unsigned h = 0; h < nharts; h++) {
            mmio_write32(PLIC_THRESHOLD(2 * h), 0);
            mmio_write32(PLIC_ENABLE(2 * h), 1u << UART_IRQ);
        }
        fence();
    }
    set_csr(mie, MIP_MEIP);
    for (uint64_t r = 1; r <= PLIC_ROUNDS; r++) {
        smp_barrier();
        if (hart == r % nharts) {
            fence();
            mmio_write8(UART_IER, 2);           /* THR empty: raise source 10 */
        }
        race(hart, r);
        smp_barrier();
        if (hart == 0 && (wins != r || bad_claim))
            FAIL(1, "plic_claim: round %lu: %lu wins so far (want %lu), odd claim %lu\n",
                 r, wins, r, bad_claim);
    }
    clear_csr(mie, MIP_MEIP);
    smp_barrier();
    if (hart != 0)
        return 0;
    mmio_write8(UART_IER, 0);
    for (unsigned h = 0; h < nharts; h++)
        mmio_write32(PLIC_ENABLE(2 * h), 0);
    print_lock();
    put_str("plic_claim: ");
    put_dec(nharts);
    put_str(" harts, ");
    put_dec(PLIC_ROUNDS);
    put_str(" interrupts each claimed once; wins per hart:");
    uint64_t z = 0;
    for (unsigned h = 0; h < nharts; h++) {
        put_str(" ");
        put_dec(won[h]);
        z += zero_claims[h];
    }
    put_str("; claims that returned 0: ");
    put_dec(z);
    put_str("\n");
    print_unlock();
    return 0;
}
