/* Shared support for rivet's hypervisor-extension (H) tests (assembly only).
 *
 * Include this once from a tests/h/*.S file; tests/h/start.S is linked in
 * front of it. The programs run unchanged on rivet, on QEMU (-M virt -cpu
 * rv64,h=true) and on Spike (--isa=rv64gch_zicntr_sstc): a test ends by
 * writing tohost (HTIF: 1 = pass, (n << 1) | 1 = fail n), which rivet and
 * Spike act on, then, after a pause long enough for them to notice, through
 * the SiFive test finisher at 0x100000 (QEMU's virt board has no HTIF).
 *
 * Modelled on tests/priv/priv.h, extended for V=1: three trap handlers, for
 * M, HS (stvec) and VS (vstvec); each reads only CSRs and registers, so the
 * HS and VS handlers run under any mapping of their own code (the image is
 * always mapped VA == GPA == PA).
 *
 * Register convention (written by the trap handlers; tests must not use
 * them for anything else):
 *   s11  resume address for the next expected exception (ARM sets it), 0
 *        when none is expected; bit 0 set (ARM_M) = resume in M-mode
 *   s10  cause of the last trap (as the handler saw it), -1 after ARM
 *   s9   tval (mtval / stval / vstval)
 *   s8   epc
 *   s7   handler that took it: H_M (3), H_HS (1), H_VS (2)
 *   s6   mode it came from: MPP | MPV << 2 (M), SPP | hstatus.SPV << 2 (HS),
 *        SPP (VS)
 *   s5   interrupt log: one byte per interrupt, cause | 0x00 (M), | 0x40
 *        (HS), | 0x80 (VS); the handler clears the enable bit and returns
 *   s4   mstatus (M), hstatus (HS), vsstatus (VS) as the handler saw it
 *   s3   mtval2 (M), htval (HS), 0 (VS)
 *   s2   mtinst (M), htinst (HS), 0 (VS)
 * TO_M (any mode): continue at the next instruction in M-mode (clobbers
 * a6, a7). CHK failures from any mode report to M, which prints and ends.
 */
#ifndef RIVET_H_H
#define RIVET_H_H

#include "test.h"

        .option arch, +h

/* ---- how a test ends: HTIF tohost, then the finisher -------------------- */
#undef TEST_PASS
#undef TEST_FAIL_CODE
#define H_END_DELAY 200000
#define TEST_PASS                 \
        li t5, 1;                 \
        la t6, tohost;            \
        sd t5, 0(t6);             \
        li t5, H_END_DELAY;       \
91:     addi t5, t5, -1;          \
        bnez t5, 91b;             \
        li t5, FINISHER_PASS;     \
        li t6, FINISHER_BASE;     \
        sw t5, 0(t6);             \
99:     j 99b
#define TEST_FAIL_CODE(reg)       \
        slli t5, reg, 1;          \
        ori t5, t5, 1;            \
        la t6, tohost;            \
        sd t5, 0(t6);             \
        li t5, H_END_DELAY;       \
92:     addi t5, t5, -1;          \
        bnez t5, 92b;             \
        slli reg, reg, 16;        \
        li t6, FINISHER_FAIL;     \
        or reg, reg, t6;          \
        li t6, FINISHER_BASE;     \
        sw reg, 0(t6);            \
98:     j 98b

/* ---- constants ------------------------------------------------------------ */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3
#define H_M  3
#define H_HS 1
#define H_VS 2
/* s6 values */
#define FROM_U   0
#define FROM_HS  1
#define FROM_M   3
#define FROM_VU  4
#define FROM_VS  5

#define CSR_MTINST 0x34a
#define CSR_MTVAL2 0x34b

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_GVA   (1 << 38)
#define MSTATUS_MPV   (1 << 39)

#define HSTATUS_VSBE  (1 << 5)
#define HSTATUS_GVA   (1 << 6)
#define HSTATUS_SPV   (1 << 7)
#define HSTATUS_SPVP  (1 << 8)
#define HSTATUS_HU    (1 << 9)
#define HSTATUS_VGEIN (0x3f << 12)
#define HSTATUS_VTVM  (1 << 20)
#define HSTATUS_VTW   (1 << 21)
#define HSTATUS_VTSR  (1 << 22)
#define HSTATUS_VSXL  (3 << 32)

