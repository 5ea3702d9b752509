/* Shared support for rivet's privileged-architecture tests (assembly only).
 *
 * Include this once from a tests/priv/*.S file (it is not a test itself: the
 * Makefile only builds *.S and *.c). It provides constants, checking macros
 * that work in every privilege mode, an M-mode trap handler, an S-mode trap
 * handler and a page-table builder.
 *
 * Register convention (the trap handlers write these; tests must not use
 * them for anything else):
 *   s11  resume address for the next expected exception (ARM sets it; the
 *        handler jumps there and zeroes it; bit 0 set = resume in M-mode,
 *        see ARM_M). 0 = no exception expected, so an exception then is
 *        reported as unexpected (exit status 255).
 *   s10  cause (mcause/scause) of the last trap, -1 after ARM
 *   s9   tval (mtval/stval) of the last trap
 *   s8   epc (mepc/sepc) of the last trap
 *   s7   privilege of the handler that took it: 3 = M, 1 = S
 *   s6   privilege the trap came from (mstatus.MPP or sstatus.SPP)
 *   s5   interrupt log: every interrupt shifts in one byte, the cause for
 *        an M-mode handler, 0x40|cause for the S-mode one
 *   s4   mstatus (M handler) or sstatus (S handler) seen by the handler
 * Interrupts are logged, their enable bit is cleared in mie (M handler) or
 * sie (S handler) so they do not fire again, and the handler returns to the
 * interrupted instruction.
 *
 * Leaving a lower mode: TO_M (ecall with a7 = MAGIC_TOM) continues at the
 * next instruction in M-mode; CHK failures ecall with a7 = MAGIC_FAIL and
 * M-mode prints the check number, the value seen and the one expected. The
 * S handler forwards both requests to M with an ecall, or, if that ecall is
 * itself delegated back to S (medeleg[9]), with the illegal MAGIC_INSN
 * (so medeleg[9] and medeleg[2] must not both be set while S-mode code uses
 * them). Code reached after TO_M runs in M-mode at the same address, so
 * paged tests map their code VA == PA.
 *
 * PRIV_INIT grants S/U access to everything through PMP entry 15 (the lowest
 * priority entry), because the spec lets a hart with PMP deny every S/U
 * access when no entry matches. */
#ifndef RIVET_PRIV_H
#define RIVET_PRIV_H

#include "test.h"

/* Copy the 8-byte `xcode` routine of the test (li a0, N; ret) to the
 * address in `dst` (a register); clobbers t0, t1. */
#define COPY_XCODE(dst)         \
        la t0, xcode;           \
        lwu t1, 0(t0);          \
        sw t1, 0(dst);          \
        lwu t1, 4(t0);          \
        sw t1, 4(dst)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_VS    (3 << 9)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_XS    (3 << 15)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_UXL   (3 << 32)
#define MSTATUS_SXL   (3 << 34)
#define MSTATUS_SD    (1 << 63)

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
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define INTR(n)   ((1 << 63) | (n))
/* Interrupt log bytes (s5). */
#define LOG_M(n)  (n)
#define LOG_S(n)  (0x40 | (n))

#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)

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
/* A leaf that needs no A/D update. */
#define PTE_LEAF_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#define SATP_MODE_SV39 (8 << 60)
#define SATP_MODE_SV48 (9 << 60)
#define SATP_MODE_SV57 (10 << 60)

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

#define MAGIC_TOM    0x7e01
#define MAGIC_FAIL   0x7e02
#define MAGIC_SUNEXP 0x7e03
/* custom-0 opcode, illegal here: the S handler's way to M when ecall from
 * S is delegated to S itself */
#define MAGIC_INSN   0x0000000b

#define INSN_WFI   0x10500073
#define INSN_MRET  0x30200073
#define INSN_SRET  0x10200073
#define INSN_ECALL 0x00000073

/* ---- checks (any privilege mode) ---------------------------------------- */

/* Checks jump to FAIL_TARGET on failure. Code that runs in U-mode under
 * paging cannot execute priv_fail (a supervisor page): such code redefines
 * FAIL_TARGET to a FAIL_STUB placed in its own user page. */
