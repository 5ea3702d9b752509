/* Physical memory protection: 16 entries; OFF/TOR/NA4/NAPOT matching; R, W
 * and X enforced separately for S/U (instruction access fault 1, load 5,
 * store/AMO 7, mtval = address); the lowest-numbered matching entry wins; an
 * access partly inside an entry fails; S/U accesses matching no entry fail
 * once entries are in use while M's succeed; M-mode obeys only locked
 * entries (or MPRV); page-table walks are checked too; locked entries and
 * the pmpaddr below a locked TOR entry cannot be changed. The locking part
 * runs last because only a reset undoes it.
 *
 * All probes run in S-mode with satp = Bare. The probed memory is `area`,
 * four 4 KiB pages A, B, C, D; everything below it (the code) is either
 * covered by the allow-all entry 15 or, when that is off, by entry 14. */
#include "priv.h"

/* NAPOT_ADDR(reg, off, size): reg = pmpaddr value for NAPOT region
 * [area+off, area+off+size). Clobbers t0. */
#define NAPOT_ADDR(reg, off, size) la reg, area + (off); \
        li t0, (size) / 2 - 1; or reg, reg, t0; srli reg, reg, 2
/* ADDR(reg, off): reg = (area + off) >> 2, for TOR and NA4 */
#define ADDR(reg, off) la reg, area + (off); srli reg, reg, 2
#define CFG(i, bits) ((bits) << (8 * (i)))
#define SYNC sfence.vma zero, zero

/* probes (S-mode, s3 = area): OK or the expected fault with mtval */
#define LD_OK(n, off)  li t3, off; add t3, t3, s3; EXPECT_NO_TRAP(n, ld a0, 0(t3))
#define SD_OK(n, off)  li t3, off; add t3, t3, s3; EXPECT_NO_TRAP(n, sd a0, 0(t3))
#define LD_BAD(n, off) li t3, off; add t3, t3, s3; \
        EXPECT_TRAP(n, CAUSE_LOAD_ACCESS, ld a0, 0(t3)); CHKR(n, s9, t3)
#define SD_BAD(n, off) li t3, off; add t3, t3, s3; \
        EXPECT_TRAP(n, CAUSE_STORE_ACCESS, sd a0, 0(t3)); CHKR(n, s9, t3)
#define X_OK(n, off)   li t3, off; add t3, t3, s3; li a0, 0; \
        EXPECT_NO_TRAP(n, jalr ra, 0(t3)); CHK(n, a0, 0x55)
#define X_BAD(n, off)  li t3, off; add t3, t3, s3; ARM(77f); jalr ra, 0(t3); \
        77: CHK(n, s10, CAUSE_FETCH_ACCESS); CHKR(n, s8, t3); CHKR(n, s9, t3)

        .text
        .globl test_main
test_main:
        PRIV_INIT
        /* `li a0, 0x55; ret` at the start of every page of the area (the
         * stores below stay clear of those first 8 bytes) */
        la a1, area
        li a2, 4
