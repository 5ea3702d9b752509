/* Sv48: four-level walks from S-mode, with a 4 KiB page, a gigapage at
 * level 2 and a 512 GiB "terapage" at level 3; an address that is valid in
 * Sv48 but would be non-canonical in Sv39; the Sv48 canonical check; a
 * misaligned terapage; A/D updates read back.
 *
 * Virtual layout:
 *   0x0000000080000000  identity gigapage (root[0] -> l2[2]), RWX A D
 *   0x0000000040000000  4 KiB page pg0, RW A=0 D=0 (root[0] -> l2[1] -> l1[0] -> l0[0])
 *   0x0000004000000000  gigapage -> PA 0x80000000, R A=0 (l2[256])
 *   0x0000008000000000  terapage -> PA 0, RW A=0 D=0 (root[1])
 *   0x0000010000000000  terapage with PPN 0x80000 (misaligned: fault) (root[2])
 */
#include "sig.h"

#define SATP_SV48   (9 << 60)
#define VA_GIGA_HI  0x0000004000000000
#define VA_TERA     0x0000008000000000
#define VA_BADTERA  0x0000010000000000

        .macro PTE dst, pa, flags
        srli \dst, \pa, 12
        slli \dst, \dst, 10
        ori \dst, \dst, \flags
        .endm

        .text
        .globl test_main
test_main:
        la s1, pt_root
        la s2, pt_l2
        la s3, pt_l1
        la s6, pt_l0
        PTE t1, s2, PTE_V
        sd t1, 0(s1)                    /* root[0] -> l2 */
        li t0, 0x80000000
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
        sd t1, 2*8(s2)                  /* l2[2]: identity gigapage */
        PTE t1, t0, PTE_V | PTE_R
        li t2, 256*8
        add t2, t2, s2
        sd t1, 0(t2)                    /* l2[256]: high gigapage, A=0 */
        PTE t1, s3, PTE_V
        sd t1, 1*8(s2)                  /* l2[1] -> l1 */
        PTE t1, s6, PTE_V
        sd t1, 0(s3)                    /* l1[0] -> l0 */
        la t0, pg0
        PTE t1, t0, PTE_V | PTE_R | PTE_W
        sd t1, 0(s6)                    /* l0[0]: pg0 */
        li t1, PTE_V | PTE_R | PTE_W    /* root[1]: terapage at PA 0 */
        sd t1, 1*8(s1)
        li t0, 0x80000000
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        sd t1, 2*8(s1)                  /* root[2]: misaligned terapage */
        la t0, pg0
        li t1, 0x0123456789abcdef
        sd t1, 0(t0)
        srli t0, s1, 12
        li t1, SATP_SV48
        or t0, t0, t1
        csrw satp, t0
        sfence.vma

        CASE 1
        csrr s2, satp
        srli s2, s2, 60
        SHOW "sv48.satp_mode", s2
        li s4, 0x40000000
        li s2, 0xdead
        IN_MODE PRV_S, "sv48.ld_pg0", ld s2, 0(s4)
        SHOW "sv48.ld_pg0.val", s2
        li s5, 0x7777888899990000
        IN_MODE PRV_S, "sv48.sd_pg0", sd s5, 8(s4)

        CASE 2          /* the high gigapage: valid only in Sv48 */
        la t0, value
        li t1, 0x80000000
        sub t0, t0, t1
        li s4, VA_GIGA_HI
        add s4, s4, t0
        li s2, 0xdead
        IN_MODE PRV_S, "sv48.giga_hi_ld", ld s2, 0(s4)
        SHOW "sv48.giga_hi_ld.val", s2
        IN_MODE PRV_S, "sv48.giga_hi_sd", sd s2, 0(s4)

        CASE 3          /* terapage: VA_TERA + pa -> pa */
        la t0, value
        li s4, VA_TERA
        add s4, s4, t0
        li s2, 0xdead
        IN_MODE PRV_S, "sv48.tera_ld", ld s2, 0(s4)
        SHOW "sv48.tera_ld.val", s2
        li s5, 0x1234
        IN_MODE PRV_S, "sv48.tera_sd", sd s5, 8(s4)
        la t0, value
        ld s2, 8(t0)
        SHOW "sv48.tera_sd.phys", s2
        li s4, VA_BADTERA
        IN_MODE PRV_S, "sv48.badtera_ld", ld s2, 0(s4)

        CASE 4          /* canonical-address checks */
        li s4, 0x0000800000000000       /* bit 47 set, 63:48 clear */
        IN_MODE PRV_S, "sv48.noncanon_ld", ld s2, 0(s4)
        li s4, 0xffff800000000000       /* canonical, root[256] invalid */
        IN_MODE PRV_S, "sv48.high_ld", ld s2, 0(s4)

        CASE 5          /* PTEs afterwards */
        csrw satp, zero
        sfence.vma
        la s1, pt_l0
        ld s2, 0(s1)
        SHOW "sv48.pte_pg0", s2
        la s1, pt_l2
        li t0, 256*8
        add s1, s1, t0
        ld s2, 0(s1)
        SHOW "sv48.pte_giga_hi", s2
        la s1, pt_root
        ld s2, 8(s1)
        SHOW "sv48.pte_tera", s2
        ld s2, 16(s1)
        SHOW "sv48.pte_badtera", s2
        j sig_done

        .data
        .balign 8
value:  .dword 0xfedcba9876543210, 0

        .bss
        .balign 4096
pt_root:    .space 4096
pt_l2:      .space 4096
pt_l1:      .space 4096
pt_l0:      .space 4096
pg0:        .space 4096
