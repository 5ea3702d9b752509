/* Long straight-line blocks, for the JIT's bookkeeping rather than the
 * instructions themselves: each loop body below is one block of up to 64
 * instructions, run 40 times (compiled after its 32nd entry, or at once
 * with RIVET_JIT=eager). A single-precision add with the dynamic rounding
 * mode leaves its block on seven conditions (FP off, V=1, frm not RNE, two
 * operands not NaN-boxed, a NaN result, flags to raise), a store on two:
 * blocks of them need far more exits than instructions. */
#include "isa.h"

/* Check n: acc = 0, then 40 runs of a block of 60 `op acc, acc, one`
 * (one = 1.0, its bits moved in with mv), must leave acc = 2400. */
        .macro long_fp_block n, op, mv, cvt, one_bits, acc, one
        li t0, \one_bits
        \mv \one, t0
        \mv \acc, zero
        li s0, 40
1:      .rept 60
        \op \acc, \acc, \one
        .endr
        addi s0, s0, -1
        bnez s0, 1b
        \cvt a1, \acc, rtz
        TCHECK(\n, a1, 2400)
        .endm

        .text
        .globl test_main
test_main:
        FP_ENABLE
        csrwi frm, 0
        long_fp_block 1, fadd.s, fmv.w.x, fcvt.w.s, 0x3f800000, f0, f1
        /* doubles: four exits each (FP off, V=1, NaN, flags) */
        long_fp_block 2, fadd.d, fmv.d.x, fcvt.l.d, 0x3ff0000000000000, f2, f3

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
