/* F/D register file rules: NaN-boxing of single-precision values in the
 * 64-bit f registers (spec 20191213 section 12.2), and the bit-exact
 * transfer instructions flw/fsw/fld/fsd/fmv.w.x/fmv.x.w/fmv.d.x/fmv.x.d.
 *  - flw and fmv.w.x write the value NaN-boxed (upper 32 bits all ones);
 *    every single-precision result is written NaN-boxed.
 *  - Transfers never look at or change the bits: fsw and fmv.x.w use the low
 *    32 bits even of a register that is not a valid boxed value, and a
 *    signaling NaN survives loads, stores and moves without raising NV.
 *  - Every other single-precision instruction treats an operand whose upper
 *    32 bits are not all ones as the canonical NaN 0x7fc00000 (a quiet NaN:
 *    no NV for feq, NV for flt/fle and fcvt.w.s, class "quiet NaN",
 *    fsgnj* use its sign and payload).
 *  - fmv.x.w sign-extends bit 31 into the upper half of the integer register. */
#include "isa.h"
#include "fp.h"

/* fa0 = 64-bit pattern `a`, fa1 = boxed single `b`; fa2 = inst(fa0, fa1) */
#define TEST_UNBOXED_RR(n, inst, flags, result, a, b) \
        FP_LOAD_D(fa0, a); FP_LOAD_S(fa1, b);   \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1;                     \
        FP_RESULT_S(n, flags, result)

/* a2 = inst(fa0 = 64-bit pattern a, fa1 = boxed single b), integer result */
#define TEST_UNBOXED_X(n, inst, flags, result, a, b) \
        FP_LOAD_D(fa0, a); FP_LOAD_S(fa1, b);   \
        csrwi fflags, 0;                        \
        inst a2, fa0, fa1;                      \
        FP_RESULT_X(n, flags, result)

#define DBL_ONE 0x3ff0000000000000      /* 1.0 as a double: low word 0, not boxed */
#define ALMOST  0xfffffffe3f800000      /* 1.0f with one upper bit clear */

        .text
        .globl test_main