#define FAIL_TARGET priv_fail
#define FAIL_STUB li a7, MAGIC_FAIL; ecall; 1: j 1b

/* CHK(n, reg, value): fail with status n unless reg == value. Clobbers t5, t6. */
#define CHK(n, reg, value)                              \
        li t6, value;                                   \
        beq reg, t6, 97f;                               \
        mv t5, t6; mv a1, reg; mv a2, t5;               \
        li a0, n; j FAIL_TARGET;                          \
97:

/* CHKR(n, reg, ereg): fail with status n unless reg == ereg. Clobbers t5. */
#define CHKR(n, reg, ereg)                              \
        beq reg, ereg, 96f;                             \
        mv t5, ereg; mv a1, reg; mv a2, t5;             \
        li a0, n; j FAIL_TARGET;                          \
96:

/* CHKM(n, reg, mask, value): fail unless (reg & mask) == value.
 * Clobbers t4, t5, t6. */
#define CHKM(n, reg, mask, value)                       \
        li t6, mask; and t4, reg, t6;                   \
        CHK(n, t4, value)

/* FAILNOW(n): fail with status n (a1/a2 = 0). */
#define FAILNOW(n) li a1, 0; li a2, 0; li a0, n; j FAIL_TARGET

/* ---- expected exceptions ------------------------------------------------- */

/* ARM(label): the next exception resumes at label, in the mode it came
 * from. ARM_M(label): if the M-mode handler takes it, it resumes at label
 * in M-mode (a way back to M that does not depend on ecall). */
#define ARM(label) la s11, label; li s10, -1
#define ARM_M(label) la s11, label; ori s11, s11, 1; li s10, -1

/* EXPECT_TRAP(n, cause, insn...): run insn, which must trap with `cause`
 * and epc == its address (the handler that takes it does not matter; check
 * s7 for that). Fails with n if no trap, wrong cause or wrong epc. s9 then
 * holds tval. Clobbers t4-t6, a0-a2 on failure. */
#define EXPECT_TRAP(n, cause, insn...)                  \
        la s11, 81f; li s10, -1;                        \
80:     insn;                                           \
        li a1, -1; li a2, cause; li a0, n; j FAIL_TARGET; \
81:     CHK(n, s10, cause);                             \
        la t4, 80b; CHKR(n, s8, t4)

/* EXPECT_TRAP_TVAL(n, cause, tval, insn...): as above and tval (an
 * immediate) must match too. */
#define EXPECT_TRAP_TVAL(n, cause, tval, insn...)       \
        EXPECT_TRAP(n, cause, insn);                    \
        CHK(n, s9, tval)

/* EXPECT_NO_TRAP(n, insn...): insn must complete without an exception
 * (an exception is caught and reported as check n). */
#define EXPECT_NO_TRAP(n, insn...)                      \
        la s11, 83f; li s10, -1;                        \
        insn;                                           \
        li s11, 0; j 84f;                               \
83:     mv a1, s10; li a2, -1; li a0, n; j FAIL_TARGET;   \
84:

/* ---- privilege switches -------------------------------------------------- */

/* GOTO_MODE(mode, label): from M-mode, mret to label in `mode`.
 * Leaves mstatus.MPIE as it is. Clobbers t0. */
#define GOTO_MODE(mode, label)                          \
        li t0, MSTATUS_MPP; csrc mstatus, t0;           \
        li t0, (mode) << 11; csrs mstatus, t0;          \
        la t0, label; csrw mepc, t0;                    \
        mret

/* ENTER_MODE(mode): continue with the next instruction in `mode`. */
#define ENTER_MODE(mode) GOTO_MODE(mode, 79f); 79:
#define ENTER_S ENTER_MODE(PRV_S)
#define ENTER_U ENTER_MODE(PRV_U)

/* TO_M: from any mode, continue at the next instruction in M-mode, with
 * mstatus.MIE = 0. Clobbers a7 (and s8 if it goes through the S handler). */
#define TO_M li a7, MAGIC_TOM; ecall

