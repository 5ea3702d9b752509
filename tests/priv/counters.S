/* Counters: the time CSR follows the CLINT's mtime, cycle/instret count up
 * and are writable through mcycle/minstret, mcounteren/scounteren gate the
 * user-level counter CSRs for S and U, and the Zihpm counters exist and
 * start at 0. Counters 19-31, which QEMU 7.2 does not implement, are checked
 * in counters_strict.S. */
#include "priv.h"

#define CSR_HPMCOUNTER4 0xc04

/* READABLE(n, insn): insn must not trap. TRAPS(n, insn): it must be an
 * illegal instruction. */
#define READABLE(n, insn...) EXPECT_NO_TRAP(n, insn)
#define TRAPS(n, insn...) EXPECT_TRAP(n, CAUSE_ILLEGAL, insn)

/* GATES(base, mode): check the counter CSRs in `mode` for the current
 * mcounteren/scounteren, which the test put in s2 (effective mask for that
 * mode: bit set = readable). Uses checks base..base+4. */
#define GATE1(n, bit, csr)                              \
        andi t3, s2, (1 << bit);                        \
        beqz t3, 73f;                                   \
        READABLE(n, csrr a0, csr);                      \
        j 74f;                                          \
73:     TRAPS(n, csrr a0, csr);                         \
74:
#define GATES(base)                                     \
        GATE1(base, 0, cycle);                          \
        GATE1(base + 1, 1, time);                       \
        GATE1(base + 2, 2, instret);                    \
        GATE1(base + 3, 3, hpmcounter3);                \
        GATE1(base + 4, 4, CSR_HPMCOUNTER4)

/* RUN_GATES(mcounteren, scounteren, base): check S (mask = mcounteren) and
 * U (mask = mcounteren & scounteren) from M-mode. */
#define RUN_GATES(mc, sc, base)                         \
        li t0, mc; csrw mcounteren, t0;                 \
        li t0, sc; csrw scounteren, t0;                 \
        li s2, (mc) & 0x1f;                             \
        ENTER_S;                                        \
        GATES(base);                                    \
        TO_M;                                           \
        li s2, (mc) & (sc) & 0x1f;                      \
        ENTER_U;                                        \
        GATES(base + 5);                                \
        TO_M

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- time == CLINT mtime ----------------------------------------- */
        li s0, CLINT_MTIME
        ld t1, 0(s0)
        csrr t2, time
        ld t3, 0(s0)
        /* t1 <= t2 <= t3, with 1000 ticks (100 us) of slack either way */
        addi t4, t1, -1000
        sltu t5, t2, t4
        CHK(1, t5, 0)
        addi t4, t3, 1000
        sltu t5, t4, t2
        CHK(2, t5, 0)
        /* and it moves: wait (bounded) for a change */
        csrr t1, time
        li t3, 10000000
1:      csrr t2, time
        bne t2, t1, 2f
        addi t3, t3, -1
        bnez t3, 1b
        FAILNOW(3)
2:      sltu t5, t1, t2
        CHK(4, t5, 1)

        /* ---- cycle and instret increase; M can set them --------------- */
        csrr t1, cycle
        csrr t2, instret
        li t3, 100
1:      addi t3, t3, -1
        bnez t3, 1b
        csrr t4, cycle
        csrr t5, instret
        sltu t4, t1, t4
        CHK(10, t4, 1)
        sub t5, t5, t2
        sltiu t5, t5, 200           /* 200 instructions have retired */
        CHK(11, t5, 0)
        /* the machine-level aliases see the same counters */
        csrr t1, instret
        csrr t2, minstret
        sltu t3, t2, t1
        CHK(12, t3, 0)
        li t0, 1000
        csrw minstret, t0
        csrr t1, minstret
        addi t1, t1, -1000
        li t0, 1000000
        sltu t2, t1, t0             /* 1000 <= minstret < 1000 + 1e6 */
        CHK(13, t2, 1)
        csrr t1, instret
        addi t1, t1, -1000
        sltu t2, t1, t0
        CHK(14, t2, 1)
        li t0, 1000
        csrw mcycle, t0
        csrr t1, mcycle
        addi t1, t1, -1000
        li t0, 1000000
        sltu t2, t1, t0
        CHK(15, t2, 1)

        /* ---- Zihpm: the counters and event selectors exist and are 0 --- */
        .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18
        csrr t0, mhpmcounter\n
        CHK(20, t0, 0)
        csrr t0, hpmcounter\n
        CHK(21, t0, 0)
        .endr
        .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        csrr t0, mhpmevent\n
        CHK(22, t0, 0)
        .endr

        /* ---- counter-enable gating ------------------------------------ */
        RUN_GATES(0, 0, 30)         /* nothing below M */
        RUN_GATES(0x1f, 0, 40)      /* S only */
        RUN_GATES(0x1f, 0x1f, 50)   /* S and U */
        RUN_GATES(0, 0x1f, 60)      /* scounteren cannot open what M closed */
        RUN_GATES(0x2, 0x1f, 70)    /* only time */
        RUN_GATES(0x5, 0x1, 80)     /* cycle+instret for S, cycle for U */
        RUN_GATES(0x18, 0x10, 90)   /* the hpm bits work the same way */

        /* time read from U matches mtime, too */
        li t0, 0x2
        csrw mcounteren, t0
        csrw scounteren, t0
        ENTER_U
        csrr s1, time
        TO_M
        li t0, CLINT_MTIME
        ld t1, 0(t0)
        sltu t2, t1, s1
        CHK(100, t2, 0)             /* not ahead of mtime */
        sub t1, t1, s1
        li t0, 10000000
        sltu t2, t1, t0
        CHK(101, t2, 1)             /* and not more than 1 s behind */

        csrw mcounteren, zero
        csrw scounteren, zero
        PRIV_PASS
