/* RV64I control transfer: every conditional branch taken and not taken (in
 * both directions, at signed/unsigned boundaries), JAL and JALR link values,
 * JALR's target = (rs1 + imm) & ~1, rd == rs1, and far offsets that use the
 * high immediate bits. Assembled with .option norvc (32-bit encodings). */
#include "isa.h"

/* Branch must be taken, forwards and backwards. */
#define TEST_BR_TAKEN(n, inst, v1, v2)          \
        li a1, v1; li a2, v2;                   \
        inst a1, a2, 1f;                        \
        li a0, n; j test_fail;                  \
1:      j 3f;                                   \
2:      j 4f;                                   \
3:      inst a1, a2, 2b;                        \
        li a0, n; j test_fail;                  \
4:

/* Branch must fall through, forwards and backwards. */
#define TEST_BR_NOT(n, inst, v1, v2)            \
        li a1, v1; li a2, v2;                   \
        inst a1, a2, 1f;                        \
        j 2f;                                   \
1:      li a0, n; j test_fail;                  \
2:      inst a1, a2, 1b

#define INT64_MIN 0x8000000000000000
#define INT64_MAX 0x7fffffffffffffff

        .text
        .option norvc
        .globl test_main
test_main:
        mv s11, ra

        /* ---- BEQ / BNE: all 64 bits compared */
        TEST_BR_TAKEN(1, beq, 0, 0)
        TEST_BR_TAKEN(2, beq, -1, -1)
        TEST_BR_NOT(3, beq, 1, 0)
        TEST_BR_NOT(4, beq, INT64_MIN, 0)
        TEST_BR_NOT(5, beq, 0x100000000, 0)
        TEST_BR_TAKEN(6, bne, 1, 0)
        TEST_BR_TAKEN(7, bne, 0x100000000, 0)
        TEST_BR_NOT(8, bne, 0, 0)
        TEST_BR_NOT(9, bne, INT64_MIN, INT64_MIN)

        /* ---- BLT / BGE: signed */
        TEST_BR_TAKEN(10, blt, -1, 0)
        TEST_BR_TAKEN(11, blt, -2, -1)
        TEST_BR_TAKEN(12, blt, INT64_MIN, INT64_MAX)
        TEST_BR_NOT(13, blt, 0, -1)
        TEST_BR_NOT(14, blt, 1, 1)
        TEST_BR_NOT(15, blt, INT64_MAX, INT64_MIN)
        TEST_BR_NOT(16, blt, 0x80000000, 0x7fffffff)    /* not a 32-bit compare */
        TEST_BR_TAKEN(17, bge, 0, -1)
        TEST_BR_TAKEN(18, bge, 1, 1)                    /* equal: taken */
        TEST_BR_TAKEN(19, bge, INT64_MAX, INT64_MIN)
        TEST_BR_NOT(20, bge, -1, 0)
        TEST_BR_NOT(21, bge, INT64_MIN, INT64_MAX)
        TEST_BR_NOT(22, bge, INT64_MIN, INT64_MIN + 1)

        /* ---- BLTU / BGEU: unsigned */
        TEST_BR_TAKEN(23, bltu, 0, -1)
        TEST_BR_TAKEN(24, bltu, INT64_MAX, INT64_MIN)
        TEST_BR_TAKEN(25, bltu, 0xffffffff, 0x100000000)
        TEST_BR_NOT(26, bltu, -1, 0)
        TEST_BR_NOT(27, bltu, 1, 1)
        TEST_BR_NOT(28, bltu, INT64_MIN, INT64_MAX)
        TEST_BR_TAKEN(29, bgeu, -1, 0)
        TEST_BR_TAKEN(30, bgeu, 1, 1)
        TEST_BR_TAKEN(31, bgeu, INT64_MIN, INT64_MAX)
        TEST_BR_TAKEN(32, bgeu, 0x100000000, 0xffffffff)
        TEST_BR_NOT(33, bgeu, 0, -1)
        TEST_BR_NOT(34, bgeu, 0xffffffff, 0x100000000)

        /* ---- rs == x0 pseudo-forms (bltz = blt rs, x0; blez = bge x0, rs; ...) */
        li a1, -5
        bltz a1, 1f
        li a0, 35; j test_fail
1:      bgtz a1, 2f                     /* blt x0, a1 */
        blez a1, 3f                     /* bge x0, a1 */
2:      li a0, 36; j test_fail
3:      li a1, 0
        bgez a1, 4f
        li a0, 37; j test_fail
