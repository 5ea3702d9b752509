/* Sstc: stimecmp (CSR 0x14d) drives mip.STIP when menvcfg.STCE = 1, is
 * reachable from S-mode only with STCE and mcounteren.TM both set, never
 * from U-mode, and lets S-mode program its own timer interrupt without
 * calling M-mode (what Linux does when the DT advertises Sstc). */
#include "priv.h"

#define CSR_MENVCFG  0x30a
#define CSR_STIMECMP 0x14d
#define MENVCFG_STCE (1 << 63)

#define WAIT_MIP(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beq t2, t6, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:
#define WAIT_MIP_CLEAR(bits, n) li t1, 10000000; li t6, bits; \
        71: csrr t2, mip; and t2, t2, t6; beqz t2, 72f; \
        addi t1, t1, -1; bnez t1, 71b; FAILNOW(n); 72:

        .text
        .globl test_main
test_main:
        PRIV_INIT
        li t0, -1
        csrw CSR_STIMECMP, t0

        /* ---- access control ------------------------------------------- */
        csrw CSR_MENVCFG, zero
        li t0, 0x2                  /* TM */
        csrw mcounteren, t0
        csrw scounteren, t0
        /* M-mode always has it */
        li t1, 0x123456789
        csrw CSR_STIMECMP, t1
        csrr t0, CSR_STIMECMP
        CHKR(1, t0, t1)
        li t0, -1
        csrw CSR_STIMECMP, t0
        /* STCE = 0: S-mode traps even with TM */
        ENTER_S
        EXPECT_TRAP(2, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP)
        CHK(3, s7, PRV_M)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(4, s9, t1)
        EXPECT_TRAP(5, CAUSE_ILLEGAL, csrw CSR_STIMECMP, zero)
        TO_M
        /* STCE = 1, TM = 0: traps */
        li t0, MENVCFG_STCE
        csrw CSR_MENVCFG, t0
        csrw mcounteren, zero
        ENTER_S
        EXPECT_TRAP(6, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP)
        TO_M
        /* both: S-mode reads and writes it */
        li t0, 0x2
        csrw mcounteren, t0
        ENTER_S
        li t1, 0x987654321
        EXPECT_NO_TRAP(7, csrw CSR_STIMECMP, t1)
        csrr t0, CSR_STIMECMP
        CHKR(8, t0, t1)
        li t0, -1
        csrw CSR_STIMECMP, t0
        TO_M
        csrr t0, CSR_STIMECMP
        CHK(9, t0, -1)
        /* U-mode never, whatever scounteren says */
        ENTER_U
        EXPECT_TRAP(10, CAUSE_ILLEGAL, csrr a0, CSR_STIMECMP)
        EXPECT_TRAP(11, CAUSE_ILLEGAL, csrw CSR_STIMECMP, zero)
        TO_M

        /* ---- STIP follows stimecmp <= time while STCE = 1 -------------- */
        csrw CSR_STIMECMP, zero
        WAIT_MIP(MIP_STIP, 20)
        li t0, -1
        csrw CSR_STIMECMP, t0
        WAIT_MIP_CLEAR(MIP_STIP, 21)
        /* M cannot set STIP by hand now: it is read-only in mip */
        li t0, MIP_STIP
        csrs mip, t0
        csrr t2, mip
        CHKM(22, t2, MIP_STIP, 0)
        /* a deadline 1 s away is not pending */
        csrr t1, time
        li t0, 10000000
        add t1, t1, t0
        csrw CSR_STIMECMP, t1
        csrr t2, mip
        CHKM(23, t2, MIP_STIP, 0)
        /* one 200 us away becomes pending by itself */
        csrr s1, time
        addi s1, s1, 2000
        csrw CSR_STIMECMP, s1
        WAIT_MIP(MIP_STIP, 24)
        /* time >= stimecmp (one tick of slack for timer rounding) */
        csrr t2, time
        addi t2, t2, 1
        sltu t2, t2, s1
        CHK(25, t2, 0)
        li t0, -1
        csrw CSR_STIMECMP, t0
        WAIT_MIP_CLEAR(MIP_STIP, 26)

        /* ---- S-mode programs its own timer interrupt ------------------- */
        li s5, 0
        li t0, MIP_STIP
        csrw mideleg, t0
        csrw mie, t0
        li t0, MSTATUS_SIE
        csrs mstatus, t0
        ENTER_S
        csrr t1, time
        addi t1, t1, 2000
        csrw CSR_STIMECMP, t1
        li t3, 10000000
1:      bnez s5, 2f
        addi t3, t3, -1
        bnez t3, 1b
        FAILNOW(30)
2:      CHK(31, s5, LOG_S(IRQ_STI))
        CHK(32, s10, INTR(IRQ_STI))
        CHK(33, s7, PRV_S)
        /* S-mode acknowledges by moving stimecmp out */
        li t0, -1
        csrw CSR_STIMECMP, t0
        li t3, 10000000
1:      csrr t2, sip
        andi t2, t2, MIP_STIP
        beqz t2, 2f
        addi t3, t3, -1
        bnez t3, 1b
        FAILNOW(34)
2:      TO_M
        li t0, MSTATUS_SIE
        csrc mstatus, t0

        /* not delegated: the same interrupt goes to M */
        li s5, 0
        csrw mideleg, zero
        csrw CSR_STIMECMP, zero
        WAIT_MIP(MIP_STIP, 40)
        li t0, MIP_STIP
        csrw mie, t0
        li t0, MSTATUS_MIE
        csrs mstatus, t0
        nop
        li t0, MSTATUS_MIE
        csrc mstatus, t0
        CHK(41, s5, LOG_M(IRQ_STI))
        CHK(42, s10, INTR(IRQ_STI))
        li t0, -1
        csrw CSR_STIMECMP, t0
        WAIT_MIP_CLEAR(MIP_STIP, 43)

        /* STCE = 0 again: STIP is M's software bit once more */
        csrw CSR_MENVCFG, zero
        li t0, MIP_STIP
        csrs mip, t0
        csrr t2, mip
        CHKM(50, t2, MIP_STIP, MIP_STIP)
        csrc mip, t0
        csrr t2, mip
        CHKM(51, t2, MIP_STIP, 0)

        csrw mie, zero
        csrw mcounteren, zero
        csrw scounteren, zero
        PRIV_PASS
