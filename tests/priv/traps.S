/* Synchronous exceptions taken in M-mode: mcause, mepc and mtval for every
 * cause that does not need address translation (page faults are checked in
 * sv39.S/sv48.S/sv57.S, delegation in delegation.S).
 *
 * Instruction-address-misaligned (cause 0) cannot be raised here: with C
 * implemented IALIGN=16, jalr clears bit 0 of its target and every branch or
 * jump target is a multiple of 2, so the test only checks that jumping to an
 * odd address lands on the even one below it.
 *
 * Instruction access faults use 0x0 and 0x0c600000, which are empty on both
 * rivet and QEMU's virt board; 0x30000000 is not used because QEMU maps its
 * PCIe ECAM there (a fetch from it executes the all-ones it reads).
 *
 * Misaligned AMO and SC and AMO access faults, which QEMU 7.2 gets wrong,
 * are in traps_strict.S. */
#include "priv.h"

        .text
        .globl test_main
test_main:
        PRIV_INIT

        /* ---- cause 0 cannot happen with C: jalr drops bit 0 ---------- */
        la t0, odd_target
        addi t0, t0, 1
        li a0, 0
        EXPECT_NO_TRAP(1, jalr ra, 0(t0))
        CHK(2, a0, 0x5a)
        /* jalr with an odd immediate: bit 0 of rs1+imm is cleared, too */
        la t0, odd_target
        li a0, 0
        EXPECT_NO_TRAP(3, jalr ra, 1(t0))
        CHK(4, a0, 0x5a)
        /* a jump to a 2-byte-aligned (not 4-byte aligned) target is fine */
        li a0, 0
        EXPECT_NO_TRAP(5, call half_aligned_target)
        CHK(6, a0, 0x33)

        /* ---- cause 1: instruction access fault ------------------------- */
        /* Nothing is mapped at 0 (QEMU's debug region is empty): mepc and
         * mtval are the target address, not the jump. */
        li t0, 0
        ARM(1f)
        jalr ra, 0(t0)
1:      CHK(10, s10, CAUSE_FETCH_ACCESS)
        CHK(11, s8, 0)
        CHK(12, s9, 0)
        /* Unmapped MMIO hole above the PLIC: a non-zero mtval this time. */
        li t0, 0x0c600000
        ARM(1f)
        jalr ra, 0(t0)
1:      CHK(13, s10, CAUSE_FETCH_ACCESS)
        CHK(14, s8, 0x0c600000)
        CHK(15, s9, 0x0c600000)
        /* a target that is only 2-byte aligned: nothing gets rounded */
        li t0, 0x0c600002
        ARM(1f)
        jalr ra, 0(t0)
1:      CHK(16, s10, CAUSE_FETCH_ACCESS)
        CHK(17, s8, 0x0c600002)
        CHK(18, s9, 0x0c600002)

        /* ---- cause 2: illegal instruction, mtval = the instruction ------ */
        /* All-ones is a reserved >=192-bit encoding: mtval gets the first
         * ILEN (32) bits, zero-extended. */
        EXPECT_TRAP(20, CAUSE_ILLEGAL, .word 0xffffffff)
        CHK(21, s9, 0xffffffff)
        CHK(22, s7, PRV_M)
        /* A reserved 16-bit encoding (c.lwsp with rd=x0): mtval holds only
         * those 16 bits, not the halfword that follows. */
        EXPECT_TRAP(23, CAUSE_ILLEGAL, .half 0x4002; .half 0xffff)
        CHK(24, s9, 0x4002)
        /* The all-zero halfword is defined to be illegal. */
        EXPECT_TRAP(25, CAUSE_ILLEGAL, .half 0x0000; .half 0xffff)
        CHK(26, s9, 0)
        /* An unallocated CSR number (0x0ff). */
        EXPECT_TRAP(27, CAUSE_ILLEGAL, csrr a0, 0x0ff)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(28, s9, t1)
        CHK(29, t1, 0x0ff02573)      /* the encoding of csrr a0, 0x0ff */
        /* A write to an unallocated custom M-mode CSR number. */
        EXPECT_TRAP(30, CAUSE_ILLEGAL, csrw 0x7ff, a0)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(31, s9, t1)

        /* FP instructions and FP CSRs trap while mstatus.FS = Off. */
        li t0, MSTATUS_FS
        csrc mstatus, t0
        EXPECT_TRAP(32, CAUSE_ILLEGAL, fmv.d.x fa0, a0)
        la t0, 80b
        lwu t1, 0(t0)
        CHKR(33, s9, t1)
        EXPECT_TRAP(34, CAUSE_ILLEGAL, csrr a0, fcsr)
        EXPECT_TRAP(35, CAUSE_ILLEGAL, c.fldsp fa0, 0(sp))
        CHK(36, s9, 0x2502)         /* 16-bit encoding, 16-bit mtval */
        /* FS = Initial: FP works and a write makes FS Dirty and sets SD. */
        li t0, 1 << 13
        csrs mstatus, t0
        li a0, 0x4000
        EXPECT_NO_TRAP(37, fmv.d.x fa0, a0)
        csrr t0, mstatus
        CHKM(38, t0, MSTATUS_FS, MSTATUS_FS)
        CHKM(39, t0, MSTATUS_SD, MSTATUS_SD)
        li t0, MSTATUS_FS
        csrc mstatus, t0
        csrr t0, mstatus
        CHKM(40, t0, MSTATUS_SD, 0)

        /* ---- cause 3: breakpoint ---------------------------------------- */
        /* mepc is the ebreak itself (not the next instruction); mtval may be
         * 0 or the pc (QEMU 7.2 writes 0). */
        EXPECT_TRAP(45, CAUSE_BREAKPOINT, ebreak)
        la t0, 80b
        beqz s9, 1f
        CHKR(46, s9, t0)