4:      beqz a1, 5f
        li a0, 38; j test_fail
5:      bgtz a1, 6f
        bnez a1, 6f
        j 7f
6:      li a0, 39; j test_fail
7:
        /* same register as both operands */
        li a1, INT64_MIN
        bne a1, a1, 1f
        blt a1, a1, 1f
        bltu a1, a1, 1f
        bge a1, a1, 2f
1:      li a0, 40; j test_fail
2:

        /* ---- branch offsets near the +-4 KiB limit (imm bits 11 and 12) */
        li a1, 1
        bnez a1, far_fwd
        li a0, 41; j test_fail
far_back:
        j far_done
        .skip 4040
far_fwd:
        bnez a1, far_back               /* offset about -4 KiB */
        li a0, 42; j test_fail
far_done:

        /* ---- JAL: rd = pc + 4, also with rd other than ra */
        jal ra, 1f
2:      li a0, 43; j test_fail
1:      la t0, 2b
        TCHECK_REG(44, ra, t0)
        jal a1, 3f
4:      li a0, 45; j test_fail
3:      la t0, 4b
        TCHECK_REG(46, a1, t0)
        /* jal x0 (j) jumps without linking */
        li ra, 0
        jal x0, 5f
        li a0, 47; j test_fail
5:      TCHECK(48, ra, 0)
        TCHECK(49, x0, 0)
        /* backward jal */
        j 7f
6:      j 8f
7:      jal a2, 6b
        li a0, 50; j test_fail
8:      la t0, 7b + 4
        TCHECK_REG(51, a2, t0)
        /* far jal: offset over 64 KiB, exercising imm[19:12] */
        jal a3, jal_far
jal_far_ret:
        TCHECK(52, a4, 0x5a)

        /* ---- JALR: link, immediate offset, and bit 0 of the target cleared.
         * a4 counts executions of the first instruction at each target, so
         * landing a few bytes off is caught too. */
        li a4, 0
        la t0, 1f
        jalr ra, 0(t0)
2:      li a0, 53; j test_fail
1:      addi a4, a4, 1
        la t0, 2b
        TCHECK_REG(54, ra, t0)

        la t0, 3f - 16                  /* positive offset */
        jalr a1, 16(t0)
        li a0, 55; j test_fail
3:      addi a4, a4, 1
        la t0, 4f + 2044                /* negative offset, near -2048 */
        jalr a1, -2044(t0)
        li a0, 56; j test_fail
4:      addi a4, a4, 1
        la t0, 5f                       /* odd immediate: bit 0 dropped */
        jalr a1, 1(t0)
6:      li a0, 57; j test_fail
5:      addi a4, a4, 1
        la t0, 6b
        TCHECK_REG(58, a1, t0)

        la t0, 7f + 1                   /* odd register value: bit 0 dropped */
        jalr a1, 0(t0)
        li a0, 59; j test_fail
7:      addi a4, a4, 1
        la t0, 8f + 3                   /* rs1 + imm even after the sum: 3 + -3 */
        jalr a1, -3(t0)
        li a0, 60; j test_fail
8:      addi a4, a4, 1
        /* rd == rs1: target uses the old value, then rd gets the link */
        la a1, 9f
        jalr a1, 0(a1)
10:     li a0, 61; j test_fail
9:      addi a4, a4, 1
        la t0, 10b
        TCHECK_REG(62, a1, t0)
        la a1, 11f + 1                  /* ... with bit 0 set as well */
        jalr a1, 0(a1)
12:     li a0, 63; j test_fail
11:     addi a4, a4, 1
        la t0, 12b
        TCHECK_REG(64, a1, t0)
        /* jalr x0 (jr): no link */
        la t0, 13f
        jalr x0, 0(t0)
        li a0, 65; j test_fail
13:     addi a4, a4, 1
        TCHECK(66, x0, 0)
        TCHECK(69, a4, 9)               /* every target's first instruction ran */
        /* call/ret round trip through a subroutine */
        li a1, 20
        call double_a1
        TCHECK(67, a1, 40)

        mv ra, s11
        li a0, 0
        ret

double_a1:
        add a1, a1, a1
        ret

        /* far jal target, more than 64 KiB after the jal */
        .skip 0x11000
jal_far:
        la t0, jal_far_ret
        TCHECK_REG(68, a3, t0)
        li a4, 0x5a
        j jal_far_ret