/* PRIV_INIT: M-mode state every test starts from. Clobbers t0. */
#define PRIV_INIT                                       \
        la t0, m_trap; csrw mtvec, t0;                  \
        la t0, s_trap; csrw stvec, t0;                  \
        csrw medeleg, zero; csrw mideleg, zero;         \
        csrw mie, zero; csrw satp, zero;                \
        li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_TVM | \
               MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPP | MSTATUS_SUM | \
               MSTATUS_MXR | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_SPP; \
        csrc mstatus, t0;                               \
        li s11, 0; li s10, 0; li s9, 0; li s8, 0;       \
        li s7, 0; li s6, 0; li s5, 0; li s4, 0;         \
        la t0, m_rt; sd zero, 8(t0);                    \
        call pmp_allow_all;                             \
        call pt_pool_reset

#define SFENCE_ALL sfence.vma zero, zero
#define PT_POOL_PAGES 32

/* PRIV_PASS: end the test successfully (M-mode). */
#define PRIV_PASS TEST_PASS

/* ---- runtime -------------------------------------------------------------- */

        .section .text.priv_rt, "ax"

/* priv_fail(a0 = check number, a1 = value seen, a2 = value expected):
 * works in any mode (needs mtvec -> m_trap, or the S handler). */
        .globl priv_fail
priv_fail:
        FAIL_STUB

/* M-mode trap handler. Must be 4-byte aligned (direct mode). */
        .balign 64
        .globl m_trap
m_trap:
        csrw mscratch, t0
        la t0, m_rt
        sd t1, 0(t0)
        ld t1, 8(t0)                /* runaway bound on M-mode traps */
        addi t1, t1, 1
        sd t1, 8(t0)
        li t0, 100000
        bgeu t1, t0, m_unexpected
        csrr t1, mcause
        la t0, m_rt
        sd t1, 16(t0)               /* last M-mode cause */
        bltz t1, m_irq
        li t0, CAUSE_ECALL_U
        beq t1, t0, m_ecall
        li t0, CAUSE_ECALL_S
        beq t1, t0, m_ecall
        li t0, CAUSE_ECALL_M
        beq t1, t0, m_ecall
        li t0, CAUSE_ILLEGAL        /* MAGIC_INSN: the S handler's ecall */
        bne t1, t0, m_exc
        csrr t0, mtval
        addi t0, t0, -MAGIC_INSN
        beqz t0, m_ecall
m_exc:
        beqz s11, m_unexpected
        mv s10, t1
        csrr s9, mtval
        csrr s8, mepc
        li s7, PRV_M
        csrr s4, mstatus
        srli s6, s4, 11
        andi s6, s6, 3
        andi t0, s11, 1             /* ARM_M: resume in M-mode */
        beqz t0, 1f
        xor s11, s11, t0
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        li t0, MSTATUS_MPIE
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
        csrr t0, mepc
        addi t0, t0, 4
        csrw mepc, t0
        li t0, MSTATUS_MPP
        csrs mstatus, t0
        li t0, MSTATUS_MPIE         /* arrive with MIE = 0 */
        csrc mstatus, t0
        j m_ret
m_irq:
        mv s10, t1
        csrr s8, mepc
        li s7, PRV_M
        csrr s4, mstatus
        srli s6, s4, 11
        andi s6, s6, 3
        slli s5, s5, 8
        andi t0, t1, 0x3f
        or s5, s5, t0
        li t0, 1
        sll t0, t0, t1
        csrc mie, t0
        j m_ret
m_unexpected:
        li t0, MSTATUS_MPRV         /* the report goes to the UART */
        csrc mstatus, t0
        la t0, m_rt
        ld t1, 0(t0)
        csrr t0, mscratch
        j unexpected_trap
m_fail:
        li t0, MSTATUS_MPRV         /* print through physical addresses */
        csrc mstatus, t0
        mv s0, a0
        mv s1, a1
        mv s2, a2
        la a0, msg_fail
        call priv_puts
        mv a0, s0
        call priv_putdec
        la a0, msg_got
        call priv_puts
        mv a0, s1
        call priv_puthex
        la a0, msg_want
        call priv_puts
        mv a0, s2
        call priv_puthex
        li a0, '\n'
        call priv_putc
        mv a0, s0
        j test_fail
