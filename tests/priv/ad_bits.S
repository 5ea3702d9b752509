/* Hardware A/D updates (Sv39), as rivet and QEMU do them instead of raising
 * page faults: a successful access sets A in the leaf PTE, a successful
 * store also sets D; an access that faults changes nothing; non-leaf PTEs
 * are never touched. The PTEs are read back from memory. */
#include "priv.h"

#define VB  0x40000000
#define MAPP(va, n, flags) \
        mv a0, s0; li a1, va; la a2, pages + (n) * 4096; li a3, flags; \
        li a4, 0; li a5, 3; call pt_map
/* PTE_AD(n, ptereg, value): the A/D bits of the PTE at ptereg. */
#define PTE_AD(n, ptereg, value) ld t3, 0(ptereg); CHKM(n, t3, PTE_A | PTE_D, value)

#define RW0 (PTE_V | PTE_R | PTE_W)          /* A = D = 0 */

        .text
        .globl test_main
test_main:
        PRIV_INIT
        la a0, pages + 2 * 4096
        COPY_XCODE(a0)
        fence.i

        call pt_alloc
        mv s0, a0
        la a1, user_start
        la a2, user_end
        li a5, 3
        call map_image
        MAPP(VB + 0x0000, 0, RW0)
        la t0, ptes
        sd a0, 0(t0)
        MAPP(VB + 0x1000, 1, RW0)
        la t0, ptes
        sd a0, 8(t0)
        MAPP(VB + 0x2000, 2, PTE_V | PTE_X)
        la t0, ptes
        sd a0, 16(t0)
        MAPP(VB + 0x3000, 3, PTE_V | PTE_R)
        la t0, ptes
        sd a0, 24(t0)
        MAPP(VB + 0x4000, 4, RW0 | PTE_A)
        la t0, ptes
        sd a0, 32(t0)
        MAPP(VB + 0x5000, 5, RW0 | PTE_U)
        la t0, ptes
        sd a0, 40(t0)
        MAPP(VB + 0x6000, 6, RW0)
        la t0, ptes
        sd a0, 48(t0)
        MAPP(VB + 0x7000, 7, RW0)
        la t0, ptes
        sd a0, 56(t0)
        /* a 2 MiB page with A = D = 0 */
        mv a0, s0
        li a1, 0x40200000
        li a2, 0x80200000
        li a3, RW0
        li a4, 1
        li a5, 3
        call pt_map
        la t0, ptes
        sd a0, 64(t0)
        /* the level-1 (non-leaf) PTE above VB's page, and its value */
        mv a0, s0
        li a1, VB
        li a4, 1
        li a5, 3
        call pt_pte
        la t0, ptes
        sd a0, 72(t0)
        ld t1, 0(a0)
        sd t1, 80(t0)

        srli t0, s0, 12
        li t1, SATP_MODE_SV39
        or t0, t0, t1
        csrw satp, t0
        SFENCE_ALL

        ENTER_S
        la s1, ptes                 /* identity-mapped: readable from S */
        /* load: A only */
        ld s2, 0(s1)
        PTE_AD(1, s2, 0)
        li t0, VB
        ld a0, 0(t0)
        PTE_AD(2, s2, PTE_A)
        /* then a store to the same page (its translation may be cached
         * with D = 0): D gets set */
        sd a0, 8(t0)
        PTE_AD(3, s2, PTE_A | PTE_D)
        /* store first: A and D together */
        ld s2, 8(s1)
        li t0, VB + 0x1000
        sw zero, 0(t0)
        PTE_AD(4, s2, PTE_A | PTE_D)
        /* fetch: A only */
        ld s2, 16(s1)
        li t0, VB + 0x2000
        li a0, 0
        jalr ra, 0(t0)
        CHK(5, a0, 0x77)
        PTE_AD(6, s2, PTE_A)
        /* a store that faults (no W) sets nothing */
        ld s2, 24(s1)
        li t0, VB + 0x3000
        EXPECT_TRAP(7, CAUSE_STORE_PAGE, sd zero, 0(t0))
        PTE_AD(8, s2, 0)
        /* ...while a load from it then sets A */
        ld a0, 0(t0)
        PTE_AD(9, s2, PTE_A)
        /* A already set, load: D stays clear; a store sets it */
        ld s2, 32(s1)
        li t0, VB + 0x4000
        ld a0, 0(t0)
        PTE_AD(10, s2, PTE_A)
        sd a0, 0(t0)
        PTE_AD(11, s2, PTE_A | PTE_D)
        /* user page: a load refused for SUM = 0 sets nothing; with SUM it
         * sets A */
        ld s2, 40(s1)
        li t0, VB + 0x5000
        EXPECT_TRAP(12, CAUSE_LOAD_PAGE, ld a0, 0(t0))
        PTE_AD(13, s2, 0)
        li t1, MSTATUS_SUM
        csrs sstatus, t1
        ld a0, 0(t0)
        PTE_AD(14, s2, PTE_A)
        li t1, MSTATUS_SUM
        csrc sstatus, t1
        /* an AMO is a store: A and D */
        ld s2, 48(s1)
        li t0, VB + 0x6000
        li a1, 1
        amoadd.d a0, a1, (t0)
        PTE_AD(15, s2, PTE_A | PTE_D)
        /* a fetch that faults (no X) sets nothing */
        ld s2, 56(s1)
        li t0, VB + 0x7000
        ARM(1f)
        jalr ra, 0(t0)
1:      CHK(16, s10, CAUSE_FETCH_PAGE)
        PTE_AD(17, s2, 0)
        /* superpage leaf: same rules */
        ld s2, 64(s1)
        li t0, 0x40200000 + 0x3000
        ld a0, 0(t0)
        PTE_AD(18, s2, PTE_A)
        sd a0, 0(t0)
        PTE_AD(19, s2, PTE_A | PTE_D)
        /* the non-leaf PTE is unchanged by all those walks */
        ld s2, 72(s1)
        ld t3, 0(s2)
        ld t4, 80(s1)
        CHKR(20, t3, t4)
        CHKM(21, t3, PTE_A | PTE_D | PTE_U | PTE_R | PTE_W | PTE_X, 0)
        TO_M

        /* an M-mode access with MPRV = 1, MPP = S is translated and
         * updates A/D the same way */
        la s1, ptes
        ld s2, 0(s1)
        li t0, (PTE_A | PTE_D)
        ld t1, 0(s2)
        andn t1, t1, t0             /* reset A/D of VB's PTE */
        sd t1, 0(s2)
        SFENCE_ALL
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, (PRV_S << 11) | MSTATUS_MPRV
        csrs mstatus, t0
        li t0, VB
        ld a0, 0(t0)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        PTE_AD(22, s2, PTE_A)
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        li t0, VB
        sd a0, 0(t0)
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        PTE_AD(23, s2, PTE_A | PTE_D)

        csrw satp, zero
        SFENCE_ALL
        PRIV_PASS

        .balign 4
xcode:  li a0, 0x77
        ret
        .balign 4

        .section .text.user, "ax"
        .balign 4096
user_start:
user_end:

        .data
        .balign 8
ptes:   .skip 11 * 8

        .bss
        .balign 4096
pages:  .skip 8 * 4096
