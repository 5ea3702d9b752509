/* Transitions between V=0 and V=1 (privileged spec 1.12, 8.5-8.6): MRET
 * into VS and VU through mstatus.MPV; traps from VS/VU into M (mcause,
 * MPP, MPV, GVA, mtval2/mtinst zero when no guest address is involved),
 * into HS (hstatus.SPV, SPVP, GVA, sstatus.SPP; vsstatus untouched) and
 * into VS (hedeleg: vscause, vsstatus.SPP; hstatus untouched); SRET from HS
 * into VS and VU through hstatus.SPV, SRET inside VS to VU; a trap from HS
 * leaves SPVP alone; an M-mode handler redirecting a guest's trap into HS
 * as OpenSBI does (writing hstatus, htval, htinst, sepc/scause/stval and
 * mret with MPV = 0), after which HS returns to the guest. */
#include "h.h"

#define DENY_PA FREE_PA             /* a page PMP denies to S and U */

        .text
        .globl test_main
test_main:
        H_INIT

        /* ---- MRET into VS and VU: stvec reads vstvec when V = 1 ---------- */
        ENTER_VS
        csrr a0, stvec
        TO_M
        la t0, vs_trap; CHKR(1, a0, t0)
        ENTER_VU
        li a0, 0
        TO_M                        /* got here from VU through ecall */
        la t0, m_rt                 /* the M-mode trap saw cause 8 */
        csrr t1, mcause
        CHK(2, t1, CAUSE_ECALL_U)
        csrr t1, mstatus
        CHKM(3, t1, MSTATUS_MPV, 0) /* m_tom clears it before mret */
        ENTER_HS
        csrr a0, stvec
        TO_M
        la t0, hs_trap; CHKR(4, a0, t0)

        /* ---- traps into M ---------------------------------------------- */
        li a7, 0
        ENTER_VS
        EXPECT_TRAP_AT(5, CAUSE_ECALL_VS, H_M, FROM_VS, ecall)
        CHKM(6, s4, MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPV)
        CHK(7, s3, 0)
        CHK(8, s2, 0)
        TO_M
        li a7, 0
        ENTER_VU
        EXPECT_TRAP_AT(9, CAUSE_ECALL_U, H_M, FROM_VU, ecall)
        CHKM(10, s4, MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPV)
        TO_M
        li a7, 0
        ENTER_HS
        EXPECT_TRAP_AT(11, CAUSE_ECALL_S, H_M, FROM_HS, ecall)
        CHKM(12, s4, MSTATUS_MPV | MSTATUS_GVA, 0)
        TO_M
        li a7, 0
        ENTER_U
        EXPECT_TRAP_AT(13, CAUSE_ECALL_U, H_M, FROM_U, ecall)
        TO_M

        /* an access fault from VS: mtval is a guest virtual address, so
         * GVA = 1; mtval2 = 0 (not a guest-page fault) */
        li t0, (DENY_PA >> 2) | 0x1ff
        csrw pmpaddr0, t0
        li t0, PMP_NAPOT
        csrw pmpcfg0, t0
        sfence.vma zero, zero
        li a0, DENY_PA + 0x18
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 reports a PMP access fault with V=1 as a guest-page fault) */
        ENTER_VS
        EXPECT_TRAP_AT(14, CAUSE_LOAD_ACCESS, H_M, FROM_VS, ld a1, 0(a0))
        CHKM(15, s4, MSTATUS_MPV | MSTATUS_GVA, MSTATUS_MPV | MSTATUS_GVA)
        CHK(16, s9, DENY_PA + 0x18)
        CHK(17, s3, 0)
        TO_M
