/* CSR access rules and the WARL/read-only behaviour of the machine and
 * supervisor CSRs that an OS and OpenSBI depend on.
 *
 * Checks that QEMU 7.2 fails (mepc/sepc bit 0, MPP=2, UXL, csrrs with a
 * zero register on a read-only CSR, medeleg[11], pmpaddr upper bits) are in
 * csr_strict.S. */
#include "priv.h"

/* CSR numbers the assembler may not know by name. */
#define CSR_MENVCFG    0x30a
#define CSR_SENVCFG    0x10a
#define CSR_MCONFIGPTR 0xf15
#define CSR_PMPADDR16  0x3c0
#define CSR_PMPCFG1    0x3a1
#define CSR_PMPCFG3    0x3a3
#define CSR_PMPCFG4    0x3a4
#define CSR_SCOUNTOVF  0xda0
#define CSR_MTOPI      0xfb0
#define CSR_STOPI      0xdb0
#define CSR_MSTATEEN0  0x30c
#define CSR_SSTATEEN0  0x10c
#define CSR_MISELECT   0x350
#define CSR_STIMECMP   0x14d

/* bits of mstatus that only M-mode may see */
#define MSTATUS_M_ONLY (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | \
        MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | \
        MSTATUS_SXL | (3 << 36))
/* the sstatus fields rivet implements (VS excluded: no V) */
#define SSTATUS_RW (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | \
        MSTATUS_SUM | MSTATUS_MXR)

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- identification registers ------------------------------------ */
        csrr t0, misa
        srli t1, t0, 62
        CHK(1, t1, 2)               /* MXL = 64 */
        /* I M A F D C S U */
        li t1, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | \
               (1 << 2) | (1 << 18) | (1 << 20)
        and t2, t0, t1
        CHKR(2, t2, t1)
        /* no E, no Q, no N (user interrupts) */
        CHKM(3, t0, (1 << 4) | (1 << 16) | (1 << 13), 0)
        csrr t0, mhartid
        CHK(4, t0, 0)
        csrr t0, CSR_MCONFIGPTR
        CHK(5, t0, 0)
        EXPECT_NO_TRAP(6, csrr a0, mvendorid; csrr a0, marchid; csrr a0, mimpid)

        /* ---- writes to read-only CSRs trap, even in M-mode ------------- */
        EXPECT_TRAP(10, CAUSE_ILLEGAL, csrw mvendorid, zero)
        EXPECT_TRAP(11, CAUSE_ILLEGAL, csrw marchid, zero)
        EXPECT_TRAP(12, CAUSE_ILLEGAL, csrw mimpid, zero)
        EXPECT_TRAP(13, CAUSE_ILLEGAL, csrw mhartid, zero)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(14, s9, t1)            /* mtval = the csrw */
        EXPECT_TRAP(15, CAUSE_ILLEGAL, csrw CSR_MCONFIGPTR, zero)
        EXPECT_TRAP(16, CAUSE_ILLEGAL, csrw cycle, zero)
        EXPECT_TRAP(17, CAUSE_ILLEGAL, csrw time, zero)
        EXPECT_TRAP(18, CAUSE_ILLEGAL, csrw instret, zero)
        EXPECT_TRAP(19, CAUSE_ILLEGAL, csrrwi a0, cycle, 0)
        li a1, 1
        EXPECT_TRAP(20, CAUSE_ILLEGAL, csrrs a0, mhartid, a1)
        EXPECT_TRAP(21, CAUSE_ILLEGAL, csrrci a0, mvendorid, 1)
        /* ...but csrrs/csrrc with x0 or uimm=0 do not write and may read */
        EXPECT_NO_TRAP(22, csrrs a0, mhartid, zero)
        EXPECT_NO_TRAP(23, csrrsi a0, cycle, 0)
        EXPECT_NO_TRAP(24, csrrc a0, time, zero)

        /* ---- unimplemented CSRs trap (OpenSBI probes these) ------------ */
        /* only 16 PMP entries (the spec would also allow the other 48 as
         * read-only-zero CSRs; rivet and QEMU 7.2 leave them out) */
        EXPECT_NO_TRAP(30, csrr a0, pmpaddr15)
        EXPECT_TRAP(31, CAUSE_ILLEGAL, csrr a0, CSR_PMPADDR16)
        EXPECT_TRAP(32, CAUSE_ILLEGAL, csrr a0, CSR_PMPCFG4)
        /* odd pmpcfg registers do not exist on RV64 */
        EXPECT_TRAP(33, CAUSE_ILLEGAL, csrr a0, CSR_PMPCFG1)
        EXPECT_TRAP(34, CAUSE_ILLEGAL, csrr a0, CSR_PMPCFG3)
        /* no Sscofpmf, Smaia/Ssaia, Smstateen */
        EXPECT_TRAP(35, CAUSE_ILLEGAL, csrr a0, CSR_SCOUNTOVF)
        EXPECT_TRAP(36, CAUSE_ILLEGAL, csrr a0, CSR_MTOPI)
        EXPECT_TRAP(37, CAUSE_ILLEGAL, csrr a0, CSR_STOPI)
        EXPECT_TRAP(38, CAUSE_ILLEGAL, csrr a0, CSR_MISELECT)
        EXPECT_TRAP(39, CAUSE_ILLEGAL, csrr a0, CSR_MSTATEEN0)
        EXPECT_TRAP(40, CAUSE_ILLEGAL, csrr a0, CSR_SSTATEEN0)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(41, s9, t1)
        /* user-level floating-point CSRs exist when FS != Off */
        li t0, MSTATUS_FS
        csrs mstatus, t0
        EXPECT_NO_TRAP(42, csrr a0, fcsr; csrr a0, frm; csrr a0, fflags)
        /* Sstc and the 1.12 envcfg registers exist */
        EXPECT_NO_TRAP(43, csrr a0, CSR_MENVCFG; csrr a0, CSR_SENVCFG; \
                       csrr a0, CSR_STIMECMP)

        /* ---- mstatus fields ------------------------------------------- */
        csrr t0, mstatus
        srli t1, t0, 32
        andi t1, t1, 0xf
        CHK(50, t1, 0xa)            /* SXL = UXL = 2 (64-bit) */
        /* SXL is read-only: an attempt to make it 32-bit is ignored */
        li t1, MSTATUS_SXL
        csrc mstatus, t1
        li t1, 1 << 34
        csrs mstatus, t1
        csrr t0, mstatus
        CHKM(51, t0, MSTATUS_SXL, 2 << 34)
        /* MPP holds each implemented mode */
        li t1, MSTATUS_MPP
        csrc mstatus, t1
        csrr t0, mstatus
        CHKM(52, t0, MSTATUS_MPP, PRV_U << 11)
        li t1, PRV_S << 11
        csrs mstatus, t1
        csrr t0, mstatus
        CHKM(53, t0, MSTATUS_MPP, PRV_S << 11)
        li t1, MSTATUS_MPP
        csrs mstatus, t1
        csrr t0, mstatus
        CHKM(54, t0, MSTATUS_MPP, PRV_M << 11)
        li t1, MSTATUS_MPP
        csrc mstatus, t1
        /* the trap-control bits are writable */
        li t1, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_SUM | MSTATUS_MXR
        csrs mstatus, t1
        csrr t0, mstatus
        and t0, t0, t1
        CHKR(55, t0, t1)
        csrc mstatus, t1

        /* ---- sstatus is a restricted view of mstatus ------------------ */
        /* M-only state is invisible in sstatus... */
        li t1, MSTATUS_MPIE | (PRV_S << 11) | MSTATUS_TW | MSTATUS_TSR | \
               MSTATUS_TVM
        csrs mstatus, t1
        li t1, SSTATUS_RW
        csrs mstatus, t1
        csrr t0, sstatus
        CHKM(60, t0, MSTATUS_M_ONLY, 0)
        li t1, SSTATUS_RW
        and t2, t0, t1
        CHKR(61, t2, t1)            /* ...while S fields are */
        CHKM(62, t0, MSTATUS_UXL, 2 << 32)
        CHKM(63, t0, MSTATUS_SD, MSTATUS_SD)   /* FS = Dirty */
        /* clearing through sstatus clears mstatus but not M-only bits */
        li t1, -1
        csrc sstatus, t1
        csrr t0, mstatus
        CHKM(64, t0, SSTATUS_RW | MSTATUS_SD, 0)
        li t1, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TW | MSTATUS_TSR | MSTATUS_TVM
        and t2, t0, t1
        li t1, MSTATUS_MPIE | (PRV_S << 11) | MSTATUS_TW | MSTATUS_TSR | MSTATUS_TVM
        CHKR(65, t2, t1)
        CHKM(66, t0, MSTATUS_UXL | MSTATUS_SXL, 0xa << 32)
        /* writing every sstatus field (except UXL/VS, see csr_strict.S) sets
         * the S fields of mstatus and leaves M fields alone */
        li t1, MSTATUS_TW | MSTATUS_TSR | MSTATUS_TVM | MSTATUS_MPIE | MSTATUS_MPP
        csrc mstatus, t1
        li t1, ~(MSTATUS_UXL | MSTATUS_VS)
        csrw sstatus, t1
        csrr t0, mstatus
        CHKM(67, t0, MSTATUS_M_ONLY, 2 << 34)
        li t1, SSTATUS_RW
        and t2, t0, t1
        CHKR(68, t2, t1)
        li t1, SSTATUS_RW
        csrc sstatus, t1

        /* ---- sie/sip are views of mie/mip restricted by mideleg ------ */
        csrw mideleg, zero
        li t1, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP
        csrw mie, t1
        csrr t0, sie
        CHK(70, t0, 0)              /* nothing delegated: sie reads 0 */
        csrw sie, zero              /* and writes do not reach mie */
        csrr t0, mie
        CHK(71, t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP)
        li t1, MIP_SSIP | MIP_STIP | MIP_SEIP
        csrw mideleg, t1
        csrr t0, sie
        CHK(72, t0, MIP_SSIP | MIP_STIP | MIP_SEIP)
        csrw sie, zero
        csrr t0, mie
        CHK(73, t0, MIP_MTIP)       /* M bits are out of reach of sie */
        li t1, -1
        csrw sie, t1
        csrr t0, mie
        CHK(74, t0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP)
        csrw mie, zero              /* no interrupt may be taken below */
        /* sip: SSIP is writable through sip when delegated */
        csrw mideleg, zero
        li t1, MIP_SSIP
        csrs mip, t1
        csrr t0, sip
        CHK(75, t0, 0)              /* not delegated: invisible */
        li t1, MIP_SSIP
        csrw mideleg, t1
        csrr t0, sip
        CHK(76, t0, MIP_SSIP)
        csrc sip, t1
        csrr t0, mip
        CHKM(77, t0, MIP_SSIP, 0)
        /* STIP (with STCE=0) is writable in mip by M but read-only in sip */
        csrw CSR_MENVCFG, zero
        li t1, MIP_STIP | MIP_SSIP
        csrw mideleg, t1
        li t1, MIP_STIP
        csrs mip, t1
        csrr t0, sip
        CHKM(78, t0, MIP_STIP, MIP_STIP)
        li t1, MIP_STIP
        csrc sip, t1
        csrr t0, mip
        CHKM(79, t0, MIP_STIP, MIP_STIP)
        li t1, MIP_STIP
        csrc mip, t1
        csrr t0, mip
        CHKM(80, t0, MIP_STIP, 0)
        /* SEIP is writable by M */
        li t1, MIP_SEIP
        csrs mip, t1
        csrr t0, mip
        CHKM(81, t0, MIP_SEIP, MIP_SEIP)
        csrc mip, t1
        csrr t0, mip
        CHKM(82, t0, MIP_SEIP, 0)
        /* MSIP/MTIP/MEIP come from the CLINT/PLIC: writes to mip ignored */
        li t1, CLINT_MTIMECMP
        li t2, -1
        sd t2, 0(t1)                /* MTIP low (after a bounded delay) */
        li t3, 1000000