1:      EXPECT_TRAP(47, CAUSE_BREAKPOINT, c.ebreak)
        la t0, 80b
        beqz s9, 1f
        CHKR(48, s9, t0)
1:

        /* ---- misaligned accesses ---------------------------------------- */
        /* Ordinary misaligned loads/stores to RAM complete (no trap).
         * buf bytes 0..15: ff ee dd cc bb aa 99 88 77 66 55 44 33 22 11 00 */
        la s0, buf
        EXPECT_NO_TRAP(50, ld a0, 1(s0))
        li t0, 0x778899aabbccddee
        CHKR(51, a0, t0)
        EXPECT_NO_TRAP(52, lw a0, 3(s0))
        li t0, 0xffffffff99aabbcc    /* sign-extended */
        CHKR(53, a0, t0)
        li a1, 0x0102030405060708
        EXPECT_NO_TRAP(54, sd a1, 3(s0))
        ld a0, 0(s0)
        li t0, 0x0405060708ddeeff
        CHKR(55, a0, t0)
        ld a0, 8(s0)
        li t0, 0x0011223344010203
        CHKR(56, a0, t0)
        /* A misaligned load across a 4 KiB page boundary in RAM. */
        la s1, page_pair
        li t0, 4092
        add s1, s1, t0
        li t0, 0x1122334455667788
        sd t0, 0(s1)
        EXPECT_NO_TRAP(59, ld a0, 0(s1))
        CHKR(60, a0, t0)

        /* LR must be naturally aligned: load-address-misaligned with mtval =
         * the address (an access fault would also be allowed, but rivet and
         * QEMU report the misalignment). */
        la s0, buf
        addi s1, s0, 4
        EXPECT_TRAP(61, CAUSE_MISALIGNED_LOAD, lr.d a0, (s1))
        CHKR(62, s9, s1)
        addi s1, s0, 2
        EXPECT_TRAP(63, CAUSE_MISALIGNED_LOAD, lr.w a0, (s1))
        CHKR(64, s9, s1)

        /* ---- causes 5 and 7: access faults ---------------------------- */
        EXPECT_TRAP(70, CAUSE_LOAD_ACCESS, ld a0, 16(zero))
        CHK(71, s9, 16)
        li s1, 0x0c600000
        EXPECT_TRAP(72, CAUSE_LOAD_ACCESS, lw a0, 8(s1))
        CHK(73, s9, 0x0c600008)
        EXPECT_TRAP(74, CAUSE_STORE_ACCESS, sd a0, 8(s1))
        CHK(75, s9, 0x0c600008)
        EXPECT_TRAP(76, CAUSE_STORE_ACCESS, sb a0, 3(zero))
        CHK(77, s9, 3)
        /* LR is a load; SC and AMOs report store/AMO faults. */
        EXPECT_TRAP(78, CAUSE_LOAD_ACCESS, lr.d a0, (s1))
        CHK(79, s9, 0x0c600000)
        /* a destination register must keep its value after a faulting load */
        li a0, 0x1234
        EXPECT_TRAP(80, CAUSE_LOAD_ACCESS, ld a0, 0(s1))
        CHK(81, a0, 0x1234)

        /* ---- causes 8, 9, 11: ecall from each mode ------------------- */
        li a7, 0
        EXPECT_TRAP(90, CAUSE_ECALL_M, ecall)
        CHK(91, s9, 0)
        CHK(92, s6, PRV_M)
        ENTER_S
        li a7, 0
        EXPECT_TRAP(93, CAUSE_ECALL_S, ecall)
        CHK(94, s9, 0)
        CHK(95, s6, PRV_S)          /* MPP records the mode we came from */
        CHK(96, s7, PRV_M)
        TO_M
        ENTER_U
        li a7, 0
        EXPECT_TRAP(97, CAUSE_ECALL_U, ecall)
        CHK(98, s9, 0)
        CHK(99, s6, PRV_U)
        CHK(100, s7, PRV_M)
        /* the same faults from U-mode are still M-mode traps with the same
         * reporting */
        EXPECT_TRAP(101, CAUSE_ILLEGAL, .word 0xffffffff)
        CHK(102, s9, 0xffffffff)
        CHK(103, s6, PRV_U)
        EXPECT_TRAP(104, CAUSE_LOAD_ACCESS, ld a0, 16(zero))
        CHK(105, s9, 16)
        EXPECT_TRAP(106, CAUSE_BREAKPOINT, ebreak)
        TO_M
        /* mcause never has the interrupt bit for exceptions */
        csrr t0, mcause
        CHK(107, t0, CAUSE_ECALL_U)

        PRIV_PASS

/* odd_target: sets a0 = 0x5a and returns. A jump to odd_target+1 that did
 * not drop bit 0 would execute from the middle of `li a0, 0x5a`. */
        .balign 4
odd_target:
        li a0, 0x5a
        ret

        .balign 4
        c.nop
half_aligned_target:                /* address = 2 mod 4 */
        li a0, 0x33
        ret

        .data
        .balign 16
buf:    .dword 0x8899aabbccddeeff, 0x0011223344556677
        .dword 0, 0
        .balign 4096
page_pair:
        .skip 8192
