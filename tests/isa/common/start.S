/* Entry for bare-metal tests: set up a stack and a default trap handler
 * that reports any unexpected trap, then call test_main (C) or fall into
 * the test's own `test_main` label (assembly). test_main returning 0 passes. */
#include "test.h"

        .section .text.init
        .globl _start
_start:
        la sp, _stack_top
        la t0, unexpected_trap
        csrw mtvec, t0
        call test_main
        bnez a0, test_fail
        TEST_PASS

        .globl test_fail
/* a0 = failure code (1..255 recommended). */
test_fail:
        bnez a0, 1f
        li a0, 1
1:      TEST_FAIL_CODE(a0)

        .align 2
        .globl unexpected_trap
/* Print "unexpected trap mcause=.. mepc=.. mtval=.." and fail with 255. */
unexpected_trap:
        la a0, msg_trap
        call puts_asm
        csrr a0, mcause
        call puthex_asm
        la a0, msg_epc
        call puts_asm
        csrr a0, mepc
        call puthex_asm
        la a0, msg_tval
        call puts_asm
        csrr a0, mtval
        call puthex_asm
        li a0, '\n'
        call putc_asm
        li a0, 255
        j test_fail

/* putc_asm(a0): clobbers t0, t1. */
putc_asm:
        li t0, UART_BASE
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
        ret

/* puts_asm(a0 = string): clobbers a0, a1, t0, t1. */
puts_asm:
        mv a1, a0
        mv a2, ra
1:      lbu a0, 0(a1)
        beqz a0, 2f
        call putc_asm
        addi a1, a1, 1
        j 1b
2:      mv ra, a2
        ret

/* puthex_asm(a0): 16 hex digits. clobbers a0-a3, t0-t1. */
puthex_asm:
        mv a1, a0
        mv a2, ra
        li a3, 60
1:      srl a0, a1, a3
        andi a0, a0, 15
        addi a0, a0, '0'
        li t0, '9'
        ble a0, t0, 2f
        addi a0, a0, 'a' - '0' - 10
2:      call putc_asm
        addi a3, a3, -4
        bgez a3, 1b
        mv ra, a2
        ret

        .section .rodata
msg_trap: .asciz "unexpected trap mcause="
msg_epc:  .asciz " mepc="
msg_tval: .asciz " mtval="
