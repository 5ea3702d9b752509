/* The virtual-instruction exception (cause 22, privileged spec 1.12,
 * 8.6.1), case by case, each next to the neighbouring case that must stay
 * an illegal-instruction exception (2) or succeed:
 *   VS: hypervisor and VS CSRs; HLV/HLVX/HSV/HFENCE; WFI with hstatus.VTW
 *       (mstatus.TW wins: illegal); SRET with VTSR; SFENCE.VMA and satp
 *       with VTVM; counters with hcounteren clear (mcounteren clear:
 *       illegal); stimecmp with henvcfg.STCE clear (menvcfg.STCE clear:
 *       illegal)
 *   VU: the same hypervisor instructions (even with hstatus.HU); SRET,
 *       SFENCE.VMA, WFI; supervisor, hypervisor and VS CSRs; counters with
 *       scounteren clear
 * stval is 0 or the instruction; GVA = 0; a write to a read-only H CSR
 * (hgeip) is illegal since HS could not do it either; medeleg[22] sends
 * the exception to HS (hedeleg[22] is read-only zero). */
#include "h.h"

/* VI(n, from, insn): insn raises a virtual-instruction exception in M;
 * mtval is 0 or the instruction; GVA = 0 (no guest address) */
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 sets mstatus.GVA on virtual-instruction exceptions) */
#define VI_GVA(n) CHKM(n, s4, MSTATUS_GVA, 0)
#else
#define VI_GVA(n)
#endif
#define VI(n, from, insn...)                                    \
        EXPECT_TRAP_AT(n, CAUSE_VIRTUAL_INSN, H_M, from, insn); \
        beqz s9, 94f; la t3, 80b; lhu t4, 0(t3); lhu t3, 2(t3); \
        slli t3, t3, 16; or t4, t4, t3; CHKR(n, s9, t4); 94:    \
        VI_GVA(n)
/* VIH: the same for HLV/HLVX/HSV, whose mtval QEMU does not write */
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 leaves mtval stale on a virtual-instruction exception from HLV/HLVX/HSV) */
#define VIH VI
#else
#define VIH(n, from, insn...)                                   \
        EXPECT_TRAP_AT(n, CAUSE_VIRTUAL_INSN, H_M, from, insn)
#endif
#define ILL(n, from, insn...) EXPECT_TRAP_AT(n, CAUSE_ILLEGAL, H_M, from, insn)
#define OK(n, insn...) EXPECT_NO_TRAP(n, insn)

        .text
        .globl test_main
