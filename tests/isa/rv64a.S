/* RV64A: LR/SC and every AMO in .w and .d form.
 *
 * LR/SC rules checked are only the ones the spec (20191213, section 8.2)
 * mandates: a matched LR/SC pair can succeed (retried a bounded number of
 * times, since an SC may fail spuriously), SC writes 0 on success and a
 * nonzero code on failure, a failed SC leaves memory untouched, an SC with no
 * reservation fails, every SC (success or failure) clears the reservation so a
 * second SC fails, and an SC fails if another SC came between it and its LR.
 * Not checked, because the spec leaves it open: an SC to a different address
 * than its LR (it may succeed if the implementation's reservation set covers
 * both), and a plain store by the same hart to the reserved address between
 * LR and SC (the spec only requires failure for other harts' stores): there
 * we only check that the outcome is coherent, i.e. memory holds the SC's
 * value if it reported success and the store's value otherwise.
 *
 * AMOs return the old memory value (sign-extended for .w) and store the
 * result; .w touches only its word and compares 32-bit values for min/max.
 * Misaligned LR/SC/AMO traps are in rv64a_misaligned.S. */
#include "isa.h"

/* mem (the dword at `cell`) = init; a3 = amo(a2 = operand); check a3 and mem. */
#define TEST_AMO(n, inst, init, operand, old, new) \
        la t0, cell;                            \
        li t1, init;                            \
        sd t1, 0(t0);                           \
        li a2, operand;                         \
        inst a3, a2, (t0);                      \
        TCHECK(n, a3, old);                     \
        ld a4, 0(t0);                           \
        TCHECK(n, a4, new)

/* An SC must have reported failure (nonzero rd). */
#define SC_FAILED(n, reg)                       \
        bnez reg, 95f;                          \
        li a0, n; j test_fail;                  \
95:

/* lr / op / sc loop on (t0), retried up to 16 times; fails with n if the SC
 * never succeeds. a1 = the value LR read. */
#define LRSC_LOOP(n, lr, sc, op...)             \
        li a5, 16;                              \
94:     lr a1, (t0);                            \
        op;                                     \
        sc a2, a3, (t0);                        \
        beqz a2, 93f;                           \
        addi a5, a5, -1;                        \
        bnez a5, 94b;                           \
        li a0, n; j test_fail;                  \
93:

        .text
        .globl test_main
test_main:
        /* ---- LR.W / SC.W success: lr.w sign-extends, sc.w stores 32 bits */
        la t0, cell
        li t1, 0x1111111180000000
        sd t1, 0(t0)
        LRSC_LOOP(1, lr.w, sc.w, li a3, 0x2222222233333333)
        TCHECK(2, a1, 0xffffffff80000000)
        ld a4, 0(t0)
        TCHECK(3, a4, 0x1111111133333333)

        /* ---- LR.D / SC.D success */
        LRSC_LOOP(4, lr.d, sc.d, li a3, 0xfedcba9876543210)
        TCHECK(5, a1, 0x1111111133333333)
        ld a4, 0(t0)
        TCHECK(6, a4, 0xfedcba9876543210)

        /* ---- the successful SC cleared the reservation: another SC fails
         * and does not write memory */
        li a3, 0x5555
        sc.d a2, a3, (t0)
        SC_FAILED(7, a2)
        ld a4, 0(t0)
        TCHECK(8, a4, 0xfedcba9876543210)

        /* ---- any SC clears it, whatever its outcome: lr; sc; sc must fail */
        li t1, 0x1234
        sd t1, 0(t0)
        lr.w a1, (t0)
        li a3, 0x5555
        sc.w a2, a3, (t0)
        li a3, 0x7777
        sc.w a2, a3, (t0)
        SC_FAILED(9, a2)
        lw a4, 0(t0)
        li t1, 0x7777
        bne a4, t1, 1f
        li a0, 10; j test_fail
1:
        /* ---- SC with no reservation at all fails */
        li a3, 0x9999
        sc.d a2, a3, (t0)
        SC_FAILED(11, a2)
        sc.w a2, a3, (t0)
        SC_FAILED(12, a2)

        /* ---- an SC to another address between LR and SC: the later SC fails */
        li t1, 0x4242
        sd t1, 0(t0)
        lr.d a1, (t0)
        la t1, cell2
        sc.d a2, a1, (t1)
        li a3, 0x6666
        sc.d a2, a3, (t0)
        SC_FAILED(13, a2)
        ld a4, 0(t0)
        TCHECK(14, a4, 0x4242)

        /* ---- own plain store between LR and SC: either outcome, but coherent */
        lr.d a1, (t0)
        li t1, 0x1234
        sd t1, 0(t0)
        li a3, 0x5678
        sc.d a2, a3, (t0)
        ld a4, 0(t0)
        bnez a2, 1f
        TCHECK(15, a4, 0x5678)          /* SC reported success: its value */
        j 2f
