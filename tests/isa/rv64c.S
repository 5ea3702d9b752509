/* RV64C: every compressed instruction form, written with explicit c.
 * mnemonics (or .hword) so the 16-bit encoding is what gets executed;
 * reserved compressed encodings raising illegal instruction with mtval = the
 * 16 instruction bits; c.ebreak; and 16/32-bit instructions mixed at 2-byte
 * alignment, including a 32-bit instruction straddling a 4 KiB page. */
#include "isa.h"

        .text
        .option rvc
        .globl test_main
test_main:
        mv s11, sp                      /* sp is repointed at spbuf below */
        mv s10, ra
        FP_ENABLE

        /* ---- c.li / c.addi / c.mv / c.add / c.nop */
        c.li a0, 31
        TCHECK(1, a0, 31)
        c.li a0, -32                    /* 6-bit immediate, sign-extended */
        TCHECK(2, a0, -32)
        li a1, 0x7fffffffffffffff
        c.addi a1, 1                    /* 64-bit add, no truncation */
        TCHECK(3, a1, 0x8000000000000000)
        li a1, 0x100000000
        c.addi a1, -32
        TCHECK(4, a1, 0xffffffe0)
        li a1, 5
        c.addi a1, 31
        TCHECK(5, a1, 36)
        li a2, 0xfedcba9876543210
        c.mv t2, a2
        TCHECK(6, t2, 0xfedcba9876543210)
        li a3, 0x7fffffffffffffff
        li a4, 2
        c.add a3, a4
        TCHECK(7, a3, 0x8000000000000001)
        c.nop
        c.mv a4, a3                     /* c.mv/c.add can use any register */
        c.add a4, a4
        TCHECK(8, a4, 2)
        c.add s4, a4                    /* rd outside x8-x15 */
        li t0, 0
        c.mv t0, a4
        TCHECK(9, t0, 2)

        /* ---- c.addiw: 32-bit add, result sign-extended; imm 0 = sext.w */
        li a0, 0x7fffffff
        c.addiw a0, 1
        TCHECK(10, a0, 0xffffffff80000000)
        li a0, 0x1234567880000000
        c.addiw a0, 0
        TCHECK(11, a0, 0xffffffff80000000)
        li a0, 0xffffffff00000000
        c.addiw a0, -1
        TCHECK(12, a0, -1)
        li a0, 5
        c.addiw a0, -32
        TCHECK(13, a0, -27)

        /* ---- c.lui: nzimm[17:12], sign-extended from bit 17 */
        c.lui a0, 1
        TCHECK(14, a0, 0x1000)
        c.lui a0, 0x1f
        TCHECK(15, a0, 0x1f000)
        c.lui a0, 0xfffe0               /* nzimm = -32 << 12 */
        TCHECK(16, a0, 0xfffffffffffe0000)
        c.lui s9, 0xfffff
        TCHECK(17, s9, 0xfffffffffffff000)

        /* ---- c.slli / c.srli / c.srai: shamt 1..63 (shamt[5] is valid on RV64) */
        li a0, 1
        c.slli a0, 63
        TCHECK(18, a0, 0x8000000000000000)
        li a0, 0xffffffff
        c.slli a0, 32
        TCHECK(19, a0, 0xffffffff00000000)
        li t3, 3                        /* c.slli takes any register */
        c.slli t3, 1
        TCHECK(20, t3, 6)
        li a0, 0x8000000000000000
        c.srli a0, 63
        TCHECK(21, a0, 1)
        li a0, 0x8000000000000000
        c.srli a0, 32
        TCHECK(22, a0, 0x80000000)
        li a0, 0x8000000000000000
        c.srai a0, 63
        TCHECK(23, a0, -1)
        li a0, 0x8000000000000000
        c.srai a0, 32
        TCHECK(24, a0, 0xffffffff80000000)
        li a0, 0x7000000000000000
        c.srai a0, 1
        TCHECK(25, a0, 0x3800000000000000)

        /* ---- c.andi: 6-bit sign-extended immediate */
        li a0, 0xffffffffffffffff
        c.andi a0, -32
        TCHECK(26, a0, 0xffffffffffffffe0)
        li a0, 0xffffffffffffffff
        c.andi a0, 31
        TCHECK(27, a0, 31)
        li a0, 0x123
        c.andi a0, 0
        TCHECK(28, a0, 0)

        /* ---- c.sub / c.xor / c.or / c.and / c.subw / c.addw (x8-x15 only) */
        li s0, 0
        li s1, 1
        c.sub s0, s1
        TCHECK(29, s0, -1)
        li a4, 0xff00ff00ff00ff00
        li a5, 0x0ff00ff00ff00ff0
        c.xor a4, a5
        TCHECK(30, a4, 0xf0f0f0f0f0f0f0f0)
        li a4, 0xff00ff00ff00ff00
        c.or a4, a5
        TCHECK(31, a4, 0xfff0fff0fff0fff0)
        li a4, 0xff00ff00ff00ff00
        c.and a4, a5
        TCHECK(32, a4, 0x0f000f000f000f00)
        li a2, 0
        li a3, 0x80000000
        c.subw a2, a3                   /* 0 - 0x80000000 = 0x80000000 in 32 bits */
        TCHECK(33, a2, 0xffffffff80000000)
        li a2, 0x1234567800000005
        li a3, 0xabcdef0000000007
        c.subw a2, a3
        TCHECK(34, a2, -2)
        li a2, 0x7fffffff
        li a3, 1
        c.addw a2, a3
        TCHECK(35, a2, 0xffffffff80000000)
        li a2, 0xffffffff
        li a3, 0x100000001
        c.addw a2, a3
        TCHECK(36, a2, 0)

        /* ---- c.lw / c.ld / c.sw / c.sd: x8-x15 base, scaled unsigned offsets */
        la s0, buf
        c.lw a0, 0(s0)
        TCHECK(37, a0, 0xffffffff89abcdef)      /* c.lw sign-extends */
        c.lw a0, 124(s0)                        /* largest offset */
        TCHECK(38, a0, 0x7ffffffe)
        c.lw a1, 4(s0)
        TCHECK(39, a1, 0x01234567)
        c.ld a0, 0(s0)
        TCHECK(40, a0, 0x0123456789abcdef)
        c.ld a0, 248(s0)                        /* largest offset */
        TCHECK(41, a0, 0x8877665544332211)
        c.ld s0, 0(s0)                          /* rd == base */
        TCHECK(42, s0, 0x0123456789abcdef)
        la s1, scratch
        li a2, 0x1122334455667788
        li a3, 0
        sd a3, 0(s1)
        sd a3, 8(s1)
        sd a3, 120(s1)
        sd a3, 248(s1)
        c.sw a2, 4(s1)
        c.sw a2, 124(s1)
        c.sd a2, 8(s1)
        c.sd a2, 248(s1)
        ld a0, 0(s1)
        TCHECK(43, a0, 0x5566778800000000)
        ld a0, 120(s1)
        TCHECK(44, a0, 0x5566778800000000)
        ld a0, 8(s1)
        TCHECK(45, a0, 0x1122334455667788)
        ld a0, 248(s1)
        TCHECK(46, a0, 0x1122334455667788)

        /* ---- c.fld / c.fsd (fs0-fa5) */
        la s0, buf
        c.fld fa0, 8(s0)
        fmv.x.d a0, fa0
        TCHECK(47, a0, 0x3ff8000000000000)
        c.fld fs1, 248(s0)
        fmv.x.d a0, fs1
        TCHECK(48, a0, 0x8877665544332211)
        la s1, scratch
        c.fsd fa0, 16(s1)
        c.fsd fs1, 240(s1)
        ld a0, 16(s1)
        TCHECK(49, a0, 0x3ff8000000000000)
        ld a0, 240(s1)
        TCHECK(50, a0, 0x8877665544332211)

        /* ---- sp-based: c.addi16sp, c.addi4spn, c.lwsp, c.ldsp, c.fldsp,
         * c.swsp, c.sdsp, c.fsdsp */
        la sp, spbuf
        c.addi16sp sp, -512
        c.addi16sp sp, 496
        la t0, spbuf - 16
        TCHECK_REG(51, sp, t0)
        c.addi16sp sp, 16
        la t0, spbuf
        TCHECK_REG(52, sp, t0)
        c.addi4spn a0, sp, 4
        addi t0, t0, 4
        TCHECK_REG(53, a0, t0)
        c.addi4spn s1, sp, 1020                 /* largest nzuimm */
        addi t0, t0, 1016
        TCHECK_REG(54, s1, t0)
        c.lwsp a0, 0(sp)
        TCHECK(55, a0, 0xfffffffff0f1f2f3)
        c.lwsp t4, 252(sp)                      /* largest offset, any rd */
        TCHECK(56, t4, 0x12345678)
        c.ldsp a0, 0(sp)
        TCHECK(57, a0, 0x00010203f0f1f2f3)
        c.ldsp t5, 504(sp)                      /* largest offset */
        TCHECK(58, t5, 0xc000000000000000)
        c.fldsp ft3, 504(sp)                    /* any f register */
        fmv.x.d a0, ft3
        TCHECK(59, a0, 0xc000000000000000)
        li a2, 0xa5a5a5a5deadbeef
        c.swsp a2, 16(sp)
        c.swsp a2, 252(sp)
        c.sdsp a2, 24(sp)
        c.sdsp a2, 496(sp)
        c.fsdsp ft3, 32(sp)
        c.fsdsp ft3, 488(sp)
        lwu a0, 16(sp)
        TCHECK(60, a0, 0xdeadbeef)
        lwu a0, 252(sp)
        TCHECK(61, a0, 0xdeadbeef)
        ld a0, 24(sp)
        TCHECK(62, a0, 0xa5a5a5a5deadbeef)
        ld a0, 496(sp)
        TCHECK(63, a0, 0xa5a5a5a5deadbeef)
        ld a0, 32(sp)
        TCHECK(64, a0, 0xc000000000000000)
        ld a0, 488(sp)
        TCHECK(65, a0, 0xc000000000000000)
        mv sp, s11

        /* ---- c.j / c.beqz / c.bnez, forwards and backwards */
        c.j 1f
        li a0, 66; j test_fail
