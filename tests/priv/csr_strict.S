/* CSR rules QEMU 7.2 breaks (each a "must" in priv 1.12 / Zicsr):
 *  - mepc[0] and sepc[0] are always zero (IALIGN = 16), so an xRET can never
 *    jump to an odd address;
 *  - MPP is WARL over the implemented modes: 2 never reads back;
 *  - UXL is read-only 2 on a hart that only runs 64-bit U-mode;
 *  - CSRRS/CSRRC with rs1 != x0 always write, so on a read-only CSR they
 *    trap even when the register holds 0;
 *  - medeleg[11] (ecall from M) is read-only zero;
 *  - pmpaddr bits 63:54 are zero on RV64 (WARL 0).
 *
 * rivet-test: skip-qemu (QEMU 7.2 keeps mepc/sepc bit 0, stores MPP=2 and UXL=3, lets csrrs/csrrc with a zero register write read-only CSRs, lets medeleg[11] be set and returns pmpaddr bits 63:54)
 */
#include "priv.h"

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- mepc/sepc bit 0 --------------------------------------------- */
        li t1, 0x80001003
        csrw mepc, t1
        csrr t0, mepc
        CHK(1, t0, 0x80001002)
        csrw sepc, t1
        csrr t0, sepc
        CHK(2, t0, 0x80001002)
        /* mret to an odd mepc lands on the even address */
        la t0, 1f
        addi t0, t0, 1
        csrw mepc, t0
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        li a0, 0
        mret
        .balign 4
1:      li a0, 0x11
        CHK(3, a0, 0x11)

        /* ---- MPP = 2 is not kept ------------------------------------------ */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, 2 << 11
        csrs mstatus, t0
        csrr t0, mstatus
        srli t0, t0, 11
        andi t0, t0, 3
        li t1, 2
        bne t0, t1, 2f
        FAILNOW(4)
2:      li t0, MSTATUS_MPP
        csrc mstatus, t0

        /* ---- UXL stays 2 ---------------------------------------------- */
        csrr t0, mstatus
        li t1, MSTATUS_UXL
        or t0, t0, t1               /* UXL = 3 */
        csrw mstatus, t0
        csrr t0, mstatus
        CHKM(5, t0, MSTATUS_UXL | MSTATUS_SXL, 0xa << 32)
        csrr t0, sstatus
        li t1, MSTATUS_UXL
        andn t0, t0, t1
        li t1, 1 << 32              /* UXL = 1 (32-bit) */
        or t0, t0, t1
        csrw sstatus, t0
        csrr t0, sstatus
        CHKM(6, t0, MSTATUS_UXL, 2 << 32)

        /* ---- CSRRS/CSRRC with a zero register write ------------------------ */
        li a1, 0
        EXPECT_TRAP(10, CAUSE_ILLEGAL, csrrs a0, mhartid, a1)
        EXPECT_TRAP(11, CAUSE_ILLEGAL, csrrc a0, cycle, a1)
        EXPECT_TRAP(12, CAUSE_ILLEGAL, csrrs a0, mvendorid, a1)
        /* in S-mode, time is readable (mcounteren.TM) but not writable */
        li t0, 2
        csrw mcounteren, t0
        ENTER_S
        li a1, 0
        EXPECT_NO_TRAP(13, csrrs a0, time, zero)
        EXPECT_TRAP(14, CAUSE_ILLEGAL, csrrs a0, time, a1)
        TO_M
        csrw mcounteren, zero

        /* ---- medeleg[11] -------------------------------------------------- */
        li t0, -1
        csrw medeleg, t0
        csrr t0, medeleg
        CHKM(20, t0, 1 << CAUSE_ECALL_M, 0)
        csrw medeleg, zero

        /* ---- pmpaddr upper bits ------------------------------------------- */
        li t0, -1
        csrw pmpaddr0, t0
        csrr t0, pmpaddr0
        CHK(30, t0, 0x003fffffffffffff)
        csrw pmpaddr0, zero

        PRIV_PASS
