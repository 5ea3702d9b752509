/* Places where QEMU 7.2, the reference, deviates from the RISC-V spec.  They
 * are kept out of the other signature programs so that those can pass on an
 * emulator that follows the spec, while this unit records what QEMU does:
 * an emulator either copies these behaviours or leaves this unit out
 * (run.sh --skip quirks).  Expected on a spec-following emulator: case 1
 * mcause 6, case 2 mcause 7, case 3 order 03 07 01, case 4 mepc ...fe,
 * case 5 ctzw = 32. */
#include "sig.h"

#define MIP_SSIP  (1 << 1)
#define MIP_MSIP  (1 << 3)
#define MIP_MTIP  (1 << 7)

        .text
        .globl test_main
test_main:
        la s1, cell
        li t1, 1

        CASE 1          /* misaligned AMO: QEMU reports mcause 4 (load
                         * address misaligned), the spec says 6 */
        addi s4, s1, 2
        amoadd.w s2, t1, (s4)
        SHOW_TRAP "quirk.amo_misaligned_w"
        addi s4, s1, 4
        amoor.d s2, t1, (s4)
        SHOW_TRAP "quirk.amo_misaligned_d"

        CASE 2          /* AMO to an unmapped address: QEMU reports mcause 5
                         * (load access fault), the spec says 7 */
        li s4, 0x88000000
        amoswap.d s2, t1, (s4)
        SHOW_TRAP "quirk.amo_unmapped"

        CASE 3          /* interrupt priority: QEMU 7.2 (without AIA) takes
                         * the lowest-numbered pending interrupt first, so
                         * SSI (1) goes before MSI (3) and MTI (7); the spec
                         * order is MSI, MTI, SSI */
        la t0, irq_log
        sd zero, 0(t0)
        li t0, 1
        li t1, CLINT_MSIP
        sw t0, 0(t1)
        li t1, CLINT_MTIMECMP
        sd zero, 0(t1)
        csrs mip, MIP_SSIP
        li t0, MIP_MSIP | MIP_MTIP | MIP_SSIP
        csrw mie, t0
        csrs mstatus, MSTATUS_MIE
        nop
        nop
        csrc mstatus, MSTATUS_MIE
        csrw mie, zero
        la t0, irq_log
        ld s2, 0(t0)
        SHOW "quirk.irq_order", s2

        CASE 4          /* mepc bit 0: QEMU keeps it on a CSR write, the
                         * spec says it is always zero */
        li t0, -1
        csrw mepc, t0
        SHOW_CSR "quirk.mepc_bit0", mepc

        CASE 5          /* ctzw with a zero lower word: QEMU 7.2 goes on
                         * counting into the upper word (36 here), the spec
                         * says 32 */
        li s1, 0x0000001000000000
        ctzw s2, s1
        SHOW "quirk.ctzw_upper", s2
        j sig_done

        .data
        .balign 16
cell:   .dword 0, 0
