/* Sv39 translation from S- and U-mode: 4 KiB pages, a 2 MiB megapage and a
 * 1 GiB gigapage; hardware A/D updates (read back from the PTEs afterwards);
 * permission faults (R/W/X, U vs SUM, MXR), invalid and reserved PTEs, a
 * misaligned superpage, a non-leaf PTE at level 0 and non-canonical
 * addresses; delegated page faults; and MPRV.  Faults are taken in M-mode
 * (mcause 12/13/15, mtval = virtual address) unless delegated.
 *
 * Virtual layout:
 *   0x80000000 1 GiB  identity gigapage, RWX, A=D=1 (S runs the test code)
 *   0xc0000000 1 GiB  alias of the same with U=1 (U runs the test code here)
 *   0x40000000 + 4 KiB * i, from the level-0 table:
 *     0: pg0 RW   A=0 D=0        5: pg5 W only (reserved encoding)
 *     1: pg1 R    A=0            6: exec_page RX A=0
 *     2: pg2 X only A=1          7: alias of pg0, RW A=1 D=1
 *     3: pg3 URW  A=1 D=1        8: V-only (non-leaf) entry at level 0
 *     4: invalid
 *   0x40200000 2 MiB megapage -> 0x80400000 RW A=0 D=0
 *   0x40400000 2 MiB megapage -> 0x80401000 (misaligned PPN: fault)
 * (as hart 1 of the two-hart mode, the megapage is 0x81400000: smp.h)
 */
#include "sig.h"

#define VA_PG(i)    (0x40000000 + 0x1000 * (i))
#define VA_MEGA     0x40200000
#define VA_BADMEGA  0x40400000
#define PA_MEGA     (DIFF_BASE + 0x400000)   /* 0x80400000 on hart 0 */
#define U_ALIAS     0x40000000  /* U-mode code VA = PA + U_ALIAS */
#define SATP_SV39   (8 << 60)

/* dst = PTE for physical address in pa with flags; clobbers nothing else */
        .macro PTE dst, pa, flags
        srli \dst, \pa, 12
        slli \dst, \dst, 10
        ori \dst, \dst, \flags
        .endm

/* Run `insn` in U-mode from the U alias of the code; a fault resumes at the
 * BACK_TO_M that follows it (the handler cannot read the faulting
 * instruction through the alias, so it must not try to skip it). */
        .macro IN_U name, insn:vararg
        li a7, 0
        la t0, .Lu_back\@
        la t1, m_resume
        sd t0, 0(t1)
        la t0, .Lu_resume\@
        li t1, U_ALIAS
        add t0, t0, t1
        la t1, m_rec
        sd t0, REC_RESUME(t1)
        li a0, PRV_U
        la a1, .Lu_entry\@
        li t1, U_ALIAS
        add a1, a1, t1
        j enter_mode
.Lu_entry\@:
        \insn
.Lu_resume\@:
        BACK_TO_M
.Lu_back\@:
        SHOW_TRAP "\name"
        .endm

        .text
        .globl test_main