1:      csrr t0, mip
        andi t0, t0, MIP_MTIP
        beqz t0, 2f
        addi t3, t3, -1
        bnez t3, 1b
2:      li t1, MIP_MSIP | MIP_MTIP | MIP_MEIP
        csrs mip, t1
        csrr t0, mip
        CHKM(83, t0, MIP_MSIP | MIP_MTIP | MIP_MEIP, 0)
        csrw mideleg, zero

        /* ---- delegation registers ------------------------------------ */
        li t1, -1
        csrw medeleg, t1
        csrr t0, medeleg
        /* causes 0-9, 12, 13, 15 can be delegated */
        li t1, 0xb3ff
        and t2, t0, t1
        CHKR(90, t2, t1)
        csrw medeleg, zero
        csrr t0, medeleg
        CHK(91, t0, 0)
        li t1, -1
        csrw mideleg, t1
        csrr t0, mideleg
        CHKM(92, t0, 0x222, 0x222)  /* SSI, STI, SEI */
        csrw mideleg, zero
        csrr t0, mideleg
        /* (with H, QEMU's VS-level bits 2/6/10/12 read as 1: not checked) */
        CHKM(93, t0, 0xaaa, 0)

        /* ---- trap vector modes ------------------------------------ */
        la s0, vec_base             /* 256-byte aligned */
        csrw mtvec, s0
        csrr t0, mtvec
        CHKR(100, t0, s0)
        ori s1, s0, 1               /* vectored */
        csrw mtvec, s1
        csrr t0, mtvec
        CHKR(101, t0, s1)
        ori t1, s0, 2               /* reserved modes: WARL, never 2 or 3 */
        csrw mtvec, t1
        csrr t0, mtvec
        andi t0, t0, 3
        sltiu t0, t0, 2
        CHK(102, t0, 1)
        ori t1, s0, 3
        csrw mtvec, t1
        csrr t0, mtvec
        andi t0, t0, 3
        sltiu t0, t0, 2
        CHK(103, t0, 1)
        la t0, m_trap
        csrw mtvec, t0
        csrw stvec, s0
        csrr t0, stvec
        CHKR(104, t0, s0)
        csrw stvec, s1
        csrr t0, stvec
        CHKR(105, t0, s1)
        ori t1, s0, 3
        csrw stvec, t1
        csrr t0, stvec
        andi t0, t0, 3
        sltiu t0, t0, 2
        CHK(106, t0, 1)
        la t0, s_trap
        csrw stvec, t0

        /* ---- exception PC and scratch registers ---------------------- */
        li t1, 0x80001002           /* 2-byte aligned: legal with C */
        csrw mepc, t1
        csrr t0, mepc
        CHKR(110, t0, t1)
        csrw sepc, t1
        csrr t0, sepc
        CHKR(111, t0, t1)
        li t1, 0xfedcba9876543210
        csrw mscratch, t1
        csrr t0, mscratch
        CHKR(112, t0, t1)
        csrw sscratch, t1
        csrr t0, sscratch
        CHKR(113, t0, t1)
        li t1, 0x80123456
        csrw mtval, t1
        csrr t0, mtval
        CHKR(114, t0, t1)
        csrw stval, t1
        csrr t0, stval
        CHKR(115, t0, t1)

        /* ---- satp: unsupported modes leave the register unchanged ------- */
        li s0, SATP_MODE_SV39 | 0x80123
        csrw satp, s0
        csrr t0, satp
        CHKR(120, t0, s0)
        li t1, (1 << 60) | 0x80456  /* mode 1: reserved */
        csrw satp, t1
        csrr t0, satp
        CHKR(121, t0, s0)
        li t1, (15 << 60) | 0x80456 /* custom */
        csrw satp, t1
        csrr t0, satp
        CHKR(122, t0, s0)
        li t1, (11 << 60) | 0x80456 /* Sv64: not implemented */
        csrw satp, t1
        csrr t0, satp
        CHKR(123, t0, s0)
        li s0, SATP_MODE_SV48 | 0x80789
        csrw satp, s0
        csrr t0, satp
        CHKR(124, t0, s0)
        li s0, SATP_MODE_SV57 | 0x80abc
        csrw satp, s0
        csrr t0, satp
        CHKR(125, t0, s0)
        csrw satp, zero
        csrr t0, satp
        CHK(126, t0, 0)

        /* ---- menvcfg ------------------------------------------------ */
        li t1, 1 << 63              /* STCE (Sstc) is writable */
        csrw CSR_MENVCFG, t1
        csrr t0, CSR_MENVCFG
        CHKM(130, t0, 1 << 63, 1 << 63)
        csrw CSR_MENVCFG, zero
        csrr t0, CSR_MENVCFG
        CHK(131, t0, 0)

        /* ---- S-mode: S CSRs accessible, M CSRs not ------------------- */
        li t0, MSTATUS_FS
        csrc mstatus, t0
        ENTER_S
        EXPECT_NO_TRAP(140, csrr a0, sstatus; csrr a0, sie; csrr a0, sip; \
                       csrr a0, stvec; csrr a0, sscratch; csrr a0, sepc;  \
                       csrr a0, scause; csrr a0, stval; csrr a0, satp;    \
                       csrr a0, scounteren; csrr a0, CSR_SENVCFG)
        li t1, 0x1234
        csrw sscratch, t1
        csrr t0, sscratch
        CHK(141, t0, 0x1234)
        EXPECT_TRAP(142, CAUSE_ILLEGAL, csrr a0, mstatus)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(143, s9, t1)
        CHK(144, s6, PRV_S)
        EXPECT_TRAP(145, CAUSE_ILLEGAL, csrr a0, mscratch)
        EXPECT_TRAP(146, CAUSE_ILLEGAL, csrw mie, zero)
        EXPECT_TRAP(147, CAUSE_ILLEGAL, csrr a0, mhartid)
        EXPECT_TRAP(148, CAUSE_ILLEGAL, csrr a0, CSR_MENVCFG)
        EXPECT_TRAP(149, CAUSE_ILLEGAL, csrr a0, pmpcfg0)
        EXPECT_TRAP(150, CAUSE_ILLEGAL, csrr a0, medeleg)
        /* FP CSRs follow mstatus.FS in S-mode too */
        EXPECT_TRAP(151, CAUSE_ILLEGAL, csrr a0, fcsr)
        li t0, 1 << 13
        csrs sstatus, t0
        EXPECT_NO_TRAP(152, csrr a0, fcsr)
        li t0, MSTATUS_FS
        csrc sstatus, t0
        /* mstatus.TVM=0: satp and sfence.vma are fine in S-mode */
        EXPECT_NO_TRAP(153, csrw satp, zero; sfence.vma)
        TO_M

        /* ---- mstatus.TVM traps satp and sfence.vma in S-mode -------- */
        li t0, MSTATUS_TVM
        csrs mstatus, t0
        /* M-mode is not affected */
        EXPECT_NO_TRAP(160, csrr a0, satp; csrw satp, zero; sfence.vma)
        ENTER_S
        EXPECT_TRAP(161, CAUSE_ILLEGAL, csrr a0, satp)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(162, s9, t1)
        EXPECT_TRAP(163, CAUSE_ILLEGAL, csrw satp, zero)
        EXPECT_TRAP(164, CAUSE_ILLEGAL, sfence.vma)
        CHK(165, s9, 0x12000073)    /* mtval = sfence.vma zero, zero */
        li a0, 0x1000
        EXPECT_TRAP(166, CAUSE_ILLEGAL, sfence.vma a0, zero)
        /* other S CSRs are unaffected by TVM */
        EXPECT_NO_TRAP(167, csrr a0, sstatus; csrw sscratch, a0)
        TO_M
        li t0, MSTATUS_TVM
        csrc mstatus, t0

        /* ---- U-mode: no S or M CSRs --------------------------------- */
        ENTER_U
        EXPECT_TRAP(170, CAUSE_ILLEGAL, csrr a0, sstatus)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(171, s9, t1)
        CHK(172, s6, PRV_U)
        EXPECT_TRAP(173, CAUSE_ILLEGAL, csrr a0, mstatus)
        EXPECT_TRAP(174, CAUSE_ILLEGAL, csrr a0, satp)
        EXPECT_TRAP(175, CAUSE_ILLEGAL, csrw sscratch, zero)
        EXPECT_TRAP(176, CAUSE_ILLEGAL, csrr a0, sip)
        EXPECT_TRAP(177, CAUSE_ILLEGAL, csrr a0, CSR_SENVCFG)
        EXPECT_TRAP(178, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP)
        EXPECT_TRAP(179, CAUSE_ILLEGAL, sfence.vma)
        TO_M

        PRIV_PASS

        .balign 256
vec_base:
        j m_trap
