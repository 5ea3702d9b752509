/* RV64A misaligned addresses: AMOs and SCs whose address is not naturally
 * aligned must raise store/AMO address-misaligned (mcause 6), and LRs load
 * address-misaligned (mcause 4), with mtval = the faulting address, mepc =
 * the instruction, and memory left unchanged. (The spec also allows an
 * access fault instead; rivet raises the misaligned exceptions, like
 * spike.) The SC case must trap even though it would fail anyway.
 *
 * rivet-test: skip-qemu (QEMU 7.2 reports misaligned AMOs as load address-misaligned, mcause 4, and a misaligned SC without a matching reservation just fails without trapping; checked on QEMU with those two differences patched out)
 */
#include "isa.h"

        .text
        .globl test_main
test_main:
        la s1, cell                     /* the TEST_TRAP macros clobber t0 */
        li t1, 0x0102030405060708
        sd t1, 0(s1)
        sd t1, 8(s1)
        li a2, 0xff

        /* ---- AMOs */
        addi a5, s1, 2
        TEST_TRAP_TVALREG(1, CAUSE_MISALIGNED_STORE, a5, amoadd.w a3, a2, (a5))
        addi a5, s1, 4                  /* word- but not dword-aligned */
        TEST_TRAP_TVALREG(2, CAUSE_MISALIGNED_STORE, a5, amoswap.d a3, a2, (a5))
        addi a5, s1, 1
        TEST_TRAP_TVALREG(3, CAUSE_MISALIGNED_STORE, a5, amoor.d a3, a2, (a5))
        addi a5, s1, 6                  /* crosses the 8-byte boundary */
        TEST_TRAP_TVALREG(4, CAUSE_MISALIGNED_STORE, a5, amomaxu.w a3, a2, (a5))
        addi a5, s1, 12
        TEST_TRAP_TVALREG(5, CAUSE_MISALIGNED_STORE, a5, amominu.d.aqrl x0, a2, (a5))
        addi a5, s1, 3
        TEST_TRAP_TVALREG(6, CAUSE_MISALIGNED_STORE, a5, amoxor.w.aq a3, a2, (a5))

        /* ---- LR: a load */
        addi a5, s1, 2
        TEST_TRAP_TVALREG(7, CAUSE_MISALIGNED_LOAD, a5, lr.w a3, (a5))
        addi a5, s1, 4
        TEST_TRAP_TVALREG(8, CAUSE_MISALIGNED_LOAD, a5, lr.d a3, (a5))

        /* ---- SC: traps whether or not a reservation is held */
        addi a5, s1, 3
        TEST_TRAP_TVALREG(9, CAUSE_MISALIGNED_STORE, a5, sc.w a3, a2, (a5))
        lr.d a3, (s1)
        addi a5, s1, 4
        TEST_TRAP_TVALREG(10, CAUSE_MISALIGNED_STORE, a5, sc.d a3, a2, (a5))

        /* ---- nothing was written */
        la t0, cell
        ld a4, 0(t0)
        TCHECK(11, a4, 0x0102030405060708)
        ld a4, 8(t0)
        TCHECK(12, a4, 0x0102030405060708)

        li a0, 0
        ret

        .data
        .align 4
cell:   .dword 0, 0
