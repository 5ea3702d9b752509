/* Trap delegation with medeleg/mideleg: delegated exceptions and interrupts
 * reach the S-mode handler with scause/sepc/stval and the sstatus stack set
 * and leave M-mode alone; traps taken while in M-mode are never delegated;
 * delegated interrupts obey the S-level enable rules. */
#include "priv.h"

/* M_TRAPS(reg): number of traps the M-mode handler has taken so far. */
#define M_TRAPS(reg) la reg, m_rt; ld reg, 8(reg)

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- ecall from U delegated to S; sret goes back to U ---------- */
        li t0, 1 << CAUSE_ECALL_U
        csrw medeleg, t0
        li t0, MSTATUS_SIE          /* so that SPIE has something to save */
        csrs mstatus, t0
        M_TRAPS(s0)
        ENTER_U
        li a7, 0
        EXPECT_TRAP(1, CAUSE_ECALL_U, ecall)
        CHK(2, s7, PRV_S)
        CHK(3, s9, 0)
        CHK(4, s6, PRV_U)           /* sstatus.SPP */
        CHKM(5, s4, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE)
        /* the S handler's sret returned to U: S CSRs trap (to M) */
        EXPECT_TRAP(6, CAUSE_ILLEGAL, csrr a0, sstatus)
        CHK(7, s7, PRV_M)
        CHK(8, s6, PRV_U)
        TO_M                        /* U ecall -> S handler -> ecall to M */
        /* M-mode saw exactly two traps: the illegal instruction and the
         * ecall that the S handler made for TO_M. The delegated ecall
         * never reached it. */
        M_TRAPS(t0)
        sub t0, t0, s0
        CHK(9, t0, 2)
        la t0, m_rt
        ld t0, 16(t0)
        CHK(10, t0, CAUSE_ECALL_S)
        li t0, MSTATUS_SIE
        csrc mstatus, t0

        /* not delegated: the same ecall goes to M */
        csrw medeleg, zero
        ENTER_U
        li a7, 0
        EXPECT_TRAP(11, CAUSE_ECALL_U, ecall)
        CHK(12, s7, PRV_M)
        TO_M

        /* ---- several causes delegated, taken from S and from U ---------- */
        li t0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | \
               (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS) | \
               (1 << CAUSE_MISALIGNED_LOAD)
        csrw medeleg, t0
        ENTER_S
        EXPECT_TRAP(20, CAUSE_ILLEGAL, csrr a0, mstatus)
        CHK(21, s7, PRV_S)
        CHK(22, s6, PRV_S)          /* S -> S: SPP = 1 */
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(23, s9, t1)            /* stval = the instruction */
        EXPECT_TRAP(24, CAUSE_BREAKPOINT, ebreak)
        CHK(25, s7, PRV_S)
        li s1, 0x0c600000
        EXPECT_TRAP(26, CAUSE_LOAD_ACCESS, ld a0, 8(s1))
        CHK(27, s7, PRV_S)
        CHK(28, s9, 0x0c600008)     /* stval = the address */
        EXPECT_TRAP(29, CAUSE_STORE_ACCESS, sw a0, 4(s1))
        CHK(30, s7, PRV_S)
        CHK(31, s9, 0x0c600004)
        la s1, scratch
        addi s1, s1, 4
        EXPECT_TRAP(32, CAUSE_MISALIGNED_LOAD, lr.d a0, (s1))
        CHK(33, s7, PRV_S)
        CHKR(34, s9, s1)
        /* an undelegated cause from S still goes to M */
        li a7, 0
        EXPECT_TRAP(35, CAUSE_ECALL_S, ecall)
        TO_M
        ENTER_U
        EXPECT_TRAP(36, CAUSE_ILLEGAL, .word 0xffffffff)
        CHK(37, s7, PRV_S)
        CHK(38, s6, PRV_U)
        CHK(39, s9, 0xffffffff)
        TO_M

        /* ---- ecall from S delegated to S itself ------------------------ */
        /* (TO_M would now loop in S, so leave with an M-mode trap that
         * resumes in M: an illegal instruction, which is not delegated) */
        li t0, 1 << CAUSE_ECALL_S
        csrw medeleg, t0
        ENTER_S
        li a7, 0
        EXPECT_TRAP(14, CAUSE_ECALL_S, ecall)
        CHK(15, s7, PRV_S)
        CHK(16, s6, PRV_S)
        CHK(17, s9, 0)
        ARM_M(1f)
        .word 0xffffffff
1:      CHK(18, s10, CAUSE_ILLEGAL)
        CHK(19, s7, PRV_M)
        csrr t0, mstatus            /* we are in M-mode again */
        csrw medeleg, zero

        /* ---- traps taken in M-mode are never delegated ------------------- */
        EXPECT_TRAP(40, CAUSE_ILLEGAL, .word 0xffffffff)
        CHK(41, s7, PRV_M)
        EXPECT_TRAP(42, CAUSE_BREAKPOINT, ebreak)
        CHK(43, s7, PRV_M)
        li s1, 0x0c600000
        EXPECT_TRAP(44, CAUSE_LOAD_ACCESS, ld a0, 0(s1))
        CHK(45, s7, PRV_M)
        li t0, -1                   /* even with every bit set */
        csrw medeleg, t0
        li a7, 0
        EXPECT_TRAP(46, CAUSE_ECALL_M, ecall)
        CHK(47, s7, PRV_M)
        EXPECT_TRAP(48, CAUSE_ILLEGAL, csrr a0, 0x0ff)
        CHK(49, s7, PRV_M)
        csrw medeleg, zero

        /* ---- page faults delegated (Sv39) ----------------------------- */
        call pt_alloc
        mv s2, a0                   /* root */
        la a1, user_start
        la a2, user_end
        li a5, 3
        call map_image
        srli t0, s2, 12
        li t1, SATP_MODE_SV39
        or t0, t0, t1
        csrw satp, t0
        SFENCE_ALL
        li t0, (1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | \
               (1 << CAUSE_STORE_PAGE)
        csrw medeleg, t0
        ENTER_S
        li s1, 0x40000000           /* not mapped */
        EXPECT_TRAP(50, CAUSE_LOAD_PAGE, ld a0, 16(s1))
        CHK(51, s7, PRV_S)
        CHK(52, s9, 0x40000010)
        CHK(53, s6, PRV_S)
        EXPECT_TRAP(54, CAUSE_STORE_PAGE, sd a0, 24(s1))
        CHK(55, s7, PRV_S)
        CHK(56, s9, 0x40000018)
        /* fetch: sepc and stval are the target */
        ARM(1f)
        jalr ra, 0(s1)
1:      CHK(57, s10, CAUSE_FETCH_PAGE)
        CHK(58, s7, PRV_S)
        CHK(59, s8, 0x40000000)
        CHK(60, s9, 0x40000000)
        TO_M
        /* from U: the U code page is the only user page */
        GOTO_MODE(PRV_U, user_part)
user_back:
        /* not delegated any more: page faults go to M with mtval */
        csrw medeleg, zero
        ENTER_S
        li s1, 0x40000000
        EXPECT_TRAP(70, CAUSE_LOAD_PAGE, lw a0, 0x123(s1))
        CHK(71, s7, PRV_M)
        CHK(72, s9, 0x40000123)
        CHK(73, s6, PRV_S)
        TO_M
        csrw satp, zero
        SFENCE_ALL

        /* ---- delegated interrupts (mideleg) ------------------------------ */
        /* SSI delegated, pending and enabled: M-mode never takes it, not
         * even with MIE = SIE = 1 */
        li s5, 0
        li t0, MIP_SSIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_SIE | MSTATUS_MIE
        csrs mstatus, t0
        li t1, 1000
1:      addi t1, t1, -1
        bnez t1, 1b
        CHK(80, s5, 0)
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        /* the moment S-mode runs with SIE = 1, S takes it, before the first
         * instruction */
        M_TRAPS(s0)
        GOTO_MODE(PRV_S, 1f)
1:      nop
        CHK(81, s5, LOG_S(IRQ_SSI))
        CHK(82, s10, INTR(IRQ_SSI))
        la t0, 1b
        CHKR(83, s8, t0)            /* sepc = the interrupted instruction */
        CHK(84, s6, PRV_S)
        CHKM(85, s4, MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPIE)
        TO_M
        M_TRAPS(t0)
        sub t0, t0, s0
        CHK(86, t0, 1)              /* only TO_M reached M */
        /* SSIP is still pending (the handler only masked sie.SSIE) */
        csrr t0, mip
        CHKM(87, t0, MIP_SSIP, MIP_SSIP)

        /* S-mode with SIE = 0: not taken until SIE is set */
        li s5, 0
        li t0, MIP_SSIP
        csrs mie, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        ENTER_S
        li t1, 1000
1:      addi t1, t1, -1
        bnez t1, 1b
        CHK(90, s5, 0)
        li t0, MSTATUS_SIE
        csrs sstatus, t0
        nop
        CHK(91, s5, LOG_S(IRQ_SSI))
        TO_M

        /* U-mode: delegated S interrupts are taken whatever SIE says */
        li s5, 0
        li t0, MIP_SSIP
        csrs mie, t0
        li t0, MSTATUS_SIE
        csrc mstatus, t0
        ENTER_U
        nop
        CHK(92, s5, LOG_S(IRQ_SSI))
        CHK(93, s6, PRV_U)
        TO_M
        li t0, MIP_SSIP
        csrc mip, t0

        /* STI delegated: STIP written by M (menvcfg.STCE = 0) */
        li s5, 0
        li t0, MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        ENTER_S
        nop
        CHK(95, s5, LOG_S(IRQ_STI))
        CHK(96, s10, INTR(IRQ_STI))
        TO_M
        li t0, MIP_STIP
        csrc mip, t0

        /* not delegated: SSI taken in M from S-mode although MIE = 0 */
        li s5, 0
        csrw mideleg, zero
        li t0, MIP_SSIP
        csrw mie, t0
        csrs mip, t0
        li t0, MSTATUS_MIE | MSTATUS_SIE
        csrc mstatus, t0
        ENTER_S
        nop
        CHK(97, s5, LOG_M(IRQ_SSI))
        CHK(98, s7, PRV_M)
        CHK(99, s6, PRV_S)
        TO_M
        li t0, MIP_SSIP
        csrc mip, t0
        csrw mie, zero

        PRIV_PASS

/* ---- code that runs in U-mode under Sv39 (its own U page) ---------------- */
#undef FAIL_TARGET
#define FAIL_TARGET user_fail
        .section .text.user, "ax"
        .balign 4096
user_start:
user_fail:
        FAIL_STUB
user_part:
        li s1, 0x40000000
        EXPECT_TRAP(61, CAUSE_LOAD_PAGE, ld a0, 8(s1))
        CHK(62, s7, PRV_S)
        CHK(63, s6, PRV_U)
        CHK(64, s9, 0x40000008)
        /* a supervisor page is off limits to U, even though it is mapped */
        la s1, scratch
        EXPECT_TRAP(65, CAUSE_LOAD_PAGE, ld a0, 0(s1))
        CHKR(66, s9, s1)
        /* and so is executing it */
        la s1, test_main
        ARM(1f)
        jalr ra, 0(s1)
1:      CHK(67, s10, CAUSE_FETCH_PAGE)
        CHKR(68, s8, s1)
        CHKR(69, s9, s1)
        TO_M                        /* ecall from U is not delegated now */
        j user_back
        .balign 4096
user_end:

        .data
        .balign 16
scratch: .dword 0, 0