1:      COPY_XCODE(a1)
        li t0, 4096
        add a1, a1, t0
        addi a2, a2, -1
        bnez a2, 1b
        fence.i
        la s3, area

        /* ---- entry count and address registers ------------------------- */
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
        li t1, 0x2000000 + \i
        csrw pmpaddr\i, t1
        .endr
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
        csrr t2, pmpaddr\i
        li t1, 0x2000000 + \i
        CHKR(1, t2, t1)
        .endr
        /* granularity: with the entry off, all-ones reads back with every
         * address bit (55:2) set, i.e. G = 0 (4-byte grain) */
        li t1, -1
        csrw pmpaddr0, t1
        csrr t2, pmpaddr0
        li t1, 0x003fffffffffffff
        and t2, t2, t1
        CHKR(2, t2, t1)
        /* legal configurations read back as written (L clear) */
        li t1, 0x130c110f181d191f
        csrw pmpcfg0, t1
        csrr t2, pmpcfg0
        CHKR(3, t2, t1)
        csrw pmpcfg0, zero
        csrr t2, pmpcfg0
        CHK(4, t2, 0)

        /* ---- R, W, X separately (NAPOT 4 KiB on page A) ----------------- */
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr0, t1
        li t1, CFG(0, PMP_NAPOT | PMP_R)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_OK(10, 0x10)
        SD_BAD(11, 0x18)
        CHK(12, s7, PRV_M)
        X_BAD(13, 0)
        /* an AMO needs W: store/AMO access fault */
        li t3, 0x20
        add t3, t3, s3
        EXPECT_TRAP(14, CAUSE_STORE_ACCESS, amoswap.d a0, a0, (t3))
        /* outside the entry, the allow-all entry 15 applies */
        LD_OK(15, 0x1000)
        SD_OK(16, 0x1010)
        X_OK(17, 0x1000)
        TO_M
        li t1, CFG(0, PMP_NAPOT | PMP_X)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        X_OK(20, 0)
        LD_BAD(21, 0x8)
        SD_BAD(22, 0x8)
        TO_M
        li t1, CFG(0, PMP_NAPOT | PMP_R | PMP_W)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_OK(25, 0x8)
        SD_OK(26, 0x8)
        X_BAD(27, 0)
        TO_M
        /* no permission at all; M-mode is not affected (entry not locked) */
        csrw pmpcfg0, zero
        li t1, CFG(0, PMP_NAPOT)
        csrw pmpcfg0, t1
        SYNC
        ld a0, 0(s3)
        sd a0, 8(s3)
        ENTER_S
        LD_BAD(28, 0xff8)           /* the last dword of the region */
        LD_OK(29, 0x1000)           /* the first one after it */
        TO_M
        /* ...unless MPRV makes M-mode loads S-mode loads */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, (PRV_S << 11) | MSTATUS_MPRV
        csrs mstatus, t0
        EXPECT_TRAP(30, CAUSE_LOAD_ACCESS, ld a0, 0(s3))
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        CHK(31, s7, PRV_M)
        CHKR(32, s9, s3)

        /* ---- NA4 and priority ------------------------------------------ */
        /* entry 0: NA4 at A+8, no access; entry 1: page A, RW */
        ADDR(t1, 8)
        csrw pmpaddr0, t1
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr1, t1
        li t1, CFG(0, PMP_NA4) | CFG(1, PMP_NAPOT | PMP_R | PMP_W)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        li t3, 4
        add t3, t3, s3
        EXPECT_NO_TRAP(40, lw a0, 0(t3))
        li t3, 8
        add t3, t3, s3
        EXPECT_TRAP(41, CAUSE_LOAD_ACCESS, lw a0, 0(t3))
        CHKR(42, s9, t3)
        EXPECT_TRAP(43, CAUSE_LOAD_ACCESS, lbu a0, 3(t3))
        EXPECT_TRAP(44, CAUSE_STORE_ACCESS, sh a0, 2(t3))
        li t3, 12
        add t3, t3, s3
        EXPECT_NO_TRAP(45, lw a0, 0(t3))
        TO_M
        /* swap the priorities: the page entry (now entry 0) wins */
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr0, t1
        ADDR(t1, 8)
        csrw pmpaddr1, t1
        li t1, CFG(0, PMP_NAPOT | PMP_R | PMP_W) | CFG(1, PMP_NA4)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_OK(46, 8)
        TO_M
        /* an access with some bytes in the NA4 entry and some outside
         * fails, even though both entries would allow it (entry 0: NA4 at
         * A+8 RWX, entry 1: page A RW). The accesses are aligned: a
         * misaligned one may be split into parts that are checked
         * separately, so only aligned ones give a defined answer. */
        ADDR(t1, 8)
        csrw pmpaddr0, t1
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr1, t1
        li t1, CFG(0, PMP_NA4 | PMP_R | PMP_W | PMP_X) | \
               CFG(1, PMP_NAPOT | PMP_R | PMP_W)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_BAD(47, 8)               /* bytes 8..15: 8..11 in entry 0 */
        SD_BAD(48, 8)
        li t3, 8                    /* a word entirely inside: fine */
        add t3, t3, s3
        EXPECT_NO_TRAP(50, lw a0, 0(t3))
        TO_M

        /* ---- TOR --------------------------------------------------------- */
        /* entry 1 = TOR [A+0x100, A+0x200) no access, entry 2 = page A RW */
        ADDR(t1, 0x100)
        csrw pmpaddr0, t1
        ADDR(t1, 0x200)
        csrw pmpaddr1, t1
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr2, t1
        li t1, CFG(0, PMP_OFF) | CFG(1, PMP_TOR) | \
               CFG(2, PMP_NAPOT | PMP_R | PMP_W)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_OK(55, 0xf8)
        LD_BAD(56, 0x100)
        LD_BAD(57, 0x1f8)
        LD_OK(58, 0x200)
        TO_M
        /* TOR in entry 0 starts at address 0: [0, A+0x100) RWX; page A
         * below it read-only */
        ADDR(t1, 0x100)
        csrw pmpaddr0, t1
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr1, t1
        li t1, CFG(0, PMP_TOR | PMP_R | PMP_W | PMP_X) | CFG(1, PMP_NAPOT | PMP_R)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        SD_OK(60, 0xf8)
        SD_BAD(61, 0x100)
        TO_M
        /* a TOR entry whose bottom is not below its top matches nothing */
        ADDR(t1, 0x200)
        csrw pmpaddr0, t1
        ADDR(t1, 0x100)
        csrw pmpaddr1, t1
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr2, t1
        li t1, CFG(0, PMP_OFF) | CFG(1, PMP_TOR) | \
               CFG(2, PMP_NAPOT | PMP_R | PMP_W)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_OK(62, 0x180)
        TO_M
        /* an OFF entry never matches, whatever its address */
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr0, t1
        csrw pmpaddr1, t1
        li t1, CFG(0, PMP_OFF) | CFG(1, PMP_NAPOT | PMP_R)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        LD_OK(63, 0x10)
        TO_M
        /* NAPOT larger than a page: 8 KiB over A and B, read-only */
        NAPOT_ADDR(t1, 0, 8192)
        csrw pmpaddr0, t1
        li t1, CFG(0, PMP_NAPOT | PMP_R)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        SD_BAD(64, 0x1ff8)
        SD_OK(65, 0x2010)
        TO_M

        /* ---- no matching entry: S/U fail, M succeeds ------------------- */
        /* entry 14 = TOR [0x80000000, area) RWX for the code (entry 13 is
         * its bottom), entry 0 = page A RW, entry 15 off */
        li t1, 0x80000000 >> 2
        csrw pmpaddr13, t1
        ADDR(t1, 0)
        csrw pmpaddr14, t1
        NAPOT_ADDR(t1, 0, 4096)
        csrw pmpaddr0, t1
        li t1, CFG(0, PMP_NAPOT | PMP_R | PMP_W)
        csrw pmpcfg0, t1
        li t1, CFG(6, PMP_TOR | PMP_R | PMP_W | PMP_X)
        csrw pmpcfg2, t1
        SYNC
        ENTER_S
        LD_OK(70, 0x10)
        LD_BAD(71, 0x1000)          /* page B: no entry */
        SD_BAD(72, 0x2008)
        X_BAD(73, 0x3000)
        TO_M
        ENTER_U
        LD_OK(74, 0x10)
        LD_BAD(75, 0x1000)
        CHK(76, s6, PRV_U)
        TO_M
        li t3, 0x1010
        add t3, t3, s3
        EXPECT_NO_TRAP(77, ld a0, 0(t3); sd a0, 0(t3))
        call pmp_allow_all

        /* ---- page-table walks are checked (as S-mode reads) ------------- */
        /* root (pool) -> level-1 table in page C -> 2 MiB leaf at
         * 0x80200000 for VA 0x40000000 */
        call pt_alloc
        mv s0, a0
        la t1, area + 0x2000        /* C */
        srli t2, t1, 12
        slli t2, t2, 10
        ori t2, t2, PTE_V
        sd t2, 8(s0)                /* root[1]: VA 0x40000000..0x7fffffff */
        li t2, (0x80200000 >> 12) << 10
        ori t2, t2, PTE_LEAF_RWX
        sd t2, 0(t1)                /* C[0] */
        li t2, (0x80000000 >> 12) << 10 /* identity gigapage for the code */
        ori t2, t2, PTE_LEAF_RWX
        sd t2, 16(s0)               /* root[2] */
        li t1, 0x80200000
        li t2, 0x600d
        sd t2, 0(t1)
        srli t1, s0, 12
        li t2, SATP_MODE_SV39
        or t1, t1, t2
        csrw satp, t1
        /* C readable: the walk works */
        NAPOT_ADDR(t1, 0x2000, 4096)
        csrw pmpaddr0, t1
        li t1, CFG(0, PMP_NAPOT | PMP_R)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        li t3, 0x40000000
        ld a0, 0(t3)
        CHK(80, a0, 0x600d)
        TO_M
        /* C not readable: the access fails with an access fault of the
         * original access's type and mtval = the virtual address */
        li t1, CFG(0, PMP_NAPOT)
        csrw pmpcfg0, t1
        SYNC
        ENTER_S
        li t3, 0x40000008
        EXPECT_TRAP(81, CAUSE_LOAD_ACCESS, ld a0, 0(t3))
        CHK(82, s9, 0x40000008)
        EXPECT_TRAP(83, CAUSE_STORE_ACCESS, sd a0, 0(t3))
        ARM(1f)
        jalr ra, 0(t3)