test_main:
        H_INIT
        li t0, 7
        csrw mcounteren, t0
        csrw hcounteren, zero
        csrw scounteren, zero
        li t0, ENVCFG_STCE
        csrs menvcfg, t0
        csrw henvcfg, zero

        /* ---- VS: H and VS CSRs ------------------------------------------------ */
        ENTER_VS
        VI(1, FROM_VS, csrr t0, hstatus)
        VI(2, FROM_VS, csrw hedeleg, zero)
        VI(3, FROM_VS, csrr t0, hgatp)
        VI(4, FROM_VS, csrr t0, vsstatus)
        VI(5, FROM_VS, csrw vsatp, zero)
        VI(6, FROM_VS, csrr t0, htimedelta)
        VI(7, FROM_VS, csrr t0, hvip)
        VI(8, FROM_VS, csrr t0, vstimecmp)
        VI(9, FROM_VS, csrr t0, hgeip)
        ILL(10, FROM_VS, csrw hgeip, zero)      /* illegal in HS too */
        ILL(11, FROM_VS, csrr t0, mstatus)      /* M CSRs: illegal */
        ILL(12, FROM_VS, csrr t0, CSR_MTINST)
        OK(13, csrr t0, sstatus; csrr t0, sie; csrr t0, sscratch)
        /* ---- VS: hypervisor instructions ------------------------------------- */
        li a0, 0x80000000
        VIH(14, FROM_VS, hlv.w t0, (a0))
        VIH(15, FROM_VS, hlvx.wu t0, (a0))
        VIH(16, FROM_VS, hsv.w t0, (a0))
        VI(17, FROM_VS, hfence.vvma zero, zero)
        VI(18, FROM_VS, hfence.gvma zero, zero)
        ILL(19, FROM_VS, mret)
        /* ---- VS: counters: mcounteren set, hcounteren clear ------------------ */
        VI(20, FROM_VS, rdcycle t0)
        VI(21, FROM_VS, rdtime t0)
        VI(22, FROM_VS, rdinstret t0)
        /* ---- VS: stimecmp with menvcfg.STCE = 1, henvcfg.STCE = 0 ------------ */
        VI(23, FROM_VS, csrr t0, stimecmp)
        TO_M
        li t0, 7
        csrw hcounteren, t0
        ENTER_VS
        OK(24, rdcycle t0; rdtime t0; rdinstret t0)
        VI(25, FROM_VS, csrr t0, stimecmp)      /* still: henvcfg.STCE = 0 */
        TO_M
        li t0, ENVCFG_STCE
        csrw henvcfg, t0
        li t0, 0x123456789
        csrw vstimecmp, t0
        ENTER_VS
        OK(26, csrr a0, stimecmp)
        TO_M
        CHK(27, a0, 0x123456789)                /* VS's stimecmp is vstimecmp */
        li t0, -1
        csrw vstimecmp, t0
        li t0, ENVCFG_STCE
        csrc menvcfg, t0                        /* menvcfg.STCE = 0: illegal */
        ENTER_VS
        ILL(28, FROM_VS, csrr t0, stimecmp)
        TO_M
        li t0, ENVCFG_STCE
        csrs menvcfg, t0
        csrw mcounteren, zero                   /* mcounteren clear: illegal */
        ENTER_VS
        ILL(29, FROM_VS, rdcycle t0)
        ILL(30, FROM_VS, rdtime t0)
        ILL(31, FROM_VS, csrr t0, stimecmp)     /* (Sstc: needs mcounteren.TM) */
        TO_M
        li t0, 7
        csrw mcounteren, t0
        li t0, 2                                /* only TM clear in hcounteren */
        csrc hcounteren, t0
        ENTER_VS
        VI(32, FROM_VS, rdtime t0)
        VI(33, FROM_VS, csrr t0, stimecmp)      /* Sstc: hcounteren.TM too */
        OK(34, rdcycle t0)
        TO_M
        li t0, 7
        csrw hcounteren, t0

        /* ---- VS: WFI and VTW / TW -------------------------------------------- */
        li t0, HSTATUS_VTW
        csrs hstatus, t0
        ENTER_VS
        VI(35, FROM_VS, wfi)
        TO_M
        li t0, MSTATUS_TW
        csrs mstatus, t0
        ENTER_VS
        ILL(36, FROM_VS, wfi)                   /* TW = 1 wins */
        TO_M
        li t0, MSTATUS_TW
        csrc mstatus, t0
        li t0, HSTATUS_VTW
        csrc hstatus, t0
        /* VTW = 0: WFI completes (a VS interrupt is pending and enabled in
         * vsie, but vsstatus.SIE = 0, so it is not taken) */
        li t0, MIP_VSSIP
        csrw hideleg, t0
        csrw hie, t0
        csrw hvip, t0
        ENTER_VS
        OK(37, wfi)
        TO_M
        csrw hvip, zero
        csrw hie, zero
        csrw hideleg, zero

        /* ---- VS: SRET and VTSR ----------------------------------------------- */
        li t0, HSTATUS_VTSR
        csrs hstatus, t0
        ENTER_VS
        VI(38, FROM_VS, sret)
        TO_M
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 applies mstatus.TSR to SRET in VS: illegal instruction) */
        li t0, MSTATUS_TSR                      /* mstatus.TSR does not matter for VS */
        csrs mstatus, t0
#endif
        li t0, HSTATUS_VTSR
        csrc hstatus, t0
        ENTER_VS
        li t0, 1 << 8
        csrs sstatus, t0                        /* vsstatus.SPP = S */
        la t0, 1f
        csrw sepc, t0
        la s11, 2f
        sret
1:      li s11, 0
        j 3f
2:      CHK(39, s10, -1)            /* (shows the cause) */
3:      TO_M
        li t0, MSTATUS_TSR
        csrc mstatus, t0

        /* ---- VS: SFENCE.VMA and satp with VTVM --------------------------------- */
        li t0, HSTATUS_VTVM
        csrs hstatus, t0
        ENTER_VS
        VI(40, FROM_VS, sfence.vma zero, zero)
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (VTVM: QEMU 7.2 lets VS access satp (vsatp)) */
        VI(41, FROM_VS, csrr t0, satp)
        VI(42, FROM_VS, csrw satp, zero)
