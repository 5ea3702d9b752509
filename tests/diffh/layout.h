/* Memory layout and record format shared by the V-mode differential
 * programs' runtime (rt.S, main.c) and mirrored in gen.py.  All addresses
 * are physical; the image is also mapped VA == GPA == PA for the HS and VS
 * handlers (see README.md). */
#ifndef DIFFH_LAYOUT_H
#define DIFFH_LAYOUT_H

#define IMAGE_PA     0x80000000    /* code, data, signature, stack: < 2 MiB */
#define GPT_PA       0x80200000    /* G-stage tables (root 16 KiB aligned) */
#define GPT_SIZE     0x00080000
#define VPT_PA       0x80400000    /* VS-stage tables (GPA == PA) */
#define VPT_SIZE     0x00040000
#define DATA_PA      0x80600000    /* data pages, refilled every case */
#define DATA_PAGES   16
#define RET_PA       0x80700000    /* pages full of "ret" (fetch probes) */
#define RET_PAGES    2
#define RET_INSN     0x00008067    /* jalr x0, 0(ra) */

#define MAGIC_A7     0x5ca1ab1e0dd5eed7
#define MAGIC_A6     0x0e0fca5e0e0fca5e

#define REC_WORDS    8             /* hid, cause, epc, tval, tval2, tinst, bits, 0 */
#define MAX_RECS     128           /* traps recorded per case */
#define TRAP_CAP     160           /* more traps than this: the case is aborted */

#define H_M  3
#define H_HS 1
#define H_VS 2

#endif
