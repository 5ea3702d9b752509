/* Miscellaneous RV64I/Zifencei/Zihintpause behaviour:
 *  - fence (all pred/succ forms, fence.tso) and pause (a fence encoding)
 *    execute as no-ops in a single-hart program.
 *  - fence.i makes stores to instruction memory visible to instruction
 *    fetch: code is written, executed, rewritten and executed again, both in
 *    .data and in .text (an emulator with a decode/translation cache must
 *    invalidate it), including a patched compressed instruction.
 *  - HINT encodings (writes to x0 and other reserved-as-HINT forms, 32-bit
 *    and compressed) execute as no-ops: no trap, no register changes.
 *  - ecall in M-mode: mcause 11, mepc = the ecall; ebreak: mcause 3;
 *    unimplemented opcodes: illegal instruction with mtval = bits. */
#include "isa.h"

        .text
        .globl test_main
test_main:
        mv s11, ra

        /* ---- fences and pause */
        li a0, 1
        fence
        fence rw, rw
        fence iorw, iorw
        fence r, r
        fence w, w
        fence i, o
        fence.tso
        .word 0x0100000f                /* pause (fence w, 0) */
        fence.i
        TCHECK(1, a0, 1)

        /* ---- fence.i: self-modifying code in .data */
        la s0, codebuf
        li t0, 0x00100513               /* addi a0, zero, 1 */
        sw t0, 0(s0)
        li t0, 0x00008067               /* ret */
        sw t0, 4(s0)
        fence.i
        li a0, 0
        jalr s0
        TCHECK(2, a0, 1)
        li t0, 0x00200513               /* addi a0, zero, 2 */
        sw t0, 0(s0)
        fence.i
        jalr s0
        TCHECK(3, a0, 2)
        li t0, 0x0001450d               /* c.li a0, 3; c.nop */
        sw t0, 0(s0)
        fence.i
        jalr s0
        TCHECK(4, a0, 3)
        /* ... and in .text, in code that has already run */
        call patch_me
        TCHECK(5, a0, 10)
        la s0, patch_me
        li t0, 0x01400513               /* addi a0, zero, 20 */
        sw t0, 0(s0)
        fence.i
        call patch_me
        TCHECK(6, a0, 20)
        li t0, 0x00a00513               /* back to the original */
        sw t0, 0(s0)
        fence.i

        /* ---- HINTs execute as no-ops */
        li a0, 0x1234
        li a1, 0x5678
        .option push
        .option norvc
        addi x0, x0, 5                  /* addi x0 other than the canonical nop */
        slti x0, a0, 1
        lui x0, 5
        auipc x0, 1
        add x0, a0, a1
        slli x0, a0, 3
        .word 0x0030000f                /* fence 0, rw (pred = 0) */
        .word 0x0300000f                /* fence rw, 0 (succ = 0) */
        .option pop
        .hword 0x0005                   /* c.nop with imm 1 */
        .hword 0x4015                   /* c.li x0, 5 */
        .hword 0x6005                   /* c.lui x0, 1 */
        .hword 0x802a                   /* c.mv x0, a0 */
        .hword 0x902a                   /* c.add x0, a0 */
        .hword 0x0006                   /* c.slli x0, 1 */
        .hword 0x0501                   /* c.addi a0, 0 */
        .hword 0x0502                   /* c.slli a0, 0 (c.slli64) */
        TCHECK(7, a0, 0x1234)
        TCHECK(8, a1, 0x5678)
        TCHECK(9, x0, 0)

        /* ---- environment call and breakpoint */
        TEST_TRAP(10, CAUSE_ECALL_M, 0, ecall)
        .option push
        .option norvc
        TEST_TRAP_ANYTVAL(11, CAUSE_BREAKPOINT, ebreak)
        .option pop
        /* ---- unimplemented encodings */
        TEST_TRAP(12, CAUSE_ILLEGAL_INSN, 0xffffffff, .word 0xffffffff)
        TEST_TRAP(13, CAUSE_ILLEGAL_INSN, 0x0000000b, .word 0x0000000b)   /* custom-0 */
        TEST_TRAP(14, CAUSE_ILLEGAL_INSN, 0x30400073, .word 0x30400073)   /* SYSTEM, funct12 0x304: no such insn */

        mv ra, s11
        li a0, 0
        ret

        .balign 4
patch_me:
        .option push
        .option norvc
        addi a0, zero, 10
        ret
        .option pop

        .data
        .balign 4
codebuf: .word 0, 0, 0, 0
