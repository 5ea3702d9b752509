/* Two-hart mode (run.sh --smp 2): linked with hart 0's program, which is
 * built with -DDIFF_SMP_MAIN, by link_smp.ld.  Provides the boot stub that
 * sends each hart to its program, the image of hart 1's program (H1_BIN, a
 * flat binary linked at H1_BASE, included as is), and smp_dump_h1, which
 * hart 0's runtime calls at its end.  See smp.h for the memory layout. */
#include "smp.h"

        .option norelax

/* Both harts arrive here from the boot ROM (a0 = hartid, a1 = FDT,
 * a2 = fw_dynamic_info, which sig_mrom prints: keep a0-a2). */
        .section .text.boot, "ax"
        .globl _smp_boot
_smp_boot:
        csrr t0, mhartid
        beqz t0, 1f
        li t1, 1
        bne t0, t1, 2f
        li t0, H1_BASE
        jr t0
1:      la t0, _start
        jr t0
2:      csrw mie, zero                  /* harts 2..: not used, sleep */
3:      wfi
        j 3b

        .text
/* smp_dump_h1: wait (at most H1_WAIT_TICKS) for hart 1's MB_DONE, then
 * print its output on the UART with "h1." before every line.  If hart 1
 * never finishes or printed more than the mailbox holds, say so and end
 * with a failing finisher status.  Clobbers a0, s1-s6, t0, t1. */
        .globl smp_dump_h1
smp_dump_h1:
        addi sp, sp, -16
        sd ra, 0(sp)
        li s1, SMP_CLINT_MTIME
        ld s2, 0(s1)
        li t0, H1_WAIT_TICKS
        add s2, s2, t0                  /* deadline */
        li s3, MBOX
        li t1, MB_DONE
1:      ld t0, MB_FLAG(s3)
        beq t0, t1, 2f
        ld t0, 0(s1)
        bltu t0, s2, 1b
        la a0, str_h1_timeout
        j smp_fail
2:      fence r, r                      /* the flag, then the output */
        ld s4, MB_LEN(s3)
        li t0, MB_MAX
        bltu s4, t0, 3f
        la a0, str_h1_overflow
        j smp_fail
3:      addi s5, s3, MB_BUF             /* s5 = next byte, s4 = end */
        add s4, s4, s5
        li s6, 1                        /* at the start of a line */
4:      bgeu s5, s4, 6f
        beqz s6, 5f
        la a0, str_h1_prefix
        call smp_puts
5:      lbu a0, 0(s5)
        addi t0, a0, -'\n'
        seqz s6, t0
        call smp_putc
        addi s5, s5, 1
        j 4b
6:      bnez s6, 7f                     /* unterminated last line */
        li a0, '\n'
        call smp_putc
7:      ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* smp_fail(a0 = message): print it, end with exit status 1. */
smp_fail:
        call smp_puts
        li t0, SMP_FINISH_FAIL
        li t1, SMP_FINISHER
        sw t0, 0(t1)
1:      j 1b

/* smp_putc(a0) to the UART; clobbers t0, t1. */
smp_putc:
        li t0, 0x10000000
1:      lbu t1, 5(t0)
        andi t1, t1, 0x20
        beqz t1, 1b
        sb a0, 0(t0)
        ret

/* smp_puts(a0 = string); clobbers a0, t0-t2. */
smp_puts:
        addi sp, sp, -16
        sd ra, 0(sp)
        mv t2, a0
1:      lbu a0, 0(t2)
        beqz a0, 2f
        call smp_putc
        addi t2, t2, 1
        j 1b
2:      ld ra, 0(sp)
        addi sp, sp, 16
        ret

        .section .rodata
str_h1_prefix:   .asciz "h1."
str_h1_timeout:  .asciz "h1.timeout: hart 1 did not finish\n"
str_h1_overflow: .asciz "h1.overflow: hart 1 printed more than the mailbox holds\n"

/* Hart 1's program, linked at H1_BASE (link_smp.ld places the section). */
        .section .h1image, "ax"
        .incbin H1_BIN