m_sunexp:
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        mv s0, a1
        mv s1, a2
        mv s2, a3
        la a0, msg_sunexp
        call priv_puts
        mv a0, s0
        call priv_puthex
        la a0, msg_epc
        call priv_puts
        mv a0, s1
        call priv_puthex
        la a0, msg_tval
        call priv_puts
        mv a0, s2
        call priv_puthex
        li a0, '\n'
        call priv_putc
        li a0, 255
        j test_fail

/* S-mode trap handler: uses only t0 (saved in sscratch) and touches no
 * memory, so it works under any mapping of its own code. */
        .balign 64
        .globl s_trap
s_trap:
        csrw sscratch, t0
        csrr t0, scause
        bltz t0, s_irq
        addi t0, t0, -CAUSE_ECALL_U
        beqz t0, s_ecall
        addi t0, t0, -(CAUSE_ECALL_S - CAUSE_ECALL_U)
        beqz t0, s_ecall
s_exc:
        beqz s11, s_unexpected
        csrr s10, scause
        csrr s9, stval
        csrr s8, sepc
        li s7, PRV_S
        csrr s4, sstatus
        srli s6, s4, 8
        andi s6, s6, 1
        csrw sepc, s11
        li s11, 0
        csrr t0, sscratch
        sret
s_ecall:
        li t0, MAGIC_TOM
        beq a7, t0, s_forward
        li t0, MAGIC_FAIL
        beq a7, t0, s_forward
        li t0, MAGIC_SUNEXP
        beq a7, t0, s_forward
        j s_exc
s_forward:
        csrr t0, sepc
        la s7, s_fwd_ecall
        beq t0, s7, 2f              /* our own ecall came back: delegated */
        addi s8, t0, 4
        csrr t0, sscratch
s_fwd_ecall:
        ecall                       /* to M; returns here in M for TO_M */
        jr s8
2:      csrr t0, sscratch
        .word MAGIC_INSN            /* illegal: reaches M all the same */
        jr s8
s_irq:
        csrr s10, scause
        csrr s8, sepc
        li s7, PRV_S
        csrr s4, sstatus
        srli s6, s4, 8
        andi s6, s6, 1
        slli s5, s5, 8
        andi t0, s10, 0x3f
        ori t0, t0, 0x40
        or s5, s5, t0
        li t0, 1
        sll t0, t0, s10
        csrc sie, t0
        csrr t0, sscratch
        sret
s_unexpected:
        csrr t0, sscratch
        csrr a1, scause
        csrr a2, sepc
        csrr a3, stval
        li a7, MAGIC_SUNEXP
        ecall
1:      j 1b

/* PMP entry 15 = NAPOT over the whole address space, RWX; entries 0-14 off. */
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

/* Page-table pool: 32 zeroed, 4 KiB aligned pages handed out in order. */
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

/* pt_alloc() -> a0: a fresh zeroed 4 KiB page. Clobbers t0, t1. */
        .globl pt_alloc
pt_alloc:
        la t0, pt_pool_next
        ld a0, 0(t0)
        li t1, 4096
        add t1, a0, t1
        sd t1, 0(t0)
        la t0, pt_pool_end
        bgtu t1, t0, 1f
        ret
1:      li a0, 253                  /* pool exhausted: a test bug */
        j test_fail

/* pt_map(a0 = root, a1 = va, a2 = pa, a3 = leaf PTE flags, a4 = leaf level
 * (0 = 4 KiB, 1 = 2 MiB, ...), a5 = number of levels (3/4/5)) -> a0 = the
 * leaf PTE's address. Missing tables come from the pool; existing valid
 * non-leaf PTEs are followed. Runs in M-mode (physical addresses).
 * Clobbers t0-t5, a6. */
        .globl pt_map
pt_map:
        mv a6, ra
        addi t2, a5, -1             /* t2 = current level */
        mv t3, a0                   /* t3 = current table */
1:      li t0, 9
        mul t0, t0, t2
        addi t0, t0, 12
        srl t4, a1, t0
        andi t4, t4, 511
        slli t4, t4, 3
        add t4, t4, t3              /* t4 = PTE address */
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

