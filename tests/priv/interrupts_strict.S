/* Interrupt priority (priv 3.1.9): when several enabled interrupts are
 * pending, they are taken in the order MEI, MSI, MTI, SEI, SSI, STI. An OS
 * relies on this, e.g. a timer must not starve behind a software IPI storm
 * of a lower class. MEI needs an interrupt controller and is left out.
 *
 * rivet-test: skip-qemu (QEMU 7.2 without AIA takes the lowest-numbered pending interrupt first: SSI, MSI, STI, MTI, SEI)
 */
#include "priv.h"

#define WAIT_MIP(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beq t2, t6, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* all five pending and enabled, all taken in M; each is masked in
         * mie by the handler once taken, so the log shows the order */
        li s5, 0
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 0(t0)
        li t0, CLINT_MTIMECMP
        sd zero, 0(t0)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrs mip, t0
        WAIT_MIP(MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP | MIP_SEIP, 1)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        li t0, (IRQ_MSI << 32) | (IRQ_MTI << 24) | (IRQ_SEI << 16) | \
               (IRQ_SSI << 8) | IRQ_STI
        CHKR(2, s5, t0)

        /* SSI alone against MTI: the M-level one first although its cause
         * number is higher */
        li s5, 0
        li t0, MIP_SSIP | MIP_MTIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        CHK(3, s5, (IRQ_MTI << 8) | IRQ_SSI)

        /* from S-mode with SEI/SSI/STI delegated: M-level ones into M, then
         * SEI, SSI, STI into S */
        li s5, 0
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t0
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP
        csrw mie, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        ENTER_S
        nop
        TO_M
        li t0, (LOG_M(IRQ_MSI) << 32) | (LOG_M(IRQ_MTI) << 24) | \
               (LOG_S(IRQ_SEI) << 16) | (LOG_S(IRQ_SSI) << 8) | LOG_S(IRQ_STI)
        CHKR(4, s5, t0)

        csrw mideleg, zero
        csrw mie, zero
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrc mip, t0
        PRIV_PASS
