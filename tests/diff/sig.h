/* Macros and constants for the hand-written signature programs (sig_*.S),
 * which are linked with sig_rt.S.  Included through the C preprocessor.
 *
 * A signature program defines `test_main` (entered in M-mode with a stack,
 * mtvec/stvec pointing at sig_rt's recording handlers, a PMP entry granting
 * everything to S/U, FS dirty, nothing delegated, mtimecmp = -1) and ends
 * with `j sig_done`.  It prints lines on the UART:
 *   case <n>                       start of sub-test n (the runner's unit)
 *   <name> <hex>                   SHOW
 *   <name> c=<mcause> e=<mepc> t=<mtval> p=<previous mode>   SHOW_TRAP
 * Only values that the spec (or, for QEMU 7.2 quirks, the reference) pins
 * down are printed.
 *
 * Register conventions: the trap handlers preserve every register, so
 * values computed in S/U survive BACK_TO_M (RUN_IN itself uses t0, t1,
 * a0, a1, a7; BACK_TO_M zeroes a7); printing clobbers a0-a4, t0, t1, ra.  Test code does not
 * use local label 9 (the macros do). */
#ifndef SIG_H
#define SIG_H

#define UART_BASE       0x10000000
#define FINISHER_BASE   0x100000
#define FINISHER_PASS   0x5555
#include "smp.h"                 /* DIFF_HART (0 unless hart 1 of --smp 2) */

#define CLINT_BASE      0x2000000
/* This hart's registers (hart 1 of the two-hart mode uses its own). */
#define CLINT_MSIP      (CLINT_BASE + 0x0 + 4 * DIFF_HART)
#define CLINT_MTIMECMP  (CLINT_BASE + 0x4000 + 8 * DIFF_HART)
#define CLINT_MTIME     (CLINT_BASE + 0xbff8)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE     0x2
#define MSTATUS_MIE     0x8
#define MSTATUS_SPIE    0x20
#define MSTATUS_MPIE    0x80
#define MSTATUS_SPP     0x100
#define MSTATUS_MPP     0x1800
#define MSTATUS_FS      0x6000
#define MSTATUS_MPRV    (1 << 17)
#define MSTATUS_SUM     (1 << 18)
#define MSTATUS_MXR     (1 << 19)
#define MSTATUS_TVM     (1 << 20)
#define MSTATUS_TW      (1 << 21)
#define MSTATUS_TSR     (1 << 22)
/* The mstatus bits whose behaviour the tests pin down (no UXL/SXL/SD). */
#define MSTATUS_SHOWN   (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | \
                         MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | \
                         MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)

#define SYS_TO_M        0x4d4d          /* a7 value: "ecall to return to M" */

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

/* Trap record layout (m_rec / s_rec in sig_rt.S). */
#define REC_CAUSE   0
#define REC_EPC     8
#define REC_TVAL    16
#define REC_MODE    24
#define REC_COUNT   32
#define REC_RESUME  40      /* if non-zero: resume here instead of skipping */

#ifdef __ASSEMBLER__

/* Print "case <n>". */
        .macro CASE n
        li a1, \n
        la a0, str_case
        call put_line
        .endm

/* Print "<name> <hex value of reg>".  Clobbers a0-a4, t0, t1, ra. */
        .macro SHOW name, reg
        mv a1, \reg
        .pushsection .rodata.str, "a"
9:      .asciz "\name"
        .popsection
        la a0, 9b
        call put_line
        .endm

/* SHOW of a CSR's value. */
        .macro SHOW_CSR name, csr
        csrr a1, \csr
        .pushsection .rodata.str, "a"
9:      .asciz "\name"
        .popsection
        la a0, 9b
        call put_line
        .endm

/* SHOW of a CSR's value under a mask (for registers with fields that may
 * legitimately differ between implementations). */
        .macro SHOW_CSR_MASKED name, csr, mask
        csrr a1, \csr
        li t0, \mask
        and a1, a1, t0
        .pushsection .rodata.str, "a"
9:      .asciz "\name"
        .popsection
        la a0, 9b
        call put_line
        .endm

/* Print the last trap taken by the M-mode (SHOW_TRAP) or S-mode
 * (SHOW_STRAP) handler and reset the record; "c=ffffffffffffffff" means
 * no trap was taken since the previous SHOW. */
        .macro SHOW_TRAP name
        .pushsection .rodata.str, "a"
9:      .asciz "\name"
        .popsection
        la a0, 9b
        la a1, m_rec
        call show_rec
        .endm

        .macro SHOW_STRAP name
        .pushsection .rodata.str, "a"
9:      .asciz "\name"
        .popsection
        la a0, 9b
        la a1, s_rec
        call show_rec
        .endm

/* Make the next M-mode trap resume at `label` instead of after the faulting
 * instruction (needed when that instruction cannot be read back, e.g. a
 * fetch fault).  Clobbers t0, t1. */
        .macro RESUME_AT label
        la t0, \label
        la t1, m_rec
        sd t0, REC_RESUME(t1)
        .endm

        .macro S_RESUME_AT label
        la t0, \label
        la t1, s_rec
        sd t0, REC_RESUME(t1)
        .endm

/* Continue in privilege mode `mode` at the code following the macro; the
 * lower-mode code ends with BACK_TO_M, and M-mode carries on at `resume`.
 * Clobbers t0, t1, a0, a1 and a7 (zeroed, so that a plain ecall in the
 * lower mode is not mistaken for BACK_TO_M). */
        .macro RUN_IN mode, resume
        li a7, 0
        la t0, \resume
        la t1, m_resume
        sd t0, 0(t1)
        li a0, \mode
        la a1, 9f
        j enter_mode
9:
        .endm

        .macro BACK_TO_M
        li a7, SYS_TO_M
        ecall
        .endm

/* Run one instruction (or a few, separated by ';') in `mode` and show the
 * trap it caused, if any, as `name`. */
        .macro IN_MODE mode, name, insn:vararg
        RUN_IN \mode, .Lin_mode_back\@
        \insn
        BACK_TO_M
.Lin_mode_back\@:
        SHOW_TRAP "\name"
        .endm

#endif
#endif
