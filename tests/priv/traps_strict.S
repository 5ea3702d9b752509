/* Exception causes QEMU 7.2 reports wrongly for atomics:
 *  - a misaligned AMO is a store/AMO-address-misaligned exception (6), not a
 *    load one (an access fault would also be allowed, never cause 4);
 *  - an SC to the MROM after an LR from it fails: the ROM cannot be written,
 *    so reporting success (as QEMU 7.2 does) would claim a store that never
 *    happened;
 *  - SC must be naturally aligned: a misaligned SC raises cause 6 even when
 *    it would fail for lack of a reservation;
 *  - an AMO to a location that cannot be accessed is a store/AMO access
 *    fault (7), not a load access fault.
 *
 * rivet-test: skip-qemu (QEMU 7.2 reports misaligned AMOs as cause 4, lets misaligned SC fail silently, and reports AMO access faults as cause 5)
 */
#include "priv.h"

        .text
        .globl test_main
test_main:
        PRIV_INIT
        la s0, buf

        addi s1, s0, 2
        EXPECT_TRAP(1, CAUSE_MISALIGNED_STORE, amoadd.w a0, a1, (s1))
        CHKR(2, s9, s1)
        addi s1, s0, 4
        EXPECT_TRAP(3, CAUSE_MISALIGNED_STORE, amoswap.d a0, a1, (s1))
        CHKR(4, s9, s1)
        addi s1, s0, 1
        EXPECT_TRAP(5, CAUSE_MISALIGNED_STORE, amoor.w a0, a1, (s1))
        /* memory is untouched by the faulting AMOs */
        ld t0, 0(s0)
        CHK(6, t0, 0x1122334455667788)

        /* SC without a reservation */
        addi s1, s0, 4
        EXPECT_TRAP(10, CAUSE_MISALIGNED_STORE, sc.d a0, a1, (s1))
        CHKR(11, s9, s1)
        addi s1, s0, 2
        EXPECT_TRAP(12, CAUSE_MISALIGNED_STORE, sc.w a0, a1, (s1))
        /* and with a reservation held on the aligned word */
        lr.d t0, (s0)
        addi s1, s0, 4
        EXPECT_TRAP(13, CAUSE_MISALIGNED_STORE, sc.d a0, a1, (s1))
        CHKR(14, s9, s1)

        /* AMO to nothing: store/AMO access fault with mtval = address */
        li s1, 0x0c600000
        EXPECT_TRAP(20, CAUSE_STORE_ACCESS, amoadd.w a0, a1, (s1))
        CHK(21, s9, 0x0c600000)
        EXPECT_TRAP(22, CAUSE_STORE_ACCESS, amoswap.d a0, a1, (s1))

        /* LR/SC on the MROM: the SC fails and the ROM is unchanged */
        li s1, 0x1000
        lr.d t1, (s1)
        li t3, 0x5555
        sc.d t2, t3, (s1)
        CHK(30, t2, 1)
        ld t4, 0(s1)
        CHKR(31, t4, t1)
        PRIV_PASS

        .data
        .balign 16
buf:    .dword 0x1122334455667788, 0
