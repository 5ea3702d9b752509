/* Two-hart mode of the differential tests (run.sh --smp 2).  Included by
 * sig.h and rand_rt.h, and by smp_rt.S.
 *
 * With -smp 2 -bios none both harts leave the boot ROM for the start of RAM
 * with a0 = mhartid.  The ELF then holds two independent programs:
 *
 *   0x80000000  smp_rt.S's boot stub: hart 0 -> _start of the hart-0 program
 *               (built with -DDIFF_SMP_MAIN), hart 1 -> H1_BASE, others park
 *   0x80000000+ hart 0's program, as in one-hart mode; it must end below
 *               H0_LIMIT (sig_sv39 uses its own megapage at base + 4 MiB)
 *   H1_BASE     hart 1's program (built with -DDIFF_HART=1 and linked at
 *               H1_BASE: own code, data, stack, page tables, trap records),
 *               incbin'ed by smp_rt.S
 *   MBOX        the only memory both harts touch: hart 1 writes its UART
 *               output here instead of to the UART, then sets MB_FLAG to
 *               MB_DONE (after a fence); hart 0, at its end, waits for that
 *               flag (at most H1_WAIT_TICKS of mtime), prints hart 1's
 *               output with every line prefixed "h1." and only then prints
 *               its own "done" line and writes the finisher.
 *
 * Per-hart devices: CLINT msip at CLINT_BASE + 4 * hart, mtimecmp at
 * CLINT_BASE + 0x4000 + 8 * hart (sig.h builds CLINT_MSIP/CLINT_MTIMECMP
 * from DIFF_HART), so each program talks to its own hart's registers. */
#ifndef DIFF_SMP_H
#define DIFF_SMP_H

#ifndef DIFF_HART
#define DIFF_HART       0
#endif

#define H0_BASE         0x80000000
#define H1_BASE         0x81000000
#define H0_LIMIT        0x80400000      /* hart 0's program ends below this */
#define H1_LIMIT        0x81400000      /* and hart 1's below this */
/* Base of the running program's 16 MiB slot (sig_sv39's megapage). */
#define DIFF_BASE       (H0_BASE + DIFF_HART * (H1_BASE - H0_BASE))

#define MBOX            0x82000000
#define MB_FLAG         0               /* MB_DONE once hart 1 has finished */
#define MB_LEN          8               /* bytes hart 1 printed (may exceed MB_MAX) */
#define MB_BUF          64              /* the bytes, at most MB_MAX of them */
#define MB_MAX          0x100000
#define MB_DONE         0x600d600d

#define SMP_CLINT_MTIME 0x200bff8
#define H1_WAIT_TICKS   (20 * 10000000) /* 20 s of the 10 MHz mtime */
#define SMP_FINISHER    0x100000
#define SMP_FINISH_FAIL ((1 << 16) | 0x3333)    /* exit status 1 */

#ifdef __ASSEMBLER__
/* putc for hart 1: append a0 to the mailbox; clobbers t0, t1 (like the UART
 * putc it replaces). */
        .macro MBOX_PUTC
        li t0, MBOX
        ld t1, MB_LEN(t0)
        addi t1, t1, 1
        sd t1, MB_LEN(t0)
        srli t1, t1, 20                 /* past MB_MAX: count, do not store */
        bnez t1, 8f
        ld t1, MB_LEN(t0)
        add t0, t0, t1
        sb a0, MB_BUF-1(t0)
8:
        .endm

/* Hart 1's start: empty mailbox (RAM starts zeroed, but do not rely on it). */
        .macro MBOX_INIT
        li t0, MBOX
        sd zero, MB_FLAG(t0)
        sd zero, MB_LEN(t0)
        .endm

/* Hart 1's end: publish the output, then sleep with interrupts off. */
        .macro H1_FINISH
        fence rw, w
        li t0, MBOX
        li t1, MB_DONE
        sd t1, MB_FLAG(t0)
        csrw mie, zero
        csrci mstatus, 0x8
8:      wfi
        j 8b
        .endm
#endif
#endif
