/* Interrupts: CLINT software (msip) and timer (mtimecmp) interrupts, the
 * S-level sources M-mode can raise through mip (SSIP, STIP, SEIP), global
 * and per-source enables, priority order when several are pending, and
 * vectored mtvec/stvec.
 *
 * MEI cannot be raised without programming an interrupt controller (the
 * tests only rely on the CLINT), so MEI is never checked. */
#include "priv.h"

/* MTIMECMP_SET(value_reg): write mtimecmp. Clobbers t0. */
#define MTIMECMP_SET(reg) li t0, CLINT_MTIMECMP; sd reg, 0(t0)
#define MSIP_SET(val) li t0, CLINT_MSIP; li t1, val; sw t1, 0(t0)
/* A write to the CLINT reaches mip "in a bounded amount of time", while a
 * CSR write that enables a pending interrupt must trap immediately. So the
 * tests wait for mip to show a CLINT interrupt with interrupts disabled, and
 * only then enable it through a CSR.
 * WAIT_MIP(bits, n): wait until all `bits` are pending, else fail with n.
 * WAIT_MIP_CLEAR(bits, n): wait until none of them is. Clobber t1, t2, t6. */
#define WAIT_MIP(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beq t2, t6, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:
#define WAIT_MIP_CLEAR(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beqz t2, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:
/* SPIN(n): busy-wait n iterations. Clobbers t1. */
#define SPIN(n) li t1, n; 1: addi t1, t1, -1; bnez t1, 1b

        .text
        .globl test_main
test_main:
        PRIV_INIT
        li t2, -1
        MTIMECMP_SET(t2)            /* no timer interrupt pending */
        MSIP_SET(0)

        /* ---- CLINT msip drives mip.MSIP ------------------------------- */
        MSIP_SET(1)
        WAIT_MIP(MIP_MSIP, 1)
        li t0, CLINT_MSIP
        lw t2, 0(t0)
        CHK(2, t2, 1)
        /* enabled in mie but MIE = 0: stays pending, not taken */
        li s5, 0
        li t0, MIP_MSIP
        csrw mie, t0
        SPIN(1000)
        CHK(3, s5, 0)
        /* MIE = 1: taken right after the csrs, mepc = next instruction */
        li t0, MSTATUS_MIE
        csrs mstatus, t0
2:      nop
        CHK(4, s5, LOG_M(IRQ_MSI))
        CHK(5, s10, INTR(IRQ_MSI))
        la t0, 2b
        CHKR(6, s8, t0)
        CHKM(7, s4, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, \
             MSTATUS_MPIE | (PRV_M << 11))
        /* the handler's mret restored MIE */
        csrr t2, mstatus
        CHKM(8, t2, MSTATUS_MIE, MSTATUS_MIE)
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        MSIP_SET(0)
        WAIT_MIP_CLEAR(MIP_MSIP, 9)
        /* only bit 0 of msip is writable */
        MSIP_SET(0xfffffffe)
        li t0, CLINT_MSIP
        lw t2, 0(t0)
        CHK(10, t2, 0)
        SPIN(1000)
        csrr t2, mip
        CHKM(11, t2, MIP_MSIP, 0)

        /* ---- CLINT mtimecmp drives mip.MTIP --------------------------- */
        csrw mie, zero
        li t2, 0
        MTIMECMP_SET(t2)            /* mtime >= 0: pending */
        WAIT_MIP(MIP_MTIP, 20)
        li t0, CLINT_MTIME
        ld t2, 0(t0)
        li t3, 100000000            /* 10 s in the future */
        add t2, t2, t3
        MTIMECMP_SET(t2)
        WAIT_MIP_CLEAR(MIP_MTIP, 21)
        /* a deadline 1000 ticks (100 us) away: MTIP rises on its own */
        li t0, CLINT_MTIME
        ld t2, 0(t0)
        addi t2, t2, 1000
        MTIMECMP_SET(t2)
        li t3, 50000000             /* bounded wait */
1:      csrr t2, mip
        andi t2, t2, MIP_MTIP
        bnez t2, 2f
        addi t3, t3, -1
        bnez t3, 1b
        FAILNOW(22)
2:      /* mtime really reached mtimecmp */
        li t0, CLINT_MTIME
        ld t2, 0(t0)
        addi t2, t2, 1              /* a tick of slack for QEMU's rounding */
        li t0, CLINT_MTIMECMP
        ld t3, 0(t0)
        sltu t2, t2, t3
        CHK(23, t2, 0)
        /* take it */
        li s5, 0
        li t0, MIP_MTIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        CHK(24, s5, LOG_M(IRQ_MTI))
        CHK(25, s10, INTR(IRQ_MTI))
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        li t2, -1
        MTIMECMP_SET(t2)
        WAIT_MIP_CLEAR(MIP_MTIP, 26)

        /* ---- M-mode raises S-level interrupts through mip ------------- */
        /* not delegated, so they are M-mode traps */
        li s5, 0
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        li t0, MIP_SSIP
        csrs mip, t0
        nop
        CHK(30, s5, LOG_M(IRQ_SSI))
        CHK(31, s10, INTR(IRQ_SSI))
        li t0, MIP_STIP
        csrs mip, t0
        nop
        CHK(32, s10, INTR(IRQ_STI))
        li t0, MIP_SEIP
        csrs mip, t0
        nop
        CHK(33, s10, INTR(IRQ_SEI))
        CHK(34, s5, (LOG_M(IRQ_SSI) << 16) | (LOG_M(IRQ_STI) << 8) | LOG_M(IRQ_SEI))
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrc mip, t0

        /* ---- priority ------------------------------------------------- */
        /* The full order MEI > MSI > MTI > SEI > SSI > STI is checked in
         * interrupts_strict.S: QEMU 7.2 takes pending interrupts in
         * ascending cause order. The pairs below agree under both. */
        /* MSI before MTI */
        li s5, 0
        MSIP_SET(1)
        li t2, 0
        MTIMECMP_SET(t2)
        WAIT_MIP(MIP_MSIP | MIP_MTIP, 39)
        li t0, MIP_MSIP | MIP_MTIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        CHK(40, s5, (IRQ_MSI << 8) | IRQ_MTI)
        /* SSI before STI */
        li s5, 0
        li t0, MIP_SSIP | MIP_STIP
        csrs mip, t0
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        CHK(41, s5, (IRQ_SSI << 8) | IRQ_STI)

        /* From S-mode with SSI/STI delegated: the M-level interrupts first
         * (into M), then the S-level ones (into S). MSIP, MTIP, SSIP and
         * STIP are all still pending. */
        li s5, 0
        li t0, MIP_SSIP | MIP_STIP
        csrw mideleg, t0
        li t0, MIP_SSIP | MIP_STIP | MIP_MSIP | MIP_MTIP
        csrw mie, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        ENTER_S
        nop
        TO_M
        li t0, (LOG_M(IRQ_MSI) << 24) | (LOG_M(IRQ_MTI) << 16) | \
               (LOG_S(IRQ_SSI) << 8) | LOG_S(IRQ_STI)
        CHKR(42, s5, t0)
        csrw mideleg, zero
        MSIP_SET(0)
        li t2, -1
        MTIMECMP_SET(t2)
        li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrc mip, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0

        /* ---- enables -------------------------------------------------- */
        /* pending, MIE = 1, but not enabled in mie: nothing happens */
        li s5, 0
        csrw mie, zero
        MSIP_SET(1)
        WAIT_MIP(MIP_MSIP, 49)
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        SPIN(1000)
        CHK(50, s5, 0)
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        /* below M, M-level interrupts are taken whatever MIE says */
        li t0, MIP_MSIP
        csrw mie, t0
        ENTER_S
        nop
        CHK(51, s5, LOG_M(IRQ_MSI))
        CHK(52, s6, PRV_S)
        CHK(53, s7, PRV_M)
        TO_M
        li s5, 0
        li t0, MIP_MSIP
        csrw mie, t0
        ENTER_U
        nop
        CHK(54, s5, LOG_M(IRQ_MSI))
        CHK(55, s6, PRV_U)
        TO_M
        MSIP_SET(0)

        /* ---- vectored mode -------------------------------------------- */
        la t0, m_vectors
        ori t0, t0, 1
        csrw mtvec, t0
        csrr t2, mtvec
        CHKR(60, t2, t0)
        /* MSI -> base + 4*3 */
        li s5, 0
        li s3, -1
        MSIP_SET(1)
        WAIT_MIP(MIP_MSIP, 59)
        li t0, MIP_MSIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        CHK(61, s3, IRQ_MSI)
        CHK(62, s5, LOG_M(IRQ_MSI))
        MSIP_SET(0)
        /* MTI -> base + 4*7 */
        li s3, -1
        li t2, 0
        MTIMECMP_SET(t2)
        WAIT_MIP(MIP_MTIP, 58)
        li t0, MIP_MTIP
        csrw mie, t0
        nop
        CHK(63, s3, IRQ_MTI)
        li t2, -1
        MTIMECMP_SET(t2)
        /* SSI, STI, SEI -> base + 4, + 20, + 36 */
        li s3, -1
        li t0, MIP_SSIP
        csrw mie, t0
        csrs mip, t0
        nop
        CHK(64, s3, IRQ_SSI)
        li t0, MIP_SSIP
        csrc mip, t0
        li s3, -1
        li t0, MIP_STIP
        csrw mie, t0
        csrs mip, t0
        nop
        CHK(65, s3, IRQ_STI)
        li t0, MIP_STIP
        csrc mip, t0
        li s3, -1
        li t0, MIP_SEIP
        csrw mie, t0
        csrs mip, t0
        nop
        CHK(66, s3, IRQ_SEI)
        li t0, MIP_SEIP
        csrc mip, t0
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        /* exceptions still go to the base */
        li s3, -1
        li a7, 0
        EXPECT_TRAP(67, CAUSE_ECALL_M, ecall)
        CHK(68, s3, 0)

        /* vectored stvec for delegated interrupts */
        la t0, s_vectors
        ori t0, t0, 1
        csrw stvec, t0
        li t0, MIP_SSIP | MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        li s3, -1
        li s5, 0
        ENTER_S
        li t0, MIP_SSIP
        csrs sip, t0                /* S-mode raises its own SSI */
        nop
        CHK(70, s3, 0x100 | IRQ_SSI)
        CHK(71, s5, LOG_S(IRQ_SSI))
        CHK(72, s10, INTR(IRQ_SSI))
        TO_M
        li t0, MIP_SSIP
        csrc mip, t0
        li t0, MIP_STIP
        csrs mip, t0
        li s3, -1
        ENTER_S
        nop
        CHK(73, s3, 0x100 | IRQ_STI)
        TO_M
        li t0, MIP_STIP
        csrc mip, t0
        csrw mideleg, zero
        csrw mie, zero
        la t0, s_trap
        csrw stvec, t0
        la t0, m_trap
        csrw mtvec, t0

        PRIV_PASS

/* Vector tables: every slot is one 4-byte jump (no compressed forms, so the
 * slots are exactly 4 bytes apart). The stubs record the slot in s3 and go
 * on to the normal handler, which logs and masks the interrupt. */
        .balign 256
        .option push
        .option norvc
m_vectors:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        j m_vec_stub_\n
        .endr
        .option pop
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
m_vec_stub_\n:
        li s3, \n
        j m_trap
        .endr

        .balign 256
        .option push
        .option norvc
s_vectors:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        j s_vec_stub_\n
        .endr
        .option pop
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
s_vec_stub_\n:
        li s3, 0x100 + \n
        j s_trap
        .endr
