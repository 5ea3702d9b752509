/* csrrs/csrrc whose rs1 is a register other than x0 are CSR writes even when
 * that register holds 0 (unprivileged spec 20191213 section 9.1: "the
 * instruction will still attempt to write the unmodified value back"), so on
 * a read-only CSR they raise illegal instruction (mtval = instruction bits)
 * and leave rd untouched. Only rs1 = x0 (or uimm = 0) makes them pure reads.
 *
 * rivet-test: skip-qemu (QEMU 7.2 decides whether csrrs/csrrc write by the value of rs1 rather than by the register number, so these do not trap there)
 */
#include "isa.h"

#define SENTINEL 0x5a5a5a5a5a5a5a5a

#define TEST_CSR_ILLEGAL(n, bits, ...)          \
        li a1, SENTINEL;                        \
        TEST_TRAP(n, CAUSE_ILLEGAL_INSN, bits, __VA_ARGS__); \
        TCHECK(n, a1, SENTINEL)

        .text
        .globl test_main
test_main:
        li a2, 0
        TEST_CSR_ILLEGAL(1, 0xf11625f3, csrrs a1, mvendorid, a2)
        TEST_CSR_ILLEGAL(2, 0xf12635f3, csrrc a1, marchid, a2)
        TEST_CSR_ILLEGAL(3, 0xc01625f3, csrrs a1, time, a2)
        TEST_CSR_ILLEGAL(4, 0xc00635f3, csrrc a1, cycle, a2)
        TEST_CSR_ILLEGAL(5, 0xf14625f3, csrrs a1, mhartid, a2)
        /* the same with x0 is a read */
        csrrs a1, mvendorid, x0
        csrrc a1, cycle, x0
        li a0, 0
        ret
