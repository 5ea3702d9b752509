/* Instruction decoding into rivet's pre-decoded form, generated from insn.def. */
#ifndef RIVET_DECODE_H
#define RIVET_DECODE_H

#include "util/common.h"

enum insn_format { F_R, F_I, F_S, F_B, F_U, F_J, F_SH6, F_SH5, F_CSR, F_R4, F_NONE };

enum cinsn_format {
    CF_ADDI4SPN, CF_CL_W, CF_CL_D, CF_CS_W, CF_CS_D, CF_CI, CF_CI_RD, CF_CI_LI,
    CF_ADDI16SP, CF_CI_LUI, CF_CB_SH, CF_CB_ANDI, CF_CA, CF_CJ, CF_CB_BR,
    CF_CI_SLLI, CF_CI_FLDSP, CF_CI_LWSP, CF_CI_LDSP, CF_CR_JR, CF_CR_MV,
    CF_CR_JALR, CF_CR_ADD, CF_CSS_W, CF_CSS_D, CF_NONE,
};

enum op {
    OP_UNDECODED = 0,  /* interpreter: a slot not yet decoded */
    OP_ILLEGAL,        /* raises illegal instruction with the raw bits */
    OP_CROSS_PAGE,     /* interpreter: a 32-bit instruction straddling two pages */
#define INSN(name, mask, match, fmt, args, ext) OP_##name,
#define CINSN(name, mask, match, cfmt, target, ext)
#define CTARGET(name) OP_##name##_c,
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#undef CTARGET
    OP_COUNT
};

/* One decoded instruction. The operands are extracted once; an integer rd
 * of x0 is redirected to x[32], a sink, so that no instruction needs to test
 * for x0. */
struct decoded {
    uint16_t op;    /* compressed instructions use the OP_<op>_c variants */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t len;    /* 2 or 4 */
    uint8_t rm;     /* rounding-mode field of FP instructions */
    int32_t imm;    /* immediate; CSR number for Zicsr; shift amount */
    uint32_t raw;   /* instruction bits, for mtval on illegal instruction */
};

#define XREG_SINK 32

/* Decode `raw` (a 16-bit instruction in the low half when (raw & 3) != 3).
 * Never fails: unknown encodings decode to OP_ILLEGAL. */
void decode_insn(uint32_t raw, struct decoded *d);

static inline unsigned insn_length(uint32_t raw_low16)
{
    return (raw_low16 & 3) == 3 ? 4 : 2;
}

/* Disassemble into buf; returns buf. */
const char *disasm_insn(char *buf, size_t size, uint32_t raw, uint64_t pc);
const char *op_name(unsigned op);

#endif
