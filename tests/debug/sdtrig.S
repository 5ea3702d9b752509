/* Sdtrig: debug triggers (tselect, tdata1-3, tinfo, tcontrol, mcontext):
 * execute, load and store triggers in M, S and U, the mcontrol (type 2)
 * and mcontrol6 (type 6) forms, equal/>=/< matches, the hit bits, and
 * the M-mode rule (fire only with tcontrol.mte; traps into M clear it into
 * mpte, MRET restores it). Built twice by tests/debug/sdtrig_test.sh: as
 * is for rivet, and with -DFOR_QEMU for QEMU 7.2, which has two triggers,
 * no tcontrol (its M-mode triggers fire whatever mte would say), no hit
 * bits, tval 0, only "equal" matches, and an 8-byte window for size "any".
 * Only triggers 0 and 1 are used, so that both run the same checks. */
#include "priv.h"

#define TYPE2 (2 << 60)
#define TYPE6 (6 << 60)
#define MC_LD 1
#define MC_ST 2
#define MC_X  4
#define MC_U  (1 << 3)
#define MC_S  (1 << 4)
#define MC_M  (1 << 6)
#define MATCH_GE (2 << 7)
#define MATCH_LT (3 << 7)
#define HIT2 (1 << 20)
#define HIT6 (1 << 22)
#define MTE  (1 << 3)
#define MPTE (1 << 7)

/* SET_TRIGGER(n, tdata1, addr): trigger n watches addr (a symbol). */
#define SET_TRIGGER(n, t1, addr)                        \
        li t0, n; csrw tselect, t0;                     \
        li t0, TYPE2; csrw tdata1, t0;                  \
        la t0, addr; csrw tdata2, t0;                   \
        li t0, t1; csrw tdata1, t0

/* TVAL_IS(n, reg): tval holds the matched address. The spec also allows
 * 0, which is what QEMU 7.2 writes: its variant does not check. */
#ifdef FOR_QEMU
#define TVAL_IS(n, reg)
#else
#define TVAL_IS(n, reg) CHKR(n, s9, reg)
#endif

/* HIT_SET(n, bit): the trigger's hit bit is set (optional in the spec;
 * QEMU 7.2 does not implement it). */
#ifdef FOR_QEMU
#define HIT_SET(n, bit)
#else
#define HIT_SET(n, bit) csrr t0, tdata1; CHKM(n, t0, bit, bit)
#endif

/* OFF(n): trigger n matches in no mode. */
#define OFF(n) li t0, n; csrw tselect, t0; li t0, TYPE2; csrw tdata1, t0

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- discovery: tinfo, tselect WARL, reset type ---------------- */
        csrr t0, tinfo
        CHK(1, t0, (1 << 2) | (1 << 6))
        li t0, 1                    /* QEMU 7.2 has two triggers, rivet four */
        csrw tselect, t0
        csrr t1, tselect
        CHK(2, t1, 1)
        li t0, 100
        csrw tselect, t0            /* no trigger 100: tselect keeps 1 */
        csrr t1, tselect
        CHK(3, t1, 1)
        csrw tselect, zero
        csrr t0, tdata1
        srli t0, t0, 60
        CHK(4, t0, 2)
        csrr t0, tdata3
        CHK(5, t0, 0)

        /* ---- execute trigger in M ------------------------------------- */
        SET_TRIGGER(0, TYPE2 | MC_M | MC_X, x_fn1)
#ifndef FOR_QEMU
        csrw tcontrol, zero         /* mte = 0: M-mode triggers are quiet */
        EXPECT_NO_TRAP(10, call x_fn1)
        li t0, MTE
        csrw tcontrol, t0
#endif
        ARM(1f)
        call x_fn1
        FAILNOW(11)
1:      CHK(12, s10, CAUSE_BREAKPOINT)
        la t4, x_fn1
        CHKR(13, s8, t4)            /* before the instruction runs */
        TVAL_IS(14, t4)             /* tval: its address */
        CHK(15, s7, PRV_M)
        HIT_SET(16, HIT2)
#ifndef FOR_QEMU
        csrr t0, tcontrol           /* the trap saved mte in mpte, mret restored it */
        CHK(17, t0, MTE | MPTE)
#endif
        OFF(0)
        EXPECT_NO_TRAP(18, call x_fn1)

