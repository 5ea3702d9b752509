/* Runtime of the guest-behaviour fuzzing programs (gen.py writes the rest).
 *
 * A program is a sequence of episodes.  Each starts in M-mode with
 * `li a0, N; call ep_reset` (known CSR, PMP, CLINT and UART state), does
 * random things in M-mode, may enter S- or U-mode (with or without paging)
 * through enter_lower, and ends with `call ep_dump`, which records x5..x26.
 *
 * Traps are recorded and the program goes on:
 *  - in generated code (gen_text_start..gen_text_end) the trapping
 *    instruction is skipped (every generated instruction is 4 bytes);
 *  - anywhere else (a wild jump: jalr x1, target) execution resumes at x1;
 *  - an ecall from S/U ends the episode (resume at the address the episode
 *    stored with enter_lower), and so does a fetch fault inside generated
 *    code from S/U (PMP or satp took the code away) and any interrupt (the
 *    watchdog that breaks trap loops in S/U).
 * Delegated traps go to s_trap, which records them in a small S log that
 * ep_dump copies out, and skips the same way.
 *
 * Everything recorded goes to sig_buf as records: a header dword
 * (kind << 56 | episode << 16 | count) and `count` dwords:
 *   kind 1  M trap: mcause, mtval, mepc, mstatus
 *   kind 2  S trap: scause, stval, sepc, sstatus
 *   kind 3  episode dump: x5..x26
 *   kind 4  re-entry at _start (a jump to the MROM reset vector): x1
 * At the end the buffer is printed after a "==gf-sig" line, one record a
 * line, then "==gf-end", and the program exits through the SiFive test
 * finisher (or HTIF first, when the program defines tohost).
 */
#include "gf.h"

        .option norvc
        .option norelax

        .section .text.init
        .globl _start
_start:
        /* A jump to the MROM reset vector comes back here: record it and
         * return to the jumper. */
        la x31, started
        ld x31, 0(x31)
        bnez x31, reentry
        la x31, started
        li x30, 1
        sd x30, 0(x31)

        la sp, rt_stack_top
        la t0, m_trap
        csrw mtvec, t0
        la t0, m_area
        csrw mscratch, t0
        la t1, sig_buf
        sd t1, MA_SIGPTR(t0)
        li t2, SIG_BYTES - 256
        add t1, t1, t2
        sd t1, MA_SIGEND(t0)
        la t0, s_area
        la t1, gen_text_start
        sd t1, SA_GSTART(t0)
        la t1, gen_text_end
        sd t1, SA_GEND(t0)
        sd zero, SA_COUNT(t0)

        /* data pages: every dword a function of its address */
        li t0, DATA_BASE
        li t1, DATA_BASE + DATA_PAGES * 4096
        li t3, 0x9e3779b97f4a7c15
1:      mul t2, t0, t3
        srli t4, t2, 29
        xor t2, t2, t4
        sd t2, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 1b
        /* ret pages: `jalr x0, 0(x1)` everywhere */
        li t0, RET_BASE
        li t1, RET_BASE + RET_PAGES * 4096
        li t2, 0x00008067
2:      sw t2, 0(t0)
        addi t0, t0, 4
        bltu t0, t1, 2b
        /* the last RAM page */
        li t0, HIGH_PAGE
        li t1, HIGH_PAGE + 4096
        li t3, 0xc2b2ae3d27d4eb4f
3:      mul t2, t0, t3
        srli t4, t2, 31
        xor t2, t2, t4
        sd t2, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 3b

        call gen_main
        j gf_finish

reentry:
        la x31, m_area
        ld x30, MA_SIGPTR(x31)
        ld x29, MA_SIGEND(x31)
        bgeu x30, x29, 1f
        ld x29, MA_EP(x31)
        slli x29, x29, 16
        li x28, (4 << 56) | 1
        or x29, x29, x28
        sd x29, 0(x30)
        sd x1, 8(x30)
        addi x30, x30, 16
        sd x30, MA_SIGPTR(x31)
1:      jalr x0, 0(x1)

/* ---- M-mode trap handler ------------------------------------------------
 * A trap from M-mode leaves MPP = M, so MPRV cannot redirect the handler's
 * own loads and stores; a trap from S/U comes with MPRV = 0 (an xRET to a
 * lower mode clears it). */
        .text
        .balign 64
        .globl m_trap