#endif
        /* the same access from HS: GVA = 0 */
        ENTER_HS
        EXPECT_TRAP_AT(18, CAUSE_LOAD_ACCESS, H_M, FROM_HS, ld a1, 0(a0))
        CHKM(19, s4, MSTATUS_MPV | MSTATUS_GVA, 0)
        TO_M

        /* ---- traps into HS (medeleg) ------------------------------------ */
        li t0, (1 << CAUSE_ECALL_VS) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_ILLEGAL)
        csrw medeleg, t0
        li t0, 0x122
        csrw vsstatus, t0           /* must survive traps into HS */
        li a7, 0
        ENTER_VS
        EXPECT_TRAP_AT(20, CAUSE_ECALL_VS, H_HS, FROM_VS, ecall)
        CHKM(21, s4, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP)
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 reports a PMP access fault with V=1 as a guest-page fault) */
        EXPECT_TRAP_AT(22, CAUSE_LOAD_ACCESS, H_HS, FROM_VS, ld a1, 0(a0))
        CHKM(23, s4, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA)
        CHK(24, s9, DENY_PA + 0x18)
        CHK(25, s3, 0)              /* htval */
        CHK(26, s2, 0)              /* htinst (0 or a transformed load; not a guest-page fault) */
#endif
        TO_M
        csrr t0, vsstatus
        CHKM(27, t0, 0x122, 0x122)
        /* from VU: SPVP = 0 */
        li a7, 0
        ENTER_VU
        EXPECT_TRAP_AT(28, CAUSE_ECALL_U, H_HS, FROM_VU, ecall)
        CHKM(29, s4, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV)
        TO_M
        /* from HS itself: SPV = 0, SPVP kept (here 1), GVA = 0 */
        li t0, HSTATUS_SPVP | HSTATUS_GVA
        csrs hstatus, t0
        ENTER_HS
        EXPECT_TRAP_AT(30, CAUSE_ILLEGAL, H_HS, FROM_HS, .word 0)
        CHKM(31, s4, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPVP)
        TO_M
        li t0, HSTATUS_SPVP
        csrc hstatus, t0
        ENTER_HS
        EXPECT_TRAP_AT(32, CAUSE_ILLEGAL, H_HS, FROM_HS, .word 0)
        CHKM(33, s4, HSTATUS_SPV | HSTATUS_SPVP, 0)
        TO_M
        /* from U: SPV = 0 */
        li a7, 0
        ENTER_U
        EXPECT_TRAP_AT(34, CAUSE_ECALL_U, H_HS, FROM_U, ecall)
        CHKM(35, s4, HSTATUS_SPV, 0)
        TO_M

        /* ---- traps into VS (hedeleg) ------------------------------------- */
        li t0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS)
        csrw medeleg, t0
        csrw hedeleg, t0
        li t0, HSTATUS_SPVP | HSTATUS_GVA
        csrc hstatus, t0
        li a7, 0
        ENTER_VU
        EXPECT_TRAP_AT(36, CAUSE_ECALL_U, H_VS, FROM_U, ecall)
        TO_M
        csrr t0, hstatus            /* a trap into VS leaves hstatus alone */
        CHKM(37, t0, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, 0)
        ENTER_VS
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 delivers an illegal instruction delegated to VS with vscause 1: it applies the VS-interrupt renumbering 2 -> 1 to exceptions too) */
        EXPECT_TRAP_AT(38, CAUSE_ILLEGAL, H_VS, FROM_HS, .word 0)
        CHK(39, s9, 0)              /* vstval: 0 or the instruction, here 0 */
#endif
        EXPECT_TRAP_AT(40, CAUSE_BREAKPOINT, H_VS, FROM_HS, ebreak)
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 reports a PMP access fault with V=1 as a guest-page fault) */
        EXPECT_TRAP_AT(41, CAUSE_LOAD_ACCESS, H_VS, FROM_HS, ld a1, 0(a0))
        CHK(42, s9, DENY_PA + 0x18)
#endif
        /* SRET inside VS goes to VU (vsstatus.SPP = 0) */
        li t0, 1 << 8
        csrc sstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