#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_VS          10
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15
#define CAUSE_FETCH_GUEST_PAGE  20
#define CAUSE_LOAD_GUEST_PAGE   21
#define CAUSE_VIRTUAL_INSN      22
#define CAUSE_STORE_GUEST_PAGE  23

#define IRQ_SSI   1
#define IRQ_VSSI  2
#define IRQ_MSI   3
#define IRQ_STI   5
#define IRQ_VSTI  6
#define IRQ_MTI   7
#define IRQ_SEI   9
#define IRQ_VSEI  10
#define IRQ_MEI   11
#define IRQ_SGEI  12
#define INTR(n)   ((1 << 63) | (n))
#define LOG_M(n)  (n)
#define LOG_HS(n) (0x40 | (n))
#define LOG_VS(n) (0x80 | (n))

#define MIP_SSIP  (1 << 1)
#define MIP_VSSIP (1 << 2)
#define MIP_MSIP  (1 << 3)
#define MIP_STIP  (1 << 5)
#define MIP_VSTIP (1 << 6)
#define MIP_MTIP  (1 << 7)
#define MIP_SEIP  (1 << 9)
#define MIP_VSEIP (1 << 10)
#define MIP_MEIP  (1 << 11)
#define MIP_SGEIP (1 << 12)
#define MIP_VS_ALL (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)

#define CLINT_BASE     0x2000000
#define CLINT_MSIP     (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8)

#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_LEAF_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
/* G-stage leaves are always U */
#define GPTE_RWX (PTE_LEAF_RWX | PTE_U)

#define SATP_MODE_SV39 (8 << 60)
#define SATP_MODE_SV48 (9 << 60)
#define SATP_MODE_SV57 (10 << 60)
#define HGATP_MODE_SV39X4 (8 << 60)
#define HGATP_MODE_SV48X4 (9 << 60)
#define HGATP_MODE_SV57X4 (10 << 60)
#define HGATP_VMID_SHIFT 44

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_NAPOT 0x18

#define MAGIC_TOM    0x7e01
#define MAGIC_FAIL   0x7e02
#define MAGIC_SUNEXP 0x7e03

#define ENVCFG_STCE (1 << 63)

/* The image (code, data, page tables, stack) lies in the first 2 MiB of RAM;
 * free RAM for test pages starts at FREE_PA. */
#define IMAGE_PA 0x80000000
#define FREE_PA  0x80200000

/* ---- checks (any privilege mode) ---------------------------------------- */
#define FAIL_TARGET priv_fail
#define CHK(n, reg, value)                              \
        li t6, value;                                   \
        beq reg, t6, 97f;                               \
        mv t5, t6; mv a1, reg; mv a2, t5;               \
        li a0, n; j FAIL_TARGET;                        \
97:
#define CHKR(n, reg, ereg)                              \
        beq reg, ereg, 96f;                             \
        mv t5, ereg; mv a1, reg; mv a2, t5;             \
        li a0, n; j FAIL_TARGET;                        \
96:
#define CHKM(n, reg, mask, value)                       \
        li t6, mask; and t4, reg, t6;                   \
        CHK(n, t4, value)
/* CHKCSR(n, csr, value): read csr into t3 and compare */
#define CHKCSR(n, csr, value) csrr t3, csr; CHK(n, t3, value)
#define FAILNOW(n) li a1, 0; li a2, 0; li a0, n; j FAIL_TARGET

/* ---- expected exceptions ------------------------------------------------- */
#define ARM(label) la s11, label; li s10, -1
#define ARM_M(label) la s11, label; ori s11, s11, 1; li s10, -1
#define EXPECT_TRAP(n, cause, insn...)                  \
        la s11, 81f; li s10, -1;                        \
80:     insn;                                           \
        li a1, -1; li a2, cause; li a0, n; j FAIL_TARGET; \
81:     CHK(n, s10, cause);                             \
        la t4, 80b; CHKR(n, s8, t4)
/* ... and the handler (s7) and the mode it came from (s6) */
#define EXPECT_TRAP_AT(n, cause, handler, from, insn...) \
        EXPECT_TRAP(n, cause, insn);                    \
        CHK(n, s7, handler); CHK(n, s6, from)
