/* Exception delegation with V=1, cause by cause (privileged spec 1.12,
 * 8.4.2 and 8.6): each exception raised in VS (or VU) is taken in M when
 * medeleg is clear, in HS when medeleg is set and hedeleg clear, in VS
 * when both are set; the address-carrying ones set GVA in mstatus/hstatus.
 * Causes: 1 fetch access, 2 illegal, 3 breakpoint, 4 misaligned load and
 * 6 misaligned store (if the hart traps them at all), 5 load access,
 * 7 store access, 8 ecall from VU, 12/13/15 VS-stage page faults; 10
 * (ecall from VS) and 20-23 are never delegated to VS (hedeleg bits
 * read-only zero) but go to HS with medeleg. */
#include "h.h"

#define DENY_PA  FREE_PA            /* PMP denies S/U everything here */
#define VDENY    0x40000000         /* VS maps it to DENY_PA */
#define VNONE    0x40001000         /* VS leaves it unmapped */
#define DELEGABLE ((1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15))

/* T(n, cause, gva, insn): insn traps with cause into the handler in s0
 * (H_M / H_HS / H_VS); if gva, GVA is set (M, HS) */
#define T(n, cause, gva, insn...)                               \
        EXPECT_TRAP(n, cause, insn);                            \
        CHKR(n, s7, s0);                                        \
        GVACHK(n, gva)
/* MAYBE(n, cause, insn): insn either completes or traps as T */
#define MAYBE(n, cause, insn...)                                \
        la s11, 81f; li s10, -1;                                \
80:     insn;                                                   \
        li s11, 0; j 82f;                                       \
81:     CHK(n, s10, cause); la t4, 80b; CHKR(n, s8, t4);        \
        CHKR(n, s7, s0); GVACHK(n, 1);                          \
82:
/* GVACHK(n, gva): mstatus.GVA (M) or hstatus.GVA (HS) == gva (VS: no
 * check); GVACHKR(n, reg) takes the expected value from a register
 * other than t4-t6 */
#define GVACHK(n, gva) li t3, gva; GVACHKR(n, t3)
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 sets mstatus.GVA for a trap without a guest address taken in M when hedeleg has its bit: s1 = 1 marks that phase) */
#define GVA_QEMU_SKIP
#else
#define GVA_QEMU_SKIP bnez s1, 93f;
#endif
#define GVACHKR(n, reg)                                         \
        GVA_QEMU_SKIP                                           \
        li t4, H_VS; beq s7, t4, 93f;                           \
        li t4, H_M; bne s7, t4, 92f;                            \
        srli t4, s4, 38; j 91f;                                 \
92:     srli t4, s4, 6;                                         \
91:     andi t4, t4, 1; CHKR(n, t4, reg);                       \
93:

/* ACCESS(b): the PMP access faults */
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 reports a PMP access fault with V=1 as a guest-page fault) */
#define ACCESS(b)                                               \
        li a0, VDENY;                                           \
        ARM(1f); jalr a0; FAILNOW(b);                           \
1:      CHK(b, s10, CAUSE_FETCH_ACCESS); CHKR(b, s7, s0);       \
        CHK(b, s8, VDENY); GVACHK(b, 1);                        \
        li a0, VDENY + 8;                                       \
        T(b + 3, CAUSE_LOAD_ACCESS, 1, ld a1, 0(a0));           \
        T(b + 4, CAUSE_STORE_ACCESS, 1, sd a1, 0(a0))
#else
#define ACCESS(b)
#endif

/* ILL(b): an illegal instruction */
#ifndef H_FOR_QEMU  /* rivet-test: qemu-defect (QEMU 7.2 delivers an illegal instruction delegated to VS with vscause 1: it applies the VS-interrupt renumbering 2 -> 1 to exceptions too) */
#define ILL(b) T(b, CAUSE_ILLEGAL, 0, .word 0)
#else
#define ILL(b) li t3, H_VS; beq s0, t3, 89f; T(b, CAUSE_ILLEGAL, 0, .word 0); 89:
#endif

/* BODY(base): every cause once, from VS (vsatp on). A breakpoint's tval
 * is 0 or the ebreak's address: GVA says which. */
