/* Start-up and trap handler for the M-mode board programs.
 *
 * The entry state is part of what the probe checks, so it is captured
 * before anything else runs: a0/a1/a2/t0 as the MROM left them, the OR of
 * every other GPR (QEMU starts them at zero), and the CSRs that the reset
 * vector must not have touched. */
        .section .text.start, "ax"
        .option norvc
        .globl _start
_start:
        /* t1 collects the OR of the GPRs that must be zero; it is zero
         * itself at reset, so it counts as one of them. */
        or t1, t1, ra
        or t1, t1, sp
        or t1, t1, gp
        or t1, t1, tp
        or t1, t1, t2
        or t1, t1, s0
        or t1, t1, s1
        or t1, t1, a3
        or t1, t1, a4
        or t1, t1, a5
        or t1, t1, a6
        or t1, t1, a7
        or t1, t1, s2
        or t1, t1, s3
        or t1, t1, s4
        or t1, t1, s5
        or t1, t1, s6
        or t1, t1, s7
        or t1, t1, s8
        or t1, t1, s9
        or t1, t1, s10
        or t1, t1, s11
        or t1, t1, t3
        or t1, t1, t4
        or t1, t1, t5
        or t1, t1, t6
        la t2, boot_regs
        sd a0, 0(t2)
        sd a1, 8(t2)
        sd a2, 16(t2)
        sd t0, 24(t2)
        sd t1, 32(t2)
        csrr t1, mtvec
        sd t1, 40(t2)
        csrr t1, mstatus
        sd t1, 48(t2)
        csrr t1, mip
        sd t1, 56(t2)
        csrr t1, mie
        sd t1, 64(t2)
        csrr t1, satp
        sd t1, 72(t2)

        la sp, __stack_top
        la t0, trap_entry
        csrw mtvec, t0
        /* Zero .bss by hand: the reset test relies on images being
         * re-copied, not on this, but other programs must not depend on
         * the loader's zero fill either. */
        la t0, __bss_start
        la t1, __bss_end
1:      bgeu t0, t1, 2f
        sd zero, 0(t0)
        addi t0, t0, 8
        j 1b
2:      call main
        /* main returned: report failure through the finisher. */
        li t0, 0x100000
        li t1, (0x7f << 16) | 0x3333
        sw t1, 0(t0)
3:      wfi
        j 3b

/* Records mcause/mtval and resumes after the faulting instruction, so C code
 * can probe whether an access faults. A fetch fault (cause 1) came from a
 * jalr to a bad address: resume at the return address. An interrupt turns
 * off mie so that it is reported once. */
        .align 2
        .globl trap_entry
trap_entry:
        csrw mscratch, t0
        la t0, trap_save
        sd t1, 0(t0)
        sd t2, 8(t0)
        la t0, trap_info
        ld t1, 0(t0)
        addi t1, t1, 1
        sd t1, 0(t0)             /* trap_info.count */
        csrr t1, mcause
        sd t1, 8(t0)             /* trap_info.cause */
        csrr t2, mtval
        sd t2, 16(t0)            /* trap_info.tval */
        bltz t1, 9f
        li t2, 1
        beq t1, t2, 8f
        csrr t1, mepc
        lhu t2, 0(t1)
        andi t2, t2, 3
        addi t1, t1, 2
        li t0, 3
        bne t2, t0, 7f
        addi t1, t1, 2
7:      csrw mepc, t1
        j 10f
8:      csrw mepc, ra
        j 10f
9:      csrw mie, zero
10:     la t0, trap_save
        ld t1, 0(t0)
        ld t2, 8(t0)
        csrr t0, mscratch
        mret

        .data
        .align 3
trap_save:
        .dword 0, 0
        .globl trap_info
trap_info:
        .dword 0, 0, 0
        .globl boot_regs
boot_regs:
        .space 80