#define EXPECT_NO_TRAP(n, insn...)                      \
        la s11, 83f; li s10, -1;                        \
        insn;                                           \
        li s11, 0; j 84f;                               \
83:     mv a1, s10; li a2, -1; li a0, n; j FAIL_TARGET; \
84:

/* ---- privilege switches (from M) ----------------------------------------- */
/* GOTO_MODE(mode, virt, label): mret to label in mode with V = virt.
 * Clobbers t0. */
#define GOTO_MODE(mode, virt, label)                    \
        li t0, MSTATUS_MPP | MSTATUS_MPV; csrc mstatus, t0; \
        li t0, ((mode) << 11) | ((virt) << 39); csrs mstatus, t0; \
        la t0, label; csrw mepc, t0;                    \
        mret
#define ENTER_MODE(mode, virt) GOTO_MODE(mode, virt, 79f); 79:
#define ENTER_HS ENTER_MODE(PRV_S, 0)
#define ENTER_U  ENTER_MODE(PRV_U, 0)
#define ENTER_VS ENTER_MODE(PRV_S, 1)
#define ENTER_VU ENTER_MODE(PRV_U, 1)
#define TO_M la a6, 78f; li a7, MAGIC_TOM; ecall; 78:

/* H_INIT: M-mode state every test starts from. Clobbers t0, a0-a7. */
#define H_INIT                                          \
        la t0, m_trap; csrw mtvec, t0;                  \
        la t0, hs_trap; csrw stvec, t0;                 \
        la t0, vs_trap; csrw vstvec, t0;                \
        csrw medeleg, zero; csrw mideleg, zero;         \
        csrw hedeleg, zero; csrw hideleg, zero;         \
        csrw mie, zero; csrw satp, zero;                \
        csrw hgatp, zero; csrw vsatp, zero;             \
        csrw hvip, zero; csrw hstatus, zero;            \
        li t0, 2 << 32; csrs hstatus, t0;               \
        li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_TVM | \
               MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPP | MSTATUS_SUM | \
               MSTATUS_MXR | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_SPP | \
               MSTATUS_MPV | MSTATUS_GVA;               \
        csrc mstatus, t0;                               \
        csrw vsstatus, zero;                            \
        li s11, 0; li s10, 0; li s9, 0; li s8, 0;       \
        li s7, 0; li s6, 0; li s5, 0; li s4, 0;         \
        li s3, 0; li s2, 0;                             \
        la t0, m_rt; sd zero, 8(t0);                    \
        call pmp_allow_all;                             \
        call pt_pool_reset;                             \
        hfence.gvma zero, zero; hfence.vvma zero, zero; \
        sfence.vma zero, zero

/* ---- runtime (in every test, not in start.S) ------------------------------- */
#ifndef H_START

        .section .text.h_rt, "ax"

        .globl priv_fail
priv_fail:
        li a7, MAGIC_FAIL
        ecall
1:      j 1b

/* M-mode trap handler. */
        .balign 64
        .globl m_trap
m_trap:
        csrw mscratch, t0
        la t0, m_rt
        sd t1, 0(t0)
        ld t1, 8(t0)
        addi t1, t1, 1
        sd t1, 8(t0)
        li t0, 100000
        bgeu t1, t0, m_unexpected
        csrr t1, mcause
        bltz t1, m_irq
        addi t0, t1, -CAUSE_ECALL_U
        bltz t0, m_exc
        addi t0, t0, -(CAUSE_ECALL_M - CAUSE_ECALL_U)
        blez t0, m_ecall
m_exc:
        beqz s11, m_unexpected
        mv s10, t1
        csrr s9, mtval
        csrr s8, mepc
        li s7, H_M
        csrr s4, mstatus
        srli s6, s4, 11
        andi s6, s6, 3
        srli t0, s4, 39
        andi t0, t0, 1
        slli t0, t0, 2
        or s6, s6, t0
        csrr s3, CSR_MTVAL2
        csrr s2, CSR_MTINST
        andi t0, s11, 1
        beqz t0, 1f
        xor s11, s11, t0
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        li t0, MSTATUS_MPIE | MSTATUS_MPV
        csrc mstatus, t0
