/* Physical memory protection: NAPOT, NA4 and TOR regions checked from U-,
 * S- and M-mode (M only through a locked entry or MPRV), priority of the
 * lowest-numbered matching entry, and that a locked entry ignores writes.
 * sig_rt's entry 7 (everything, RWX) stays as the lowest-priority fallback.
 *
 *   entry 0  NAPOT 4 KiB  region_a   R
 *   entry 1  NAPOT 4 KiB  region_b   (no access)
 *   entry 2  NA4          word_c     R      (the rest of its page: entry 7)
 *   entry 3  OFF, pmpaddr3 = base of region_d (TOR lower bound)
 *   entry 4  TOR          region_d   RW     (region_d holds code: no X)
 *   entry 5  NAPOT 4 KiB  region_e   R, locked (applies to M-mode too)
 */
#include "sig.h"

#define NAPOT_4K(base)  (((base) >> 2) | 0x1ff)
#define CFG_R     0x01
#define CFG_W     0x02
#define CFG_X     0x04
#define CFG_TOR   0x08
#define CFG_NA4   0x10
#define CFG_NAPOT 0x18
#define CFG_L     0x80

        .text
        .globl test_main
test_main:
        la s6, region_a
        la s7, region_b
        la s8, word_c
        la s9, region_d
        la s10, region_e
        li s5, 0x5a5a5a5a
        /* known contents */
        li t0, 0xaaaa
        sw t0, 0(s6)
        li t0, 0xbbbb
        sw t0, 0(s7)
        li t0, 0xcccc
        sw t0, 0(s8)
        sw t0, 4(s8)
        li t0, 0xeeee
        sw t0, 0(s10)

        srli t0, s6, 2
        ori t0, t0, 0x1ff
        csrw pmpaddr0, t0
        srli t0, s7, 2
        ori t0, t0, 0x1ff
        csrw pmpaddr1, t0
        srli t0, s8, 2
        csrw pmpaddr2, t0
        srli t0, s9, 2
        csrw pmpaddr3, t0
        li t1, 4096
        add t0, s9, t1
        srli t0, t0, 2
        csrw pmpaddr4, t0
        srli t0, s10, 2
        ori t0, t0, 0x1ff
        csrw pmpaddr5, t0
        li t0, (CFG_NAPOT | CFG_R) | (CFG_NAPOT << 8) | ((CFG_NA4 | CFG_R) << 16) | \
               ((CFG_TOR | CFG_R | CFG_W) << 32) | ((CFG_L | CFG_NAPOT | CFG_R) << 40) | \
               ((CFG_NAPOT | CFG_R | CFG_W | CFG_X) << 56)
        csrw pmpcfg0, t0
        sfence.vma

        CASE 1          /* read back (addresses relative to the regions) */
        csrr s2, pmpcfg0
        SHOW "pmp.cfg0", s2
        csrr s2, pmpaddr0
        srli t0, s6, 2
        sub s2, s2, t0
        SHOW "pmp.addr0_rel", s2
        csrr s2, pmpaddr2
        srli t0, s8, 2
        sub s2, s2, t0
        SHOW "pmp.addr2_rel", s2
        csrr s2, pmpaddr4
        srli t0, s9, 2
        sub s2, s2, t0
        SHOW "pmp.addr4_rel", s2

        CASE 2          /* U-mode */
        li s2, 0xdead
        IN_MODE PRV_U, "pmp.u_lw_a", lw s2, 0(s6)
        SHOW "pmp.u_lw_a.val", s2
        IN_MODE PRV_U, "pmp.u_sw_a", sw s5, 0(s6)
        IN_MODE PRV_U, "pmp.u_lw_b", lw s2, 8(s7)
        IN_MODE PRV_U, "pmp.u_sw_b", sw s5, 8(s7)
        li s2, 0xdead
        IN_MODE PRV_U, "pmp.u_lw_c", lw s2, 0(s8)
        SHOW "pmp.u_lw_c.val", s2
        IN_MODE PRV_U, "pmp.u_sw_c", sw s5, 0(s8)
        IN_MODE PRV_U, "pmp.u_sw_c4", sw s5, 4(s8)      /* next word: entry 7 */
        IN_MODE PRV_U, "pmp.u_sb_c3", sb s5, 3(s8)      /* last byte of NA4 */
        li s2, 0xdead
        IN_MODE PRV_U, "pmp.u_lw_d", lw s2, 0(s9)
        SHOW "pmp.u_lw_d.val", s2
        li t0, 4092
        add s3, s9, t0
        IN_MODE PRV_U, "pmp.u_sw_d_end", sw s5, 0(s3)
        RESUME_AT 1f
        RUN_IN PRV_U, 2f
        jalr ra, 0(s9)                  /* fetch from RW-only TOR region */
1:      BACK_TO_M
2:      SHOW_TRAP "pmp.u_fetch_d"
        li t0, 4096                     /* just past the TOR region: entry 7 */
        add s3, t0, s9
        IN_MODE PRV_U, "pmp.u_lw_past_d", lw s2, 0(s3)

        CASE 3          /* S-mode is checked the same way */
        IN_MODE PRV_S, "pmp.s_sw_a", sw s5, 0(s6)
        IN_MODE PRV_S, "pmp.s_lw_b", lw s2, 0(s7)

        CASE 4          /* M-mode: unlocked entries do not apply ... */
        sw s5, 4(s6)
        SHOW_TRAP "pmp.m_sw_a"
        lw s2, 0(s7)
        SHOW_TRAP "pmp.m_lw_b"
        SHOW "pmp.m_lw_b.val", s2
        /* ... a locked one does */
        lw s2, 0(s10)
        SHOW_TRAP "pmp.m_lw_e"
        SHOW "pmp.m_lw_e.val", s2
        sw s5, 0(s10)
        SHOW_TRAP "pmp.m_sw_e"
        /* ... and MPRV applies MPP's privilege */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV
        csrs mstatus, t0
        lw s2, 0(s7)
        csrc mstatus, t0
        SHOW_TRAP "pmp.mprv_u_lw_b"

        CASE 5          /* a locked entry ignores writes to cfg and addr */
        li t0, 0x12345
        csrw pmpaddr5, t0
        csrr s2, pmpaddr5
        srli t0, s10, 2
        sub s2, s2, t0
        SHOW "pmp.locked_addr5_rel", s2
        li t0, CFG_NAPOT | CFG_R | CFG_W | CFG_X
        slli t0, t0, 40
        csrs pmpcfg0, t0
        csrr s2, pmpcfg0
        SHOW "pmp.locked_cfg0", s2
        /* entries 0-4 can be turned off again */
        li t0, 0xffffffffff
        csrc pmpcfg0, t0
        sfence.vma
        IN_MODE PRV_U, "pmp.off_sw_a", sw s5, 0(s6)
        csrr s2, pmpcfg0
        SHOW "pmp.cfg0_final", s2
        lw s2, 0(s6)
        SHOW "pmp.a_final", s2
        j sig_done

/* region_d: code, so that a fetch from it would work if X were granted */
        .balign 4096
region_d:
        ret
        .balign 4096

        .data
        .balign 4096
region_a:   .space 4096
region_b:   .space 4096
region_e:   .space 4096
word_c:     .space 4096
