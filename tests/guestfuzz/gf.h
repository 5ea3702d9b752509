/* Layout shared by gf_rt.S and the programs gen.py writes. */
#ifndef GF_H
#define GF_H

#define UART_BASE       0x10000000
#define FINISHER_BASE   0x100000
#define FINISHER_PASS   0x5555
#define CLINT_MSIP      0x2000000
#define CLINT_MTIMECMP  0x2004000
#define CLINT_MTIME     0x200bff8

#define PT_BASE         0x80200000      /* page-table pool, 64 pages */
#define DATA_BASE       0x80400000      /* data pages, 16 */
#define DATA_PAGES      16
#define RET_BASE        0x80410000      /* pages of `ret`, 4 */
#define RET_PAGES       4
#define HIGH_PAGE       0x87fff000      /* last page of the default 128 MiB */
#define ALIAS_OFF       0x40000000      /* S-only alias of RAM in paged episodes */

#define MSTATUS_MIE     0x8
#define MSTATUS_MPP     0x1800
#define MSTATUS_MPRV    0x20000
#define MIP_MTIP        0x80
#define PMP_NAPOT_RWX   0x1f

#define SIG_BYTES       (1 << 20)

/* m_area (mscratch) */
#define MA_X28          0
#define MA_X29          8
#define MA_X30          16
#define MA_RESUME       24
#define MA_EP           32
#define MA_SIGPTR       40
#define MA_SIGEND       48
#define MA_EPCNT        56              /* exceptions recorded this episode */
#define MA_SIZE         64
#define EP_MAX          1024

/* s_area (sscratch) */
#define SA_X28          0
#define SA_X29          8
#define SA_X30          16
#define SA_GSTART       24
#define SA_GEND         32
#define SA_COUNT        40
#define SA_LOG          64              /* SLOG_MAX entries of 32 bytes */
#define SLOG_MAX        32

#endif
