/* Zicsr and Zicntr.
 *  - csrrw/csrrs/csrrc and the immediate forms return the old value and
 *    write new / old|mask / old&~mask (mscratch is a plain 64-bit
 *    read/write CSR); the 5-bit uimm is zero-extended; rd == rs1 swaps.
 *  - csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 do not
 *    write, so they are allowed on read-only CSRs (mvendorid, marchid,
 *    mimpid, mhartid, cycle, time, instret). Every other form is a write
 *    attempt and raises illegal instruction (mtval = instruction bits, rd
 *    untouched), even csrrw with x0. (csrrs/csrrc with a register other
 *    than x0 that holds 0 are writes too: zicsr_rs1_zero.S.)
 *  - RV32-only (cycleh, instreth) and unallocated CSRs are illegal on RV64.
 *  - cycle, time and instret (and mcycle/minstret) advance: instret and
 *    cycle strictly increase across executed instructions; time is only
 *    required to advance eventually (bounded wait). The exact amounts are
 *    implementation-specific and not checked. */
#include "isa.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5a

/* csr instruction must trap as illegal with mtval = bits and leave a1 alone */
#define TEST_CSR_ILLEGAL(n, bits, ...)          \
        li a1, SENTINEL;                        \
        TEST_TRAP(n, CAUSE_ILLEGAL_INSN, bits, __VA_ARGS__); \
        TCHECK(n, a1, SENTINEL)

        .text
        .globl test_main
test_main:
        /* ---- csrrw / csrrs / csrrc on mscratch */
        li a2, 0x0123456789abcdef
        csrw mscratch, a2
        li a3, 0xfedcba9876543210
        csrrw a1, mscratch, a3
        TCHECK(1, a1, 0x0123456789abcdef)
        csrr a1, mscratch
        TCHECK(2, a1, 0xfedcba9876543210)
        li a3, 0x000000000000ffff
        csrrs a1, mscratch, a3
        TCHECK(3, a1, 0xfedcba9876543210)
        csrr a1, mscratch
        TCHECK(4, a1, 0xfedcba987654ffff)
        li a3, 0xff000000000000ff
        csrrc a1, mscratch, a3
        TCHECK(5, a1, 0xfedcba987654ffff)
        csrr a1, mscratch
        TCHECK(6, a1, 0x00dcba987654ff00)
        /* rs1 = x0: pure reads */
        csrrs a1, mscratch, x0
        TCHECK(7, a1, 0x00dcba987654ff00)
        csrrc a1, mscratch, x0
        csrr a2, mscratch
        TCHECK(8, a2, 0x00dcba987654ff00)
        /* rd = x0: csrrw still writes */
        li a3, 77
        csrrw x0, mscratch, a3
        csrr a1, mscratch
        TCHECK(9, a1, 77)
        /* rd == rs1: the old value goes to rd, the old rs1 to the CSR */
        li a1, 0x1111
        csrrw a1, mscratch, a1
        TCHECK(10, a1, 77)
        csrr a1, mscratch
        TCHECK(11, a1, 0x1111)

        /* ---- immediate forms: uimm is 5 bits, zero-extended */
        li a2, -1
        csrw mscratch, a2
        csrrwi a1, mscratch, 31
        TCHECK(12, a1, -1)
        csrr a1, mscratch
        TCHECK(13, a1, 31)
        csrrci a1, mscratch, 0x15
        TCHECK(14, a1, 31)
        csrr a1, mscratch
        TCHECK(15, a1, 0x0a)
        csrrsi a1, mscratch, 0x10
        TCHECK(16, a1, 0x0a)
        csrr a1, mscratch
        TCHECK(17, a1, 0x1a)
        csrrsi a1, mscratch, 0          /* uimm = 0: read only */
        csrrci a2, mscratch, 0
        csrr a3, mscratch
        TCHECK(18, a3, 0x1a)
        TCHECK(19, a1, 0x1a)
        csrrwi a1, mscratch, 0
        csrr a1, mscratch
        TCHECK(20, a1, 0)

        /* ---- read-only CSRs: reads allowed ... */
        csrrs a1, mvendorid, x0
        csrrc a2, mvendorid, x0
        TCHECK_REG(21, a1, a2)
        csrrsi a2, mvendorid, 0
        TCHECK_REG(22, a1, a2)
        csrrci a2, mvendorid, 0
        TCHECK_REG(23, a1, a2)
        csrr a1, marchid
        csrr a1, mimpid
        csrr a1, mhartid
        TCHECK(24, a1, 0)               /* single hart */
        csrrs a1, cycle, x0
        csrrsi a1, time, 0
        csrrci a1, instret, 0

        /* ---- ... writes are illegal, whatever the written value */
        TEST_CSR_ILLEGAL(25, 0xf1101073, csrrw zero, mvendorid, zero)
        li a2, 0
        TEST_CSR_ILLEGAL(26, 0xf11615f3, csrrw a1, mvendorid, a2)
        li a2, 1                        /* (a2 = 0 case: zicsr_rs1_zero.S) */
        TEST_CSR_ILLEGAL(27, 0xf11625f3, csrrs a1, mvendorid, a2)
        TEST_CSR_ILLEGAL(28, 0xf12635f3, csrrc a1, marchid, a2)
        TEST_CSR_ILLEGAL(29, 0xf130e5f3, csrrsi a1, mimpid, 1)
        TEST_CSR_ILLEGAL(30, 0xf140f5f3, csrrci a1, mhartid, 1)
        TEST_CSR_ILLEGAL(31, 0xf14055f3, csrrwi a1, mhartid, 0)
        TEST_CSR_ILLEGAL(32, 0xc00015f3, csrrw a1, cycle, zero)
        TEST_CSR_ILLEGAL(33, 0xc01625f3, csrrs a1, time, a2)
        TEST_CSR_ILLEGAL(34, 0xc02055f3, csrrwi a1, instret, 0)
        /* RV32-only and unallocated CSRs do not exist */
        TEST_CSR_ILLEGAL(35, 0xc80025f3, csrrs a1, 0xc80, zero)    /* cycleh */
        TEST_CSR_ILLEGAL(36, 0xc82025f3, csrrs a1, 0xc82, zero)    /* instreth */
        TEST_CSR_ILLEGAL(37, 0x0ff025f3, csrrs a1, 0x0ff, zero)
        TEST_CSR_ILLEGAL(38, 0x0ff615f3, csrrw a1, 0x0ff, a2)

        /* ---- counters advance */
        rdinstret a1
        nop
        nop
        nop
        rdinstret a2
        bltu a1, a2, 1f                 /* at least the nops retired */
        li a0, 39; j test_fail