test_main:
        /* ---- page tables ---- */
        la s1, pt_root
        la s2, pt_l1
        la s3, pt_l0
        li t0, 0x80000000               /* root[2]: identity gigapage */
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
        sd t1, 2*8(s1)
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
        sd t1, 3*8(s1)                  /* root[3]: U alias */
        PTE t1, s2, PTE_V
        sd t1, 1*8(s1)                  /* root[1] -> l1 */
        PTE t1, s3, PTE_V
        sd t1, 0*8(s2)                  /* l1[0] -> l0 */
        li t0, PA_MEGA
        PTE t1, t0, PTE_V | PTE_R | PTE_W
        sd t1, 1*8(s2)                  /* l1[1]: megapage, A=D=0 */
        li t0, PA_MEGA + 0x1000
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        sd t1, 2*8(s2)                  /* l1[2]: misaligned megapage */
        la t0, pg0
        PTE t1, t0, PTE_V | PTE_R | PTE_W
        sd t1, 0*8(s3)
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        sd t1, 7*8(s3)
        la t0, pg1
        PTE t1, t0, PTE_V | PTE_R
        sd t1, 1*8(s3)
        la t0, pg2
        PTE t1, t0, PTE_V | PTE_X | PTE_A
        sd t1, 2*8(s3)
        la t0, pg3
        PTE t1, t0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
        sd t1, 3*8(s3)
        sd zero, 4*8(s3)
        la t0, pg5
        PTE t1, t0, PTE_V | PTE_W | PTE_A | PTE_D
        sd t1, 5*8(s3)
        la t0, exec_page
        PTE t1, t0, PTE_V | PTE_R | PTE_X
        sd t1, 6*8(s3)
        la t0, pg0
        PTE t1, t0, PTE_V
        sd t1, 8*8(s3)
        /* page contents */
        la t0, pg0
        li t1, 0x0a0a0a0a0a0a0a0a
        sd t1, 0(t0)
        la t0, pg1
        li t1, 0x1111111111111111
        sd t1, 0(t0)
        la t0, pg2
        li t1, 0x2222222222222222
        sd t1, 0(t0)
        la t0, pg3
        li t1, 0x3333333333333333
        sd t1, 0(t0)
        li t0, PA_MEGA
        li t1, 0x4444444444444444
        sd t1, 0(t0)
        sd zero, 16(t0)
        /* satp: mode Sv39 + root PPN */
        srli t0, s1, 12
        li t1, SATP_SV39
        or t0, t0, t1
        csrw satp, t0
        sfence.vma

        CASE 1          /* satp read back */
        csrr s2, satp
        srli t0, s1, 12
        sub s2, s2, t0                  /* PPN part relative to pt_root */
        SHOW "sv39.satp_mode", s2

        CASE 2          /* loads and stores through 4 KiB pages */
        li s4, VA_PG(0)
        li s2, 0xdead
        IN_MODE PRV_S, "sv39.ld_pg0", ld s2, 0(s4)
        SHOW "sv39.ld_pg0.val", s2
        li s5, 0x5555aaaa5555aaaa
        IN_MODE PRV_S, "sv39.sd_pg0", sd s5, 8(s4)
        li s4, VA_PG(7)
        li s2, 0xdead
        IN_MODE PRV_S, "sv39.ld_alias", ld s2, 8(s4)
        SHOW "sv39.ld_alias.val", s2
        li s4, VA_PG(1)
        li s2, 0xdead
        IN_MODE PRV_S, "sv39.ld_ro", ld s2, 0(s4)
        SHOW "sv39.ld_ro.val", s2
        IN_MODE PRV_S, "sv39.sd_ro", sd s5, 16(s4)
        IN_MODE PRV_S, "sv39.amo_ro", amoadd.d s2, s5, (s4)
        li s4, VA_PG(0) + 0xff8         /* misaligned across pg0/pg1: both */
        IN_MODE PRV_S, "sv39.ld_cross", ld s2, 4(s4)  /* readable */

        CASE 3          /* execute-only page and MXR */
        li s4, VA_PG(2)
        li s2, 0xdead
        IN_MODE PRV_S, "sv39.ld_xonly", ld s2, 0(s4)
        li t0, MSTATUS_MXR
        csrs mstatus, t0
        IN_MODE PRV_S, "sv39.ld_xonly_mxr", ld s2, 0(s4)
        SHOW "sv39.ld_xonly_mxr.val", s2
        li t0, MSTATUS_MXR
        csrc mstatus, t0

        CASE 4          /* U pages from S: SUM; U code in U pages */
        li s4, VA_PG(3)
        li s2, 0xdead
        IN_MODE PRV_S, "sv39.s_ld_upage", ld s2, 0(s4)
        li t0, MSTATUS_SUM
        csrs mstatus, t0
        IN_MODE PRV_S, "sv39.s_ld_upage_sum", ld s2, 0(s4)
        SHOW "sv39.s_ld_upage_sum.val", s2
        RESUME_AT 1f
        RUN_IN PRV_S, 2f
        jalr s3, 0(s4)                  /* S fetch from a U page: fault */
1:      BACK_TO_M
2:      SHOW_TRAP "sv39.s_fetch_upage_sum"
        li t0, MSTATUS_SUM
        csrc mstatus, t0
        li s2, 0xdead
        IN_U "sv39.u_ld_upage", ld s2, 0(s4)
        SHOW "sv39.u_ld_upage.val", s2
        li s4, VA_PG(0)
        IN_U "sv39.u_ld_spage", ld s2, 0(s4)
        IN_U "sv39.u_sd_spage", sd s5, 8(s4)

        CASE 5          /* invalid, reserved and non-leaf-at-level-0 PTEs */
        li s4, VA_PG(4)
        IN_MODE PRV_S, "sv39.ld_invalid", ld s2, 0(s4)
        IN_MODE PRV_S, "sv39.sd_invalid", sd s2, 0(s4)
        RESUME_AT 1f
        RUN_IN PRV_S, 2f
        jalr s3, 0(s4)
