/* mstatus.FS must become Dirty when an F/D instruction that writes only an
 * integer register modifies fcsr by raising an exception flag (fflags is
 * part of the state FS tracks: privileged spec section 3.1.6.6), e.g. flt.d
 * on a NaN, feq.s on a signaling NaN, fcvt.w.d of NaN. Also mstatus.SD.
 *
 * rivet-test: skip-qemu (QEMU 7.2 marks FS dirty only when an f register or an FP CSR is written, not when an instruction like flt/feq/fcvt.w only accrues fflags; checked on QEMU that the flags themselves are raised)
 */
#include "isa.h"

#define SET_FS(v)                               \
        li t0, MSTATUS_FS;                      \
        csrc mstatus, t0;                       \
        li t0, (v) << 13;                       \
        csrs mstatus, t0

/* With FS = Clean, run insn (which must raise exactly `flag`), then FS must
 * be Dirty and SD set. */
#define TEST_FLAG_DIRTIES(n, flag, ...)         \
        csrwi fflags, 0;                        \
        SET_FS(2);                              \
        __VA_ARGS__;                            \
        csrr a1, mstatus;                       \
        srli a2, a1, 13;                        \
        andi a2, a2, 3;                         \
        TCHECK(n, a2, 3);                       \
        srli a1, a1, 63;                        \
        TCHECK(n, a1, 1);                       \
        csrr a1, fflags;                        \
        TCHECK(n, a1, flag)

        .text
        .globl test_main
test_main:
        FP_ENABLE
        li t0, 0x7ff8000000000000       /* quiet NaN (double) */
        fmv.d.x fa0, t0
        li t0, 0x3ff0000000000000       /* 1.0 */
        fmv.d.x fa1, t0
        li t0, 0x7f800001               /* signaling NaN (single) */
        fmv.w.x fa2, t0
        li t0, 0x3ff8000000000000       /* 1.5 */
        fmv.d.x fa3, t0

        TEST_FLAG_DIRTIES(1, 0x10, flt.d a3, fa0, fa1)         /* NV */
        TEST_FLAG_DIRTIES(2, 0x10, feq.s a3, fa2, fa2)         /* NV */
        TEST_FLAG_DIRTIES(3, 0x10, fcvt.w.d a3, fa0, rtz)      /* NV */
        TEST_FLAG_DIRTIES(4, 0x01, fcvt.l.d a3, fa3, rtz)      /* NX */

        csrwi fcsr, 0
        li a0, 0
        ret