m_trap:
        csrrw x31, mscratch, x31
        sd x28, MA_X28(x31)
        sd x29, MA_X29(x31)
        sd x30, MA_X30(x31)

        /* record: header, mcause, mtval (ebreak: pc logged as 0), mepc,
         * mstatus; at most EP_MAX exceptions an episode (a runaway loop
         * must not fill the buffer), interrupts always */
        ld x30, MA_SIGPTR(x31)
        ld x29, MA_SIGEND(x31)
        bgeu x30, x29, 2f
        csrr x29, mcause
        bltz x29, 4f
        ld x29, MA_EPCNT(x31)
        addi x29, x29, 1
        sd x29, MA_EPCNT(x31)
        li x28, EP_MAX
        bgtu x29, x28, 2f
4:
        ld x29, MA_EP(x31)
        slli x29, x29, 16
        li x28, (1 << 56) | 4
        or x29, x29, x28
        sd x29, 0(x30)
        csrr x29, mcause
        sd x29, 8(x30)
        csrr x28, mtval
        li x29, 3
        csrr x29, mcause
        addi x29, x29, -3
        bnez x29, 1f
        csrr x29, mepc
        bne x28, x29, 1f
        li x28, 0
1:      sd x28, 16(x30)
        csrr x29, mepc
        sd x29, 24(x30)
        csrr x29, mstatus
        sd x29, 32(x30)
        addi x30, x30, 40
        sd x30, MA_SIGPTR(x31)
2:
        csrr x30, mcause
        bltz x30, m_resume              /* interrupt: the watchdog */
        li x28, 8
        beq x30, x28, m_resume          /* ecall from U: end of episode */
        li x28, 9
        beq x30, x28, m_resume          /* ecall from S */
        csrr x29, mepc
        /* the S handler itself faulted (PMP, satp): end the episode */
        la x28, s_trap
        sub x28, x29, x28
        la x30, s_trap_size
        ld x30, 0(x30)
        bltu x28, x30, m_resume
        li x30, ALIAS_OFF
        sub x28, x28, x30
        la x30, s_trap_size
        ld x30, 0(x30)
        bltu x28, x30, m_resume
        csrr x30, mcause
        la x28, gen_text_start
        bltu x29, x28, m_wild
        la x28, gen_text_end
        bgeu x29, x28, m_wild
        /* in generated code: a fetch fault from S/U ends the episode */
        csrr x28, mstatus
        srli x28, x28, 11
        andi x28, x28, 3
        addi x28, x28, -3
        beqz x28, 3f
        li x28, 1
        beq x30, x28, m_resume
        li x28, 12
        beq x30, x28, m_resume
3:      addi x29, x29, 4
        csrw mepc, x29
        j m_out
m_wild:
        csrw mepc, x1
        j m_out
m_resume:
        csrw mie, zero
        li x28, MSTATUS_MPP
        csrs mstatus, x28
        ld x29, MA_RESUME(x31)
        csrw mepc, x29
m_out:
        ld x28, MA_X28(x31)
        ld x29, MA_X29(x31)
        ld x30, MA_X30(x31)
        csrrw x31, mscratch, x31
        mret

/* ---- S-mode trap handler ------------------------------------------------
 * Runs at the identity address or (paged U-mode episodes, whose identity
 * mapping is a U page) at the alias 0x40000000 above it; sscratch holds
 * s_area's address in the same window. */
        .balign 64
        .globl s_trap
s_trap:
        csrrw x31, sscratch, x31
        sd x28, SA_X28(x31)
        sd x29, SA_X29(x31)
        sd x30, SA_X30(x31)
        ld x29, SA_COUNT(x31)
        li x28, SLOG_MAX
        bgeu x29, x28, 1f
        slli x28, x29, 5
        add x28, x28, x31
        csrr x30, scause
        sd x30, SA_LOG+0(x28)
        csrr x30, stval
        sd x30, SA_LOG+8(x28)
        csrr x30, sepc
        sd x30, SA_LOG+16(x28)
        csrr x30, sstatus
        sd x30, SA_LOG+24(x28)
1:      addi x29, x29, 1
        sd x29, SA_COUNT(x31)

        csrr x30, scause
        bltz x30, s_irq
        li x28, 8
        beq x30, x28, s_to_m            /* ecall from U: end of episode */
        csrr x29, sepc
        ld x28, SA_GSTART(x31)
        bltu x29, x28, s_wild
        ld x28, SA_GEND(x31)
        bgeu x29, x28, s_wild
        li x28, 1
        beq x30, x28, s_to_m
        li x28, 12
        beq x30, x28, s_to_m
        addi x29, x29, 4
        csrw sepc, x29
        j s_out
s_wild:
        csrw sepc, x1
        j s_out
s_irq:
        csrw sie, zero
        j s_out
s_to_m:
        ld x28, SA_X28(x31)
        ld x29, SA_X29(x31)
        ld x30, SA_X30(x31)
        csrrw x31, sscratch, x31
        ecall                           /* M ends the episode */