1:      CHK(84, s10, CAUSE_FETCH_ACCESS)
        CHK(85, s9, 0x40000008)
        TO_M
        csrw satp, zero
        call pmp_allow_all

        /* ---- locked entries (irreversible: last) ------------------------ */
        /* entry 0: page D, L + R: binds M-mode too */
        NAPOT_ADDR(t1, 0x3000, 4096)
        csrw pmpaddr0, t1
        li t1, CFG(0, PMP_L | PMP_NAPOT | PMP_R)
        csrw pmpcfg0, t1
        SYNC
        li t3, 0x3010
        add t3, t3, s3
        EXPECT_NO_TRAP(90, ld a0, 0(t3))
        EXPECT_TRAP(91, CAUSE_STORE_ACCESS, sd a0, 0(t3))
        CHKR(92, s9, t3)
        CHK(93, s6, PRV_M)
        li t3, 0x3000
        add t3, t3, s3
        ARM(1f)
        jalr ra, 0(t3)
1:      CHK(94, s10, CAUSE_FETCH_ACCESS)
        CHKR(95, s9, t3)
        /* the entry can no longer be changed */
        NAPOT_ADDR(t4, 0x3000, 4096)
        li t1, 0x1234
        csrw pmpaddr0, t1
        csrr t2, pmpaddr0
        CHKR(96, t2, t4)
        li t1, CFG(0, PMP_NAPOT | PMP_R | PMP_W | PMP_X)
        csrw pmpcfg0, t1
        csrr t2, pmpcfg0
        andi t2, t2, 0xff
        CHK(97, t2, PMP_L | PMP_NAPOT | PMP_R)
        /* other entries in the same pmpcfg0 are still writable */
        li t1, CFG(0, PMP_L | PMP_NAPOT | PMP_R) | CFG(1, PMP_NA4 | PMP_R)
        csrw pmpcfg0, t1
        csrr t2, pmpcfg0
        CHKR(98, t2, t1)
        /* locked TOR entry 3 also locks pmpaddr2 (its bottom) */
        ADDR(t1, 0x1000)
        csrw pmpaddr2, t1
        ADDR(t1, 0x2000)
        csrw pmpaddr3, t1
        li t1, CFG(0, PMP_L | PMP_NAPOT | PMP_R) | \
               CFG(3, PMP_L | PMP_TOR | PMP_R | PMP_W | PMP_X)
        csrw pmpcfg0, t1
        SYNC
        ADDR(t4, 0x1000)
        li t1, 0x5678
        csrw pmpaddr2, t1
        csrr t2, pmpaddr2
        CHKR(99, t2, t4)
        ADDR(t4, 0x2000)
        csrw pmpaddr3, t1
        csrr t2, pmpaddr3
        CHKR(100, t2, t4)
        /* page B is RWX for everyone, M included */
        li t3, 0x1010
        add t3, t3, s3
        EXPECT_NO_TRAP(101, sd a0, 0(t3))
        ENTER_S
        SD_OK(102, 0x1010)
        X_OK(103, 0x1000)
        /* and page D is read-only for S too */
        SD_BAD(104, 0x3000)
        TO_M

        PRIV_PASS

        .balign 4
xcode:  li a0, 0x55
        ret
        .balign 4

        .bss
        .balign 16384
area:   .skip 4 * 4096
