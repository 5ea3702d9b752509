/* Synchronous exceptions and the CSRs they set: illegal instructions,
 * ecall/ebreak from each mode, access faults on unmapped addresses, FP
 * instructions with mstatus.FS = Off, and misaligned loads/stores (which
 * complete on RAM, so their results are shown instead).  Every trap is
 * taken in M-mode; SHOW_TRAP prints mcause, mepc, mtval and the previous
 * privilege mode. */
#include "sig.h"

#define UNMAPPED 0x88000000     /* just past the 128 MiB of RAM */

        .text
        .globl test_main
test_main:
        CASE 1          /* illegal instructions in M-mode; mtval = the bits */
        .half 0                         /* all-zero parcel: defined illegal */
        SHOW_TRAP "ill.zero16"
        .word 0xffffffff & 0x0000000b   /* custom-0 opcode, not implemented */
        SHOW_TRAP "ill.custom0"
        .word 0xc0001073                /* unimp = csrrw x0, cycle, x0: RO CSR write */
        SHOW_TRAP "ill.unimp"
        csrw mhartid, s1                /* write to a read-only CSR */
        SHOW_TRAP "ill.csrw_mhartid"
        csrrsi s2, mhartid, 0           /* no write: legal, reads 0 */
        SHOW_TRAP "ok.csrrsi_mhartid"
        SHOW "ok.csrrsi_mhartid.val", s2
        .insn r 0x53, 5, 0x01, f1, f2, f3       /* fadd.d, reserved rm 5 */
        SHOW_TRAP "ill.fadd_rm5"
        .insn r 0x53, 6, 0x00, f1, f2, f3       /* fadd.s, reserved rm 6 */
        SHOW_TRAP "ill.fadd_rm6"
        li t0, 7 << 5                   /* frm = 7 (invalid) + dynamic rm */
        fscsr t0
        fadd.d f1, f2, f3
        SHOW_TRAP "ill.fadd_dyn_frm7"
        fsgnj.d f1, f2, f3              /* no rm field: fine with frm = 7 */
        SHOW_TRAP "ok.fsgnj_frm7"
        fscsr zero
        .half 0x0008                    /* c.addi4spn s0, sp, 0: nzuimm = 0 is reserved */
        SHOW_TRAP "ill.c_addi4spn0"
        .word 0x30200073 | (1 << 20)    /* mret's funct12 + 1: not a SYSTEM op */
        SHOW_TRAP "ill.system"

        CASE 2          /* FP instructions and fcsr with mstatus.FS = Off */
        li s1, MSTATUS_FS
        csrc mstatus, s1
        fadd.d f1, f2, f3
        SHOW_TRAP "ill.fs_off_fadd"
        frcsr s2
        SHOW_TRAP "ill.fs_off_frcsr"
        fld f1, 0(sp)
        SHOW_TRAP "ill.fs_off_fld"
        fmv.x.d s2, f1
        SHOW_TRAP "ill.fs_off_fmv"
        .option push
        .option rvc
        c.fsd f8, 0(s0)
        .option pop
        SHOW_TRAP "ill.fs_off_c_fsd"
        csrs mstatus, s1
        fadd.d f1, f2, f3
        SHOW_TRAP "ok.fs_on_fadd"

        CASE 3          /* ecall / ebreak in M-mode */
        ecall
        SHOW_TRAP "ecall.m"
        ebreak
        SHOW_TRAP "ebreak.m"
        .option push
        .option rvc
        c.ebreak
        .option pop
        SHOW_TRAP "c.ebreak.m"

        CASE 4          /* ecall / ebreak / illegal from S and U */
        RUN_IN PRV_S, 1f
        ecall
        ebreak
        BACK_TO_M
1:      SHOW_TRAP "ebreak.s"    /* only the last trap is kept: show the */
        RUN_IN PRV_S, 1f        /* ecall on its own                     */
        ecall
        BACK_TO_M
1:      SHOW_TRAP "ecall.s"
        RUN_IN PRV_U, 1f
        ecall
        BACK_TO_M
1:      SHOW_TRAP "ecall.u"
        RUN_IN PRV_U, 1f
        ebreak
        BACK_TO_M
1:      SHOW_TRAP "ebreak.u"
        RUN_IN PRV_U, 1f
        csrr s2, mstatus
        BACK_TO_M
1:      SHOW_TRAP "ill.u_csrr_mstatus"
        RUN_IN PRV_U, 1f
        csrr s2, sstatus
        BACK_TO_M
1:      SHOW_TRAP "ill.u_csrr_sstatus"
        RUN_IN PRV_S, 1f
        csrr s2, mscratch
        BACK_TO_M
1:      SHOW_TRAP "ill.s_csrr_mscratch"
        RUN_IN PRV_S, 1f
        mret
        BACK_TO_M
1:      SHOW_TRAP "ill.s_mret"
        RUN_IN PRV_U, 1f
        sret
        BACK_TO_M
1:      SHOW_TRAP "ill.u_sret"
        RUN_IN PRV_U, 1f
        sfence.vma
        BACK_TO_M
1:      SHOW_TRAP "ill.u_sfence"

        CASE 5          /* access faults: mtval = the address */
        li s1, UNMAPPED
        ld s2, 0(s1)
        SHOW_TRAP "af.load"
        lbu s2, 7(s1)
        SHOW_TRAP "af.load_byte"
        sw s2, 4(s1)
        SHOW_TRAP "af.store"
        li s1, 0x100000000              /* 4 GiB: nothing there either */
        lw s2, 0(s1)
        SHOW_TRAP "af.load_4g"
        flw f1, 0(zero)                 /* address 0 */
        SHOW_TRAP "af.fload_0"
        li s1, UNMAPPED
        RESUME_AT 1f
        jalr s3, 0(s1)                  /* fetch fault: mepc = mtval = target */
1:      SHOW_TRAP "af.fetch"
        SHOW "af.fetch.link", s3
        RUN_IN PRV_U, 1f                /* the same from U-mode */
        ld s2, 0(s1)
        BACK_TO_M
1:      SHOW_TRAP "af.load.u"

        CASE 6          /* misaligned loads/stores to RAM complete */
        la s1, buf
        li s2, 0x8877665544332211
        sd s2, 0(s1)
        li s2, 0x0123456789abcdef
        sd s2, 8(s1)
        lh s3, 1(s1)
        SHOW "mis.lh1", s3
        lw s3, 3(s1)
        SHOW "mis.lw3", s3
        lwu s3, 6(s1)
        SHOW "mis.lwu6", s3
        ld s3, 5(s1)
        SHOW "mis.ld5", s3
        li s2, 0xa5b6c7d8e9fa0b1c
        sd s2, 3(s1)
        sh s2, 12(s1)
        sw s2, 13(s1)
        ld s3, 0(s1)
        SHOW "mis.after_sd.0", s3
        ld s3, 8(s1)
        SHOW "mis.after_sd.8", s3
        fld f1, 1(s1)
        fmv.x.d s3, f1
        SHOW "mis.fld1", s3
        fsw f1, 10(s1)
        ld s3, 8(s1)
        SHOW "mis.fsw10", s3
        SHOW_TRAP "mis.none"
        j sig_done

        .data
        .balign 8
buf:    .dword 0, 0, 0
