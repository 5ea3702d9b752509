/* Runtime for the signature programs (sig_*.S): start-up, UART printing,
 * recording trap handlers for M and S mode, and privilege-mode switching.
 * See sig.h for the conventions a program follows. */
#include "sig.h"

        .option norelax

        .section .text.init
        .globl _start
_start:
        /* Registers as the boot ROM left them (a0 = hartid, a1 = FDT,
         * a2 = fw_dynamic_info); sig_mrom prints them. */
        la t0, boot_regs
        sd a0, 0(t0)
        sd a1, 8(t0)
        sd a2, 16(t0)
#if DIFF_HART
        MBOX_INIT                       /* hart 1 prints into the mailbox */
#endif
        /* Zero .bss ourselves (page tables rely on empty entries) rather
         * than trust the ELF loader to have done it. */
        la t0, __bss_start
        la t1, __bss_end
1:      bgeu t0, t1, 2f
        sd zero, 0(t0)
        addi t0, t0, 8
        j 1b
2:      la sp, stack_top
        la t0, m_trap
        csrw mtvec, t0
        la t0, m_frame
        csrw mscratch, t0
        la t0, s_trap
        csrw stvec, t0
        la t0, s_frame
        csrw sscratch, t0
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        csrw satp, zero
        /* PMP entry 7: the whole address space RWX for S and U (without any
         * matching entry, S/U accesses would fail).  sig_pmp uses 0..6. */
        li t0, -1
        csrw pmpaddr7, t0
        li t0, 0x1f << 56               /* pmp7cfg = NAPOT | X | W | R */
        csrw pmpcfg0, t0
        li t0, MSTATUS_FS
        csrs mstatus, t0
        fscsr zero
        /* No timer interrupt pending unless a test asks for one. */
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
        /* Empty trap records. */
        la a1, m_rec
        call clear_rec
        la a1, s_rec
        call clear_rec
        j test_main

        .text
        .globl sig_done
sig_done:
        la sp, stack_top
#ifdef DIFF_SMP_MAIN
        call smp_dump_h1                /* wait for hart 1, print its output */
#endif
        la a0, str_done
        li a1, 0
        call put_line
#if DIFF_HART
        H1_FINISH
#endif
        li t0, FINISHER_PASS
        li t1, FINISHER_BASE
        sw t0, 0(t1)
1:      j 1b

/* INSN_LEN pc, len, tmp1, tmp2: len = 2 or 4, the length of the instruction
 * at pc (read 16 bits, as pc may be only 2-byte aligned).  Handlers use
 * this inline: a call would clobber the interrupted code's ra. */
        .macro INSN_LEN pc, len, tmp1, tmp2
        lhu \tmp1, 0(\pc)
        andi \tmp1, \tmp1, 3
        li \tmp2, 3
        li \len, 2
        bne \tmp1, \tmp2, 8f
        li \len, 4
8:
        .endm

/* BKPT_TVAL cause, tval, tmp, epc_csr: for a breakpoint the spec lets
 * xtval be either 0 or the pc (QEMU writes 0); record a pc as 0 so that
 * only a value that is neither shows up as a difference. */
        .macro BKPT_TVAL cause, tval, tmp, epc
        li \tmp, 3
        bne \cause, \tmp, 8f
        csrr \tmp, \epc
        bne \tval, \tmp, 8f
        li \tval, 0
8:
        .endm

/* enter_mode(a0 = privilege, a1 = pc): mret into that mode. */
        .globl enter_mode
enter_mode:
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        slli t0, a0, 11
        csrs mstatus, t0
        csrw mepc, a1
        mret

/* ---- M-mode trap handler ------------------------------------------------
 * Exceptions: record cause/epc/tval/previous mode in m_rec, then resume at
 * m_rec.resume if set, else after the faulting instruction.  An ecall with
 * a7 == SYS_TO_M instead returns to M-mode at m_resume (RUN_IN/BACK_TO_M).
 * Interrupts: append the code to irq_log, silence the source, and return to
 * the interrupted instruction. */
        .balign 64
        .globl m_trap
