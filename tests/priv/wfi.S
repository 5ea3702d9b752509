/* WFI: it resumes when an interrupt enabled in mie/sie becomes pending, even
 * with the global enable off (that is how an OS idles with interrupts
 * disabled); with the global enable on the interrupt is taken after it; and
 * mstatus.TW turns WFI below M into an illegal instruction.
 *
 * WFI may legally be a no-op, so every wait is a bounded loop around it. */
#include "priv.h"

#define WAIT_MIP(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beq t2, t6, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:
#define WAIT_MIP_CLEAR(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beqz t2, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:
/* MTIMECMP_IN(ticks): mtimecmp = mtime + ticks. Clobbers t0, t1. */
#define MTIMECMP_IN(ticks) li t0, CLINT_MTIME; ld t1, 0(t0); \
        li t0, ticks; add t1, t1, t0; li t0, CLINT_MTIMECMP; sd t1, 0(t0)
#define MTIMECMP_OFF li t0, CLINT_MTIMECMP; li t1, -1; sd t1, 0(t0)

        .text
        .globl test_main
test_main:
        PRIV_INIT
        MTIMECMP_OFF
        WAIT_MIP_CLEAR(MIP_MTIP, 1)
        li s5, 0

        /* ---- an interrupt already pending and enabled, MIE = 0: WFI must
         * not stall, and nothing is taken ------------------------------ */
        li t0, CLINT_MTIMECMP
        sd zero, 0(t0)
        WAIT_MIP(MIP_MTIP, 2)
        li t0, MIP_MTIP
        csrw mie, t0
        wfi
        CHK(3, s5, 0)
        MTIMECMP_OFF
        WAIT_MIP_CLEAR(MIP_MTIP, 4)

        /* ---- MIE = 0: WFI wakes when the timer fires; no trap -------- */
        MTIMECMP_IN(2000)           /* 200 us */
        li s0, 10000000
1:      wfi
        csrr t2, mip
        andi t2, t2, MIP_MTIP
        bnez t2, 2f
        addi s0, s0, -1
        bnez s0, 1b
        FAILNOW(5)
2:      CHK(6, s5, 0)
        li t0, CLINT_MTIME
        ld t2, 0(t0)
        addi t2, t2, 1              /* a tick of slack for QEMU's rounding */
        li t0, CLINT_MTIMECMP
        ld t3, 0(t0)
        sltu t2, t2, t3
        CHK(7, t2, 0)               /* it woke because time was up */
        MTIMECMP_OFF
        WAIT_MIP_CLEAR(MIP_MTIP, 8)

        /* ---- MIE = 1: the interrupt is taken; mepc points into the wait
         * loop (right after the WFI if WFI really stalled) --------------- */
        li t0, MIP_MTIP
        csrw mie, t0
        MTIMECMP_IN(2000)
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        li s0, 10000000
1:      wfi
        bnez s5, 2f
        addi s0, s0, -1
        bnez s0, 1b
        FAILNOW(9)
2:      li t0, MSTATUS_MIE
        csrc mstatus, t0
        CHK(10, s5, LOG_M(IRQ_MTI))
        la t0, 1b
        sltu t1, s8, t0
        CHK(11, t1, 0)
        la t0, 2b
        sltu t1, t0, s8
        CHK(12, t1, 0)
        MTIMECMP_OFF
        WAIT_MIP_CLEAR(MIP_MTIP, 13)

        /* ---- S-mode, TW = 0: WFI wakes on a delegated interrupt enabled
         * in sie although sstatus.SIE = 0 -------------------------------- */
        li s5, 0
        li t0, MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        ENTER_S
        EXPECT_NO_TRAP(20, wfi)
        CHK(21, s5, 0)
        TO_M
        li t0, MIP_STIP
        csrc mip, t0
        csrw mideleg, zero
        csrw mie, zero

        /* ---- mstatus.TW = 1 ------------------------------------------- */
        li t0, MSTATUS_TW
        csrs mstatus, t0
        /* M-mode ignores TW (a pending enabled interrupt lets it finish) */
        li t0, CLINT_MTIMECMP
        sd zero, 0(t0)
        WAIT_MIP(MIP_MTIP, 30)
        li t0, MIP_MTIP
        csrw mie, t0
        EXPECT_NO_TRAP(31, wfi)
        csrw mie, zero
        MTIMECMP_OFF
        WAIT_MIP_CLEAR(MIP_MTIP, 32)
        /* Below M, with nothing that could wake it, WFI cannot complete
         * within any time limit, so it must trap. */
        ENTER_S
        EXPECT_TRAP(33, CAUSE_ILLEGAL, wfi)
        CHK(34, s9, INSN_WFI)
        CHK(35, s7, PRV_M)
        CHK(36, s6, PRV_S)
        TO_M
        ENTER_U
        EXPECT_TRAP(37, CAUSE_ILLEGAL, wfi)
        CHK(38, s9, INSN_WFI)
        CHK(39, s6, PRV_U)
        TO_M
        /* delegated illegal instruction: the S handler sees it */
        li t0, 1 << CAUSE_ILLEGAL
        csrw medeleg, t0
        ENTER_U
        EXPECT_TRAP(40, CAUSE_ILLEGAL, wfi)
        CHK(41, s7, PRV_S)
        CHK(42, s9, INSN_WFI)
        TO_M
        csrw medeleg, zero
        li t0, MSTATUS_TW
        csrc mstatus, t0

        PRIV_PASS
