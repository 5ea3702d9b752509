/* Check macros for the F/D tests (tests/isa/fp_*.S). Include after isa.h.
 *
 * Each check loads its operands from integer bit patterns (fmv.w.x boxes
 * single-precision values), clears fflags, runs one instruction, and checks
 * both the exact result bits and the accrued flags, failing with status n.
 * Single-precision results are read with fmv.x.d, so the expected value is
 * the NaN-boxed 64-bit pattern 0xffffffff_xxxxxxxx: every F result must be
 * written NaN-boxed. Operands use fa0-fa2 and a1, a2; clobbers t0, t6. */
#ifndef RIVET_FP_H
#define RIVET_FP_H

#define FF_NX 0x01      /* inexact */
#define FF_UF 0x02      /* underflow */
#define FF_OF 0x04      /* overflow */
#define FF_DZ 0x08      /* divide by zero */
#define FF_NV 0x10      /* invalid */

#define BOX(x) (0xffffffff00000000 | (x))

#define FP_LOAD_S(freg, bits)  li t0, bits; fmv.w.x freg, t0
#define FP_LOAD_D(freg, bits)  li t0, bits; fmv.d.x freg, t0

#define FP_RESULT_S(n, flags, result)           \
        csrr a1, fflags;                        \
        fmv.x.d a2, fa2;                        \
        TCHECK(n, a2, BOX(result));             \
        TCHECK(n, a1, flags)

#define FP_RESULT_D(n, flags, result)           \
        csrr a1, fflags;                        \
        fmv.x.d a2, fa2;                        \
        TCHECK(n, a2, result);                  \
        TCHECK(n, a1, flags)

#define FP_RESULT_X(n, flags, result)           \
        csrr a1, fflags;                        \
        TCHECK(n, a2, result);                  \
        TCHECK(n, a1, flags)

/* fa2 = inst(fa0, fa1) with rounding mode rm */
#define TEST_FP_RR_S(n, inst, rm, flags, result, a, b) \
        FP_LOAD_S(fa0, a); FP_LOAD_S(fa1, b);   \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1, rm;                 \
        FP_RESULT_S(n, flags, result)
#define TEST_FP_RR_D(n, inst, rm, flags, result, a, b) \
        FP_LOAD_D(fa0, a); FP_LOAD_D(fa1, b);   \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1, rm;                 \
        FP_RESULT_D(n, flags, result)

/* fa2 = inst(fa0, fa1), no rounding mode (fmin/fmax/fsgnj*) */
#define TEST_FP_RR2_S(n, inst, flags, result, a, b) \
        FP_LOAD_S(fa0, a); FP_LOAD_S(fa1, b);   \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1;                     \
        FP_RESULT_S(n, flags, result)
#define TEST_FP_RR2_D(n, inst, flags, result, a, b) \
        FP_LOAD_D(fa0, a); FP_LOAD_D(fa1, b);   \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1;                     \
        FP_RESULT_D(n, flags, result)

/* fa2 = inst(fa0) */
#define TEST_FP_R_S(n, inst, rm, flags, result, a) \
        FP_LOAD_S(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst fa2, fa0, rm;                      \
        FP_RESULT_S(n, flags, result)
#define TEST_FP_R_D(n, inst, rm, flags, result, a) \
        FP_LOAD_D(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst fa2, fa0, rm;                      \
        FP_RESULT_D(n, flags, result)

/* fa2 = inst(fa0, fa1, fa3) (fused multiply-add family) */
#define TEST_FP_RRR_S(n, inst, rm, flags, result, a, b, c) \
        FP_LOAD_S(fa0, a); FP_LOAD_S(fa1, b); FP_LOAD_S(fa3, c); \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1, fa3, rm;            \
        FP_RESULT_S(n, flags, result)
#define TEST_FP_RRR_D(n, inst, rm, flags, result, a, b, c) \
        FP_LOAD_D(fa0, a); FP_LOAD_D(fa1, b); FP_LOAD_D(fa3, c); \
        csrwi fflags, 0;                        \
        inst fa2, fa0, fa1, fa3, rm;            \
        FP_RESULT_D(n, flags, result)

/* a2 = compare(fa0, fa1) */
#define TEST_FP_CMP_S(n, inst, flags, result, a, b) \
        FP_LOAD_S(fa0, a); FP_LOAD_S(fa1, b);   \
        csrwi fflags, 0;                        \
        inst a2, fa0, fa1;                      \
        FP_RESULT_X(n, flags, result)
#define TEST_FP_CMP_D(n, inst, flags, result, a, b) \
        FP_LOAD_D(fa0, a); FP_LOAD_D(fa1, b);   \
        csrwi fflags, 0;                        \
        inst a2, fa0, fa1;                      \
        FP_RESULT_X(n, flags, result)

/* a2 = fclass(fa0); never sets flags */
#define TEST_FP_CLASS_S(n, inst, result, a)     \
        FP_LOAD_S(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst a2, fa0;                           \
        FP_RESULT_X(n, 0, result)
#define TEST_FP_CLASS_D(n, inst, result, a)     \
        FP_LOAD_D(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst a2, fa0;                           \
        FP_RESULT_X(n, 0, result)

/* a2 = fcvt.{w,wu,l,lu}.{s,d}(fa0): full 64-bit register checked */
#define TEST_FP_TOINT_S(n, inst, rm, flags, result, a) \
        FP_LOAD_S(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst a2, fa0, rm;                       \
        FP_RESULT_X(n, flags, result)
#define TEST_FP_TOINT_D(n, inst, rm, flags, result, a) \
        FP_LOAD_D(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst a2, fa0, rm;                       \
        FP_RESULT_X(n, flags, result)

/* fa2 = fcvt.{s,d}.{w,wu,l,lu}(a1 = 64-bit register value) */
#define TEST_FP_FROMINT_S(n, inst, rm, flags, result, a) \
        li a1, a;                               \
        csrwi fflags, 0;                        \
        inst fa2, a1, rm;                       \
        FP_RESULT_S(n, flags, result)
#define TEST_FP_FROMINT_D(n, inst, rm, flags, result, a) \
        li a1, a;                               \
        csrwi fflags, 0;                        \
        inst fa2, a1, rm;                       \
        FP_RESULT_D(n, flags, result)

/* fcvt.s.d (double in, single out) and fcvt.d.s (single in, double out) */
#define TEST_FP_CVT_SD(n, inst, rm, flags, result, a) \
        FP_LOAD_D(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst fa2, fa0, rm;                      \
        FP_RESULT_S(n, flags, result)
#define TEST_FP_CVT_DS(n, inst, rm, flags, result, a) \
        FP_LOAD_S(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst fa2, fa0, rm;                      \
        FP_RESULT_D(n, flags, result)

/* Conversions that are always exact take no rounding-mode operand in GNU as
 * (fcvt.d.s, fcvt.d.w, fcvt.d.wu). */
#define TEST_FP_CVT_DS_NORM(n, inst, flags, result, a) \
        FP_LOAD_S(fa0, a);                      \
        csrwi fflags, 0;                        \
        inst fa2, fa0;                          \
        FP_RESULT_D(n, flags, result)
#define TEST_FP_FROMINT_D_NORM(n, inst, flags, result, a) \
        li a1, a;                               \
        csrwi fflags, 0;                        \
        inst fa2, a1;                           \
        FP_RESULT_D(n, flags, result)

#endif