#define BODY(b)                                                 \
        ACCESS(b);                                              \
        ILL(b + 1);                                             \
        EXPECT_TRAP(b + 2, CAUSE_BREAKPOINT, ebreak);           \
        CHKR(b + 2, s7, s0);                                    \
        snez t3, s9; GVACHKR(b + 2, t3);                         \
        li a0, VNONE;                                           \
        T(b + 5, CAUSE_LOAD_PAGE, 1, ld a1, 0(a0));             \
        T(b + 6, CAUSE_STORE_PAGE, 1, sd a1, 0(a0));            \
        ARM(1f); jalr a0; FAILNOW(b + 7);                       \
1:      CHK(b + 7, s10, CAUSE_FETCH_PAGE); CHKR(b + 7, s7, s0); \
        CHK(b + 7, s9, VNONE); GVACHK(b + 7, 1);                \
        la a0, scratch + 1;                                     \
        MAYBE(b + 8, CAUSE_MISALIGNED_LOAD, ld a1, 0(a0));      \
        MAYBE(b + 9, CAUSE_MISALIGNED_STORE, sd a1, 0(a0))

        .text
        .globl test_main
test_main:
        H_INIT
        li t0, (DENY_PA >> 2) | 0x1ff
        csrw pmpaddr0, t0
        li t0, PMP_NAPOT
        csrw pmpcfg0, t0
        call pt_alloc
        mv s1, a0
        li a5, 3
        call vs_identity
        mv a0, s1
        li a1, VDENY
        li a2, DENY_PA
        li a3, PTE_LEAF_RWX
        li a4, 0
        li a5, 3
        call pt_map
        li t0, SATP_MODE_SV39
        srli t1, s1, 12
        or t0, t0, t1
        csrw vsatp, t0
        sfence.vma zero, zero
        hfence.vvma zero, zero

        /* ---- medeleg = hedeleg = 0: M ----------------------------------------- */
        li s1, 0
        li s0, H_M
        ENTER_VS
        BODY(1)
        TO_M
        /* ---- medeleg set, hedeleg clear: HS ------------------------------------ */
        li t0, DELEGABLE
        csrw medeleg, t0
        li s0, H_HS
        ENTER_VS
        BODY(20)
        TO_M
        /* ---- both set: VS ---------------------------------------------------- */
        li t0, DELEGABLE
        csrw hedeleg, t0
        li s0, H_VS
        ENTER_VS
        BODY(40)
        TO_M
        /* hedeleg without medeleg does nothing: M */
        csrw medeleg, zero
        li s0, H_M
        li s1, 1
        ENTER_VS
        BODY(60)
        TO_M

        /* ---- ecall: from VU to M / HS / VS; from VS never to VS --------------- */
        csrw vsatp, zero
        li a7, 0
        li s0, H_M
        ENTER_VU
        li a7, 0
        T(80, CAUSE_ECALL_U, 0, ecall)
        TO_M
        li t0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ECALL_VS)
        csrw medeleg, t0
        csrw hedeleg, zero
        li s0, H_HS
        ENTER_VU
        li a7, 0
        T(81, CAUSE_ECALL_U, 0, ecall)
        TO_M
        li t0, -1
        csrw hedeleg, t0
        li s0, H_VS
        ENTER_VU
        li a7, 0
        T(82, CAUSE_ECALL_U, 0, ecall)
        TO_M
        li s0, H_HS
        ENTER_VS
        li a7, 0
        T(83, CAUSE_ECALL_VS, 0, ecall)         /* hedeleg[10] is read-only 0 */
        /* virtual instruction (22): never to VS either */
        li s0, H_M
        T(84, CAUSE_VIRTUAL_INSN, 0, csrr t0, hstatus)
        TO_M
        li t0, 1 << CAUSE_VIRTUAL_INSN
        csrs medeleg, t0
        li s0, H_HS
        ENTER_VS
        T(85, CAUSE_VIRTUAL_INSN, 0, csrr t0, hstatus)
        TO_M
        csrw medeleg, zero
        csrw hedeleg, zero
        csrw pmpcfg0, zero

        TEST_PASS

        .data
        .balign 16
scratch: .dword 0, 0
