/* Priv 1.12: "An MRET or SRET instruction that changes the privilege mode to
 * a mode less privileged than M also sets MPRV=0." Without this, M-mode code
 * that used MPRV and then returned to S would keep translating its own
 * loads/stores after the next trap into M.
 *
 * rivet-test: skip-qemu (QEMU 7.2 leaves mstatus.MPRV set after MRET/SRET to S or U)
 */
#include "priv.h"

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* MRET to S. MPRV is set while MPP is still U, but no data access
         * happens before the mret. */
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        GOTO_MODE(PRV_S, 1f)
1:      EXPECT_TRAP(1, CAUSE_ILLEGAL, csrr a0, mstatus)   /* in S */
        TO_M
        csrr t0, mstatus
        CHKM(2, t0, MSTATUS_MPRV, 0)

        /* MRET to U */
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        GOTO_MODE(PRV_U, 1f)
1:      EXPECT_TRAP(3, CAUSE_ILLEGAL, csrr a0, sstatus)   /* in U */
        TO_M
        csrr t0, mstatus
        CHKM(4, t0, MSTATUS_MPRV, 0)

        /* SRET (from M) to S */
        li t0, MSTATUS_SPP | MSTATUS_MPRV
        csrs mstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        FAILNOW(5)
1:      EXPECT_TRAP(6, CAUSE_ILLEGAL, csrr a0, mstatus)
        TO_M
        csrr t0, mstatus
        CHKM(7, t0, MSTATUS_MPRV, 0)

        /* SRET (from M) to U */
        li t0, MSTATUS_SPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        FAILNOW(8)
1:      EXPECT_TRAP(9, CAUSE_ILLEGAL, csrr a0, sstatus)
        TO_M
        csrr t0, mstatus
        CHKM(10, t0, MSTATUS_MPRV, 0)

        /* MRET to M keeps it (then MPP = U: clear it before any access) */
        li t0, MSTATUS_MPRV | MSTATUS_MPP
        csrs mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        FAILNOW(11)
1:      csrr t0, mstatus
        li t1, MSTATUS_MPRV
        csrc mstatus, t1
        CHKM(12, t0, MSTATUS_MPRV, MSTATUS_MPRV)

        PRIV_PASS
