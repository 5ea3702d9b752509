/* F and D arithmetic with RISC-V semantics: exact IEEE 754 results in all
 * five rounding modes, accrued exception flags, canonical NaNs and
 * NaN-boxing of single-precision values in 64-bit registers. Operands and
 * results are raw register bits. */
#ifndef RIVET_FPU_H
#define RIVET_FPU_H

#include "util/common.h"

struct hart;

enum fp_rm { RM_RNE, RM_RTZ, RM_RDN, RM_RUP, RM_RMM };
enum fp_arith { FA_ADD, FA_SUB, FA_MUL, FA_DIV, FA_SQRT, FA_MADD, FA_MSUB, FA_NMSUB, FA_NMADD };
enum fp_cmp { FC_LE, FC_LT, FC_EQ };
enum fp_sgnj { FS_J, FS_JN, FS_JX };
enum fp_int { FI_W, FI_WU, FI_L, FI_LU };

#define FFLAG_NX 0x01
#define FFLAG_UF 0x02
#define FFLAG_OF 0x04
#define FFLAG_DZ 0x08
#define FFLAG_NV 0x10

/* The host has FMA instructions (x86-64: the JIT may emit them). */
bool fp_host_has_fma(void);
uint64_t fp_arith(struct hart *h, enum fp_arith op, bool dbl, unsigned rm,
                  uint64_t a, uint64_t b, uint64_t c);
uint64_t fp_minmax(struct hart *h, bool dbl, bool is_max, uint64_t a, uint64_t b);
uint64_t fp_compare(struct hart *h, bool dbl, enum fp_cmp cmp, uint64_t a, uint64_t b);
uint64_t fp_classify(bool dbl, uint64_t a);
uint64_t fp_sign_inject(bool dbl, enum fp_sgnj kind, uint64_t a, uint64_t b);
uint64_t fp_to_int(struct hart *h, bool dbl, enum fp_int kind, unsigned rm, uint64_t a);
uint64_t fp_from_int(struct hart *h, bool dbl, enum fp_int kind, unsigned rm, uint64_t x);
uint64_t fp_s_to_d(struct hart *h, uint64_t a);
uint64_t fp_d_to_s(struct hart *h, unsigned rm, uint64_t a);

static inline uint64_t fp_box(uint32_t v) { return 0xffffffff00000000ULL | v; }

#endif
