/* Runtime of the V-mode differential programs (tests/diffh): start-up,
 * the M, HS and VS trap handlers, and the M-mode glue that enters a case
 * and gets back from it.  main.c does everything else (set-up, dump).
 *
 * A trap taken by any handler (other than the end of a case) is recorded in
 * sig_recs (layout.h: hid, cause, epc, tval, tval2, tinst, bits) and the
 * trapping instruction is skipped: epc + 4 (the random code is never
 * compressed), or, for an instruction fetch fault (causes 1, 12, 20), the
 * return address in ra (fetch faults only come from "jalr ra" probes).
 * An interrupt (none is expected) is recorded, its enable bit cleared, and
 * the handler returns to epc.  The handlers keep every register: they save
 * t0 in their scratch CSR and t1-t6 in memory (the image is mapped VA ==
 * GPA == PA in every translation the cases set up, S-mode only in the VS
 * stage, so the VS handler reaches it too).
 *
 * A case ends with a6 = MAGIC_A6, a7 = MAGIC_A7, ecall: the HS and VS
 * handlers pass it on (ecall again, with the case's registers intact) and
 * M stores all registers in regdump and returns from enter_case.  After
 * TRAP_CAP traps the case is aborted the same way (case_aborted = 1).
 */
#include "layout.h"

        .option arch, +h
#define CSR_MTINST 0x34a
#define CSR_MTVAL2 0x34b

        .section .text.init, "ax"
        .globl _start
_start:
        la sp, _stack_top
        la t0, m_trap
        csrw mtvec, t0
        call main
        /* main returns the exit status: 0 = done */
        .globl prog_end
prog_end:
        slli t5, a0, 1
        ori t5, t5, 1               /* HTIF: 1 = pass, (n << 1) | 1 = fail n */
        la t6, tohost
        sd t5, 0(t6)
        li t5, 200000               /* let rivet/Spike notice tohost, then */
1:      addi t5, t5, -1             /* the SiFive finisher (QEMU's virt) */
        bnez t5, 1b
        li t6, 0x100000
        slli t5, a0, 16
        li t4, 0x3333
        or t5, t5, t4
        li t4, 0x5555
        bnez a0, 2f
        mv t5, t4
2:      sw t5, 0(t6)
3:      j 3b

/* enter_case(a0 = entry pc, a1 = mstatus MPP/MPV bits): mret into the case;
 * returns when the case ends (M handler, case_exit). */
        .globl enter_case
enter_case:
        la t0, m_ctx
        sd ra, 0(t0)
        sd sp, 8(t0)
        sd gp, 16(t0)
        sd tp, 24(t0)
        sd s0, 32(t0)
        sd s1, 40(t0)
        sd s2, 48(t0)
        sd s3, 56(t0)
        sd s4, 64(t0)
        sd s5, 72(t0)
        sd s6, 80(t0)
        sd s7, 88(t0)
        sd s8, 96(t0)
        sd s9, 104(t0)
        sd s10, 112(t0)
        sd s11, 120(t0)
        li t0, (3 << 11) | (1 << 39)
        csrc mstatus, t0
        csrs mstatus, a1
        csrw mepc, a0
        mret

/* COUNT_AND_SLOT(abort): t1 = cause, t2 = handler id; t3-t5 scratch.
 * Counts the trap (to abort after TRAP_CAP), and leaves in t3 the record
 * for it with hid and cause filled in, or 0 when MAX_RECS are full. */
#define COUNT_AND_SLOT(abort_label)                     \
        la t3, trap_count;                              \
        ld t4, 0(t3);                                   \
        addi t4, t4, 1;                                 \
        sd t4, 0(t3);                                   \
        li t5, TRAP_CAP;                                \
        bgtu t4, t5, abort_label;                       \
        li t5, MAX_RECS;                                \
        li t3, 0;                                       \
        bgtu t4, t5, 1f;                                \
        addi t4, t4, -1;                                \
        slli t4, t4, 6;                                 \
        la t3, sig_recs;                                \
        add t3, t3, t4;                                 \
        sd t2, 0(t3);                                   \
        sd t1, 8(t3);                                   \
1:

/* IS_MAGIC(no_label): fall through if a6/a7 hold the end-of-case magic */
#define IS_MAGIC(no_label)                              \
        li t3, MAGIC_A7;                                \
        bne a7, t3, no_label;                           \
        li t3, MAGIC_A6;                                \
        bne a6, t3, no_label

#define SAVE_T(area)                                    \
        la t0, area;                                    \
        sd t1, 0(t0);                                   \
        sd t2, 8(t0);                                   \
        sd t3, 16(t0);                                  \
        sd t4, 24(t0);                                  \
        sd t5, 32(t0);                                  \
        sd t6, 40(t0)
#define RESTORE_T(area)                                 \
        la t0, area;                                    \
        ld t1, 0(t0);                                   \
        ld t2, 8(t0);                                   \
        ld t3, 16(t0);                                  \
        ld t4, 24(t0);                                  \
        ld t5, 32(t0);                                  \
        ld t6, 40(t0)

/* t1 = cause, t4 = epc -> t4 = resume address */
#define SKIP                                            \
        li t5, 1;                                       \
        beq t1, t5, 2f;                                 \
        li t5, 12;                                      \
        beq t1, t5, 2f;                                 \
        li t5, 20;                                      \
        beq t1, t5, 2f;                                 \
        addi t4, t4, 4;                                 \
        j 3f;                                           \
2:      mv t4, ra;                                      \
3:

/* ---- M ---------------------------------------------------------------- */
        .section .text.rt, "ax"
        .balign 64
        .globl m_trap
m_trap:
        csrw mscratch, t0
        SAVE_T(m_save)
        csrr t1, mcause
        bltz t1, m_irq
        addi t2, t1, -8
        li t3, 3
        bgtu t2, t3, m_exc          /* not an ecall */
        IS_MAGIC(m_exc)
        j case_exit
m_exc:
        li t2, H_M
        COUNT_AND_SLOT(m_abort)
        beqz t3, m_skip
        csrr t4, mepc
        sd t4, 16(t3)
        csrr t4, mtval
        li t5, 3
        bne t1, t5, 1f
        li t4, 0                    /* ebreak: mtval 0 or the pc, both allowed */
1:      sd t4, 24(t3)
        csrr t4, CSR_MTVAL2
        sd t4, 32(t3)
        csrr t4, CSR_MTINST
        sd t4, 40(t3)
        csrr t4, mstatus            /* MPP | MPV << 2 | GVA << 3 */
        srli t5, t4, 11
        andi t5, t5, 3
        srli t6, t4, 39
        andi t6, t6, 1
        slli t6, t6, 2
        or t5, t5, t6
        li t6, 3
        beq t1, t6, 1f              /* ebreak: GVA follows mtval, not compared */
        srli t6, t4, 38
        andi t6, t6, 1
        slli t6, t6, 3
        or t5, t5, t6
1:      sd t5, 48(t3)
m_skip:
        csrr t4, mepc
        SKIP
        csrw mepc, t4
        csrr t5, mstatus
        srli t5, t5, 11
        andi t5, t5, 3
        li t6, 3
        beq t5, t6, m_ret_m
m_ret:
        RESTORE_T(m_save)
        csrr t0, mscratch
        mret
/* Back to a case running in M-mode with MPRV = 1 (gen.py, mode "M"): an
 * mret would leave MPP = U and MPV = 0, so restore the case's MPP/MPV
 * (kept in tp by the case, which never writes tp or gp) and jump through
 * gp.  The loads come first, while MPP = M keeps them untranslated. */
m_ret_m:
        RESTORE_T(m_save)
        csrr gp, mepc
        li t0, (3 << 11) | (1 << 39)
        csrc mstatus, t0
        csrs mstatus, tp
        csrr t0, mscratch
        jr gp
m_irq:
        li t2, H_M
        COUNT_AND_SLOT(m_abort)
        beqz t3, 1f
        csrr t4, mepc
        sd t4, 16(t3)
1:      li t4, 1
        sll t4, t4, t1
        csrc mie, t4
        j m_ret
m_abort:
        la t3, case_aborted
        li t4, 1
        sd t4, 0(t3)
/* end of the case: all registers to regdump, back to enter_case's caller */
case_exit:
        la t0, regdump
        sd x1, 8(t0)
        sd x2, 16(t0)
        sd x3, 24(t0)
        sd x4, 32(t0)
        sd x8, 64(t0)
        sd x9, 72(t0)
        sd x10, 80(t0)
        sd x11, 88(t0)
        sd x12, 96(t0)
        sd x13, 104(t0)
        sd x14, 112(t0)
        sd x15, 120(t0)
        sd x16, 128(t0)
        sd x17, 136(t0)
        sd x18, 144(t0)
        sd x19, 152(t0)
        sd x20, 160(t0)
        sd x21, 168(t0)
        sd x22, 176(t0)
        sd x23, 184(t0)
        sd x24, 192(t0)
        sd x25, 200(t0)
        sd x26, 208(t0)
        sd x27, 216(t0)
        mv s0, t0
        RESTORE_T(m_save)
        sd x6, 48(s0)
        sd x7, 56(s0)
        sd x28, 224(s0)
        sd x29, 232(s0)
        sd x30, 240(s0)
        sd x31, 248(s0)
        csrr t0, mscratch
        sd t0, 40(s0)
        csrr t0, mcause
        sd t0, 256(s0)
        la t0, m_ctx
        ld ra, 0(t0)
        ld sp, 8(t0)
        ld gp, 16(t0)
        ld tp, 24(t0)
        ld s0, 32(t0)
        ld s1, 40(t0)
        ld s2, 48(t0)
        ld s3, 56(t0)
        ld s4, 64(t0)
        ld s5, 72(t0)
        ld s6, 80(t0)
        ld s7, 88(t0)
        ld s8, 96(t0)
        ld s9, 104(t0)
        ld s10, 112(t0)
        ld s11, 120(t0)
        ret

