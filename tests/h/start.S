/* Entry for the H tests (tests/h): like tests/isa/common/start.S, but a test
 * ends through HTIF tohost as well as the SiFive test finisher (see h.h), so
 * the same ELF runs on rivet, QEMU's virt board and Spike. */
#define H_START
#include "h.h"

        .section .text.init
        .globl _start
_start:
        la sp, _stack_top
        la t0, unexpected_trap
        csrw mtvec, t0
        csrr t0, misa               /* no H: say so and fail with 254 */
        andi t0, t0, 1 << 7
        bnez t0, 1f
        la a0, msg_noh
        call h_puts
        li a0, 254
        j test_fail
1:      call test_main
        bnez a0, test_fail
        TEST_PASS

        .globl test_fail
/* a0 = failure code (1..255). */
test_fail:
        bnez a0, 1f
        li a0, 1
1:      TEST_FAIL_CODE(a0)

        .align 2
        .globl unexpected_trap
/* Print "unexpected trap mcause=.. mepc=.. mtval=.. mstatus=.." and fail
 * with 255. */
unexpected_trap:
        la a0, msg_trap
        call h_puts
        csrr a0, mcause
        call h_puthex
        la a0, msg_mepc
        call h_puts
        csrr a0, mepc
        call h_puthex
        la a0, msg_mtval
        call h_puts
        csrr a0, mtval
        call h_puthex
        la a0, msg_mstatus
        call h_puts
        csrr a0, mstatus
        call h_puthex
        li a0, '\n'
        call h_putc
        li a0, 255
        j test_fail

        .section .rodata
msg_trap:    .asciz "unexpected trap mcause="
msg_mepc:    .asciz " mepc="
msg_mtval:   .asciz " mtval="
msg_mstatus: .asciz " mstatus="
msg_noh:     .asciz "misa.H = 0: this hart has no hypervisor extension\n"

        .section .tohost, "aw", @progbits
        .balign 64
        .globl tohost
tohost:   .dword 0
        .balign 64
        .globl fromhost
fromhost: .dword 0