2:      c.j 3f
1:      c.j 2b
        li a0, 67; j test_fail
3:      li s0, 0
        c.beqz s0, 4f
        li a0, 68; j test_fail
4:      c.bnez s0, 5f                   /* not taken */
        li s0, 0x100000000              /* c.bnez looks at all 64 bits */
        c.beqz s0, 5f                   /* not taken */
        c.bnez s0, 6f
5:      li a0, 69; j test_fail
7:      c.j 8f
6:      li s1, -1
        c.bnez s1, 7b                   /* taken, backwards */
        li a0, 70; j test_fail
8:
        /* ---- c.jr / c.jalr: c.jalr links pc + 2 */
        la t1, 1f
        c.jr t1
        li a0, 71; j test_fail
1:      la t1, 2f
        c.jalr t1
3:      li a0, 72; j test_fail
2:      la t0, 3b
        TCHECK_REG(73, ra, t0)
        la ra, 4f                       /* c.jalr ra: target read before link */
        c.jalr ra
5:      li a0, 74; j test_fail
4:      la t0, 5b
        TCHECK_REG(75, ra, t0)
        la t1, 6f + 1                   /* target bit 0 cleared */
        c.jr t1
        li a0, 76; j test_fail
6:
        /* ---- c.ebreak: breakpoint, mepc = its address */
        TEST_TRAP_ANYTVAL(77, CAUSE_BREAKPOINT, c.ebreak)

        /* ---- reserved encodings: illegal instruction, mtval = the 16 bits */
        TEST_TRAP(78, CAUSE_ILLEGAL_INSN, 0x0000, .hword 0x0000)       /* all zero */
        TEST_TRAP(79, CAUSE_ILLEGAL_INSN, 0x0008, .hword 0x0008)       /* c.addi4spn a0, nzuimm=0 */
        TEST_TRAP(80, CAUSE_ILLEGAL_INSN, 0x6501, .hword 0x6501)       /* c.lui a0, nzimm=0 */
        TEST_TRAP(81, CAUSE_ILLEGAL_INSN, 0x6101, .hword 0x6101)       /* c.addi16sp imm=0 */
        TEST_TRAP(82, CAUSE_ILLEGAL_INSN, 0x4002, .hword 0x4002)       /* c.lwsp rd=0 */
        TEST_TRAP(83, CAUSE_ILLEGAL_INSN, 0x507e, .hword 0x507e)       /* c.lwsp rd=0, offset 252 */
        TEST_TRAP(84, CAUSE_ILLEGAL_INSN, 0x6002, .hword 0x6002)       /* c.ldsp rd=0 */
        TEST_TRAP(85, CAUSE_ILLEGAL_INSN, 0x8002, .hword 0x8002)       /* c.jr rs1=0 */
        TEST_TRAP(86, CAUSE_ILLEGAL_INSN, 0x2001, .hword 0x2001)       /* c.addiw rd=0 */
        TEST_TRAP(87, CAUSE_ILLEGAL_INSN, 0x9d4d, .hword 0x9d4d)       /* reserved op in c.subw/c.addw group */
        TEST_TRAP(88, CAUSE_ILLEGAL_INSN, 0x9d6d, .hword 0x9d6d)
        TEST_TRAP(89, CAUSE_ILLEGAL_INSN, 0x8000, .hword 0x8000)       /* quadrant 0, funct3 100 */

        /* ---- mixing: 32-bit instructions at addresses that are 2 mod 4 */
        .balign 4
        c.li a0, 1
        .option push
        .option norvc
        addi a0, a0, 0x100              /* at 4n + 2 */
        addi a0, a0, 0x200              /* at 4n + 6 */
        .option pop
        c.addi a0, 4
        TCHECK(90, a0, 0x305)
        la t1, 9f                       /* jump to a 32-bit insn at 4n + 2 */
        jalr t1
        j 10f
        .balign 4
        c.nop