1:      TCHECK(16, a4, 0x1234)          /* SC failed: the plain store's value */
2:
        /* ---- LR/SC with aq/rl bits assemble and behave the same */
        li t1, 100
        sd t1, 0(t0)
        LRSC_LOOP(17, lr.d.aq, sc.d.rl, addi a3, a1, 1)
        LRSC_LOOP(18, lr.w.aqrl, sc.w.aqrl, addi a3, a1, 1)
        LRSC_LOOP(19, lr.d.aqrl, sc.d.aq, addi a3, a1, 1)
        LRSC_LOOP(20, lr.w.aq, sc.w.rl, addi a3, a1, 1)
        ld a4, 0(t0)
        TCHECK(21, a4, 104)

        /* ---- AMOSWAP: .w returns the old word sign-extended, ignores the
         * operand's upper half, leaves the neighbouring word alone */
        TEST_AMO(22, amoswap.w, 0x1234567880000000, 0xffffffff00000001, 0xffffffff80000000, 0x1234567800000001)
        TEST_AMO(23, amoswap.w, 0xaaaaaaaa7fffffff, 0x80000000, 0x7fffffff, 0xaaaaaaaa80000000)
        TEST_AMO(24, amoswap.d, 0x8000000000000001, 0x0123456789abcdef, 0x8000000000000001, 0x0123456789abcdef)
        /* ---- AMOADD: .w wraps at 32 bits without carrying into the next word */
        TEST_AMO(25, amoadd.w, 0x000000007fffffff, 1, 0x7fffffff, 0x0000000080000000)
        TEST_AMO(26, amoadd.w, 0x55555555ffffffff, 1, 0xffffffffffffffff, 0x5555555500000000)
        TEST_AMO(27, amoadd.w, 0x0000000100000010, 0x12345678fffffff0, 0x10, 0x0000000100000000)
        TEST_AMO(28, amoadd.d, 0x00000000ffffffff, 1, 0x00000000ffffffff, 0x0000000100000000)
        TEST_AMO(29, amoadd.d, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000)
        /* ---- AMOAND / AMOOR / AMOXOR */
        TEST_AMO(30, amoand.w, 0xffffffffff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0xffffffff0f000f00)
        TEST_AMO(31, amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00)
        TEST_AMO(32, amoor.w, 0x00000000ff00ff00, 0xffffffff0ff00ff0, 0xffffffffff00ff00, 0x00000000fff0fff0)
        TEST_AMO(33, amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0)
        TEST_AMO(34, amoxor.w, 0x12345678ff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0x12345678f0f0f0f0)
        TEST_AMO(35, amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0)
        /* ---- AMOMAX / AMOMIN signed, AMOMAXU / AMOMINU unsigned; .w compares
         * the low words only (operand 0x00000000ffffffff is -1 for .w) */
        TEST_AMO(36, amomax.w, 0x0000000080000000, 0x00000000ffffffff, 0xffffffff80000000, 0x00000000ffffffff)
        TEST_AMO(37, amomax.w, 0x0000000000000001, 0x00000000ffffffff, 0x1, 0x0000000000000001)
        TEST_AMO(38, amomax.w, 0x0000000000000005, 0x7fffffff00000007, 0x5, 0x0000000000000007)
        TEST_AMO(39, amomax.d, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_AMO(40, amomax.d, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000, 0x0000000100000000)
        TEST_AMO(41, amomin.w, 0x0000000000000001, 0x00000000ffffffff, 0x1, 0x00000000ffffffff)
        TEST_AMO(42, amomin.w, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0x0000000080000000)
        TEST_AMO(43, amomin.d, 0x0000000000000001, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
        TEST_AMO(44, amomin.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_AMO(45, amomaxu.w, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0x0000000080000000)
        TEST_AMO(46, amomaxu.w, 0x0000000000000001, 0x00000000ffffffff, 0x1, 0x00000000ffffffff)
        TEST_AMO(47, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
        TEST_AMO(48, amomaxu.d, 0x0000000000000001, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
        TEST_AMO(49, amominu.w, 0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0x000000007fffffff)
        TEST_AMO(50, amominu.w, 0x00000000ffffffff, 0x0000000100000002, 0xffffffffffffffff, 0x0000000000000002)
        TEST_AMO(51, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_AMO(52, amominu.d, 0x0000000000000001, 0xffffffffffffffff, 0x1, 0x0000000000000001)
        /* ---- aq/rl variants */
        TEST_AMO(53, amoadd.w.aq, 5, 6, 5, 11)
        TEST_AMO(54, amoor.d.rl, 0x100, 0x1, 0x100, 0x101)
        TEST_AMO(55, amoswap.w.aqrl, 0x0000000012345678, 0x9abcdef0, 0x12345678, 0x000000009abcdef0)
        TEST_AMO(56, amomaxu.d.aqrl, 3, 9, 3, 9)
        TEST_AMO(57, amominu.w.aq, 3, 9, 3, 3)
        TEST_AMO(58, amoxor.d.rl, 0xff, 0x0f, 0xff, 0xf0)

        /* ---- .w on the upper word of a dword leaves the lower word alone */
        la t0, cell
        li t1, 0x7fffffff00000042
        sd t1, 0(t0)
        addi t1, t0, 4
        li a2, 1
        amoadd.w a3, a2, (t1)
        TCHECK(59, a3, 0x7fffffff)
        ld a4, 0(t0)
        TCHECK(60, a4, 0x8000000000000042)

        /* ---- rd == x0: memory still updated; rd == rs2: rd gets the old value */
        li t1, 10
        sd t1, 0(t0)
        li a2, 7
        amoadd.d x0, a2, (t0)
        ld a4, 0(t0)
        TCHECK(61, a4, 17)
        li a2, 99
        amoswap.d a2, a2, (t0)
        TCHECK(62, a2, 17)
        ld a4, 0(t0)
        TCHECK(63, a4, 99)

        li a0, 0
        ret

        .data
        .align 4
cell:   .dword 0, 0
        .skip 240
cell2:  .dword 0
