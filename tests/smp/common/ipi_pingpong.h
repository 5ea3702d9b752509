/* IPI ping-pong between hart 0 and every other hart, one at a time, for the
 * CLINT MSIP (ipi_msip.c) and the ACLINT SSWI (ipi_sswi.c) tests; the test
 * defines, before including this:
 *   IPI_NAME        its name, for the report
 *   ipi_send(h)     raise hart h's software interrupt
 *   ipi_clear()     clear this hart's
 *   ipi_pending()   non-zero while this hart's is pending in mip
 *   IPI_MIE         its bit in mie/mip
 *   IPI_CAUSE       its mcause (interrupt bit included)
 * Hart 0 writes the round number to ping[k] and interrupts hart k, which
 * copies it to pong[k] and interrupts hart 0; IPI_ROUNDS round trips per
 * hart k. Phase 1 polls: mstatus.MIE clear, WFI wakes on mip & mie, the
 * hart reads mip. Phase 2 takes the interrupt in M-mode (mstatus.MIE set).
 * A late or duplicate interrupt finds no new number and is only counted. */
#include "smp.h"

#ifndef IPI_ROUNDS
#define IPI_ROUNDS 500
#endif

static volatile uint64_t ping[SMP_MAX_HARTS], pong[SMP_MAX_HARTS];
static volatile uint64_t seen[SMP_MAX_HARTS], handled[SMP_MAX_HARTS], spurious[SMP_MAX_HARTS];
static volatile uint64_t traps[SMP_MAX_HARTS], ready;

/* One software interrupt on this hart: clear it, then act on what it says. */
static void on_ipi(unsigned hart)
{
    ipi_clear();
    fence();
    if (hart == 0)
        return;                         /* hart 0 rechecks pong[] itself */
    uint64_t s = ping[hart];
    if (s != seen[hart]) {
        seen[hart] = s;
        handled[hart]++;
        pong[hart] = s;
        ipi_send(0);
    } else {
        spurious[hart]++;
    }
}

void smp_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
    unsigned hart = read_csr(mhartid);
    if (cause != IPI_CAUSE) {
        say("%s: unexpected trap on hart %u: mcause=%lx mepc=%lx mtval=%lx\n",
            IPI_NAME, hart, cause, epc, tval);
        finish(254);
    }
    traps[hart]++;
    on_ipi(hart);
}

/* Sleeps until *p == v; with irq, interrupts are taken between checks. */
static void sleep_until(volatile uint64_t *p, uint64_t v, int irq)
{
    unsigned hart = read_csr(mhartid);
    for (;;) {
        clear_csr(mstatus, MSTATUS_MIE);
        if (*p == v)
            break;
        wfi();
        if (irq)
            set_csr(mstatus, MSTATUS_MIE);      /* the handler runs here */
        else if (ipi_pending())
            on_ipi(hart);
    }
}

int smp_main(unsigned hart, unsigned nharts)
{
    for (int irq = 0; irq <= 1; irq++) {
        smp_barrier();
        /* Each worker clears its interrupt, leaves every WAIT (whose MSIP
         * clearing could eat a ping) and then says it is ready; hart 0
         * pings no one before all are. Only the tested interrupt wakes WFI
         * in the phase: a late MSIP from the barrier stays pending but is
         * not enabled (or, in the MSIP test, carries no new number). */
        if (hart != 0) {
            ipi_clear();
            /* seen[] carries over: an MSIP left over from the barrier that
             * arrives once interrupts are on finds the last ping of the
             * phase before, which must not count as new (it did once, and
             * the worker stopped one ping early, leaving hart 0 waiting). */
            handled[hart] = 0;
            write_csr(mie, IPI_MIE);
            amoadd_d_aqrl(&ready, 1);
            kick(0);
        } else {
            WAIT(ready == (nharts - 1) * (irq + 1));
            write_csr(mie, IPI_MIE);
        }
        if (irq)
            set_csr(mstatus, MSTATUS_MIE);
        if (hart == 0) {
            for (unsigned k = 1; k < nharts; k++)
                for (uint64_t r = 1; r <= IPI_ROUNDS; r++) {
                    ping[k] = r + 1000000 * irq;
                    ipi_send(k);
                    sleep_until(&pong[k], r + 1000000 * irq, irq);
                }
        } else {
            sleep_until(&handled[hart], IPI_ROUNDS, irq);
        }
        clear_csr(mstatus, MSTATUS_MIE);
        write_csr(mie, MIP_MSIP);
        if (hart != 0 && handled[hart] != IPI_ROUNDS)
            FAIL(10 + irq, "%s: hart %u handled %lu pings, want %u\n", IPI_NAME,
                 hart, handled[hart], IPI_ROUNDS);
    }
    smp_barrier();
    if (hart != 0)
        return 0;
    uint64_t sp = 0, tr = 0;
    for (unsigned h = 0; h < nharts; h++) {
        sp += spurious[h];
        tr += traps[h];
    }
    say("%s: %u harts, %u round trips per hart polled and with interrupts; "
        "%lu interrupts taken, %lu without a new ping\n", IPI_NAME, nharts,
        IPI_ROUNDS, tr, sp);
    /* Phase 2: every ping was handled in a trap on its worker. */
    CHECK(1, tr >= (uint64_t)IPI_ROUNDS * (nharts - 1));
    return 0;
}