1:      li a7, 0
        EXPECT_TRAP_AT(43, CAUSE_ECALL_U, H_VS, FROM_U, ecall)
        TO_M
        /* ecall from HS/U is not affected by hedeleg; ecall from VS is
         * never delegated to VS (hedeleg[10] read-only zero) */
        li t0, 1 << CAUSE_ECALL_VS
        csrs medeleg, t0
        li a7, 0
        ENTER_U
        EXPECT_TRAP_AT(44, CAUSE_ECALL_U, H_HS, FROM_U, ecall)
        TO_M
        li a7, 0
        ENTER_VS
        EXPECT_TRAP_AT(45, CAUSE_ECALL_VS, H_HS, FROM_VS, ecall)
        TO_M
        csrw medeleg, zero
        csrw hedeleg, zero
        csrw pmpcfg0, zero
        sfence.vma zero, zero

        /* ---- SRET from HS into VS and VU (hstatus.SPV) -------------------- */
        ENTER_HS
        li t0, HSTATUS_SPV
        csrs hstatus, t0
        li t0, MSTATUS_SPP
        csrs sstatus, t0
        la t0, 2f
        csrw sepc, t0
        sret
2:      csrr a0, stvec           /* vstvec if V = 1 */
        la t0, vs_trap; CHKR(46, a0, t0)
        li a7, 0
        EXPECT_TRAP_AT(47, CAUSE_ECALL_VS, H_M, FROM_VS, ecall)
        TO_M
        ENTER_HS
        li t0, HSTATUS_SPV
        csrs hstatus, t0
        li t0, MSTATUS_SPP
        csrc sstatus, t0
        la t0, 3f
        csrw sepc, t0
        sret
3:      li a7, 0
        EXPECT_TRAP_AT(48, CAUSE_ECALL_U, H_M, FROM_VU, ecall)
        TO_M
        /* SPV = 0: SRET stays non-virtual */
        ENTER_HS
        li t0, HSTATUS_SPV
        csrc hstatus, t0
        li t0, MSTATUS_SPP
        csrs sstatus, t0
        la t0, 4f
        csrw sepc, t0
        sret
4:      csrr a0, stvec
        la t0, hs_trap; CHKR(49, a0, t0)
        TO_M

        /* ---- OpenSBI-style redirect: a VS trap taken in M is handed to HS,
         * which returns to the guest with sret ----------------------------- */
        la t0, m_redirect
        csrw mtvec, t0
        ENTER_VS
        la s11, 5f                  /* where HS resumes the guest */
        li s10, -1
        .word 0                     /* illegal: to M, redirected to HS */
        FAILNOW(50)
5:      csrr a0, stvec           /* back in VS */
        TO_M                        /* (m_redirect passes ecalls on) */
        la t0, vs_trap; CHKR(51, a0, t0)
        CHK(52, s7, H_HS)
        CHK(53, s10, CAUSE_ILLEGAL)
        CHK(54, s6, FROM_VS)
        CHKM(55, s4, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP)
        CHK(56, s3, 0x1234)         /* htval written by M */
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (htinst: QEMU 7.2 ignores writes) */
        CHK(57, s2, 0x3000)         /* htinst written by M (a value hardware writes) */
#endif
        la t0, m_trap
        csrw mtvec, t0

        TEST_PASS

/* M-mode handler that redirects every exception that is not one of ours
 * to HS the way OpenSBI's sbi_trap_redirect does. Uses t0 only. */
        .balign 64
m_redirect:
        csrw mscratch, t0
        csrr t0, mcause
        addi t0, t0, -CAUSE_ILLEGAL
        beqz t0, 1f
        csrr t0, mscratch
        j m_trap
1:      li t0, HSTATUS_SPV | HSTATUS_SPVP
        csrs hstatus, t0            /* guest was in VS */
        li t0, 0x1234
        csrw htval, t0
        li t0, 0x3000
        csrw htinst, t0
        csrr t0, mepc
        csrw sepc, t0
        csrr t0, mcause
        csrw scause, t0
        csrr t0, mtval
        csrw stval, t0
        li t0, MSTATUS_SPP          /* HS sees SPP = S */
        csrs mstatus, t0
        li t0, MSTATUS_MPV | MSTATUS_MPP
        csrc mstatus, t0
        li t0, PRV_S << 11
        csrs mstatus, t0
        csrr t0, stvec
        csrw mepc, t0
        csrr t0, mscratch
        mret