1:      csrw mepc, s11
        li s11, 0
m_ret:
        la t0, m_rt
        ld t1, 0(t0)
        csrr t0, mscratch
        mret
m_ecall:
        li t0, MAGIC_TOM
        beq a7, t0, m_tom
        li t0, MAGIC_FAIL
        beq a7, t0, m_fail
        li t0, MAGIC_SUNEXP
        beq a7, t0, m_sunexp
        j m_exc
m_tom:
        csrw mepc, a6
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        li t0, MSTATUS_MPIE | MSTATUS_MPV
        csrc mstatus, t0
        j m_ret
m_irq:
        mv s10, t1
        csrr s8, mepc
        li s7, H_M
        csrr s4, mstatus
        srli s6, s4, 11
        andi s6, s6, 3
        srli t0, s4, 39
        andi t0, t0, 1
        slli t0, t0, 2
        or s6, s6, t0
        slli s5, s5, 8
        andi t0, t1, 0x3f
        or s5, s5, t0
        li t0, 1
        sll t0, t0, t1
        csrc mie, t0
        j m_ret
m_unexpected:
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        la t0, m_rt
        ld t1, 0(t0)
        csrr t0, mscratch
        j unexpected_trap
m_fail:
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        mv s0, a0
        mv s1, a1
        mv s2, a2
        la a0, msg_fail
        call h_puts
        mv a0, s0
        call h_putdec
        la a0, msg_got
        call h_puts
        mv a0, s1
        call h_puthex
        la a0, msg_want
        call h_puts
        mv a0, s2
        call h_puthex
        li a0, '\n'
        call h_putc
        mv a0, s0
        j test_fail
m_sunexp:
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        mv s0, a1
        mv s1, a2
        mv s2, a3
        la a0, msg_sunexp_hs
        li t0, H_HS
        beq a4, t0, 1f
        la a0, msg_sunexp_vs
1:      call h_puts
        mv a0, s0
        call h_puthex
        la a0, msg_epc
        call h_puts
        mv a0, s1
        call h_puthex
        la a0, msg_tval
        call h_puts
        mv a0, s2
        call h_puthex
        li a0, '\n'
        call h_putc
        li a0, 255
        j test_fail

/* HS-mode trap handler (stvec). Only t0 (saved in sscratch), no memory. */
        .balign 64
        .globl hs_trap
hs_trap:
        csrw sscratch, t0
        csrr t0, scause
        bltz t0, hs_irq
        addi t0, t0, -CAUSE_ECALL_U
        bltz t0, hs_exc
        addi t0, t0, -(CAUSE_ECALL_VS - CAUSE_ECALL_U)
        blez t0, hs_ecall
hs_exc:
        beqz s11, hs_unexpected
        csrr s10, scause
        csrr s9, stval
        csrr s8, sepc
        li s7, H_HS
        csrr s4, hstatus
        csrr t0, sstatus
        srli s6, t0, 8
        andi s6, s6, 1
        srli t0, s4, 7
        andi t0, t0, 1
        slli t0, t0, 2
        or s6, s6, t0
        csrr s3, htval
        csrr s2, htinst
        andi t0, s11, 1
        bnez t0, hs_to_m
        csrw sepc, s11
        li s11, 0
        csrr t0, sscratch
        sret
hs_to_m:
        xor a6, s11, t0
        li s11, 0
        li a7, MAGIC_TOM
        csrr t0, sscratch
        ecall
hs_ecall:
        li t0, MAGIC_TOM
        beq a7, t0, hs_fwd
        li t0, MAGIC_FAIL
        beq a7, t0, hs_fwd
        li t0, MAGIC_SUNEXP
        beq a7, t0, hs_fwd
        j hs_exc
hs_fwd:
        csrr t0, sscratch
        ecall                       /* to M, which does not come back here */
hs_irq:
        csrr s10, scause
        csrr s8, sepc
        li s7, H_HS
        csrr s4, hstatus
        csrr t0, sstatus
        srli s6, t0, 8
        andi s6, s6, 1
        srli t0, s4, 7
        andi t0, t0, 1
        slli t0, t0, 2
        or s6, s6, t0
        slli s5, s5, 8
        andi t0, s10, 0x3f
        ori t0, t0, 0x40
        or s5, s5, t0
        li t0, 1
        sll t0, t0, s10
        csrc sie, t0
        csrc hie, t0
        csrr t0, sscratch
        sret