1:      rdcycle a1
        nop
        nop
        nop
        rdcycle a2
        bltu a1, a2, 1f
        li a0, 40; j test_fail
1:      csrr a1, minstret               /* machine-mode aliases */
        csrr a2, minstret
        bltu a1, a2, 1f
        li a0, 41; j test_fail
1:      csrr a1, mcycle
        csrr a2, mcycle
        bltu a1, a2, 1f
        li a0, 42; j test_fail
1:      rdinstret a1                    /* instret and minstret agree in order */
        csrr a2, minstret
        bltu a1, a2, 1f
        li a0, 43; j test_fail
1:
        /* time: never goes backwards, and changes within a bounded wait */
        rdtime a1
        li a3, 5000000
2:      rdtime a2
        bltu a2, a1, 3f                 /* went backwards */
        bne a2, a1, 4f
        addi a3, a3, -1
        bnez a3, 2b
        li a0, 44; j test_fail          /* never advanced */
3:      li a0, 45; j test_fail
4:
        /* mcycle and minstret are writable in M-mode: they count on from the
         * written value (2^62: far above anything reached by counting) */
        li a1, 1 << 62
        csrw minstret, a1
        csrr a2, minstret
        bgeu a2, a1, 5f
        li a0, 46; j test_fail
5:      srli a2, a2, 63
        TCHECK(47, a2, 0)
        csrw mcycle, a1
        csrr a2, mcycle
        bgeu a2, a1, 6f
        li a0, 48; j test_fail
6:      srli a2, a2, 63
        TCHECK(49, a2, 0)
        li a0, 0
        ret
