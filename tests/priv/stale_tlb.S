/* Hostile-guest regressions (issue 8): no TLB state may let an access reach
 * memory the current translation does not allow.
 *
 * The software TLB used to tag invalid entries with 1, and a lookup masks
 * the address with ~4095 | (size - 1), so a misaligned access in virtual
 * page 0 whose low bits were 1 "hit" entry 0 and used its stale addend: in
 * M-mode, `sh zero, 1(zero)` wrote host address 1 (rivet crashed); through
 * MPRV with Sv39 it wrote wherever a stale mapping pointed. QEMU raises an
 * access fault (bare) or a page fault (translated), touching nothing.
 * (The MROM SC case of the same issue is in traps_strict.S.) */
#include "priv.h"

#define VA_DATA 0x100000
#define RW_ (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define MPRV_AS(mode) li t0, MSTATUS_MPP; csrc mstatus, t0; \
        li t0, ((mode) << 11) | MSTATUS_MPRV; csrs mstatus, t0
#define MPRV_OFF li t0, MSTATUS_MPRV; csrc mstatus, t0

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- bare M-mode: every size and odd offset in page 0 ---------- */
        SFENCE_ALL
        li t0, 1
        EXPECT_TRAP_TVAL(1, CAUSE_STORE_ACCESS, 1, sh zero, 0(t0))
        SFENCE_ALL
        /* (QEMU 7.2 reports the aligned address below as mtval for the
         * misaligned ones; rivet, like Spike, the address accessed. The
         * cause is what matters here.) */
        EXPECT_TRAP(2, CAUSE_LOAD_ACCESS, lh t1, 1(zero))
        EXPECT_TRAP(3, CAUSE_LOAD_ACCESS, lw t1, 3(zero))
        EXPECT_TRAP(4, CAUSE_STORE_ACCESS, sd zero, 7(zero))
        EXPECT_TRAP(5, CAUSE_LOAD_ACCESS, ld t1, 5(zero))
        EXPECT_TRAP(6, CAUSE_STORE_ACCESS, sw zero, 2(zero))

        /* ---- S-mode view through MPRV, Sv39: a stale mapping ----------- */
        call pt_alloc
        mv s0, a0
        la a1, user_start
        la a2, user_end
        li a5, 3
        call map_image
        mv a0, s0
        li a1, VA_DATA
        la a2, data
        li a3, RW_
        li a4, 0
        li a5, 3
        call pt_map
        mv s1, a0                   /* the leaf PTE of VA_DATA */
        srli t0, s0, 12
        li t1, SATP_MODE_SV39
        or t0, t0, t1
        csrw satp, t0
        SFENCE_ALL
        /* store through the mapping: VA_DATA's page goes into the TLB at
         * the same index as virtual page 0 */
        li t2, VA_DATA
        li t3, 0x1234
        MPRV_AS(PRV_S)
        sd t3, 0(t2)
        ld t4, 0(t2)
        MPRV_OFF
        CHK(10, t4, 0x1234)
        /* unmap it and flush */
        sd zero, 0(s1)
        SFENCE_ALL
        /* VA 1 is unmapped: page faults, and nothing is written */
        la t0, data
        li t1, VA_DATA
        sub s2, t0, t1              /* where the stale addend would land */
        li t5, 1
        MPRV_AS(PRV_S)
        EXPECT_TRAP_TVAL(11, CAUSE_STORE_PAGE, 1, sh t3, 0(t5))
        MPRV_OFF
        li t5, 1
        MPRV_AS(PRV_S)
        EXPECT_TRAP_TVAL(12, CAUSE_LOAD_PAGE, 1, lh t4, 0(t5))
        MPRV_OFF
        li t5, VA_DATA
        MPRV_AS(PRV_S)
        EXPECT_TRAP_TVAL(13, CAUSE_STORE_PAGE, VA_DATA, sd t3, 0(t5))
        MPRV_OFF
        csrw satp, zero
        SFENCE_ALL
        la t0, data
        ld t4, 0(t0)
        CHK(14, t4, 0x1234)         /* the mapped store itself did land */

        PRIV_PASS

        .section .text.user, "ax"
        .balign 4096
user_start:
user_end:

        .bss
        .balign 4096
data:   .skip 4096