hs_unexpected:
        csrr t0, sscratch
        csrr a1, scause
        csrr a2, sepc
        csrr a3, stval
        li a4, H_HS
        li a7, MAGIC_SUNEXP
        ecall
1:      j 1b

/* VS-mode trap handler (vstvec): runs with V=1, CSR names reach vs*. */
        .balign 64
        .globl vs_trap
vs_trap:
        csrw sscratch, t0
        csrr t0, scause
        bltz t0, vs_irq
        addi t0, t0, -CAUSE_ECALL_U
        beqz t0, vs_ecall
vs_exc:
        beqz s11, vs_unexpected
        csrr s10, scause
        csrr s9, stval
        csrr s8, sepc
        li s7, H_VS
        csrr s4, sstatus
        srli s6, s4, 8
        andi s6, s6, 1
        li s3, 0
        li s2, 0
        andi t0, s11, 1
        bnez t0, vs_to_m
        csrw sepc, s11
        li s11, 0
        csrr t0, sscratch
        sret
vs_to_m:
        xor a6, s11, t0
        li s11, 0
        li a7, MAGIC_TOM
        csrr t0, sscratch
        ecall
vs_ecall:
        li t0, MAGIC_TOM
        beq a7, t0, vs_fwd
        li t0, MAGIC_FAIL
        beq a7, t0, vs_fwd
        li t0, MAGIC_SUNEXP
        beq a7, t0, vs_fwd
        j vs_exc
vs_fwd:
        csrr t0, sscratch
        ecall
vs_irq:
        csrr s10, scause
        csrr s8, sepc
        li s7, H_VS
        csrr s4, sstatus
        srli s6, s4, 8
        andi s6, s6, 1
        slli s5, s5, 8
        andi t0, s10, 0x3f
        ori t0, t0, 0x80
        or s5, s5, t0
        li t0, 1
        sll t0, t0, s10
        csrc sie, t0
        csrr t0, sscratch
        sret
vs_unexpected:
        csrr t0, sscratch
        csrr a1, scause
        csrr a2, sepc
        csrr a3, stval
        li a4, H_VS
        li a7, MAGIC_SUNEXP
        ecall
1:      j 1b

/* PMP entry 15 = NAPOT over everything, RWX. */
        .globl pmp_allow_all
pmp_allow_all:
        csrw pmpcfg0, zero
        csrw pmpcfg2, zero
        li t0, -1
        csrw pmpaddr15, t0
        li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
        csrw pmpcfg2, t0
        sfence.vma zero, zero
        ret

#define PT_POOL_PAGES 64
/* Page-table pool: zeroed 4 KiB pages handed out in order. */
        .globl pt_pool_reset
pt_pool_reset:
        la t0, pt_pool
        la t1, pt_pool_next
        sd t0, 0(t1)
        li t1, PT_POOL_PAGES * 4096
        add t1, t1, t0
1:      sd zero, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 1b
        ret

/* pt_alloc() -> a0: a zeroed 4 KiB page. pt_alloc_root4() -> a0: a zeroed,
 * 16 KiB aligned 16 KiB table (G-stage root). Clobber t0, t1. */
        .globl pt_alloc
pt_alloc:
        la t0, pt_pool_next
        ld a0, 0(t0)
        li t1, 4096
        add t1, a0, t1
pt_alloc_end:
        sd t1, 0(t0)
        la t0, pt_pool_end
        bgtu t1, t0, 1f
        ret
1:      li a0, 253
        j test_fail
        .globl pt_alloc_root4
pt_alloc_root4:
        la t0, pt_pool_next
        ld a0, 0(t0)
        li t1, 0x3fff
        add a0, a0, t1
        not t1, t1
        and a0, a0, t1
        li t1, 0x4000
        add t1, a0, t1
        j pt_alloc_end

/* pt_map(a0 = root, a1 = va, a2 = pa, a3 = leaf flags, a4 = leaf level,
 * a5 = levels (3/4/5) | 0x100 for a G-stage (x4) table whose root index
 * has two more bits) -> a0 = the leaf PTE's address. Missing tables come
 * from the pool. M-mode. Clobbers t0-t6, a6. */
        .globl pt_map