test_main:
        FP_ENABLE
        csrwi fcsr, 0

        /* ---- fmv.w.x and flw box; fmv.x.d shows all 64 bits */
        li t0, 0x1234567890abcdef
        fmv.w.x fa0, t0                 /* only the low word moves */
        fmv.x.d a1, fa0
        TCHECK(1, a1, 0xffffffff90abcdef)
        la s0, data
        fmv.d.x fa0, zero
        flw fa0, 0(s0)
        fmv.x.d a1, fa0
        TCHECK(2, a1, 0xffffffff3f800000)
        flw fa0, 4(s0)                  /* an sNaN loads unchanged, no flags */
        fmv.x.d a1, fa0
        TCHECK(3, a1, 0xffffffff7f800001)

        /* ---- fmv.x.w sign-extends; takes the low word even if not boxed */
        li t0, 0x80000000
        fmv.w.x fa0, t0
        fmv.x.w a1, fa0
        TCHECK(4, a1, 0xffffffff80000000)
        li t0, 0x7f800000
        fmv.w.x fa0, t0
        fmv.x.w a1, fa0
        TCHECK(5, a1, 0x7f800000)
        li t0, 0x00000000c0000000
        fmv.d.x fa0, t0                 /* not a boxed single */
        fmv.x.w a1, fa0
        TCHECK(6, a1, 0xffffffffc0000000)

        /* ---- fsw stores the low word as-is, even unboxed */
        li t0, DBL_ONE | 0x89abcdef
        fmv.d.x fa0, t0
        fsw fa0, 8(s0)
        lwu a1, 8(s0)
        TCHECK(7, a1, 0x89abcdef)
        lwu a1, 12(s0)                  /* neighbouring word untouched */
        TCHECK(8, a1, 0x55555555)

        /* ---- fld/fsd/fmv.d.x/fmv.x.d keep every bit, NaN payloads included */
        fld fa1, 16(s0)
        fmv.x.d a1, fa1
        TCHECK(9, a1, 0x7ff0000000000001)       /* sNaN, payload 1 */
        fsd fa1, 24(s0)
        ld a1, 24(s0)
        TCHECK(10, a1, 0x7ff0000000000001)
        li t0, 0xfff8123456789abc
        fmv.d.x fa1, t0
        fmv.x.d a1, fa1
        TCHECK(11, a1, 0xfff8123456789abc)
        flw fa3, 4(s0)
        fsw fa3, 28(s0)
        lwu a1, 28(s0)
        TCHECK(12, a1, 0x7f800001)
        csrr a1, fflags                 /* none of this raised a flag */
        TCHECK(13, a1, 0)

        /* ---- misaligned FP loads and stores complete */
        flw fa0, 33(s0)
        fmv.x.d a1, fa0
        TCHECK(14, a1, 0xffffffff44332211)
        fld fa0, 35(s0)
        fmv.x.d a1, fa0
        TCHECK(15, a1, 0xaa99887766554433)
        li t0, 0x0102030405060708
        fmv.d.x fa0, t0
        fsd fa0, 49(s0)
        ld a1, 48(s0)
        TCHECK(16, a1, 0x02030405060708ee)
        fsw fa0, 59(s0)
        lwu a1, 60(s0)
        TCHECK(17, a1, 0xee050607)

        /* ---- unboxed inputs to arithmetic are the canonical NaN */
        TEST_UNBOXED_RR(18, fadd.s, 0, 0x7fc00000, DBL_ONE, 0x3f800000)
        TEST_UNBOXED_RR(19, fadd.s, 0, 0x7fc00000, ALMOST, 0x3f800000)  /* one zero bit is enough */
        TEST_UNBOXED_RR(20, fmul.s, 0, 0x7fc00000, 0x000000003f800000, 0x3f800000)
        TEST_UNBOXED_RR(21, fmin.s, 0, 0x40000000, DBL_ONE, 0x40000000) /* fmin: the other operand */
        TEST_UNBOXED_RR(22, fmax.s, 0, 0xbf800000, ALMOST, 0xbf800000)
        /* an unboxed sNaN pattern is still just the canonical (quiet) NaN */
        TEST_UNBOXED_RR(23, fadd.s, 0, 0x7fc00000, 0x000000007f800001, 0x3f800000)
        /* ---- fsgnj* see the canonical NaN: sign 0, payload 0x7fc00000 */
        TEST_UNBOXED_RR(24, fsgnj.s, 0, 0xffc00000, DBL_ONE, 0xbf800000)
        TEST_UNBOXED_RR(25, fsgnjn.s, 0, 0x7fc00000, DBL_ONE, 0xbf800000)
        TEST_UNBOXED_RR(26, fsgnjx.s, 0, 0xffc00000, ALMOST, 0xbf800000)
        FP_LOAD_S(fa0, 0xbf800000)      /* unboxed sign source: sign is 0 */
        li t0, 0x00000000bf800000
        fmv.d.x fa1, t0
        fsgnj.s fa2, fa0, fa1
        fmv.x.d a2, fa2
        TCHECK(27, a2, BOX(0x3f800000))
        fsgnjn.s fa2, fa0, fa1
        fmv.x.d a2, fa2
        TCHECK(28, a2, BOX(0xbf800000))
        li t0, ALMOST
        fmv.d.x fa0, t0
        fmv.s fa2, fa0                  /* fmv.s is fsgnj.s: canonicalizes */
        fmv.x.d a2, fa2
        TCHECK(29, a2, BOX(0x7fc00000))
        /* ---- comparisons: quiet NaN semantics */
        TEST_UNBOXED_X(30, feq.s, 0, 0, DBL_ONE, 0x00000000)   /* low word 0 is not +0 here */
        TEST_UNBOXED_X(31, flt.s, FF_NV, 0, DBL_ONE, 0x3f800000)
        TEST_UNBOXED_X(32, fle.s, FF_NV, 0, ALMOST, 0x3f800000)
        /* ---- one-operand instructions */
        li t0, DBL_ONE
        fmv.d.x fa0, t0
        csrwi fflags, 0
        fclass.s a2, fa0
        FP_RESULT_X(33, 0, 0x200)       /* quiet NaN */
        fcvt.w.s a2, fa0, rtz
        FP_RESULT_X(34, FF_NV, 0x7fffffff)
        csrwi fflags, 0
        fcvt.d.s fa2, fa0
        FP_RESULT_D(35, 0, 0x7ff8000000000000)
        csrwi fflags, 0
        fsqrt.s fa2, fa0, rne
        FP_RESULT_S(36, 0, 0x7fc00000)
        FP_LOAD_S(fa1, 0x3f800000)
        FP_LOAD_S(fa3, 0x3f800000)
        csrwi fflags, 0
        fmadd.s fa2, fa1, fa3, fa0, rne /* unboxed addend */
        FP_RESULT_S(37, 0, 0x7fc00000)
        /* ---- a properly boxed operand works; results are always boxed */
        FP_LOAD_S(fa0, 0x40000000)
        FP_LOAD_S(fa1, 0x40400000)
        csrwi fflags, 0
        fadd.s fa2, fa0, fa1, rne
        FP_RESULT_S(38, 0, 0x40a00000)
        li t0, 0x4014000000000000       /* 5.0 as a double */
        fmv.d.x fa0, t0
        csrwi fflags, 0
        fcvt.s.d fa2, fa0, rne
        FP_RESULT_S(39, 0, 0x40a00000)
        li t0, 7
        fcvt.s.l fa2, t0, rne
        FP_RESULT_S(40, 0, 0x40e00000)
        /* ---- double operations use all 64 bits, no boxing involved */
        FP_LOAD_D(fa0, 0xffffffff3f800000)      /* a boxed 1.0f is a NaN double */
        FP_LOAD_D(fa1, 0x3ff0000000000000)
        csrwi fflags, 0
        fadd.d fa2, fa0, fa1, rne
        FP_RESULT_D(41, 0, 0x7ff8000000000000)

        csrwi fcsr, 0
        li a0, 0
        ret

        .data
        .align 4
data:   .word 0x3f800000, 0x7f800001, 0x55555555, 0x55555555   /* 0 */
        .dword 0x7ff0000000000001, 0                            /* 16 */
        .byte 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77       /* 32 */
        .byte 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff    /* 40 */
        .dword 0xeeeeeeeeeeeeeeee, 0xeeeeeeeeeeeeeeee            /* 48 */
