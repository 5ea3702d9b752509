/* CLINT and interrupts: msip and mtimecmp as seen in mip, taking machine
 * software/timer interrupts, their priority, a supervisor software
 * interrupt delegated to S, an M interrupt preempting S-mode regardless of
 * mstatus.MIE, vectored mtvec, and wfi returning on a pending-but-disabled
 * interrupt.  Only timing-independent facts are printed: mtimecmp is set to
 * 0 (always expired) or all-ones (never), never near the current time, and
 * the exact instruction at which an interrupt is taken (mepc) is not shown.
 * irq_log accumulates the codes of taken interrupts, one byte each (0x80
 * set: taken in S-mode). */
#include "sig.h"

#define MIP_SSIP  (1 << 1)
#define MIP_MSIP  (1 << 3)
#define MIP_STIP  (1 << 5)
#define MIP_MTIP  (1 << 7)
#define MIP_SEIP  (1 << 9)
#define MIP_MEIP  (1 << 11)

        .macro CLEAR_IRQ_LOG
        la t0, irq_log
        sd zero, 0(t0)
        .endm

        .macro SHOW_IRQ_LOG name
        la t0, irq_log
        ld s11, 0(t0)
        SHOW "\name", s11
        .endm

        .text
        .globl test_main
test_main:
        li s1, CLINT_MSIP
        li s2, CLINT_MTIMECMP

        CASE 1          /* msip <-> mip.MSIP */
        SHOW_CSR_MASKED "clint.mip_initial", mip, MIP_MSIP | MIP_MTIP
        li t0, 1
        sw t0, 0(s1)
        lw s3, 0(s1)
        SHOW "clint.msip_set", s3
        SHOW_CSR_MASKED "clint.mip_msip_set", mip, MIP_MSIP | MIP_MTIP
        sw zero, 0(s1)
        lw s3, 0(s1)
        SHOW "clint.msip_clear", s3
        SHOW_CSR_MASKED "clint.mip_msip_clear", mip, MIP_MSIP | MIP_MTIP

        CASE 2          /* mtimecmp <-> mip.MTIP; mtimecmp read back */
        sd zero, 0(s2)
        SHOW_CSR_MASKED "clint.mip_cmp0", mip, MIP_MSIP | MIP_MTIP
        li t0, -1
        sd t0, 0(s2)
        SHOW_CSR_MASKED "clint.mip_cmp_max", mip, MIP_MSIP | MIP_MTIP
        li t0, 0x0123456789abcdef
        sd t0, 0(s2)
        ld s3, 0(s2)
        SHOW "clint.mtimecmp_ld", s3
        lwu s3, 0(s2)
        SHOW "clint.mtimecmp_lo", s3
        lwu s3, 4(s2)
        SHOW "clint.mtimecmp_hi", s3
        li t0, -1                       /* 32-bit halves, high first */
        sw t0, 4(s2)
        li t0, 0x89abcdef
        sw t0, 0(s2)
        ld s3, 0(s2)
        SHOW "clint.mtimecmp_sw", s3
        li t0, -1
        sd t0, 0(s2)
        /* mtime never goes backwards */
        li t0, CLINT_MTIME
        ld s3, 0(t0)
        li t1, 2000
1:      addi t1, t1, -1
        bnez t1, 1b
        ld s4, 0(t0)
        sltu s3, s4, s3                 /* 1 if it went backwards */
        SHOW "clint.mtime_backwards", s3

        CASE 3          /* machine software interrupt */
        CLEAR_IRQ_LOG
        li t0, 1
        sw t0, 0(s1)
        li t0, MIP_MSIP
        csrw mie, t0
        csrs mstatus, MSTATUS_MIE
        nop
        nop
        csrc mstatus, MSTATUS_MIE
        SHOW_IRQ_LOG "irq.msi"
        SHOW_CSR_MASKED "irq.msi_mip_after", mip, MIP_MSIP | MIP_MTIP
        SHOW_CSR_MASKED "irq.msi_mstatus", mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP

        CASE 4          /* machine timer interrupt */
        CLEAR_IRQ_LOG
        sd zero, 0(s2)
        li t0, MIP_MTIP
        csrw mie, t0
        csrs mstatus, MSTATUS_MIE
        nop
        nop
        csrc mstatus, MSTATUS_MIE
        SHOW_IRQ_LOG "irq.mti"
        SHOW_CSR_MASKED "irq.mti_mip_after", mip, MIP_MSIP | MIP_MTIP

        CASE 5          /* priority: MSI before MTI (SSI: see sig_quirks) */
        CLEAR_IRQ_LOG
        li t0, 1
        sw t0, 0(s1)
        sd zero, 0(s2)
        li t0, MIP_MSIP | MIP_MTIP
        csrw mie, t0
        SHOW_CSR_MASKED "irq.prio_pending", mip, MIP_MSIP | MIP_MTIP | MIP_SSIP
        csrs mstatus, MSTATUS_MIE
        nop
        nop
        csrc mstatus, MSTATUS_MIE
        SHOW_IRQ_LOG "irq.prio_order"
        csrw mie, zero

        CASE 6          /* SSI delegated to S; MSI preempts S with MIE = 0 */
        CLEAR_IRQ_LOG
        li t0, MIP_SSIP
        csrw mideleg, t0
        /* masked: with the H extension (QEMU 7.2 enables it) the VS bits of
         * mideleg read as one, and rivet has no H */
        SHOW_CSR_MASKED "irq.mideleg", mideleg, 0x222
        li t0, MIP_SSIP
        csrw mie, t0
        SHOW_CSR_MASKED "irq.sie_view", sie, 0x222
        csrs mip, MIP_SSIP
        SHOW_CSR_MASKED "irq.sip_view", sip, 0x222
        csrs mstatus, MSTATUS_SIE
        RUN_IN PRV_S, 1f
        nop                             /* SSI taken here, in S */
        nop
        BACK_TO_M
