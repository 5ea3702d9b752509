/* Zihpm: all of mhpmcounter3-31 and hpmcounter3-31 must exist (they may be
 * read-only zero), so software may read any of them without a trap.
 *
 * rivet-test: skip-qemu (QEMU 7.2 with the default pmu-num=16 raises illegal instruction for mhpmcounter19-31 and hpmcounter19-31)
 */
#include "priv.h"

        .text
        .globl test_main
test_main:
        PRIV_INIT
        .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        EXPECT_NO_TRAP(\n, csrr t0, mhpmcounter\n)
        CHK(\n, t0, 0)
        EXPECT_NO_TRAP(\n + 100, csrr t0, hpmcounter\n)
        CHK(\n + 100, t0, 0)
        .endr
        /* and from S-mode once mcounteren allows it */
        li t0, -1
        csrw mcounteren, t0
        ENTER_S
        .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        EXPECT_NO_TRAP(\n + 200, csrr t0, hpmcounter\n)
        .endr
        TO_M
        csrw mcounteren, zero
        PRIV_PASS