pt_map:
        mv a6, ra
        andi t2, a5, 0xff
        addi t2, t2, -1             /* t2 = current level */
        mv t3, a0
1:      li t0, 9
        mul t0, t0, t2
        addi t0, t0, 12
        srl t4, a1, t0
        li t6, 511
        andi t0, a5, 0xff
        addi t0, t0, -1
        bne t0, t2, 4f              /* not the root */
        andi t0, a5, 0x100
        beqz t0, 4f
        li t6, 2047
4:      and t4, t4, t6
        slli t4, t4, 3
        add t4, t4, t3
        beq t2, a4, 3f
        ld t5, 0(t4)
        andi t0, t5, PTE_V
        bnez t0, 2f
        call pt_alloc
        srli t5, a0, 12
        slli t5, t5, 10
        ori t5, t5, PTE_V
        sd t5, 0(t4)
2:      srli t5, t5, 10
        slli t3, t5, 12
        addi t2, t2, -1
        j 1b
3:      srli t5, a2, 12
        slli t5, t5, 10
        or t5, t5, a3
        sd t5, 0(t4)
        mv a0, t4
        mv ra, a6
        ret

/* g_identity(a0 = root, a5 = levels | 0x100): map GPA [IMAGE_PA, +2 MiB)
 * to itself with a 2 MiB G-stage leaf (URWX, A, D). Clobbers as pt_map. */
        .globl g_identity
g_identity:
        li a1, IMAGE_PA
        li a2, IMAGE_PA
        li a3, GPTE_RWX
        li a4, 1
        j pt_map

/* vs_identity(a0 = root, a5 = levels): VS-stage: map VA [IMAGE_PA, +2 MiB)
 * to GPA the same, one 2 MiB supervisor leaf (RWX, A, D). */
        .globl vs_identity
vs_identity:
        li a1, IMAGE_PA
        li a2, IMAGE_PA
        li a3, PTE_LEAF_RWX
        li a4, 1
        j pt_map

/* h_putc(a0), h_puts(a0), h_puthex(a0), h_putdec(a0 < 1000): M-mode UART
 * output. Clobber a0-a3, t0, t1. */
        .globl h_putc
h_putc:
        li t0, UART_BASE
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
        ret
        .globl h_puts
h_puts:
        mv a1, a0
        mv a2, ra
1:      lbu a0, 0(a1)
        beqz a0, 2f
        call h_putc
        addi a1, a1, 1
        j 1b
2:      mv ra, a2
        ret
        .globl h_putdec
h_putdec:
        mv a3, ra
        li t1, 100
        divu a1, a0, t1
        remu a2, a0, t1
        beqz a1, 1f
        addi a0, a1, '0'
        call h_putc
1:      li t1, 10
        divu a0, a2, t1
        addi a0, a0, '0'
        call h_putc
        li t1, 10
        remu a0, a2, t1
        addi a0, a0, '0'
        call h_putc
        mv ra, a3
        ret
        .globl h_puthex
h_puthex:
        mv a1, a0
        mv a2, ra
        li a3, 60
1:      srl a0, a1, a3
        andi a0, a0, 15
        addi a0, a0, '0'
        li t0, '9'
        ble a0, t0, 2f
        addi a0, a0, 'a' - '0' - 10
2:      call h_putc
        addi a3, a3, -4
        bgez a3, 1b
        mv ra, a2
        ret

        .section .rodata.h_rt, "a"
msg_fail:      .asciz "FAIL check "
msg_got:       .asciz ": got 0x"
msg_want:      .asciz " want 0x"
msg_sunexp_hs: .asciz "unexpected HS-mode trap scause="
msg_sunexp_vs: .asciz "unexpected VS-mode trap vscause="
msg_epc:       .asciz " sepc="
msg_tval:      .asciz " stval="

        .section .bss.h_rt, "aw", @nobits
        .balign 16384
        .globl pt_pool
pt_pool:    .skip PT_POOL_PAGES * 4096
pt_pool_end:
        .balign 8
pt_pool_next: .skip 8
        .globl m_rt
m_rt:       .skip 32

        .text
#endif /* H_START */
#endif
