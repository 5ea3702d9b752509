/* Runtime for the generated random cases (see gen.py).
 *
 * Provides: _start, the trap handler that logs and skips trapping
 * instructions, case_header / init_common / dump_common used by the
 * CASE_BEGIN / CASE_END macros, and the final "done" line + finisher exit.
 *
 * Output format, one line per value, every line "<label> hhhhhhhhhhhhhhhh"
 * (label of at most 4 characters, space, 16 hex digits), so the runner can
 * point at the first differing line:
 *   case <index>
 *   x01..x31, f00..f31 (raw 64 bits), fcsr, m00..m15 (scratch buffer dwords),
 *   trpn (trap count), trph (hash over all traps), then per logged trap
 *   tNc/tNv/tNe (mcause, mtval, mepc) for the first TLOG_MAX traps.
 *   ... and at the end "done <number of cases>".
 */
#include "rand_rt.h"

        .option norvc
        .option norelax

        .section .text.init
        .globl _start
_start:
#if DIFF_HART
        MBOX_INIT                       /* hart 1 prints into the mailbox */
#endif
        la t0, trap_entry
        csrw mtvec, t0
        la t0, trap_area
        csrw mscratch, t0
        li t0, MSTATUS_FS
        csrs mstatus, t0
        la t0, n_cases                  /* do not rely on RAM being zeroed */
        sd zero, 0(t0)
        j run_cases

        .text
        .globl all_done
all_done:
        la sp, rt_stack_top
#ifdef DIFF_SMP_MAIN
        call smp_dump_h1                /* wait for hart 1, print its output */
#endif
        la a0, lbl_done
        la t0, n_cases
        ld a1, 0(t0)
        call put_line
#if DIFF_HART
        H1_FINISH
#endif
        li t0, FINISHER_PASS
        li t1, FINISHER_BASE
        sw t0, 0(t1)
1:      j 1b

/* ---- trap handler ----------------------------------------------------------
 * Random code may trap on purpose (ecall, ebreak, illegal encodings, dynamic
 * rounding with an invalid frm).  Log mcause/mtval/mepc, fold them into a
 * hash, and resume after the instruction (2 or 4 bytes, read from mepc).
 * Every GPR is live here, so x31 is swapped with mscratch to get a pointer to
 * the trap area and x28..x30 are saved there.
 *
 * For a breakpoint the spec lets mtval be either 0 or the pc (QEMU writes
 * 0): a pc there is logged as 0, so only a value that is neither differs. */
        .balign 4
trap_entry:
        csrrw x31, mscratch, x31
        sd x28, TA_SAVE+0(x31)
        sd x29, TA_SAVE+8(x31)
        sd x30, TA_SAVE+16(x31)

        csrr x29, mtval
        csrr x30, mcause
        li x28, 3
        bne x30, x28, 1f
        csrr x28, mepc
        bne x29, x28, 1f
        li x29, 0
1:      sd x29, TA_TVAL(x31)

        ld x30, TA_COUNT(x31)
        addi x29, x30, 1
        sd x29, TA_COUNT(x31)
        li x29, TLOG_MAX
        bgeu x30, x29, 2f
        slli x29, x30, 4                /* entry = TA_LOG + 24 * n */
        slli x30, x30, 3
        add x30, x30, x29
        add x30, x30, x31
        csrr x29, mcause
        sd x29, TA_LOG+0(x30)
        ld x29, TA_TVAL(x31)
        sd x29, TA_LOG+8(x30)
        csrr x29, mepc
        sd x29, TA_LOG+16(x30)
2:
        /* hash = rotl(hash, 7) ^ value, for cause, tval and epc in turn */
        .macro MIX
        slli x28, x30, 7
        srli x30, x30, 57
        or x30, x30, x28
        xor x30, x30, x29
        .endm
        ld x30, TA_HASH(x31)
        csrr x29, mcause
        MIX
        ld x29, TA_TVAL(x31)
        MIX
        csrr x29, mepc
        MIX
        sd x30, TA_HASH(x31)

        /* skip the trapping instruction: 4 bytes if its low bits are 11 */
        csrr x29, mepc
        lhu x30, 0(x29)
        andi x30, x30, 3
        li x28, 3
        addi x29, x29, 2
        bne x30, x28, 3f
        addi x29, x29, 2
3:      csrw mepc, x29

        ld x28, TA_SAVE+0(x31)
        ld x29, TA_SAVE+8(x31)
        ld x30, TA_SAVE+16(x31)
        csrrw x31, mscratch, x31
        mret

/* ---- case_header(a0 = case index) -------------------------------------------
 * Runs between cases, when no register is live: may use a private stack. */
        .globl case_header
