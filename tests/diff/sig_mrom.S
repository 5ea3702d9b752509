/* The boot path: registers handed over by the reset-vector ROM and the ROM's
 * contents at 0x1000 (reset code, start address, FDT address and the
 * fw_dynamic_info block).  rivet promises QEMU's command line and boot
 * protocol, so these must match QEMU 7.2's words exactly.  The FDT itself
 * is not compared (its contents legitimately differ), only its magic. */
#include "sig.h"

        .text
        .globl test_main
test_main:
        CASE 1
        la s1, boot_regs
        ld s2, 0(s1)
        SHOW "boot.a0.hartid", s2
        ld s2, 8(s1)
        SHOW "boot.a1.fdt", s2
        ld s2, 16(s1)
        SHOW "boot.a2.fw_dynamic_info", s2

        CASE 2
        /* FDT header magic, read as bytes so endianness is explicit */
        ld s2, 8(s1)
        lbu s3, 0(s2)
        lbu s4, 1(s2)
        slli s3, s3, 8
        or s3, s3, s4
        lbu s4, 2(s2)
        slli s3, s3, 8
        or s3, s3, s4
        lbu s4, 3(s2)
        slli s3, s3, 8
        or s3, s3, s4
        SHOW "fdt.magic", s3

        CASE 3
        /* 0x1000..0x1040: reset code (6 words), start address, FDT address,
         * fw_dynamic_info {magic, version, next_addr, next_mode, options,
         * boot_hart}. */
        li s2, 0x1000
        li s3, 0x1058
1:      ld s4, 0(s2)
        SHOW "mrom.dword", s4
        addi s2, s2, 8
        bltu s2, s3, 1b
        /* 32-bit and byte reads of the same ROM */
        li s2, 0x1000
        lw s4, 4(s2)
        SHOW "mrom.lw4", s4
        lhu s4, 6(s2)
        SHOW "mrom.lhu6", s4
        lb s4, 3(s2)
        SHOW "mrom.lb3", s4

        j sig_done
