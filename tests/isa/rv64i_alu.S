/* RV64I integer computational instructions: register-register and
 * register-immediate arithmetic, logic, compares and shifts, LUI/AUIPC, and
 * the RV64-only *W forms that operate on 32 bits and sign-extend the result.
 * Assembled with .option norvc so every instruction is the 32-bit encoding
 * (the compressed forms are tested in rv64c.S). */
#include "isa.h"

/* rd = inst(v1, v2) with distinct registers, then with rd == rs1, rd == rs2. */
#define TEST_RR(n, inst, result, v1, v2)        \
        li a1, v1; li a2, v2;                   \
        inst a3, a1, a2;                        \
        TCHECK(n, a3, result)

#define TEST_RR_SAME(n, inst, result, v1, v2)   \
        li a1, v1; li a2, v2;                   \
        inst a1, a1, a2;                        \
        TCHECK(n, a1, result);                  \
        li a1, v1; li a2, v2;                   \
        inst a2, a1, a2;                        \
        TCHECK(n, a2, result)

#define TEST_RI(n, inst, result, v1, imm)       \
        li a1, v1;                              \
        inst a3, a1, imm;                       \
        TCHECK(n, a3, result)

        .text
        .option norvc
        .globl test_main
test_main:
        /* ---- ADD / SUB: 64-bit wrap-around, no 32-bit truncation */
        TEST_RR(1, add, 0, 0, 0)
        TEST_RR(2, add, 2, 1, 1)
        TEST_RR(3, add, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_RR(4, add, 0, -1, 1)
        TEST_RR(5, add, 0x100000000, 0xffffffff, 1)
        TEST_RR(6, add, 0, 0x8000000000000000, 0x8000000000000000)
        TEST_RR_SAME(7, add, 0x1111111111111110, 0x0123456789abcdef, 0x0fedcba987654321)
        TEST_RR(8, sub, 0xffffffffffffffff, 0, 1)
        TEST_RR(9, sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
        TEST_RR(10, sub, -4, 3, 7)
        TEST_RR_SAME(11, sub, 0x8000000000000000, 0, 0x8000000000000000)

        /* ---- ADDI: 12-bit sign-extended immediate, both extremes */
        TEST_RI(12, addi, 0x7ff, 0, 2047)
        TEST_RI(13, addi, 0xfffffffffffff800, 0, -2048)
        TEST_RI(14, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_RI(15, addi, 0, 5, -5)
        TEST_RI(16, addi, 0x00000000ffffffff, 0x0000000100000000, -1)

        /* ---- SLT / SLTU / SLTI / SLTIU: signed vs unsigned boundaries */
        TEST_RR(17, slt, 1, -1, 1)
        TEST_RR(18, sltu, 0, -1, 1)
        TEST_RR(19, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(20, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_RR(21, slt, 0, 5, 5)
        TEST_RR(22, sltu, 0, 5, 5)
        TEST_RR(23, sltu, 1, 0, -1)
        TEST_RR(24, slt, 0, 0, -1)
        TEST_RI(25, slti, 1, -1, 0)
        TEST_RI(26, slti, 0, 0, -2048)
        TEST_RI(27, slti, 1, -2049, -2048)
        TEST_RI(28, slti, 0, 2047, 2047)
        TEST_RI(29, slti, 1, 0x8000000000000000, 0)
        /* sltiu sign-extends the immediate, then compares unsigned */
        TEST_RI(30, sltiu, 1, 0, -1)
        TEST_RI(31, sltiu, 1, 0xfffffffffffffffe, -1)
        TEST_RI(32, sltiu, 0, 0xffffffffffffffff, -1)
        TEST_RI(33, sltiu, 1, 0, 1)             /* seqz */
        TEST_RI(34, sltiu, 0, 1, 1)
        TEST_RI(35, sltiu, 0, 0x800, 0x7ff)

        /* ---- AND / OR / XOR and immediate forms */
        TEST_RR(36, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
        TEST_RR(37, or,  0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
        TEST_RR(38, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0)
        TEST_RR_SAME(39, and, 0x0000000000000f0f, 0x0f0f, 0xffffffffffffffff)
        TEST_RR_SAME(40, or, 0xffffffffffffffff, 0xf0f0f0f0f0f0f0f0, 0x0f0f0f0f0f0f0f0f)
        TEST_RR_SAME(41, xor, 0, 0x123456789abcdef0, 0x123456789abcdef0)
        /* negative immediates are sign-extended to 64 bits */
        TEST_RI(42, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff00, -241)   /* imm 0xf0f */
        TEST_RI(43, andi, 0x0000000000000700, 0xff00ff00ff00ff00, 0x70f)
        TEST_RI(44, ori, 0xffffffffffffffff, 0, -1)
        TEST_RI(45, ori, 0x00000000000007f3, 0x123, 0x7f0)
        TEST_RI(46, ori, 0xfffffffffffff800, 0, -2048)
        TEST_RI(47, xori, 0xedcba9876543210f, 0x123456789abcdef0, -1)     /* not */
        TEST_RI(48, xori, 0x00ff00ff00ff07f0, 0x00ff00ff00ff00ff, 0x70f)
        TEST_RI(49, xori, 0xff00ff00ff00ffff, 0x00ff00ff00ff00ff, -0x100)

        /* ---- SLL / SRL / SRA: amount is rs2[5:0], so 64 acts as 0, 127 as 63 */
        TEST_RR(50, sll, 1, 1, 0)
        TEST_RR(51, sll, 0x80000000, 1, 31)
        TEST_RR(52, sll, 0x100000000, 1, 32)
        TEST_RR(53, sll, 0x8000000000000000, 1, 63)
        TEST_RR(54, sll, 0x8000000000000000, 0x1234567890000001, 63)
        TEST_RR(55, sll, 1, 1, 64)
        TEST_RR(56, sll, 0x8000000000000000, 1, 127)
        TEST_RR(57, sll, 0x2468acf0, 0x12345678, 0xffffffffffffffc1)
        TEST_RR(58, srl, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(59, srl, 0x100000000, 0x8000000000000000, 31)
        TEST_RR(60, srl, 0x80000000, 0x8000000000000000, 32)
        TEST_RR(61, srl, 1, 0x8000000000000000, 63)
        TEST_RR(62, srl, 0xffffffffffffffff, 0xffffffffffffffff, 64)
        TEST_RR(63, srl, 0x7fffffffffffffff, 0xffffffffffffffff, 65)
        TEST_RR(64, sra, 0x8000000000000000, 0x8000000000000000, 0)
        TEST_RR(65, sra, 0xffffffff00000000, 0x8000000000000000, 31)
        TEST_RR(66, sra, 0xffffffff80000000, 0x8000000000000000, 32)
        TEST_RR(67, sra, 0xffffffffffffffff, 0x8000000000000000, 63)
        TEST_RR(68, sra, 0, 0x7fffffffffffffff, 63)
        TEST_RR(69, sra, 0x3fffffffffffffff, 0x7fffffffffffffff, 65)
        TEST_RR(70, sra, 0x8000000000000000, 0x8000000000000000, 128)
        TEST_RR_SAME(71, sll, 0x0000000000000010, 1, 4)
        TEST_RR_SAME(72, sra, 0xfffffffffffffff8, -128, 4)
        /* the shift amount register itself as the value: sll x, x */
        li a1, 3
        sll a1, a1, a1
        TCHECK(73, a1, 24)

        /* ---- SLLI / SRLI / SRAI: 6-bit shamt 0, 31, 32, 63 */
        TEST_RI(74, slli, 0xabcdef, 0xabcdef, 0)
        TEST_RI(75, slli, 0x7fffffff80000000, 0xffffffff, 31)
        TEST_RI(76, slli, 0xffffffff00000000, 0xffffffff, 32)
        TEST_RI(77, slli, 0x8000000000000000, 0xffffffff, 63)
        TEST_RI(78, srli, 0xfedcba9876543210, 0xfedcba9876543210, 0)
        TEST_RI(79, srli, 0x1fdb97530, 0xfedcba9876543210, 31)
        TEST_RI(80, srli, 0xfedcba98, 0xfedcba9876543210, 32)
        TEST_RI(81, srli, 1, 0xfedcba9876543210, 63)
        TEST_RI(82, srai, 0xfedcba9876543210, 0xfedcba9876543210, 0)
        TEST_RI(83, srai, 0xfffffffffdb97530, 0xfedcba9876543210, 31)
        TEST_RI(84, srai, 0xfffffffffedcba98, 0xfedcba9876543210, 32)
        TEST_RI(85, srai, 0xffffffffffffffff, 0xfedcba9876543210, 63)
        TEST_RI(86, srai, 0, 0x7edcba9876543210, 63)
        TEST_RI(87, srai, 0x7edcba98, 0x7edcba9876543210, 32)

        /* ---- LUI: 20-bit immediate into [31:12], sign-extended from bit 31 */
        lui a1, 0
        TCHECK(88, a1, 0)
        lui a1, 0x7ffff
        TCHECK(89, a1, 0x7ffff000)
        lui a1, 0x80000
        TCHECK(90, a1, 0xffffffff80000000)
        lui a1, 0xfffff
        TCHECK(91, a1, 0xfffffffffffff000)
        li a1, -1
        lui a1, 0x12345                 /* low 12 bits are cleared */
        TCHECK(92, a1, 0x12345000)

        /* ---- AUIPC: pc of the auipc itself plus the sign-extended immediate */
1:      auipc a1, 0
        la a2, 1b
        TCHECK_REG(93, a1, a2)
2:      auipc a1, 1
        la a2, 2b
        li t0, 0x1000
        add a2, a2, t0
        TCHECK_REG(94, a1, a2)
3:      auipc a1, 0x80000               /* pc - 2^31: wraps below 0x80000000 */
        la a2, 3b
        li t0, 0xffffffff80000000
        add a2, a2, t0
        TCHECK_REG(95, a1, a2)
4:      auipc a1, 0xfffff               /* pc - 4096 */
        la a2, 4b
        addi a2, a2, -2048
        addi a2, a2, -2048
        TCHECK_REG(96, a1, a2)

        /* ---- ADDW / SUBW: 32-bit result, sign-extended; upper input bits ignored */
        TEST_RR(97, addw, 0xffffffff80000000, 0x7fffffff, 1)
        TEST_RR(98, addw, 0, 0xffffffff, 1)
        TEST_RR(99, addw, 2, 0x1234567800000001, 0xabcdef0000000001)
        TEST_RR(100, addw, 0xffffffffffffffff, 0x00000000fffffffe, 1)
        TEST_RR(101, addw, 0x7fffffff, 0x80000000, 0xffffffff)
        TEST_RR_SAME(102, addw, 0xfffffffffffffffe, -1, -1)
        TEST_RR(103, subw, 0xffffffffffffffff, 0, 1)
        TEST_RR(104, subw, 0x7fffffff, 0x80000000, 1)
        TEST_RR(105, subw, 0, 0x100000000, 0)
        TEST_RR(106, subw, 0xffffffff80000000, 0, 0x80000000)
        TEST_RR_SAME(107, subw, 0x000000007ffffffe, 0xffffffff7fffffff, 1)

        /* ---- ADDIW: sext.w is addiw rd, rs, 0 */
        TEST_RI(108, addiw, 0xffffffff80000000, 0x7fffffff, 1)
        TEST_RI(109, addiw, 0xffffffffffffffff, 0xffffffff, 0)
        TEST_RI(110, addiw, 0x23456789, 0x123456789, 0)
        TEST_RI(111, addiw, 0x7fffffff, 0x80000000, -1)
        TEST_RI(112, addiw, 0x000007ff, 0xffffffff00000000, 2047)
        TEST_RI(113, addiw, 0xfffffffffffff800, 0x7777777700000000, -2048)

        /* ---- SLLW / SRLW / SRAW: amount is rs2[4:0], so 32 acts as 0 */
        TEST_RR(114, sllw, 0xffffffff80000000, 1, 31)
        TEST_RR(115, sllw, 1, 1, 32)
        TEST_RR(116, sllw, 1, 0xffffffff00000001, 0)
        TEST_RR(117, sllw, 0xffffffff80000000, 0x12345671, 63)
        TEST_RR(118, sllw, 0x45678000, 0xfedcba9812345678, 12)
        TEST_RR(119, srlw, 1, 0xffffffff80000000, 31)
        TEST_RR(120, srlw, 0xffffffff80000000, 0x80000000, 0)    /* sign-extends bit 31 */
        TEST_RR(121, srlw, 0xffffffffffffffff, 0xffffffff, 32)
        TEST_RR(122, srlw, 0x40000000, 0x1234567880000000, 1)
        TEST_RR(123, srlw, 0x7fffffff, 0xffffffffffffffff, 33)
        TEST_RR(124, sraw, 0xffffffffffffffff, 0x80000000, 31)
        TEST_RR(125, sraw, 0, 0x7fffffff, 31)
        TEST_RR(126, sraw, 0xfffffffff8000000, 0x0000000080000000, 4)
        TEST_RR(127, sraw, 0xffffffff80000000, 0x0000000080000000, 32)
        TEST_RR(128, sraw, 0x00000000, 0xffffffff7fffffff, 63)

        /* ---- SLLIW / SRLIW / SRAIW: 5-bit shamt 0 and 31 */
        TEST_RI(129, slliw, 0xffffffff80000000, 1, 31)
        TEST_RI(130, slliw, 1, 0x100000001, 0)
        TEST_RI(131, slliw, 0xffffffff87654320, 0xfedcba9818765432, 4)
        TEST_RI(132, srliw, 1, 0x80000000, 31)
        TEST_RI(133, srliw, 0xffffffff80000000, 0x80000000, 0)
        TEST_RI(134, srliw, 0x7fffffff, -1, 1)
        TEST_RI(135, srliw, 0x01234567, 0xfedcba9812345678, 4)
        TEST_RI(136, sraiw, 0xffffffffffffffff, 0x80000000, 31)
        TEST_RI(137, sraiw, 0xffffffff80000000, 0x80000000, 0)
        TEST_RI(138, sraiw, 1, 0x7fffffff40000000, 30)
        TEST_RI(139, sraiw, 0xfffffffff8765432, 0x0000000087654321, 4)

        /* ---- NOP and writes to x0 are discarded */
        nop
        addi x0, x0, 5
        TCHECK(140, x0, 0)
        li a1, 7
        add x0, a1, a1
        lui x0, 0x12345
        auipc x0, 1
        slli x0, a1, 3
        addw x0, a1, a1
        sltiu x0, zero, 1
        mv a2, x0
        TCHECK(141, a2, 0)
        /* an instruction reading x0 as both sources still sees zero */
        add a3, x0, x0
        TCHECK(142, a3, 0)

        li a0, 0
        ret