1:      SHOW_IRQ_LOG "irq.ssi_in_s"
        SHOW_CSR_MASKED "irq.ssi_mstatus", mstatus, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        CLEAR_IRQ_LOG
        li t0, MIP_MSIP
        csrw mie, t0
        csrc mstatus, MSTATUS_MIE
        RUN_IN PRV_S, 1f
        li t0, 1
        li t1, CLINT_MSIP
        sw t0, 0(t1)                    /* M interrupt while in S: taken */
        nop
        nop
        BACK_TO_M
1:      SHOW_IRQ_LOG "irq.msi_from_s"
        csrw mie, zero
        csrw mideleg, zero
        csrc mstatus, MSTATUS_SIE
        csrc mip, MIP_SSIP
        SHOW_CSR_MASKED "irq.mip_end6", mip, MIP_MSIP | MIP_MTIP | MIP_SSIP

        CASE 7          /* vectored mtvec: interrupts go to base + 4 * code */
        CLEAR_IRQ_LOG
        la t0, vectors
        ori t0, t0, 1
        csrw mtvec, t0
        SHOW_CSR_MASKED "irq.mtvec_mode", mtvec, 3
        li t0, 1
        sw t0, 0(s1)
        li t0, MIP_MSIP
        csrw mie, t0
        csrs mstatus, MSTATUS_MIE
        nop
        nop
        csrc mstatus, MSTATUS_MIE
        ecall                           /* exceptions still go to base */
        la t0, m_trap
        csrw mtvec, t0
        csrw mie, zero
        SHOW_IRQ_LOG "irq.vectored"
        SHOW_TRAP "irq.vectored_ecall"

        CASE 8          /* wfi resumes when an enabled interrupt is pending,
                         * even with mstatus.MIE = 0 (no trap is taken) */
        CLEAR_IRQ_LOG
        li t0, 1
        sw t0, 0(s1)
        li t0, MIP_MSIP
        csrw mie, t0
        wfi
        sw zero, 0(s1)
        csrw mie, zero
        SHOW_IRQ_LOG "irq.wfi"
        SHOW_TRAP "irq.wfi_trap"
        j sig_done

/* Vector table for CASE 7: exceptions jump to m_trap, the machine software
 * interrupt logs 0x33 and clears msip; nothing else is expected. */
        .balign 256
        .option push
        .option norvc                   /* entries must be 4 bytes apart */
vectors:
        j m_trap                        /* 0: exceptions */
        j vec_other
        j vec_other
        j vec_msi                       /* 3: machine software */
        j vec_other
        j vec_other
        j vec_other
        j vec_other                     /* 7: machine timer */
        j vec_other
        j vec_other
        j vec_other
        j vec_other
        .option pop
vec_msi:
        csrrw sp, mscratch, sp
        sd t0, 0(sp)
        sd t1, 8(sp)
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        la t0, irq_log
        ld t1, 0(t0)
        slli t1, t1, 8
        ori t1, t1, 0x33
        sd t1, 0(t0)
        ld t0, 0(sp)
        ld t1, 8(sp)
        csrrw sp, mscratch, sp
        mret
vec_other:                              /* unexpected: log 0xee, disable all */
        csrw mie, zero
        csrrw sp, mscratch, sp
        sd t0, 0(sp)
        sd t1, 8(sp)
        la t0, irq_log
        ld t1, 0(t0)
        slli t1, t1, 8
        ori t1, t1, 0xee
        sd t1, 0(t0)
        ld t0, 0(sp)
        ld t1, 8(sp)
        csrrw sp, mscratch, sp
        mret
