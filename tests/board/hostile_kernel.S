/* Stands in for a vmlinux started with -bios none: Linux expects SBI
 * firmware and traps at once.  Here the first instruction is an SBI call
 * with mtvec still at its reset value (0): a fetch fault at 0, for ever. */
        .section .text.start
        .globl _start
_start:
        ecall
        j _start
