/* mstatus.MXR (HS-level) makes execute-only pages readable for explicit
 * loads only, not for the implicit reads of the VS-stage page table
 * (riscv-isa-manual PR #1543; Spike follows it since riscv-isa-sim PR
 * #1760).  The VS root table's page is execute-only at the G stage: with
 * MXR = 1, hlv.d from HS must raise a load guest-page fault (21) at the
 * root PTE (htval = 0x80200008 >> 2); rivet reads the table and loads. */
#include "h.h"
#define GROOT_LEVELS (3 | 0x100)
        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        H_INIT
        call pt_alloc_root4
        mv s1, a0
        li a5, GROOT_LEVELS
        call g_identity
        mv a0, s1
        li a1, FREE_PA
        li a2, FREE_PA
        li a3, PTE_V | PTE_X | PTE_U | PTE_A | PTE_D   /* execute-only */
        li a4, 0
        li a5, GROOT_LEVELS
        call pt_map
        li t0, FREE_PA
        li t1, 4096
        add t1, t1, t0
2:      sd zero, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 2b
        li t0, FREE_PA
        li t1, ((IMAGE_PA >> 12) << 10) | PTE_LEAF_RWX
        sd t1, 8(t0)
        srli t0, s1, 12
        li t1, HGATP_MODE_SV39X4
        or t0, t0, t1
        csrw hgatp, t0
        li t0, (FREE_PA >> 12) | SATP_MODE_SV39
        csrw vsatp, t0
        li t0, HSTATUS_SPVP
        csrs hstatus, t0
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        hfence.gvma zero, zero
        hfence.vvma zero, zero
        ENTER_HS
        li t0, 0x40000000
        EXPECT_TRAP(1, CAUSE_LOAD_GUEST_PAGE, hlv.d a0, (t0))
        CHK(2, s3, (FREE_PA + 8) >> 2)
        TO_M
        ld ra, 0(sp)
        addi sp, sp, 16
        li a0, 0
        ret