9:      .option push
        .option norvc
        addi a0, zero, 0x7a
        .option pop
        c.jr ra
10:     TCHECK(91, a0, 0x7a)
        /* 32-bit branch landing on a compressed instruction at 4n + 2 */
        .balign 4
        beq zero, zero, 11f
        c.nop
11:     c.li a0, 9
        TCHECK(92, a0, 9)

        /* a 32-bit instruction whose halves lie in different 4 KiB pages */
        li a0, 0
        j page_cross
page_cross_back:
        TCHECK(93, a0, 0x555)

        mv ra, s10
        li a0, 0
        ret

        .balign 4096
        .skip 4096 - 8
page_cross:                             /* 8 bytes before a page boundary */
        c.li a0, 0                      /* -8 */
        c.addi a0, 5                    /* -6 */
        c.nop                           /* -4 */
        .option push
        .option norvc
        addi a0, a0, 0x550              /* -2: straddles the boundary */
        .option pop
        j page_cross_back

        .data
        .align 4
buf:    .dword 0x0123456789abcdef       /* 0 */
        .dword 0x3ff8000000000000       /* 8: 1.5 */
        .org buf + 124
        .word 0x7ffffffe
        .org buf + 248
        .dword 0x8877665544332211
scratch: .zero 256
        .zero 528                        /* room below spbuf for c.addi16sp */
spbuf:  .dword 0x00010203f0f1f2f3       /* 0 */
        .org spbuf + 252
        .word 0x12345678
        .org spbuf + 504
        .dword 0xc000000000000000       /* -2.0 */
        .zero 520