/* ---- HS (stvec) ----------------------------------------------------- */
        .balign 64
        .globl hs_trap
hs_trap:
        csrw sscratch, t0
        SAVE_T(hs_save)
        csrr t1, scause
        bltz t1, hs_irq
        addi t2, t1, -8
        li t3, 2
        bgtu t2, t3, hs_exc
        IS_MAGIC(hs_exc)
        j hs_fwd
hs_exc:
        li t2, H_HS
        COUNT_AND_SLOT(hs_abort)
        beqz t3, hs_skip
        csrr t4, sepc
        sd t4, 16(t3)
        csrr t4, stval
        li t5, 3
        bne t1, t5, 1f
        li t4, 0
1:      sd t4, 24(t3)
        csrr t4, htval
        sd t4, 32(t3)
        csrr t4, htinst
        sd t4, 40(t3)
        csrr t4, sstatus            /* SPP | SPV << 2 | GVA << 3 | SPVP << 4 */
        srli t5, t4, 8
        andi t5, t5, 1
        csrr t4, hstatus
        srli t6, t4, 7
        andi t6, t6, 1
        slli t6, t6, 2
        or t5, t5, t6
        srli t6, t4, 8
        andi t6, t6, 1
        slli t6, t6, 4
        or t5, t5, t6
        li t6, 3
        beq t1, t6, 1f
        srli t6, t4, 6
        andi t6, t6, 1
        slli t6, t6, 3
        or t5, t5, t6
1:      sd t5, 48(t3)
hs_skip:
        csrr t4, sepc
        SKIP
        csrw sepc, t4
hs_ret:
        RESTORE_T(hs_save)
        csrr t0, sscratch
        sret
hs_irq:
        li t2, H_HS
        COUNT_AND_SLOT(hs_abort)
        beqz t3, 1f
        csrr t4, sepc
        sd t4, 16(t3)
1:      li t4, 1
        sll t4, t4, t1
        csrc sie, t4
        csrc hie, t4
        j hs_ret
hs_abort:
        la t3, case_aborted
        li t4, 1
        sd t4, 0(t3)
        li a7, MAGIC_A7
        li a6, MAGIC_A6
hs_fwd:
        RESTORE_T(hs_save)
        csrr t0, sscratch
        ecall                       /* cause 9: never delegated */
1:      j 1b

/* ---- VS (vstvec): V=1, the S CSR numbers reach the VS copies ---------- */
        .balign 64
        .globl vs_trap
vs_trap:
        csrw sscratch, t0
        SAVE_T(vs_save)
        csrr t1, scause
        bltz t1, vs_irq
        addi t2, t1, -8
        li t3, 2
        bgtu t2, t3, vs_exc
        IS_MAGIC(vs_exc)
        j vs_fwd
vs_exc:
        li t2, H_VS
        COUNT_AND_SLOT(vs_abort)
        beqz t3, vs_skip
        csrr t4, sepc
        sd t4, 16(t3)
        csrr t4, stval
        li t5, 3
        bne t1, t5, 1f
        li t4, 0
1:      sd t4, 24(t3)
        sd zero, 32(t3)
        sd zero, 40(t3)
        csrr t4, sstatus            /* SPP */
        srli t5, t4, 8
        andi t5, t5, 1
        sd t5, 48(t3)
vs_skip:
        csrr t4, sepc
        SKIP
        csrw sepc, t4
vs_ret:
        RESTORE_T(vs_save)
        csrr t0, sscratch
        sret
vs_irq:
        li t2, H_VS
        COUNT_AND_SLOT(vs_abort)
        beqz t3, 1f
        csrr t4, sepc
        sd t4, 16(t3)
1:      li t4, 1
        sll t4, t4, t1
        csrc sie, t4
        j vs_ret
vs_abort:
        la t3, case_aborted
        li t4, 1
        sd t4, 0(t3)
        li a7, MAGIC_A7
        li a6, MAGIC_A6
vs_fwd:
        RESTORE_T(vs_save)
        csrr t0, sscratch
        ecall                       /* cause 10: to HS or M, which pass it on */
1:      j 1b

        .section .data.rt, "aw"
        .balign 64
        .globl trap_count, case_aborted, sig_recs, regdump
trap_count:   .dword 0
case_aborted: .dword 0
m_save:       .skip 48
hs_save:      .skip 48
vs_save:      .skip 48
m_ctx:        .skip 128
regdump:      .skip 33 * 8         /* x0..x31, mcause of the end */
        .balign 64
sig_recs:     .skip MAX_RECS * REC_WORDS * 8

        .section .tohost, "aw", @progbits
        .balign 64
        .globl tohost
tohost:   .dword 0
        .balign 64
        .globl fromhost
fromhost: .dword 0
