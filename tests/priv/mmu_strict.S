/* Sv39 rules QEMU 7.2 gets wrong:
 *  - S-mode never executes from a user page, even with SUM = 1 and even
 *    after a SUM = 1 load has put the page in the TLB (a TLB that caches
 *    one set of permissions per page gets this wrong);
 *  - a page-table walk whose PTE read fails a PMA check (no memory there)
 *    raises an access fault of the original access type (4.3.2 step 2), not
 *    a page fault.
 *
 * rivet-test: skip-qemu (QEMU 7.2 lets S-mode fetch from a U page once a SUM=1 load has cached its translation, and reports a PTE read from nonexistent memory as a page fault)
 */
#include "priv.h"

#define VB  0x40000000
#define RW_ (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define MAPP(va, n, flags) \
        mv a0, s0; li a1, va; la a2, pages + (n) * 4096; li a3, flags; \
        li a4, 0; li a5, 3; call pt_map

        .text
        .globl test_main
test_main:
        PRIV_INIT
        la a0, pages + 4096 + 0x800
        COPY_XCODE(a0)
        fence.i

        call pt_alloc
        mv s0, a0
        la a1, user_start
        la a2, user_end
        li a5, 3
        call map_image
        MAPP(VB + 0x5000, 1, RW_ | PTE_X | PTE_U)
        /* 0x40a00000: its level-1 PTE points at 0x0c600000 (no RAM) */
        MAPP(0x40a00000, 0, RW_)
        mv a0, s0
        li a1, 0x40a00000
        li a4, 1
        li a5, 3
        call pt_pte
        li t0, (0x0c600000 >> 12) << 10
        ori t0, t0, PTE_V
        sd t0, 0(a0)
        srli t0, s0, 12
        li t1, SATP_MODE_SV39
        or t0, t0, t1
        csrw satp, t0
        SFENCE_ALL

        ENTER_S
        /* SUM load first, then a fetch from the same user page */
        li t1, MSTATUS_SUM
        csrs sstatus, t1
        li t0, VB + 0x5800
        EXPECT_NO_TRAP(10, ld a0, 0(t0))
        ARM(1f)
        jalr ra, 0(t0)
1:      CHK(11, s10, CAUSE_FETCH_PAGE)
        CHK(12, s9, VB + 0x5800)
        li t1, MSTATUS_SUM
        csrc sstatus, t1

        /* the walk for 0x40a00000 reads a PTE from no memory */
        li t0, 0x40a00010
        EXPECT_TRAP(20, CAUSE_LOAD_ACCESS, ld a0, 0(t0))
        CHK(21, s9, 0x40a00010)
        EXPECT_TRAP(22, CAUSE_STORE_ACCESS, sd a0, 0(t0))
        CHK(23, s9, 0x40a00010)
        ARM(1f)
        jalr ra, 0(t0)
1:      CHK(24, s10, CAUSE_FETCH_ACCESS)
        CHK(25, s8, 0x40a00010)
        CHK(26, s9, 0x40a00010)
        TO_M
        csrw satp, zero
        SFENCE_ALL
        PRIV_PASS

        .balign 4
xcode:  li a0, 0x77
        ret
        .balign 4

        /* no user code: an empty user range for map_image */
        .section .text.user, "ax"
        .balign 4096
user_start:
user_end:

        .bss
        .balign 4096
pages:  .skip 2 * 4096