1:      BACK_TO_M
2:      SHOW_TRAP "sv39.fetch_invalid"
        li s4, VA_PG(5)
        IN_MODE PRV_S, "sv39.ld_wonly", ld s2, 0(s4)
        li s4, VA_PG(8)
        IN_MODE PRV_S, "sv39.ld_nonleaf_l0", ld s2, 0(s4)

        CASE 6          /* executing from a mapped page sets its A bit */
        li s4, VA_PG(6)
        li s2, 0
        IN_MODE PRV_S, "sv39.exec", jalr ra, 0(s4)
        SHOW "sv39.exec.val", s2

        CASE 7          /* megapages */
        li s4, VA_MEGA
        li s2, 0xdead
        IN_MODE PRV_S, "sv39.mega_ld", ld s2, 0(s4)
        SHOW "sv39.mega_ld.val", s2
        IN_MODE PRV_S, "sv39.mega_sd", sd s5, 16(s4)
        li t0, PA_MEGA
        ld s2, 16(t0)
        SHOW "sv39.mega_sd.phys", s2
        li s4, VA_BADMEGA
        IN_MODE PRV_S, "sv39.badmega_ld", ld s2, 0(s4)

        CASE 8          /* non-canonical and unmapped high addresses */
        li s4, 0x0000004000000000       /* bit 38 set, 63:39 clear */
        IN_MODE PRV_S, "sv39.noncanon_ld", ld s2, 0(s4)
        li s4, 0x8000000080000000
        IN_MODE PRV_S, "sv39.noncanon_sd", sd s2, 0(s4)
        li s4, 0xffffffc000000000       /* canonical, root[256] invalid */
        IN_MODE PRV_S, "sv39.high_ld", ld s2, 0(s4)

        CASE 9          /* page faults delegated to S */
        li t0, (1 << 12) | (1 << 13) | (1 << 15)
        csrw medeleg, t0
        li s4, VA_PG(4)
        IN_MODE PRV_S, "sv39.deleg_ld.m", ld s2, 0(s4)
        SHOW_STRAP "sv39.deleg_ld.s"
        li s4, VA_PG(1)
        IN_MODE PRV_S, "sv39.deleg_sd.m", sd s2, 0(s4)
        SHOW_STRAP "sv39.deleg_sd.s"
        csrw medeleg, zero

        CASE 10         /* MPRV: M-mode accesses translated as S */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, PRV_S << 11
        csrs mstatus, t0
        li s4, VA_PG(7)
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        ld s2, 8(s4)
        csrc mstatus, t0
        SHOW "sv39.mprv_ld.val", s2
        SHOW_TRAP "sv39.mprv_ld"
        li t0, MSTATUS_MPRV
        li s4, VA_PG(4)
        csrs mstatus, t0
        ld s2, 0(s4)                    /* page fault (handler drops MPRV) */
        csrc mstatus, t0
        SHOW_TRAP "sv39.mprv_ld_invalid"

        CASE 11         /* the PTEs after all that: A/D bits set by hardware */
        csrw satp, zero
        sfence.vma
        la s1, pt_l0
        li s3, 9
        mv s4, s1
1:      ld s2, 0(s4)
        sub s2, s2, zero
        SHOW "sv39.pte_l0", s2
        addi s4, s4, 8
        addi s3, s3, -1
        bnez s3, 1b
        la s1, pt_l1
        ld s2, 8(s1)
        SHOW "sv39.pte_mega", s2
        ld s2, 16(s1)
        SHOW "sv39.pte_badmega", s2
        la s1, pt_root
        ld s2, 16(s1)
        SHOW "sv39.pte_giga", s2
        ld s2, 8(s1)
        SHOW "sv39.pte_root1", s2
        j sig_done

/* Mapped at VA_PG(6): returns 0x600d in s2 through ra (identity VA). */
        .balign 4096
exec_page:
        li s2, 0x600d
        ret
        .balign 4096

        .bss
        .balign 4096
pt_root:    .space 4096
pt_l1:      .space 4096
pt_l0:      .space 4096
pg0:        .space 4096
pg1:        .space 4096
pg2:        .space 4096
pg3:        .space 4096
pg5:        .space 4096
