/* RV64I loads and stores: every width, sign vs zero extension, positive and
 * negative offsets at the 12-bit limits, stores touching only their bytes,
 * misaligned loads/stores in RAM (which QEMU and rivet both complete, also
 * across an 8-byte and a 4 KiB boundary), rd == rs1, and loads into x0.
 * Assembled with .option norvc (32-bit encodings). */
#include "isa.h"

/* a1 = load from sym+off (base register t0 = sym) */
#define TEST_LD(n, inst, result, sym, off)      \
        la t0, sym;                             \
        inst a1, off(t0);                       \
        TCHECK(n, a1, result)

/* Fill the 24-byte buffer at sym with 0xaa. Clobbers t0, t1. */
#define FILL_AA(sym)                            \
        la t0, sym;                             \
        li t1, 0xaaaaaaaaaaaaaaaa;              \
        sd t1, 0(t0); sd t1, 8(t0); sd t1, 16(t0)

/* Check dword k of sym. */
#define TEST_DW(n, sym, k, value)               \
        la t0, sym;                             \
        ld a1, 8*k(t0);                         \
        TCHECK(n, a1, value)

        .text
        .option norvc
        .globl test_main
test_main:
        /* memory at src (little-endian):
         *   +0: ef cd ab 89 67 45 23 01   +8: 10 32 54 76 98 ba dc fe
         *  +16: 11 22 33 44 55 66 77 88 */

        /* ---- LB / LBU */
        TEST_LD(1, lb, 0xffffffffffffffef, src, 0)
        TEST_LD(2, lbu, 0xef, src, 0)
        TEST_LD(3, lb, 0x01, src, 7)
        TEST_LD(4, lbu, 0x01, src, 7)
        TEST_LD(5, lb, 0xffffffffffffff89, src, 3)
        TEST_LD(6, lbu, 0x89, src, 3)
        TEST_LD(7, lb, 0xfffffffffffffffe, src, 15)
        TEST_LD(8, lb, 0x10, src, 8)
        /* ---- LH / LHU */
        TEST_LD(9, lh, 0xffffffffffffcdef, src, 0)
        TEST_LD(10, lhu, 0xcdef, src, 0)
        TEST_LD(11, lh, 0x0123, src, 6)
        TEST_LD(12, lh, 0xffffffffffff89ab, src, 2)
        TEST_LD(13, lhu, 0x89ab, src, 2)
        TEST_LD(14, lhu, 0xfedc, src, 14)
        /* ---- LW / LWU */
        TEST_LD(15, lw, 0xffffffff89abcdef, src, 0)
        TEST_LD(16, lwu, 0x89abcdef, src, 0)
        TEST_LD(17, lw, 0x01234567, src, 4)
        TEST_LD(18, lwu, 0x01234567, src, 4)
        TEST_LD(19, lw, 0x76543210, src, 8)
        TEST_LD(20, lw, 0xfffffffffedcba98, src, 12)
        TEST_LD(21, lwu, 0xfedcba98, src, 12)
        /* ---- LD */
        TEST_LD(22, ld, 0x0123456789abcdef, src, 0)
        TEST_LD(23, ld, 0xfedcba9876543210, src, 8)
        TEST_LD(24, ld, 0x8877665544332211, src, 16)

        /* ---- offsets: negative, and the 12-bit extremes -2048 / +2047 */
        TEST_LD(25, ld, 0x0123456789abcdef, src + 8, -8)
        TEST_LD(26, lbu, 0x88, src + 24, -1)
        TEST_LD(27, lw, 0xffffffff89abcdef, src + 2048, -2048)
        TEST_LD(28, lbu, 0x01, src - 2040, 2047)
        TEST_LD(29, ld, 0xfedcba9876543210, src + 8 - 2040, 2040)

        /* rd == rs1: the address uses the old value */
        la a1, src
        ld a1, 8(a1)
        TCHECK(30, a1, 0xfedcba9876543210)

        /* ---- SB / SH / SW / SD write only their own bytes */
        li a2, 0x1122334455667788
        FILL_AA(dst)
        la t0, dst
        sb a2, 1(t0)
        TEST_DW(31, dst, 0, 0xaaaaaaaaaaaa88aa)
        sh a2, 2(t0)
        TEST_DW(32, dst, 0, 0xaaaaaaaa778888aa)
        sw a2, 4(t0)
        TEST_DW(33, dst, 0, 0x55667788778888aa)
        sd a2, 8(t0)
        TEST_DW(34, dst, 1, 0x1122334455667788)
        TEST_DW(35, dst, 2, 0xaaaaaaaaaaaaaaaa)
        /* negative offsets and -2048 / 2047 */
        FILL_AA(dst)
        la t0, dst + 16
        sb a2, -16(t0)
        sh a2, -10(t0)
        la t0, dst + 2048
        sw a2, -2048 + 20(t0)
        TEST_DW(36, dst, 0, 0x7788aaaaaaaaaa88)
        TEST_DW(37, dst, 2, 0x55667788aaaaaaaa)
        la t0, dst - 2047 + 12
        sb a2, 2047(t0)
        TEST_DW(38, dst, 1, 0xaaaaaa88aaaaaaaa)
        /* store then reload through every width */
        la t0, dst
        li a2, 0x8000000080008080
        sd a2, 0(t0)
        lb a1, 0(t0)
        TCHECK(39, a1, 0xffffffffffffff80)
        lh a1, 0(t0)
        TCHECK(40, a1, 0xffffffffffff8080)
        lw a1, 0(t0)
        TCHECK(41, a1, 0xffffffff80008080)
        lwu a1, 4(t0)
        TCHECK(42, a1, 0x80000000)
        lw a1, 4(t0)
        TCHECK(43, a1, 0xffffffff80000000)

        /* ---- misaligned loads complete with the right bytes */
        TEST_LD(44, lh, 0xffffffffffffabcd, src, 1)
        TEST_LD(45, lhu, 0x1001, src, 7)                /* crosses 8-byte boundary */
        TEST_LD(46, lh, 0x1001, src, 7)
        TEST_LD(47, lhu, 0xdcba, src, 13)
        TEST_LD(48, lh, 0xffffffffffffdcba, src, 13)
        TEST_LD(49, lw, 0x6789abcd, src, 1)
        TEST_LD(50, lw, 0x32100123, src, 6)
        TEST_LD(51, lwu, 0x10012345, src, 5)
        TEST_LD(52, lw, 0xffffffffba987654, src, 10)
        TEST_LD(53, lwu, 0xba987654, src, 10)
        TEST_LD(54, lw, 0x11fedcba, src, 13)
        TEST_LD(55, ld, 0x100123456789abcd, src, 1)
        TEST_LD(56, ld, 0x7654321001234567, src, 4)
        TEST_LD(57, ld, 0xdcba987654321001, src, 7)
        TEST_LD(58, ld, 0x44332211fedcba98, src, 12)
        TEST_LD(59, ld, 0x77665544332211fe, src, 15)

        /* ---- misaligned stores */
        li a2, 0x1122334455667788
        FILL_AA(dst)
        la t0, dst
        sh a2, 7(t0)
        sw a2, 13(t0)
        TEST_DW(60, dst, 0, 0x88aaaaaaaaaaaaaa)
        TEST_DW(61, dst, 1, 0x667788aaaaaaaa77)
        TEST_DW(62, dst, 2, 0xaaaaaaaaaaaaaa55)
        FILL_AA(dst)
        la t0, dst
        sd a2, 3(t0)
        TEST_DW(63, dst, 0, 0x4455667788aaaaaa)
        TEST_DW(64, dst, 1, 0xaaaaaaaaaa112233)
        TEST_DW(65, dst, 2, 0xaaaaaaaaaaaaaaaa)

        /* ---- misaligned accesses across a 4 KiB page boundary */
        la t0, page_buf + 4096
        sd zero, -8(t0)
        sd zero, 0(t0)
        li a2, 0x1122334455667788
        sd a2, -3(t0)                   /* bytes 0x88 0x77 0x66 | 0x55 ... */
        lbu a1, -3(t0)
        TCHECK(66, a1, 0x88)
        lbu a1, -1(t0)
        TCHECK(67, a1, 0x66)
        lbu a1, 0(t0)
        TCHECK(68, a1, 0x55)
        lbu a1, 4(t0)
        TCHECK(69, a1, 0x11)
        ld a1, -3(t0)
        TCHECK(70, a1, 0x1122334455667788)
        lw a1, -2(t0)
        TCHECK(71, a1, 0x44556677)
        lhu a1, -1(t0)
        TCHECK(72, a1, 0x5566)
        ld a1, -8(t0)
        TCHECK(73, a1, 0x6677880000000000)
        ld a1, 0(t0)
        TCHECK(74, a1, 0x0000001122334455)
        li a2, 0xa1b2c3d4
        sw a2, -1(t0)
        ld a1, -8(t0)
        TCHECK(75, a1, 0xd477880000000000)
        ld a1, 0(t0)
        TCHECK(76, a1, 0x0000001122a1b2c3)
        sh a2, -1(t0)
        lhu a1, -1(t0)
        TCHECK(77, a1, 0xc3d4)

        /* ---- loads into x0 are discarded */
        la t0, src
        ld x0, 0(t0)
        lb x0, 0(t0)
        lwu x0, 4(t0)
        TCHECK(78, x0, 0)
        mv a1, x0
        TCHECK(79, a1, 0)

        li a0, 0
        ret

        .data
        .align 3
        .skip 2048                      /* room for the -2048 / +2047 bases */
src:    .dword 0x0123456789abcdef, 0xfedcba9876543210, 0x8877665544332211
        .skip 2048
dst:    .zero 24
        .skip 2048

        .bss
        .balign 4096
page_buf: .zero 8192