1:      j 1b
s_out:
        ld x28, SA_X28(x31)
        ld x29, SA_X29(x31)
        ld x30, SA_X30(x31)
        csrrw x31, sscratch, x31
        sret
s_trap_end:

/* ---- ep_reset(a0 = episode): known state; zeroes x5..x26 ------------------ */
        .globl ep_reset
ep_reset:
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        csrw mie, zero
        la t0, m_trap
        csrw mtvec, t0
        la t0, m_area
        csrw mscratch, t0
        sd a0, MA_EP(t0)
        sd zero, MA_EPCNT(t0)
        la t0, s_trap
        csrw stvec, t0
        la t0, s_area
        csrw sscratch, t0
        sd zero, SA_COUNT(t0)
        li t0, MSTATUS_MPP
        csrw mstatus, t0
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mip, zero
        csrw satp, zero
        sfence.vma
        csrw mcounteren, zero
        csrw scounteren, zero
        /* PMP: entry 7 lets S/U reach everything; 0-6 and 8-15 off.
         * Locked entries ignore all of this. */
        .irp i, 0,1,2,3,4,5,6,8,9,10,11,12,13,14,15
        csrw pmpaddr\i, zero
        .endr
        li t0, -1
        csrw pmpaddr7, t0
        li t0, PMP_NAPOT_RWX << 56
        csrw pmpcfg0, t0
        csrw pmpcfg2, zero
        sfence.vma                      /* PMP changed (the spec asks for it) */
        /* CLINT: no timer or software interrupt pending */
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        /* UART: 8N1, no divisor latch, no loopback, no interrupts */
        li t0, UART_BASE
        sb zero, 1(t0)
        li t1, 3
        sb t1, 3(t0)
        sb zero, 4(t0)
        .irp i, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26
        li x\i, 0
        .endr
        ret

/* ---- ep_dump: record x5..x26 and the S log; clobbers x28-x31 -------------- */
        .globl ep_dump
ep_dump:
        li x31, MSTATUS_MPRV
        csrc mstatus, x31
        csrw mie, zero
        li x31, MSTATUS_MPP
        csrs mstatus, x31
        la x31, m_area
        ld x30, MA_SIGPTR(x31)
        ld x29, MA_SIGEND(x31)
        bgeu x30, x29, 9f
        ld x29, MA_EP(x31)
        slli x29, x29, 16
        li x28, (3 << 56) | 22
        or x29, x29, x28
        sd x29, 0(x30)
        .irp i, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26
        sd x\i, 8*(\i-4)(x30)
        .endr
        addi x30, x30, 8*23
        /* the S log, one kind-2 record each */
        la x28, s_area
        ld x29, SA_COUNT(x28)
        li x31, SLOG_MAX
        bleu x29, x31, 1f
        mv x29, x31
1:      addi x28, x28, SA_LOG
2:      beqz x29, 3f
        la x31, m_area
        ld x31, MA_EP(x31)
        slli x31, x31, 16
        sd x5, 0(x30)                   /* x5 as scratch: saved above */
        li x5, (2 << 56) | 4
        or x31, x31, x5
        ld x5, 0(x30)
        sd x31, 0(x30)
        ld x31, 0(x28)
        sd x31, 8(x30)
        ld x31, 8(x28)
        sd x31, 16(x30)
        ld x31, 16(x28)
        sd x31, 24(x30)
        ld x31, 24(x28)
        sd x31, 32(x30)
        addi x30, x30, 40
        addi x28, x28, 32
        addi x29, x29, -1
        j 2b
3:      la x31, m_area
        sd x30, MA_SIGPTR(x31)
9:      la x28, s_area
        sd zero, SA_COUNT(x28)
        ret

/* ---- enter_lower: x31 = mode | window, x30 = body, x29 = resume ----------
 * mode (bits 1:0) 0 = U, 1 = S; bit 2: the S handler runs in the alias
 * window; bit 3: keep stvec as it is (a deliberate trap loop).  x29 is where the episode goes on in M-mode once the lower-mode
 * part ends.  Clears MPRV and MIE, sets stvec/sscratch, mrets to the body
 * with x1 = 0.  Clobbers x28-x31. */
        .globl enter_lower
enter_lower:
        li x28, MSTATUS_MPRV | MSTATUS_MIE
        csrc mstatus, x28
        la x28, m_area
        sd x29, MA_RESUME(x28)
        la x28, s_area
        la x29, s_trap
        andi x1, x31, 4
        beqz x1, 1f
        li x1, ALIAS_OFF
        add x28, x28, x1
        add x29, x29, x1
1:      csrw sscratch, x28
        andi x1, x31, 8
        bnez x1, 2f
        csrw stvec, x29
