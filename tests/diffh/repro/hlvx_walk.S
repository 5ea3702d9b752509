/* HLVX: the implicit reads of the VS-stage page table are checked at the G
 * stage as loads (R), not with HLVX's execute permission.  VS root page
 * table at GPA 0x80200000, G-stage leaf R only (no X); the VS leaf maps VA
 * 0x40000000 -> GPA 0x80000000 (the image, RWX).  hlvx.wu from HS must read
 * the instruction; rivet raises a load guest-page fault (21) with htval =
 * 0x80200008 >> 2 (the root PTE) and htinst 0x3000. */
#include "h.h"
#define GROOT_LEVELS (3 | 0x100)
        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        H_INIT
        call pt_alloc_root4         /* G stage, Sv39x4 */
        mv s1, a0
        li a5, GROOT_LEVELS
        call g_identity             /* GPA 0x80000000 +2 MiB: the image, URWX */
        mv a0, s1
        li a1, FREE_PA
        li a2, FREE_PA
        li a3, PTE_V | PTE_R | PTE_U | PTE_A | PTE_D   /* the VS root's page: R, not X */
        li a4, 0
        li a5, GROOT_LEVELS
        call pt_map
        li t0, FREE_PA              /* VS root (Sv39): zero it, one 1 GiB leaf */
        li t1, 4096
        add t1, t1, t0
2:      sd zero, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 2b
        li t0, FREE_PA
        li t1, ((IMAGE_PA >> 12) << 10) | PTE_LEAF_RWX
        sd t1, 8(t0)                /* VA 0x40000000 -> GPA 0x80000000 */
        srli t0, s1, 12
        li t1, HGATP_MODE_SV39X4
        or t0, t0, t1
        csrw hgatp, t0
        li t0, (FREE_PA >> 12) | SATP_MODE_SV39
        csrw vsatp, t0
        li t0, HSTATUS_SPVP
        csrs hstatus, t0            /* HLV* as VS-mode accesses */
        hfence.gvma zero, zero
        hfence.vvma zero, zero
        ENTER_HS
        la t0, target
        li t1, IMAGE_PA
        sub t0, t0, t1
        li t1, 0x40000000
        add t0, t0, t1
        EXPECT_NO_TRAP(1, hlvx.wu a0, (t0))
        lwu t1, target
        CHKR(2, a0, t1)
        TO_M
        ld ra, 0(sp)
        addi sp, sp, 16
        li a0, 0
        ret
target: addi zero, zero, 0x123