m_trap:
        csrrw sp, mscratch, sp
        sd t0, 0(sp)
        sd t1, 8(sp)
        sd t2, 16(sp)
        sd t3, 24(sp)
        /* MPRV stays set across a trap taken from M; the handler's own loads
         * must not be translated, so drop it (tests set it again). */
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        csrr t0, mcause
        bltz t0, m_irq
        li t1, 8
        beq t0, t1, 1f
        li t1, 9
        beq t0, t1, 1f
        li t1, 11
        bne t0, t1, m_record
1:      li t1, SYS_TO_M
        bne a7, t1, m_record
        /* return to M-mode at m_resume; a7 is consumed, so that a later
         * plain ecall in M-mode is not taken for another BACK_TO_M */
        li a7, 0
        la t1, m_resume
        ld t1, 0(t1)
        csrw mepc, t1
        li t1, MSTATUS_MPP
        csrs mstatus, t1
        j m_out
m_record:
        la t1, m_rec
        sd t0, REC_CAUSE(t1)
        csrr t2, mepc
        sd t2, REC_EPC(t1)
        csrr t2, mtval
        BKPT_TVAL t0, t2, t3, mepc
        sd t2, REC_TVAL(t1)
        csrr t2, mstatus
        srli t2, t2, 11
        andi t2, t2, 3
        sd t2, REC_MODE(t1)
        ld t2, REC_COUNT(t1)
        addi t2, t2, 1
        sd t2, REC_COUNT(t1)
        ld t2, REC_RESUME(t1)
        beqz t2, 2f
        sd zero, REC_RESUME(t1)
        csrw mepc, t2
        j m_out
2:      csrr t2, mepc
        INSN_LEN t2, t0, t1, t3
        add t2, t2, t0
        csrw mepc, t2
        j m_out
m_irq:
        /* irq_log = irq_log << 8 | code, so the order of interrupts shows */
        slli t0, t0, 1
        srli t0, t0, 1
        la t1, irq_log
        ld t2, 0(t1)
        slli t2, t2, 8
        or t2, t2, t0
        sd t2, 0(t1)
        li t1, 3
        bne t0, t1, 3f
        li t1, CLINT_MSIP               /* machine software: clear msip */
        sw zero, 0(t1)
        j m_out
3:      li t1, 7
        bne t0, t1, 4f
        li t1, CLINT_MTIMECMP           /* machine timer: push mtimecmp away */
        li t2, -1
        sd t2, 0(t1)
        j m_out
4:      li t1, 1                        /* anything else: disable it in mie */
        sll t1, t1, t0
        csrc mie, t1
        li t2, 2                        /* and drop a pending SSIP */
        csrc mip, t2
m_out:
        ld t0, 0(sp)
        ld t1, 8(sp)
        ld t2, 16(sp)
        ld t3, 24(sp)
        csrrw sp, mscratch, sp
        mret


/* ---- S-mode trap handler --------------------------------------------------
 * Same idea with the S-mode CSRs, recording into s_rec.  An ecall with
 * a7 == SYS_TO_M that was delegated here (from U) is forwarded to M. */
        .balign 64
s_trap:
        csrrw sp, sscratch, sp
        sd t0, 0(sp)
        sd t1, 8(sp)
        sd t2, 16(sp)
        sd t3, 24(sp)
        csrr t0, scause
        bltz t0, s_irq
        li t1, 8
        bne t0, t1, s_record
        li t1, SYS_TO_M
        bne a7, t1, s_record
        /* Forward to M: restore everything, then ecall from S with the same
         * a7; the M handler continues at m_resume. */
        ld t0, 0(sp)
        ld t1, 8(sp)
        csrrw sp, sscratch, sp
        ecall
s_record:
        la t1, s_rec
        sd t0, REC_CAUSE(t1)
        csrr t2, sepc
        sd t2, REC_EPC(t1)
        csrr t2, stval
        BKPT_TVAL t0, t2, t3, sepc
        sd t2, REC_TVAL(t1)
        csrr t2, sstatus
        srli t2, t2, 8                  /* SPP */
        andi t2, t2, 1
        sd t2, REC_MODE(t1)
        ld t2, REC_COUNT(t1)
        addi t2, t2, 1
        sd t2, REC_COUNT(t1)
        ld t2, REC_RESUME(t1)
        beqz t2, 2f
        sd zero, REC_RESUME(t1)
        csrw sepc, t2
        j s_out
2:      csrr t2, sepc
        INSN_LEN t2, t0, t1, t3
        add t2, t2, t0
        csrw sepc, t2
        j s_out
