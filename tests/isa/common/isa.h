/* Helpers shared by the assembly ISA tests (tests/isa/*.S), on top of test.h.
 *
 *   TCHECK(n, reg, value)     fail with status n unless reg == value (64-bit)
 *   TCHECK_REG(n, reg, ereg)  fail with status n unless reg == ereg
 * On failure both print "FAIL check n: got X want Y" on the UART first, so a
 * failing run on an emulator says what it computed. They clobber t6 (and on
 * the failure path anything).
 *
 * Expected traps: TEST_TRAP(n, cause, tval, insn...) points mtvec at
 * trap_record, runs insn, puts mtvec back to the harness's unexpected_trap,
 * and checks that exactly one trap happened, with mcause == cause, mepc == the
 * address of insn and mtval == tval. trap_record resumes after the trapping
 * instruction (2 or 4 bytes, judged from its low bits). Clobbers t0, t6.
 * TEST_TRAP_ANYTVAL is the same without the mtval check, TEST_TRAP_TVALREG
 * takes the expected mtval in a register (not t0/t6) that insn leaves alone.
 *
 * Include this file (not test.h) exactly once, from the test's .S file; it
 * emits the support routines into .text.isa. */
#ifndef RIVET_ISA_H
#define RIVET_ISA_H
#include "test.h"

#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_ILLEGAL_INSN     2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_ECALL_M          11

#define MSTATUS_FS       0x6000
#define MSTATUS_FS_INIT  0x2000
#define MSTATUS_FS_DIRTY 0x6000

#define TCHECK(n, reg, value)     \
        li t6, value;             \
        beq reg, t6, 97f;         \
        mv a1, reg;               \
        mv a2, t6;                \
        li a0, n;                 \
        j check_fail;             \
97:

#define TCHECK_REG(n, reg, ereg)  \
        beq reg, ereg, 96f;       \
        mv t6, ereg;              \
        mv a1, reg;               \
        mv a2, t6;                \
        li a0, n;                 \
        j check_fail;             \
96:

/* Offsets into trap_save. */
#define TS_T1    0
#define TS_CAUSE 8
#define TS_EPC   16
#define TS_TVAL  24
#define TS_COUNT 32
#define TS_T2    40

#define TEST_TRAP_ANYTVAL(n, cause, ...)        \
        la t0, trap_save;                       \
        sd zero, TS_COUNT(t0);                  \
        sd zero, TS_CAUSE(t0);                  \
        la t0, trap_record;                     \
        csrw mtvec, t0;                         \
90:     __VA_ARGS__;                            \
        la t0, unexpected_trap;                 \
        csrw mtvec, t0;                         \
        la t0, trap_save;                       \
        ld t0, TS_COUNT(t0);                    \
        TCHECK(n, t0, 1);                       \
        la t0, trap_save;                       \
        ld t0, TS_CAUSE(t0);                    \
        TCHECK(n, t0, cause);                   \
        la t0, trap_save;                       \
        ld t0, TS_EPC(t0);                      \
        la t6, 90b;                             \
        TCHECK_REG(n, t0, t6)

#define TEST_TRAP(n, cause, tval, ...)          \
        TEST_TRAP_ANYTVAL(n, cause, __VA_ARGS__); \
        la t0, trap_save;                       \
        ld t0, TS_TVAL(t0);                     \
        TCHECK(n, t0, tval)

#define TEST_TRAP_TVALREG(n, cause, treg, ...)  \
        TEST_TRAP_ANYTVAL(n, cause, __VA_ARGS__); \
        la t0, trap_save;                       \
        ld t0, TS_TVAL(t0);                     \
        TCHECK_REG(n, t0, treg)

/* Enable the FPU: mstatus.FS = Initial. Clobbers t0. */
#define FP_ENABLE                               \
        li t0, MSTATUS_FS;                      \
        csrc mstatus, t0;                       \
        li t0, MSTATUS_FS_INIT;                 \
        csrs mstatus, t0

        .pushsection .text.isa, "ax"
        .align 2
/* a0 = check number, a1 = got, a2 = want. Prints, then fails with a0. */
check_fail:
        mv s0, a0
        mv s1, a1
        mv s2, a2
        la a0, isa_msg_check
        call isa_puts
        mv a0, s0
        call isa_puthex
        la a0, isa_msg_got
        call isa_puts
        mv a0, s1
        call isa_puthex
        la a0, isa_msg_want
        call isa_puts
        mv a0, s2
        call isa_puthex
        li a0, '\n'
        call isa_putc
        mv a0, s0
        j test_fail

/* isa_putc(a0): clobbers t0, t1. */
isa_putc:
        li t0, UART_BASE
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
        ret

/* isa_puts(a0 = string): clobbers a0, a3, a4, t0, t1. */
isa_puts:
        mv a3, a0
        mv a4, ra
1:      lbu a0, 0(a3)
        beqz a0, 2f
        call isa_putc
        addi a3, a3, 1
        j 1b
2:      mv ra, a4
        ret

/* isa_puthex(a0): 16 hex digits. Clobbers a0, a3-a5, t0, t1. */
isa_puthex:
        mv a3, a0
        mv a4, ra
        li a5, 60
1:      srl a0, a3, a5
        andi a0, a0, 15
        addi a0, a0, '0'
        li t0, '9'
        ble a0, t0, 2f
        addi a0, a0, 'a' - '0' - 10
2:      call isa_putc
        addi a5, a5, -4
        bgez a5, 1b
        mv ra, a4
        ret

/* Trap handler for expected traps: records mcause/mepc/mtval, counts, and
 * resumes after the trapping instruction. Preserves all registers. */
        .align 2
trap_record:
        csrw mscratch, t0
        la t0, trap_save
        sd t1, TS_T1(t0)
        sd t2, TS_T2(t0)
        csrr t1, mcause
        sd t1, TS_CAUSE(t0)
        csrr t1, mepc
        sd t1, TS_EPC(t0)
        csrr t1, mtval
        sd t1, TS_TVAL(t0)
        ld t1, TS_COUNT(t0)
        addi t1, t1, 1
        sd t1, TS_COUNT(t0)
        csrr t1, mepc
        lhu t2, 0(t1)
        andi t2, t2, 3
        addi t1, t1, 2
        xori t2, t2, 3
        bnez t2, 1f             /* low bits != 11: 16-bit instruction */
        addi t1, t1, 2
1:      csrw mepc, t1
        ld t1, TS_T1(t0)
        ld t2, TS_T2(t0)
        csrr t0, mscratch
        mret
        .popsection

        .pushsection .data.isa, "aw"
        .align 3
trap_save: .zero 48
        .popsection

        .pushsection .rodata.isa, "a"
isa_msg_check: .asciz "FAIL check "
isa_msg_got:   .asciz ": got "
isa_msg_want:  .asciz " want "
        .popsection
#endif
