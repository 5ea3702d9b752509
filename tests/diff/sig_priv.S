/* Privilege modes: what mret/sret and traps do to mstatus, delegation of
 * exceptions to S-mode (scause/sepc/stval/SPP), and the mstatus trap bits
 * TSR/TVM/TW.  Only the mstatus fields in MSTATUS_SHOWN are printed. */
#include "sig.h"

        .text
        .globl test_main
test_main:
        CASE 1          /* mstatus stacking through mret and a trap */
        li s1, MSTATUS_MIE              /* MIE=1 with mie=0: no interrupts */
        csrs mstatus, s1
        RUN_IN PRV_S, 1f
        csrr s2, sstatus                /* S view: SIE/SPIE/SPP/FS/SUM/MXR */
        ecall                           /* recorded: S ecall */
        BACK_TO_M
1:      SHOW_TRAP "priv.s_ecall"
        li t0, MSTATUS_SHOWN
        and s2, s2, t0
        SHOW "priv.sstatus_in_s", s2
        /* After the magic ecall the handler returned with MPP=M; its mret
         * then left MPP = U and MIE = MPIE. */
        SHOW_CSR_MASKED "priv.mstatus_back", mstatus, MSTATUS_SHOWN
        li s1, MSTATUS_MIE
        csrc mstatus, s1
        RUN_IN PRV_U, 1f
        ecall
        BACK_TO_M
1:      SHOW_TRAP "priv.u_ecall"
        SHOW_CSR_MASKED "priv.mstatus_after_u", mstatus, MSTATUS_SHOWN

        CASE 2          /* delegating U ecall and illegal instruction to S */
        li s1, (1 << 8) | (1 << 2)
        csrw medeleg, s1
        SHOW_CSR "deleg.medeleg", medeleg
        RUN_IN PRV_U, 1f
        ecall                           /* -> S handler */
        .word 0xc0001073                /* illegal -> S handler */
        BACK_TO_M                       /* forwarded by the S handler */
1:      SHOW_STRAP "deleg.u_illegal.s"
        SHOW_TRAP "deleg.u_illegal.m"   /* M saw only the forwarding ecall */
        RUN_IN PRV_U, 1f
        ecall
        BACK_TO_M
1:      SHOW_STRAP "deleg.u_ecall.s"
        SHOW_CSR_MASKED "deleg.mstatus", mstatus, MSTATUS_SHOWN
        /* S-mode ecall is not delegated (medeleg[9] = 0): goes to M */
        RUN_IN PRV_S, 1f
        ecall
        BACK_TO_M
1:      SHOW_TRAP "deleg.s_ecall.m"
        SHOW_STRAP "deleg.s_ecall.s"
        /* an exception in S that is delegated stays in S (SPP = 1) */
        RUN_IN PRV_S, 1f
        .word 0xc0001073
        csrr s3, sstatus
        BACK_TO_M
1:      SHOW_STRAP "deleg.s_illegal.s"
        li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and s3, s3, t0
        SHOW "deleg.sstatus_after_sret", s3
        /* M-mode exceptions are never delegated */
        .word 0xc0001073
        SHOW_TRAP "deleg.m_illegal.m"
        SHOW_STRAP "deleg.m_illegal.s"
        csrw medeleg, zero

        CASE 3          /* sret: SPP/SPIE/SIE; sret from S to U */
        li s1, MSTATUS_SPP | MSTATUS_SPIE
        csrs mstatus, s1
        li s1, MSTATUS_SIE
        csrc mstatus, s1
        RUN_IN PRV_S, 1f
        la t0, 2f
        csrw sepc, t0
        sret                            /* SPP=1: stays in S, SIE = 1 */
2:      csrr s2, sstatus
        li t0, MSTATUS_SPP              /* now SPP=0: into U */
        csrc sstatus, t0
        la t0, 3f
        csrw sepc, t0
        sret
3:      ecall                           /* tells which mode we are in */
        BACK_TO_M
1:      li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and s2, s2, t0
        SHOW "sret.sstatus_after_first", s2
        SHOW_TRAP "sret.in_u"
        SHOW_CSR_MASKED "sret.mstatus", mstatus, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE

        CASE 4          /* TSR, TVM, TW make S-mode instructions illegal */
        li s1, MSTATUS_TSR
        csrs mstatus, s1
        RUN_IN PRV_S, 1f
        sret
        BACK_TO_M
1:      SHOW_TRAP "tsr.sret"
        csrc mstatus, s1
        li s1, MSTATUS_TVM
        csrs mstatus, s1
        RUN_IN PRV_S, 1f
        sfence.vma
        BACK_TO_M
1:      SHOW_TRAP "tvm.sfence"
        RUN_IN PRV_S, 1f
        csrr s2, satp
        BACK_TO_M
1:      SHOW_TRAP "tvm.satp"
        csrc mstatus, s1
        RUN_IN PRV_S, 1f
        sfence.vma                      /* without TVM: fine */
        csrr s2, satp
        BACK_TO_M
1:      SHOW_TRAP "tvm.off"
        li s1, MSTATUS_TW
        csrs mstatus, s1
        RUN_IN PRV_S, 1f
        wfi
        BACK_TO_M
1:      SHOW_TRAP "tw.wfi_s"
        csrc mstatus, s1
        RUN_IN PRV_U, 1f
        wfi                             /* U-mode wfi with S present */
        BACK_TO_M
1:      SHOW_TRAP "tw.wfi_u"

        CASE 5          /* MPRV: M-mode loads/stores with MPP's privilege */
        /* mret to a lower mode clears MPRV (priv. spec 1.12) */
        li s1, MSTATUS_MPRV
        csrs mstatus, s1
        RUN_IN PRV_U, 1f
        BACK_TO_M
1:      SHOW_CSR_MASKED "mprv.after_mret_to_u", mstatus, MSTATUS_MPRV
        /* MPRV with MPP = M changes nothing */
        la s2, value
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        csrs mstatus, s1
        ld s3, 0(s2)
        csrc mstatus, s1
        SHOW "mprv.mpp_m.load", s3
        SHOW_TRAP "mprv.mpp_m"
        j sig_done

        .data
        .balign 8
value:  .dword 0x1122334455667788
