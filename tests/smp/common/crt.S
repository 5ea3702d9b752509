/* Entry for rivet's bare-metal SMP tests (tests/smp/NAME.c).
 *
 * With -bios none every hart leaves the MROM for the ELF entry with
 * a0 = mhartid and a1 = the device tree. Each hart gets its own 16 KiB stack
 * above _stack_top (tests/isa/common/link.ld). Hart 0 clears .bss, counts the
 * harts in the device tree (smp_boot, lib.c), then releases the others, which
 * sleep in WFI until then; see lib.c for the rest of the start-up. Hart
 * numbers at or above SMP_MAX_HARTS park for good. */
#include "smp.h"

        .section .text.init
        .globl _start
_start:
        csrr a0, mhartid
        li t0, SMP_MAX_HARTS
        bgeu a0, t0, park
        /* sp = _stack_top + (hart + 1) * SMP_STACK */
        addi t0, a0, 1
        slli t0, t0, SMP_STACK_SHIFT
        la sp, _stack_top
        add sp, sp, t0
        la t0, trap_entry
        csrw mtvec, t0
        csrw mie, zero
        csrw mip, zero
        csrw mstatus, zero
        bnez a0, secondary

        /* hart 0: clear .bss (secondaries touch nothing in it before the
         * release), then the rest in C; smp_boot never returns. */
        la t0, __bss_start
        la t1, _end
1:      bgeu t0, t1, 2f
        sd zero, 0(t0)
        addi t0, t0, 8
        j 1b
2:      fence rw, rw
        call smp_boot
        j park

secondary:
        /* Sleep until hart 0 publishes smp_release (in .data, not cleared);
         * hart 0 sends every hart an MSIP once it has. */
        li t0, MIP_MSIP
        csrw mie, t0
        la t1, smp_release
1:      ld t2, 0(t1)
        bnez t2, 2f
        wfi
        j 1b
2:      fence rw, rw
        call smp_secondary
park:
        csrw mie, zero
1:      wfi
        j 1b

/* Every trap lands here: save the caller-saved registers, call
 * smp_trap(mcause, mepc, mtval) (lib.c has a default that fails the test;
 * tests that take interrupts define their own), and mret. */
        .align 2
        .globl trap_entry
trap_entry:
        addi sp, sp, -128
        sd ra, 0(sp)
        sd t0, 8(sp)
        sd t1, 16(sp)
        sd t2, 24(sp)
        sd a0, 32(sp)
        sd a1, 40(sp)
        sd a2, 48(sp)
        sd a3, 56(sp)
        sd a4, 64(sp)
        sd a5, 72(sp)
        sd a6, 80(sp)
        sd a7, 88(sp)
        sd t3, 96(sp)
        sd t4, 104(sp)
        sd t5, 112(sp)
        sd t6, 120(sp)
        csrr a0, mcause
        csrr a1, mepc
        csrr a2, mtval
        call smp_trap
        ld ra, 0(sp)
        ld t0, 8(sp)
        ld t1, 16(sp)
        ld t2, 24(sp)
        ld a0, 32(sp)
        ld a1, 40(sp)
        ld a2, 48(sp)
        ld a3, 56(sp)
        ld a4, 64(sp)
        ld a5, 72(sp)
        ld a6, 80(sp)
        ld a7, 88(sp)
        ld t3, 96(sp)
        ld t4, 104(sp)
        ld t5, 112(sp)
        ld t6, 120(sp)
        addi sp, sp, 128
        mret