/* pt_pte(a0 = root, a1 = va, a4 = level, a5 = levels) -> a0 = address of
 * the PTE for va at that level (tables must exist). Clobbers t0-t5. */
        .globl pt_pte
pt_pte:
        addi t2, a5, -1
        mv t3, a0
1:      li t0, 9
        mul t0, t0, t2
        addi t0, t0, 12
        srl t4, a1, t0
        andi t4, t4, 511
        slli t4, t4, 3
        add t4, t4, t3
        beq t2, a4, 2f
        ld t5, 0(t4)
        srli t5, t5, 10
        slli t3, t5, 12
        addi t2, t2, -1
        j 1b
2:      mv a0, t4
        ret

/* map_image(a0 = root, a1 = user_start, a2 = user_end, a5 = levels):
 * map the first 2 MiB of RAM (the whole test image, its bss and stack)
 * VA == PA with 4 KiB pages, RWX with A and D set, and [user_start,
 * user_end) also with U. Runs in M-mode; uses the stack. */
        .globl map_image
map_image:
        la t0, _stack_top
        li t1, 0x80200000
        bleu t0, t1, 3f
        li a0, 252                  /* image too big for map_image */
        j test_fail
3:      addi sp, sp, -48
        sd ra, 0(sp)
        sd s0, 8(sp)
        sd s1, 16(sp)
        sd s2, 24(sp)
        sd s3, 32(sp)
        mv s0, a0
        mv s1, a1
        mv s2, a2
        li s3, 0x80000000
1:      mv a0, s0
        mv a1, s3
        mv a2, s3
        li a3, PTE_LEAF_RWX
        bltu s3, s1, 2f
        bgeu s3, s2, 2f
        ori a3, a3, PTE_U
2:      li a4, 0
        call pt_map
        li t0, 4096
        add s3, s3, t0
        li t0, 0x80200000
        bltu s3, t0, 1b
        ld ra, 0(sp)
        ld s0, 8(sp)
        ld s1, 16(sp)
        ld s2, 24(sp)
        ld s3, 32(sp)
        addi sp, sp, 48
        ret

/* priv_putc(a0), priv_puts(a0), priv_puthex(a0): M-mode UART output.
 * Clobber a0-a3, t0, t1. */
priv_putc:
        li t0, UART_BASE
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
        ret
priv_puts:
        mv a1, a0
        mv a2, ra
1:      lbu a0, 0(a1)
        beqz a0, 2f
        call priv_putc
        addi a1, a1, 1
        j 1b
2:      mv ra, a2
        ret
/* priv_putdec(a0 < 1000): clobbers a0-a3, t0, t1. */
priv_putdec:
        mv a3, ra
        li t1, 100
        divu a1, a0, t1
        remu a2, a0, t1
        beqz a1, 1f
        addi a0, a1, '0'
        call priv_putc
1:      li t1, 10
        divu a0, a2, t1
        addi a0, a0, '0'
        call priv_putc
        li t1, 10
        remu a0, a2, t1
        addi a0, a0, '0'
        call priv_putc
        mv ra, a3
        ret
priv_puthex:
        mv a1, a0
        mv a2, ra
        li a3, 60
1:      srl a0, a1, a3
        andi a0, a0, 15
        addi a0, a0, '0'
        li t0, '9'
        ble a0, t0, 2f
        addi a0, a0, 'a' - '0' - 10
2:      call priv_putc
        addi a3, a3, -4
        bgez a3, 1b
        mv ra, a2
        ret

        .section .rodata.priv_rt, "a"
msg_fail:   .asciz "FAIL check "
msg_got:    .asciz ": got 0x"
msg_want:   .asciz " want 0x"
msg_sunexp: .asciz "unexpected S-mode trap scause="
msg_epc:    .asciz " sepc="
msg_tval:   .asciz " stval="

        .section .bss.priv_rt, "aw", @nobits
        .balign 4096
        .globl pt_pool
pt_pool:    .skip PT_POOL_PAGES * 4096
pt_pool_end:
        .balign 8
pt_pool_next: .skip 8
        .globl m_rt
/* m_rt: +0 saved t1, +8 M-mode trap count, +16 last M-mode cause */
m_rt:       .skip 32

        .text
#endif