#endif
        TO_M
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 applies mstatus.TVM to SFENCE.VMA/satp in VS) */
        li t0, MSTATUS_TVM                      /* mstatus.TVM does not matter for VS */
        csrs mstatus, t0
#endif
        li t0, HSTATUS_VTVM
        csrc hstatus, t0
        ENTER_VS
        OK(43, sfence.vma zero, zero; csrr t0, satp; csrw satp, zero)
        TO_M
        li t0, MSTATUS_TVM
        csrc mstatus, t0

        /* ---- VU ------------------------------------------------------------------ */
        csrw scounteren, zero
        li t0, HSTATUS_HU
        csrs hstatus, t0                        /* HU does not help with V = 1 */
        ENTER_VU
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (SRET in VU: QEMU 7.2 raises an illegal-instruction exception) */
        VI(50, FROM_VU, sret)
#endif
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (SFENCE.VMA in VU: QEMU 7.2 raises an illegal-instruction exception) */
        VI(51, FROM_VU, sfence.vma zero, zero)
#endif
        VI(52, FROM_VU, wfi)
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (supervisor CSRs from VU: QEMU 7.2 raises an illegal-instruction exception) */
        VI(53, FROM_VU, csrr t0, sstatus)
        VI(54, FROM_VU, csrr t0, satp)
#endif
        VI(55, FROM_VU, csrr t0, hstatus)
        VI(56, FROM_VU, csrr t0, vsscratch)
        li a0, 0x80000000
        VIH(57, FROM_VU, hlv.w t0, (a0))
        VIH(58, FROM_VU, hsv.w t0, (a0))
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (HFENCE in VU: QEMU 7.2 raises an illegal-instruction exception) */
        VI(59, FROM_VU, hfence.vvma zero, zero)
        VI(60, FROM_VU, hfence.gvma zero, zero)
#endif
        ILL(61, FROM_VU, csrr t0, mstatus)
        ILL(62, FROM_VU, mret)
        VI(63, FROM_VU, rdcycle t0)             /* scounteren clear */
        TO_M
        li t0, 7
        csrw scounteren, t0
        ENTER_VU
        OK(64, rdcycle t0; rdtime t0; rdinstret t0)
        TO_M
        csrw hcounteren, zero                   /* hcounteren clear */
        ENTER_VU
        VI(65, FROM_VU, rdcycle t0)
        TO_M
        li t0, MSTATUS_TW
        csrs mstatus, t0
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (WFI in VU with mstatus.TW = 1: QEMU 7.2 raises a virtual-instruction exception, not illegal) */
        ENTER_VU
        ILL(66, FROM_VU, wfi)                   /* TW = 1: illegal */
        TO_M
#endif
        li t0, MSTATUS_TW | MSTATUS_TSR | MSTATUS_TVM
        csrc mstatus, t0
        li t0, HSTATUS_HU
        csrc hstatus, t0
        li t0, 7
        csrw hcounteren, t0

        /* ---- medeleg[22]: taken in HS, with htval = 0 ------------------------ */
        li t0, -1
        csrw hedeleg, t0
        csrr t0, hedeleg
        CHKM(70, t0, 1 << CAUSE_VIRTUAL_INSN, 0)
        li t0, 1 << CAUSE_VIRTUAL_INSN
        csrw medeleg, t0
        ENTER_VS
        EXPECT_TRAP_AT(71, CAUSE_VIRTUAL_INSN, H_HS, FROM_VS, csrr t0, hstatus)
        CHKM(72, s4, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA, HSTATUS_SPV | HSTATUS_SPVP)
        CHK(73, s3, 0)
        TO_M
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (SRET in VU: QEMU 7.2 raises an illegal-instruction exception) */
        ENTER_VU
        EXPECT_TRAP_AT(74, CAUSE_VIRTUAL_INSN, H_HS, FROM_VU, sret)
        TO_M
#endif
        csrw medeleg, zero
        csrw hedeleg, zero

        TEST_PASS
