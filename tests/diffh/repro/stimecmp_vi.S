/* Sstc: with menvcfg.STCE = 0, or mcounteren.TM = 0, stimecmp and
 * vstimecmp are not accessible below M: an access from VS or VU is an
 * illegal instruction (2), not a virtual instruction (22), which the H
 * chapter reserves for accesses "that would be allowed in HS-mode".
 * rivet raises 22 for vstimecmp (0x24d) from VS, and for both from VU. */
#include "h.h"
        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        H_INIT
        csrw 0x30a, zero            /* menvcfg.STCE = 0 */
        li t0, 7
        csrw mcounteren, t0
        csrw hcounteren, t0
        ENTER_VS
        EXPECT_TRAP_AT(1, CAUSE_ILLEGAL, H_M, FROM_VS, csrr a0, 0x24d)   /* vstimecmp */
        EXPECT_TRAP_AT(2, CAUSE_ILLEGAL, H_M, FROM_VS, csrr a0, 0x14d)   /* stimecmp */
        TO_M
        ENTER_VU
        EXPECT_TRAP_AT(3, CAUSE_ILLEGAL, H_M, FROM_VU, csrr a0, 0x14d)
        TO_M
        li t0, 1 << 63
        csrw 0x30a, t0              /* menvcfg.STCE = 1, henvcfg.STCE = 1 */
        csrw 0x60a, t0
        li t0, 5
        csrw mcounteren, t0         /* but mcounteren.TM = 0 */
        ENTER_VS
        EXPECT_TRAP_AT(4, CAUSE_ILLEGAL, H_M, FROM_VS, csrr a0, 0x24d)
        TO_M
        ENTER_VU
        EXPECT_TRAP_AT(5, CAUSE_ILLEGAL, H_M, FROM_VU, csrr a0, 0x14d)
        TO_M
        ld ra, 0(sp)
        addi sp, sp, 16
        li a0, 0
        ret
