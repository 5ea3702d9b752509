/* mstatus.MPRV: M-mode loads and stores are translated and checked as if
 * made in mstatus.MPP's mode (with SUM and MXR), instruction fetches are
 * not, and the resulting page faults are M-mode traps even when page faults
 * are delegated. This is how OpenSBI reads S-mode memory for misaligned
 * access emulation. Sv39. */
#include "priv.h"

#define VB  0x40000000
#define RW_ (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define X_  (PTE_V | PTE_X | PTE_A)
#define MAPP(va, n, flags) \
        mv a0, s0; li a1, va; la a2, pages + (n) * 4096; li a3, flags; \
        li a4, 0; li a5, 3; call pt_map
/* MPRV_AS(mode): MPRV = 1 with MPP = mode. Clobbers t0. */
#define MPRV_AS(mode) li t0, MSTATUS_MPP; csrc mstatus, t0; \
        li t0, ((mode) << 11) | MSTATUS_MPRV; csrs mstatus, t0
#define MPRV_OFF li t0, MSTATUS_MPRV; csrc mstatus, t0

        .text
        .globl test_main
test_main:
        PRIV_INIT
        la t0, pages
        li t1, 0x1000
        li t2, 4
1:      sd t1, 0(t0)
        addi t1, t1, 1
        li t3, 4096
        add t0, t0, t3
        addi t2, t2, -1
        bnez t2, 1b

        call pt_alloc
        mv s0, a0
        la a1, user_start
        la a2, user_end
        li a5, 3
        call map_image
        MAPP(VB + 0x0000, 0, RW_)                   /* supervisor RW */
        MAPP(VB + 0x1000, 1, RW_ | PTE_U)           /* user RW */
        MAPP(VB + 0x2000, 2, X_)                    /* supervisor X only */
        MAPP(VB + 0x3000, 3, PTE_V | PTE_R | PTE_A) /* supervisor R only */
        srli t0, s0, 12
        li t1, SATP_MODE_SV39
        or t0, t0, t1
        csrw satp, t0
        SFENCE_ALL
        /* page faults delegated: still taken in M when M-mode causes them */
        li t0, (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | \
               (1 << CAUSE_FETCH_PAGE)
        csrw medeleg, t0

        /* ---- MPP = S ---------------------------------------------------- */
        li s1, VB
        MPRV_AS(PRV_S)
        ld a0, 0(s1)
        li a1, 0x7777
        sd a1, 8(s1)
        MPRV_OFF
        CHK(1, a0, 0x1000)          /* P0 through the mapping */
        la t1, pages
        ld a0, 8(t1)
        CHK(2, a0, 0x7777)          /* the store went through it too */
        /* a user page with SUM = 0: page fault, taken in M */
        li s1, VB + 0x1000
        MPRV_AS(PRV_S)
        EXPECT_TRAP(3, CAUSE_LOAD_PAGE, ld a0, 0(s1))
        MPRV_OFF
        CHK(4, s7, PRV_M)
        CHK(5, s9, VB + 0x1000)
        CHK(6, s6, PRV_M)           /* the trap came from M-mode */
        /* with SUM = 1 it works */
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        MPRV_AS(PRV_S)
        ld a0, 0(s1)
        MPRV_OFF
        CHK(7, a0, 0x1001)
        li t0, MSTATUS_SUM
        csrc mstatus, t0
        /* store to a read-only page */
        li s1, VB + 0x3000
        MPRV_AS(PRV_S)
        EXPECT_TRAP(8, CAUSE_STORE_PAGE, sd zero, 0(s1))
        MPRV_OFF
        CHK(9, s9, VB + 0x3000)
        CHK(10, s7, PRV_M)
        /* execute-only page: MXR decides */
        li s1, VB + 0x2000
        MPRV_AS(PRV_S)
        EXPECT_TRAP(11, CAUSE_LOAD_PAGE, ld a0, 0(s1))
        MPRV_OFF
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        MPRV_AS(PRV_S)
        ld a0, 0(s1)
        MPRV_OFF
        CHK(12, a0, 0x1002)
        li t0, MSTATUS_MXR
        csrc mstatus, t0
        /* unmapped */
        li s1, 0x50000000
        MPRV_AS(PRV_S)
        EXPECT_TRAP(13, CAUSE_LOAD_PAGE, lw a0, 4(s1))
        MPRV_OFF
        CHK(14, s9, 0x50000004)

        /* ---- MPP = U: U-mode permissions; fetch stays untranslated ------ */
        /* this code lives in supervisor pages: were fetches checked as U,
         * the next instruction would already fault */
        li s1, VB + 0x1000
        MPRV_AS(PRV_U)
        ld a0, 0(s1)
        nop
        nop
        MPRV_OFF
        CHK(20, a0, 0x1001)
        li s1, VB
        MPRV_AS(PRV_U)
        EXPECT_TRAP(21, CAUSE_LOAD_PAGE, ld a0, 0(s1))
        MPRV_OFF
        CHK(22, s9, VB)
        /* SUM does not apply to U */
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        MPRV_AS(PRV_U)
        EXPECT_TRAP(23, CAUSE_STORE_PAGE, sd zero, 0(s1))
        MPRV_OFF
        li t0, MSTATUS_SUM
        csrc mstatus, t0

        /* ---- MPP = M: no translation at all ----------------------------- */
        la s1, pages + 4096
        MPRV_AS(PRV_M)
        ld a0, 0(s1)                /* a physical address */
        MPRV_OFF
        CHK(30, a0, 0x1001)

        /* ---- MPRV has no effect outside M-mode ------------------------ */
        /* Enter S with MPRV = 1: a 1.12 MRET clears it, QEMU 7.2 leaves it
         * set with MPP = U afterwards; either way S-mode accesses must use
         * S-mode rules (a U-mode check would fault on this S page). */
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        ENTER_S
        li s1, VB
        ld a0, 0(s1)
        CHK(31, a0, 0x1000)
        TO_M

        /* ---- with satp = Bare, MPP = S accesses are physical ----------- */
        csrw satp, zero
        SFENCE_ALL
        la s1, pages + 3 * 4096
        MPRV_AS(PRV_S)
        ld a0, 0(s1)
        MPRV_OFF
        CHK(40, a0, 0x1003)

        csrw medeleg, zero
        PRIV_PASS

        .section .text.user, "ax"
        .balign 4096
user_start:
user_end:

        .bss
        .balign 4096
pages:  .skip 4 * 4096