s_irq:
        slli t0, t0, 1
        srli t0, t0, 1
        la t1, irq_log
        ld t2, 0(t1)
        slli t2, t2, 8
        or t2, t2, t0
        ori t2, t2, 0x80                /* mark: taken in S-mode */
        sd t2, 0(t1)
        li t1, 1
        sll t1, t1, t0
        csrc sie, t1
        li t2, 2
        csrc sip, t2
s_out:
        ld t0, 0(sp)
        ld t1, 8(sp)
        ld t2, 16(sp)
        ld t3, 24(sp)
        csrrw sp, sscratch, sp
        sret

/* ---- trap records ---------------------------------------------------------- */

/* clear_rec(a1 = record): cause = -1 ("none"), the rest zero -- including a
 * resume address that no trap consumed, which would otherwise redirect some
 * later, unrelated trap. */
        .globl clear_rec
clear_rec:
        li t0, -1
        sd t0, REC_CAUSE(a1)
        sd zero, REC_EPC(a1)
        sd zero, REC_TVAL(a1)
        sd zero, REC_MODE(a1)
        sd zero, REC_COUNT(a1)
        sd zero, REC_RESUME(a1)
        ret

/* show_rec(a0 = name, a1 = record): "<name> c=.. e=.. t=.. p=..", then clear. */
        .globl show_rec
show_rec:
        addi sp, sp, -32
        sd ra, 0(sp)
        sd s1, 8(sp)
        mv s1, a1
        call put_str
        la a0, str_c
        call put_str
        ld a1, REC_CAUSE(s1)
        call put_hex
        la a0, str_e
        call put_str
        ld a1, REC_EPC(s1)
        call put_hex
        la a0, str_t
        call put_str
        ld a1, REC_TVAL(s1)
        call put_hex
        la a0, str_p
        call put_str
        ld a1, REC_MODE(s1)
        call put_hex
        li a0, '\n'
        call putc
        mv a1, s1
        call clear_rec
        ld ra, 0(sp)
        ld s1, 8(sp)
        addi sp, sp, 32
        ret

/* ---- UART output ------------------------------------------------------------ */

/* putc(a0); clobbers t0, t1.  Waits for THR empty (LSR bit 5). */
        .globl putc
putc:
#if DIFF_HART
        MBOX_PUTC
#else
        li t0, UART_BASE
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
#endif
        ret

/* put_str(a0 = NUL-terminated string); clobbers a0, a2, t0, t1. */
        .globl put_str
put_str:
        addi sp, sp, -16
        sd ra, 0(sp)
        mv a2, a0
1:      lbu a0, 0(a2)
        beqz a0, 2f
        call putc
        addi a2, a2, 1
        j 1b
2:      ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* put_hex(a1): 16 hex digits; clobbers a0, a3, a4, t0, t1. */
        .globl put_hex
put_hex:
        addi sp, sp, -16
        sd ra, 0(sp)
        li a3, 60
1:      srl a0, a1, a3
        andi a0, a0, 15
        la a4, hexdigits
        add a4, a4, a0
        lbu a0, 0(a4)
        call putc
        addi a3, a3, -4
        bgez a3, 1b
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* put_line(a0 = name, a1 = value): "<name> <16 hex digits>\n".
 * Clobbers a0-a4, t0, t1. */
        .globl put_line
put_line:
        addi sp, sp, -16
        sd ra, 0(sp)
        call put_str
        li a0, ' '
        call putc
        call put_hex
        li a0, '\n'
        call putc
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

        .section .rodata
hexdigits:      .ascii "0123456789abcdef"
        .globl str_case
str_case:       .asciz "case"
str_done:       .asciz "done"
str_c:          .asciz " c="
str_e:          .asciz " e="
str_t:          .asciz " t="
str_p:          .asciz " p="

        .data
        .balign 8
        .globl boot_regs, m_rec, s_rec, m_resume, irq_log
boot_regs:      .dword 0, 0, 0
m_rec:          .dword 0, 0, 0, 0, 0, 0
s_rec:          .dword 0, 0, 0, 0, 0, 0
m_resume:       .dword 0
irq_log:        .dword 0

        .bss
        .balign 16
m_frame:        .space 64
s_frame:        .space 64
        .balign 16
stack:          .space 4096
stack_top:
