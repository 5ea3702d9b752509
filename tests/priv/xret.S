/* Trap entry and MRET/SRET: the xIE/xPIE/xPP stacks, MPRV being cleared by
 * any xRET to a mode below M (priv 1.12), xRET from a lower privilege and
 * mstatus.TSR. */
#include "priv.h"

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- trap entry pushes MIE into MPIE and the mode into MPP ---- */
        li t0, MSTATUS_MIE          /* mie = 0: no interrupt can fire */
        csrs mstatus, t0
        li a7, 0
        EXPECT_TRAP(1, CAUSE_ECALL_M, ecall)
        CHKM(2, s4, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, \
             MSTATUS_MPIE | (PRV_M << 11))
        /* the handler's mret popped them back: MIE = 1, MPIE = 1, MPP = U */
        csrr t0, mstatus
        CHKM(3, t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, \
             MSTATUS_MIE | MSTATUS_MPIE | (PRV_U << 11))
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        EXPECT_TRAP(4, CAUSE_ECALL_M, ecall)
        CHKM(5, s4, MSTATUS_MIE | MSTATUS_MPIE, 0)
        csrr t0, mstatus
        CHKM(6, t0, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE)

        /* ---- MRET: MIE <- MPIE, MPIE <- 1, MPP <- U -------------------- */
        li t0, MSTATUS_MPIE | MSTATUS_MPP
        csrs mstatus, t0            /* MPP = M, MPIE = 1 */
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        FAILNOW(10)
1:      csrr t0, mstatus
        CHKM(11, t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, \
             MSTATUS_MIE | MSTATUS_MPIE | (PRV_U << 11))
        li t0, MSTATUS_MPIE | MSTATUS_MIE
        csrc mstatus, t0
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        FAILNOW(12)
1:      csrr t0, mstatus
        CHKM(13, t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, \
             MSTATUS_MPIE | (PRV_U << 11))

        /* ---- MRET to M keeps MPRV; MRET to S or U clears it ------------ */
        li t0, MSTATUS_MPP | MSTATUS_MPRV
        csrs mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        FAILNOW(14)
1:      csrr t0, mstatus
        li t1, MSTATUS_MPRV
        csrc mstatus, t1            /* MPP is U now: stop MPRV at once */
        CHKM(15, t0, MSTATUS_MPRV | MSTATUS_MPP, MSTATUS_MPRV | (PRV_U << 11))

        /* (MPRV being cleared by MRET/SRET to S or U is checked in
         * xret_strict.S: QEMU 7.2 leaves MPRV set.) */
        GOTO_MODE(PRV_S, 1f)
1:      /* in S-mode: mstatus is out of reach, so this traps */
        EXPECT_TRAP(16, CAUSE_ILLEGAL, csrr a0, mstatus)
        CHK(17, s6, PRV_S)
        TO_M
        GOTO_MODE(PRV_U, 1f)
1:      EXPECT_TRAP(18, CAUSE_ILLEGAL, csrr a0, sstatus)
        CHK(19, s6, PRV_U)          /* it really ran in U */
        TO_M

        /* ---- SRET executed in M: SIE <- SPIE, SPIE <- 1, SPP <- U ------ */
        li t0, MSTATUS_SPP | MSTATUS_SPIE
        csrs mstatus, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret                        /* to S */
        FAILNOW(21)
1:      EXPECT_TRAP(22, CAUSE_ILLEGAL, csrr a0, mstatus)
        CHK(23, s6, PRV_S)
        TO_M
        csrr t0, mstatus
        CHKM(24, t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, \
             MSTATUS_SIE | MSTATUS_SPIE)
        li t0, MSTATUS_SIE
        csrc mstatus, t0

        /* SPIE = 0 pops SIE = 0; SPP = U lands in U-mode */
        li t0, MSTATUS_SPP | MSTATUS_SPIE
        csrc mstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        FAILNOW(25)
1:      EXPECT_TRAP(26, CAUSE_ILLEGAL, csrr a0, sstatus)
        CHK(27, s6, PRV_U)
        TO_M
        csrr t0, mstatus
        CHKM(28, t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE)

        /* ---- SRET from S-mode to U and to S ------------------------------ */
        ENTER_S
        li t0, MSTATUS_SPP
        csrc sstatus, t0
        li t0, MSTATUS_SPIE
        csrs sstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        FAILNOW(30)
1:      EXPECT_TRAP(31, CAUSE_ILLEGAL, csrr a0, sstatus)
        CHK(32, s6, PRV_U)
        TO_M
        csrr t0, mstatus
        CHKM(33, t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, \
             MSTATUS_SIE | MSTATUS_SPIE)
        li t0, MSTATUS_SIE
        csrc mstatus, t0

        ENTER_S
        li t0, MSTATUS_SPP
        csrs sstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        FAILNOW(34)
1:      csrr t0, sstatus            /* still S-mode: no trap */
        CHKM(35, t0, MSTATUS_SPP, 0)
        TO_M

        /* ---- xRET from a lower privilege is illegal -------------------- */
        ENTER_S
        EXPECT_TRAP(40, CAUSE_ILLEGAL, mret)
        CHK(41, s9, INSN_MRET)
        CHK(42, s6, PRV_S)
        TO_M
        ENTER_U
        EXPECT_TRAP(43, CAUSE_ILLEGAL, mret)
        CHK(44, s9, INSN_MRET)
        EXPECT_TRAP(45, CAUSE_ILLEGAL, sret)
        CHK(46, s9, INSN_SRET)
        CHK(47, s6, PRV_U)
        TO_M

        /* ---- mstatus.TSR: SRET traps in S-mode, not in M-mode ------------ */
        li t0, MSTATUS_TSR
        csrs mstatus, t0
        ENTER_S
        la t0, 1f
        csrw sepc, t0
        EXPECT_TRAP(50, CAUSE_ILLEGAL, sret)
        CHK(51, s9, INSN_SRET)
        CHK(52, s6, PRV_S)
        TO_M
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        la t0, 2f
        csrw sepc, t0
        sret                        /* TSR does not apply to M-mode */
1:      FAILNOW(55)
2:      EXPECT_TRAP(56, CAUSE_ILLEGAL, csrr a0, mstatus)  /* now in S */
        TO_M
        li t0, MSTATUS_TSR
        csrc mstatus, t0

        PRIV_PASS
