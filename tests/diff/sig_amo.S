/* Atomics: every AMO on boundary values (32-bit results sign-extended,
 * signed vs unsigned min/max), LR/SC success and failure.  The traps of
 * misaligned and unmapped atomics are in sig_quirks (QEMU 7.2 deviates from
 * the spec there). */
#include "sig.h"

        .macro AMO_CASE name, op, init, operand
        li t0, \init
        sd t0, 0(s1)
        li t1, \operand
        \op s2, t1, (s1)
        ld s3, 0(s1)
        SHOW "\name\().rd", s2
        SHOW "\name\().mem", s3
        .endm

        .text
        .globl test_main
test_main:
        la s1, cell
        CASE 1          /* AMO semantics */
        AMO_CASE amoswap.w, amoswap.w, 0x1111111180000000, 0x2222222233333333
        AMO_CASE amoadd.w, amoadd.w, 0x123456787fffffff, 1
        AMO_CASE amoxor.w, amoxor.w, 0xffffffff0f0f0f0f, 0xff00ff00
        AMO_CASE amoand.w, amoand.w, 0xaaaaaaaa8000ffff, 0xfff0fff0
        AMO_CASE amoor.w, amoor.w, 0x5555555500000001, 0x80000000
        AMO_CASE amomin.w, amomin.w, 0x0000000000000001, 0x80000000
        AMO_CASE amomax.w, amomax.w, 0x0000000000000001, 0x80000000
        AMO_CASE amominu.w, amominu.w, 0x0000000000000001, 0x80000000
        AMO_CASE amomaxu.w, amomaxu.w, 0x0000000000000001, 0x80000000
        AMO_CASE amoswap.d, amoswap.d, 0x8000000000000000, 0x7fffffffffffffff
        AMO_CASE amoadd.d, amoadd.d, 0x7fffffffffffffff, 1
        AMO_CASE amomin.d, amomin.d, 0x7fffffffffffffff, 0x8000000000000000
        AMO_CASE amomax.d, amomax.d, 0x7fffffffffffffff, 0x8000000000000000
        AMO_CASE amominu.d, amominu.d, 0x7fffffffffffffff, 0x8000000000000000
        AMO_CASE amomaxu.d, amomaxu.d, 0x7fffffffffffffff, 0x8000000000000000
        AMO_CASE amoand.d.aqrl, amoand.d.aqrl, 0xf0f0f0f0f0f0f0f0, 0x0ff00ff00ff00ff0
        li t0, 0x0123456789abcdef       /* .w on the upper half of a dword */
        sd t0, 0(s1)
        li t1, 0x10
        addi t2, s1, 4
        amoadd.w s2, t1, (t2)
        ld s3, 0(s1)
        SHOW "amoadd.w_hi.rd", s2
        SHOW "amoadd.w_hi.mem", s3
        li t1, 0x10
        amoswap.w zero, t1, (s1)        /* rd = x0: still writes memory */
        ld s3, 0(s1)
        SHOW "amoswap.w_x0.mem", s3

        CASE 2          /* LR/SC */
        li t0, 0x1111
        sd t0, 0(s1)
        li t1, 0x2222
        sc.d s2, t1, (s1)               /* no reservation: fails */
        ld s3, 0(s1)
        SHOW "sc.no_res.rd", s2
        SHOW "sc.no_res.mem", s3
        lr.d s4, (s1)
        addi s4, s4, 1
        sc.d s2, s4, (s1)               /* succeeds, rd = 0 */
        ld s3, 0(s1)
        SHOW "sc.ok.rd", s2
        SHOW "sc.ok.mem", s3
        sc.d s2, t1, (s1)               /* reservation consumed: fails */
        ld s3, 0(s1)
        SHOW "sc.again.rd", s2
        SHOW "sc.again.mem", s3
        li t0, 0xffffffff80000000
        sd t0, 8(s1)
        addi s5, s1, 12
        lr.w.aq s4, (s5)                /* upper word: sign-extended */
        SHOW "lr.w.val", s4
        addi t0, s1, 12
        lr.w.aq s4, (t0)
        li t1, 0x7fffffff
        sc.w.rl s2, t1, (t0)
        ld s3, 8(s1)
        SHOW "sc.w.rd", s2
        SHOW "sc.w.mem", s3

        CASE 3          /* LR is a load: misaligned -> 4, unmapped -> 5 */
        addi s4, s1, 1
        lr.w s2, (s4)
        SHOW_TRAP "lr.misaligned_w"
        addi s4, s1, 4
        lr.d s2, (s4)
        SHOW_TRAP "lr.misaligned_d"
        li s4, 0x88000000
        lr.d s2, (s4)
        SHOW_TRAP "lr.unmapped"
        j sig_done

        .data
        .balign 16
cell:   .dword 0, 0