#ifndef FOR_QEMU
        /* ---- tcontrol: mret sets mte from mpte; traps save mte ------- */
        li t0, MPTE
        csrw tcontrol, t0
        GOTO_MODE(PRV_M, 1f)
1:      csrr t0, tcontrol
        CHK(20, t0, MTE | MPTE)
        li t0, MTE
        csrw tcontrol, t0
        li a7, 0
        EXPECT_TRAP(21, CAUSE_ECALL_M, ecall)
        csrr t0, tcontrol
        CHK(22, t0, MTE | MPTE)
        csrw tcontrol, zero
#endif

        /* ---- execute trigger in S, not in U ---------------------------- */
        SET_TRIGGER(1, TYPE2 | MC_S | MC_X, x_fn2)
        ENTER_U
        EXPECT_NO_TRAP(30, call x_fn2)
        TO_M
        ENTER_S
        ARM(1f)
        call x_fn2
        FAILNOW(31)
1:      CHK(32, s10, CAUSE_BREAKPOINT)
        CHK(33, s6, PRV_S)
        la t4, x_fn2
        TVAL_IS(34, t4)
        TO_M
        OFF(1)

        /* ---- load and store triggers in U ------------------------------ */
        SET_TRIGGER(0, TYPE2 | MC_U | MC_LD, word)
        la t2, word
        ENTER_U
        EXPECT_TRAP(40, CAUSE_BREAKPOINT, ld t1, 0(t2))
        la t4, word
        TVAL_IS(41, t4)
        CHK(42, s6, PRV_U)
        EXPECT_NO_TRAP(43, sd zero, 8(t2))   /* another address */
        EXPECT_NO_TRAP(44, ld t1, 8(t2))
        li t3, 0x55
        EXPECT_NO_TRAP(45, sd t3, 0(t2))     /* loads only */
        TO_M
        SET_TRIGGER(0, TYPE2 | MC_U | MC_ST, word)
        la t2, word
        ENTER_U
        li t3, 0x66
        EXPECT_TRAP(46, CAUSE_BREAKPOINT, sd t3, 0(t2))
        EXPECT_NO_TRAP(47, ld t1, 0(t2))
        CHK(48, t1, 0x55)                    /* the store did not happen */
#ifndef FOR_QEMU  /* QEMU 7.2 watches 8 bytes from tdata2 when size is "any" */
        EXPECT_NO_TRAP(49, sw t3, 4(t2))     /* not a byte of the watched one */
#endif
        TO_M
        OFF(0)

#ifndef FOR_QEMU  /* QEMU 7.2 ignores the match field: always "equal" */
        /* ---- >= and < matches ------------------------------------------ */
        SET_TRIGGER(1, TYPE2 | MC_U | MC_LD | MATCH_GE, word + 16)
        la t2, word
        ENTER_U
        EXPECT_NO_TRAP(50, ld t1, 8(t2))
        EXPECT_TRAP(51, CAUSE_BREAKPOINT, ld t1, 16(t2))
        EXPECT_TRAP(52, CAUSE_BREAKPOINT, ld t1, 24(t2))
        TO_M
        SET_TRIGGER(1, TYPE2 | MC_U | MC_LD | MATCH_LT, word + 16)
        la t2, word
        ENTER_U
        EXPECT_TRAP(53, CAUSE_BREAKPOINT, ld t1, 8(t2))
        EXPECT_NO_TRAP(54, ld t1, 16(t2))
        TO_M
        OFF(1)
#endif

        /* ---- mcontrol6 in S -------------------------------------------- */
        SET_TRIGGER(0, TYPE6 | MC_S | MC_LD, word)
        csrr t0, tdata1
        srli t0, t0, 60
        CHK(60, t0, 6)
        la t2, word
        ENTER_S
        EXPECT_TRAP(61, CAUSE_BREAKPOINT, ld t1, 0(t2))
        TO_M
        HIT_SET(62, HIT6)
        OFF(0)
        la t2, word
        ENTER_S
        EXPECT_NO_TRAP(63, ld t1, 0(t2))
        TO_M

        PRIV_PASS

        .p2align 4
x_fn1:  nop
        ret
        .p2align 4
x_fn2:  nop
        ret

        .data
        .p2align 4
word:   .dword 0, 0, 0, 0