case_header:
        la sp, rt_stack_top
        addi sp, sp, -16
        sd ra, 0(sp)
        mv a1, a0
        la a0, lbl_case
        call put_line
        la t0, n_cases
        ld t1, 0(t0)
        addi t1, t1, 1
        sd t1, 0(t0)
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* ---- init_common(x31 = blob), returns through x1 ----------------------------
 * Loads everything except x1 and x31 (the caller's CASE_BEGIN does those). */
        .globl init_common
init_common:
        li x5, MSTATUS_FS
        csrs mstatus, x5
        la x8, scratch_buf
        addi x2, x8, 64
        /* scratch buffer contents */
        addi x5, x31, BLOB_BUF
        mv x6, x8
        addi x7, x8, 128
1:      ld x9, 0(x5)
        sd x9, 0(x6)
        addi x5, x5, 8
        addi x6, x6, 8
        bltu x6, x7, 1b
        /* empty trap log */
        la x5, trap_area
        sd x0, TA_COUNT(x5)
        sd x0, TA_HASH(x5)
        /* fcsr: random frm (rarely an invalid one) and random sticky flags */
        ld x5, BLOB_FCSR(x31)
        fscsr x5
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        fld f\i, BLOB_F(\i)(x31)
        .endr
        .irp i, 3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
        ld x\i, BLOB_X(\i)(x31)
        .endr
        jalr x0, 0(x1)

/* ---- dump_common: x1 already saved at SAVE_X(1)(sp); returns through x1 ------ */
        .globl dump_common
dump_common:
        .irp i, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        sd x\i, SAVE_X(\i)(sp)
        .endr
        /* FP registers as raw 64-bit images (fmv.x.d never alters bits) */
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        fmv.x.d x5, f\i
        sd x5, SAVE_F(\i)(sp)
        .endr
        frcsr x5
        sd x5, SAVE_FCSR(sp)
        la x5, dump_ret
        sd x1, 0(x5)
        /* scratch buffer (sp-64 .. sp+63) */
        addi x5, sp, -64
        addi x6, sp, SAVE_MEM
        addi x7, sp, SAVE_MEM+128
1:      ld x9, 0(x5)
        sd x9, 0(x6)
        addi x5, x5, 8
        addi x6, x6, 8
        bltu x6, x7, 1b
        /* trap count, hash and the logged entries */
        la x5, trap_area
        ld x10, TA_COUNT(x5)
        sd x10, SAVE_TCOUNT(sp)
        ld x9, TA_HASH(x5)
        sd x9, SAVE_THASH(sp)
        li x9, TLOG_MAX
        bleu x10, x9, 2f
        mv x10, x9
2:      slli x9, x10, 1                 /* x10 = 3 * logged entries */
        add x10, x10, x9
        addi x5, x5, TA_LOG
        addi x6, sp, SAVE_TLOG
        mv x7, x10
3:      beqz x7, 4f
        ld x9, 0(x5)
        sd x9, 0(x6)
        addi x5, x5, 8
        addi x6, x6, 8
        addi x7, x7, -1
        j 3b
4:
        /* print N_FIXED + 3 * logged lines, labels from the table */
        addi s1, x10, N_FIXED
        addi s2, sp, SAVE
        la s3, labels
        la sp, rt_stack_top
5:      mv a0, s3
        ld a1, 0(s2)
        call put_line
        addi s3, s3, 4
        addi s2, s2, 8
        addi s1, s1, -1
        bnez s1, 5b
        la x5, dump_ret
        ld x1, 0(x5)
        jalr x0, 0(x1)

/* ---- UART output -------------------------------------------------------- */

/* putc(a0); clobbers t0, t1.  Waits for THR empty (LSR bit 5). */
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

/* put_line(a0 = 4-char label, a1 = value): "LLLL hhhhhhhhhhhhhhhh\n", with
 * spaces in the label dropped ("x01 " prints as "x01").
 * Clobbers a0, a2-a4, t0, t1. */
put_line:
        addi sp, sp, -16
        sd ra, 0(sp)
        mv a2, a0
        li a3, 4
1:      lbu a0, 0(a2)
        li t0, ' '
        beq a0, t0, 3f
        call putc
3:      addi a2, a2, 1
        addi a3, a3, -1
        bnez a3, 1b
        li a0, ' '
        call putc
        li a3, 60
2:      srl a0, a1, a3
        andi a0, a0, 15
        la a4, hexdigits
        add a4, a4, a0
        lbu a0, 0(a4)
        call putc
        addi a3, a3, -4
        bgez a3, 2b
        li a0, '\n'
        call putc
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

        .section .rodata
hexdigits:  .ascii "0123456789abcdef"
lbl_case:   .ascii "case"
lbl_done:   .ascii "done"
/* One 4-character label per dumped dword, in save-area order. */
labels:
        .irp i, 01,02,03,04,05,06,07,08,09,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .ascii "x\i "
        .endr
        .irp i, 00,01,02,03,04,05,06,07,08,09,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .ascii "f\i "
        .endr
        .ascii "fcsr"
        .irp i, 00,01,02,03,04,05,06,07,08,09,10,11,12,13,14,15
        .ascii "m\i "
        .endr
        .ascii "trpn"
        .ascii "trph"
        .irp i, 0,1,2,3,4,5,6,7
        .ascii "t\i\()c t\i\()v t\i\()e "
        .endr

        .bss
        .balign 64
scratch_buf:    .space 2048     /* buffer (128) + dump save area */
        .balign 8
trap_area:      .space TA_LOG + 24 * TLOG_MAX
dump_ret:       .space 8
n_cases:        .space 8
        .balign 16
rt_stack:       .space 1024
rt_stack_top:
