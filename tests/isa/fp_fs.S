/* mstatus.FS (privileged spec 20211203 section 3.1.6.6) for the F/D state.
 *  - After reset with -bios none nothing enables the FPU (start.S leaves
 *    mstatus alone), so FS may be Off; this test sets it explicitly.
 *  - FS = Off: every F/D instruction (arithmetic, loads/stores, moves,
 *    compressed c.fld) and every access to fflags/frm/fcsr raises illegal
 *    instruction with mtval = the instruction bits, and changes nothing.
 *  - FS = Off keeps the register contents: turning the FPU back on finds
 *    them unchanged.
 *  - An instruction that writes an f register or an FP CSR when
 *    FS is Initial or Clean must leave FS = Dirty (3), and mstatus.SD
 *    (bit 63, read-only) = 1 whenever FS = Dirty (XS is 0 here). (Setting
 *    Dirty without a modification is also allowed, so no check that FS
 *    stays Clean.)
 *  - misa reports F and D. */
#include "isa.h"

#define MSTATUS_SD (1 << 63)

/* mstatus.FS = v (0..3). Clobbers t0. */
#define SET_FS(v)                               \
        li t0, MSTATUS_FS;                      \
        csrc mstatus, t0;                       \
        li t0, (v) << 13;                       \
        csrs mstatus, t0

/* a1 = mstatus.FS */
#define GET_FS                                  \
        csrr a1, mstatus;                       \
        srli a1, a1, 13;                        \
        andi a1, a1, 3

/* After `insn...` with FS = Clean (2) or Initial (1): FS must be Dirty and SD set. */
#define TEST_DIRTIES(n, from, ...)              \
        SET_FS(from);                           \
        __VA_ARGS__;                            \
        GET_FS;                                 \
        TCHECK(n, a1, 3);                       \
        csrr a1, mstatus;                       \
        srli a1, a1, 63;                        \
        TCHECK(n, a1, 1)

        .text
        .globl test_main
test_main:
        la s0, data

        /* ---- misa has F (bit 5) and D (bit 3) */
        csrr a1, misa
        andi a1, a1, (1 << 5) | (1 << 3)
        TCHECK(1, a1, (1 << 5) | (1 << 3))

        /* ---- FS is a 4-state field: each value reads back */
        SET_FS(1)
        GET_FS
        TCHECK(2, a1, 1)
        SET_FS(2)
        GET_FS
        TCHECK(3, a1, 2)
        SET_FS(3)
        GET_FS
        TCHECK(4, a1, 3)
        csrr a1, mstatus                /* SD mirrors FS = Dirty */
        srli a1, a1, 63
        TCHECK(5, a1, 1)
        SET_FS(0)
        GET_FS
        TCHECK(6, a1, 0)
        csrr a1, mstatus
        srli a1, a1, 63
        TCHECK(7, a1, 0)
        li t0, MSTATUS_SD               /* SD is read-only */
        csrs mstatus, t0
        csrr a1, mstatus
        srli a1, a1, 63
        TCHECK(8, a1, 0)

        /* ---- known register contents, then switch the FPU off */
        SET_FS(1)
        li t0, 0x400921fb54442d18
        fmv.d.x fa0, t0
        li t0, 0x3ff0000000000000
        fmv.d.x fa1, t0
        li t0, 0x49
        csrw fcsr, t0                   /* frm = 2, fflags = NX|DZ */
        SET_FS(0)

        /* ---- FS = Off: illegal instruction, mtval = instruction bits */
        .option push
        .option norvc
        TEST_TRAP(9, CAUSE_ILLEGAL_INSN, 0x00b50653, fadd.s fa2, fa0, fa1, rne)
        TEST_TRAP(10, CAUSE_ILLEGAL_INSN, 0x00042507, flw fa0, 0(s0))
        TEST_TRAP(11, CAUSE_ILLEGAL_INSN, 0x00a43427, fsd fa0, 8(s0))
        TEST_TRAP(12, CAUSE_ILLEGAL_INSN, 0xf0000553, fmv.w.x fa0, zero)
        TEST_TRAP(13, CAUSE_ILLEGAL_INSN, 0xe20505d3, fmv.x.d a1, fa0)
        TEST_TRAP(14, CAUSE_ILLEGAL_INSN, 0xe00505d3, fmv.x.w a1, fa0)
        TEST_TRAP(15, CAUSE_ILLEGAL_INSN, 0x20b58553, fmv.s fa0, fa1)
        TEST_TRAP(16, CAUSE_ILLEGAL_INSN, 0x6ac58543, fmadd.d fa0, fa1, fa2, fa3, rne)
        TEST_TRAP(17, CAUSE_ILLEGAL_INSN, 0xa2b525d3, feq.d a1, fa0, fa1)
        TEST_TRAP(18, CAUSE_ILLEGAL_INSN, 0xe20515d3, fclass.d a1, fa0)
        TEST_TRAP(19, CAUSE_ILLEGAL_INSN, 0xd2000553, fcvt.d.w fa0, zero)
        TEST_TRAP(20, CAUSE_ILLEGAL_INSN, 0x40158553, fcvt.s.d fa0, fa1, rne)
        .option pop
        TEST_TRAP(21, CAUSE_ILLEGAL_INSN, 0x2008, .hword 0x2008)   /* c.fld fa0, 0(s0) */
        /* ... and the FP CSRs */
        TEST_TRAP(22, CAUSE_ILLEGAL_INSN, 0x001025f3, csrr a1, fflags)
        TEST_TRAP(23, CAUSE_ILLEGAL_INSN, 0x002025f3, csrr a1, frm)
        TEST_TRAP(24, CAUSE_ILLEGAL_INSN, 0x003025f3, csrr a1, fcsr)
        TEST_TRAP(25, CAUSE_ILLEGAL_INSN, 0x00301073, csrw fcsr, zero)
        TEST_TRAP(26, CAUSE_ILLEGAL_INSN, 0x0010d073, csrwi fflags, 1)
        GET_FS                          /* none of that turned the FPU on */
        TCHECK(27, a1, 0)

        /* ---- back on: the state survived */
        SET_FS(1)
        fmv.x.d a1, fa0
        TCHECK(28, a1, 0x400921fb54442d18)
        fmv.x.d a1, fa1
        TCHECK(29, a1, 0x3ff0000000000000)
        csrr a1, fcsr
        TCHECK(30, a1, 0x49)
        la t0, data
        ld a1, 8(t0)                    /* the trapped fsd wrote nothing */
        TCHECK(31, a1, 0x5555555555555555)

        /* ---- writes to FP state set FS = Dirty and SD */
        TEST_DIRTIES(32, 1, fadd.d fa2, fa0, fa1, rne)
        TEST_DIRTIES(33, 2, fadd.d fa2, fa0, fa1, rne)
        TEST_DIRTIES(34, 2, fmv.w.x fa2, zero)
        TEST_DIRTIES(35, 2, flw fa2, 0(s0))
        TEST_DIRTIES(36, 1, fld fa2, 0(s0))
        TEST_DIRTIES(37, 2, fcvt.s.w fa2, zero, rne)
        TEST_DIRTIES(38, 2, fsgnj.d fa2, fa1, fa0)
        TEST_DIRTIES(39, 2, c.fld fa2, 0(s0))
        TEST_DIRTIES(40, 2, csrwi fflags, 1)
        TEST_DIRTIES(41, 2, csrwi frm, 1)
        TEST_DIRTIES(42, 2, csrw fcsr, zero)
        /* (instructions that only raise flags: fp_fs_flags.S) */
        csrwi fcsr, 0
        li a0, 0
        ret

        .data
        .align 3
data:   .dword 0x3f800000, 0x5555555555555555
