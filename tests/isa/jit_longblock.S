/* Long straight-line blocks, for the JIT's bookkeeping rather than the
 * instructions themselves: each loop body below is one block of up to 64
 * instructions, run 40 times (compiled after its 32nd entry, or at once
 * with RIVET_JIT=eager). A single-precision add with the dynamic rounding
 * mode leaves its block on seven conditions (FP off, V=1, frm not RNE, two
 * operands not NaN-boxed, a NaN result, flags to raise), a store on two:
 * blocks of them need far more exits than instructions. */
#include "isa.h"

/* 40 runs of a block of 60 `op acc, acc, one` (acc and one f registers) */
        .macro long_fp_block op, acc, one
        li s0, 40
1:      .rept 60
        \op \acc, \acc, \one
        .endr
        addi s0, s0, -1
        bnez s0, 1b
        .endm

        .text
        .globl test_main
test_main:
        FP_ENABLE
        csrwi frm, 0
        li t0, 0x3f800000               /* 1.0f */
        fmv.w.x f1, t0
        fmv.w.x f0, zero
        long_fp_block fadd.s, f0, f1
        fcvt.w.s a1, f0, rtz
        TCHECK(1, a1, 2400)

        /* doubles: four exits each (FP off, V=1, NaN, flags) */
        li t0, 0x3ff0000000000000       /* 1.0 */
        fmv.d.x f3, t0
        fmv.d.x f2, zero
        long_fp_block fadd.d, f2, f3
        fcvt.l.d a1, f2, rtz
        TCHECK(2, a1, 2400)

        /* stores: a TLB miss and a page with code each */
        la s1, buf
        li s0, 40
3:      .set i, 0
        .rept 60
        sd s0, i * 8(s1)
        .set i, i + 1
        .endr
        addi s0, s0, -1
        bnez s0, 3b
        ld a1, 0(s1)
        TCHECK(3, a1, 1)
        ld a1, 59 * 8(s1)
        TCHECK(4, a1, 1)
        li a0, 0
        ret

        .data
        .balign 8
buf:    .zero 60 * 8
