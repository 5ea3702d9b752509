/* Shared layout and macros for the generated random cases (rand_NNN.S) and
 * their runtime (rand_rt.S).  Included through the C preprocessor. */
#ifndef RAND_RT_H
#define RAND_RT_H

#include "smp.h"                /* two-hart mode (run.sh --smp 2) */

#define UART_BASE      0x10000000
#define FINISHER_BASE  0x100000
#define FINISHER_PASS  0x5555
#define MSTATUS_FS     0x6000          /* FS = 3 (dirty) */

/* Per-case data blob emitted by gen.py. */
#define BLOB_FCSR      0
#define BLOB_F(i)      (8 + 8 * (i))
#define BLOB_X(i)      (264 + 8 * ((i) - 1))   /* x1..x31 */
#define BLOB_BUF       512                     /* 128 bytes */

/* Scratch area: s0 = scratch_buf, sp = scratch_buf + 64.  The dump's save
 * area follows the 128-byte buffer; offsets below are from sp. */
#define SAVE           64
#define SAVE_X(i)      (SAVE + 8 * ((i) - 1))  /* x1..x31 */
#define SAVE_F(i)      (SAVE + 248 + 8 * (i))  /* f0..f31 */
#define SAVE_FCSR      (SAVE + 504)
#define SAVE_MEM       (SAVE + 512)            /* copy of the 16 buffer dwords */
#define SAVE_TCOUNT    (SAVE + 640)
#define SAVE_THASH     (SAVE + 648)
#define SAVE_TLOG      (SAVE + 656)            /* up to TLOG_MAX x {cause, tval, epc} */
#define N_FIXED        82                      /* lines before the trap log */
#define TLOG_MAX       8

/* Trap area (mscratch points at it while cases run). */
#define TA_COUNT       0
#define TA_HASH        8
#define TA_SAVE        16                      /* 3 saved registers */
#define TA_TVAL        40                      /* mtval as logged (see rand_rt.S) */
#define TA_LOG         48

#ifdef __ASSEMBLER__
/* Start of a case: print its header, then load every register from the
 * blob.  x1 and x31 are loaded last here because init_common returns
 * through x1 and reads the blob through x31. */
        .macro CASE_BEGIN idx, blob
        li a0, \idx
        jal ra, case_header
        la x31, \blob
        jal x1, init_common
        ld x1, BLOB_X(1)(x31)
        ld x31, BLOB_X(31)(x31)
        .endm

/* End of a case: x1 is saved before the call overwrites it. */
        .macro CASE_END
        sd x1, SAVE_X(1)(sp)
        jal x1, dump_common
        .endm
#endif
#endif
