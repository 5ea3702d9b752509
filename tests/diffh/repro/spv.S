/* SRET from HS-mode must clear hstatus.SPV (priv 1.12, H chapter, "Trap
 * Return": "SRET then sets hstatus.SPV=0"). */
#include "h.h"
        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        H_INIT
        ENTER_HS
        li t0, HSTATUS_SPV
        csrs hstatus, t0            /* return to V=1 ... */
        li t0, MSTATUS_SPP
        csrs sstatus, t0            /* ... VS-mode */
        la t0, 1f
        csrw sepc, t0
        sret
1:      TO_M                        /* ecall from VS straight to M */
        csrr t3, hstatus
        CHKM(1, t3, HSTATUS_SPV, 0) /* rivet: SPV still 1 */
        ld ra, 0(sp)
        addi sp, sp, 16
        li a0, 0
        ret