2:
        csrw mepc, x30
        li x28, MSTATUS_MPP
        csrc mstatus, x28
        andi x31, x31, 3
        slli x31, x31, 11
        csrs mstatus, x31
        li x1, 0
        mret

/* ---- arm_wd: watchdog interrupt x31 ticks from now (mie.MTIE) ------------ */
        .globl arm_wd
arm_wd:
        li x28, MSTATUS_MIE
        csrc mstatus, x28
        li x28, CLINT_MTIME
        ld x29, 0(x28)
        add x29, x29, x31
        li x28, CLINT_MTIMECMP
        sd x29, 0(x28)
        li x28, MIP_MTIP
        csrw mie, x28
        ret

/* ---- pt_zero: zero the page at x31; clobbers x28-x30 ----------------------- */
        .globl pt_zero
pt_zero:
        li x28, 4096
        add x28, x28, x31
1:      sd zero, 0(x31)
        sd zero, 8(x31)
        addi x31, x31, 16
        bltu x31, x28, 1b
        ret

/* ---- the end: print the records, exit ------------------------------------ */
        .globl gf_finish
gf_finish:
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        csrw mie, zero
        csrw satp, zero
        la t0, m_trap
        csrw mtvec, t0
        la sp, rt_stack_top
        li t0, UART_BASE
        sb zero, 1(t0)
        li t1, 3
        sb t1, 3(t0)
        sb zero, 4(t0)
        la a0, str_sig
        call puts
        la s1, sig_buf
        la t0, m_area
        ld s2, MA_SIGPTR(t0)
1:      bgeu s1, s2, 4f
        ld s3, 0(s1)                    /* header */
        mv a0, s3
        call puthex
        andi s3, s3, 0xff
2:      beqz s3, 3f
        addi s1, s1, 8
        li a0, ' '
        call putc
        ld a0, 0(s1)
        call puthex
        addi s3, s3, -1
        j 2b
3:      addi s1, s1, 8
        li a0, '\n'
        call putc
        j 1b
4:      la a0, str_end
        call puts
        la t0, gf_end_mode
        ld t0, 0(t0)
        bnez t0, gf_hang
        /* HTIF exit first when the program asks for it (rivet only: QEMU's
         * virt has no HTIF, so it goes on to the finisher) */
        la t0, gf_tohost
        ld t0, 0(t0)
        beqz t0, 6f
        li t1, 1
        sd t1, 0(t0)
        li t2, 2000000
5:      addi t2, t2, -1
        bnez t2, 5b
6:      li t0, FINISHER_BASE
        li t1, FINISHER_PASS
        sw t1, 0(t0)
7:      j 7b

/* ---- gf_hang: the end of a "hostile" program (gf_end_mode != 0), after
 * the records: "==gf-hang", then mtvec at an illegal instruction and a
 * trap, so only a signal ends the emulator. */
gf_hang:
        la a0, str_hang
        call puts
        la t0, hang_insn
        csrw mtvec, t0
hang_insn:
        .word 0                         /* illegal; also the trap vector */

putc:   li t0, UART_BASE
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
        ret

puts:   addi sp, sp, -16
        sd ra, 0(sp)
        sd s0, 8(sp)
        mv s0, a0
1:      lbu a0, 0(s0)
        beqz a0, 2f
        call putc
        addi s0, s0, 1
        j 1b
2:      ld ra, 0(sp)
        ld s0, 8(sp)
        addi sp, sp, 16
        ret

puthex: addi sp, sp, -32
        sd ra, 0(sp)
        sd s0, 8(sp)
        sd s4, 16(sp)
        mv s0, a0
        li s4, 60
1:      srl a0, s0, s4
        andi a0, a0, 15
        addi a0, a0, '0'
        li t0, '9'
        bleu a0, t0, 2f
        addi a0, a0, 'a' - '9' - 1
2:      call putc
        addi s4, s4, -4
        bgez s4, 1b
        ld ra, 0(sp)
        ld s0, 8(sp)
        ld s4, 16(sp)
        addi sp, sp, 32
        ret

        .section .rodata
str_sig:  .asciz "\n==gf-sig\n"
str_end:  .asciz "==gf-end\n"
str_hang: .asciz "==gf-hang\n"

        .data
        .balign 64
started:        .dword 0
s_trap_size:    .dword s_trap_end - s_trap
        .balign 64
        .globl m_area, s_area
m_area:         .space MA_SIZE
        .balign 64
s_area:         .space SA_LOG + 32 * SLOG_MAX
        .bss
        .balign 64
sig_buf:        .space SIG_BYTES
        .balign 16
rt_stack:       .space 2048
rt_stack_top:
