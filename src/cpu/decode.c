/* Decoder and disassembler, both driven by the table in insn.def. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "cpu/hart.h"

struct insn_desc {
    const char *name;
    uint32_t mask, match;
    uint8_t format;     /* enum insn_format, or enum cinsn_format when compressed */
    uint8_t compressed;
    uint16_t op;        /* the op executed (the 32-bit equivalent for C) */
    const char *args;   /* operand syntax of the executed op */
};

#define INSN(n, mask, match, fmt, args, ext) static const char args_of_##n[] = args;
#define CINSN(n, mask, match, cfmt, target, ext)
#include "cpu/insn.def"
#undef INSN
#undef CINSN

#define INSN(n, mask, match, fmt, args, ext) { #n, mask, match, fmt, 0, OP_##n, args },
#define CINSN(n, mask, match, cfmt, target, ext) { #n, mask, match, cfmt, 1, OP_##target, NULL },
static const struct insn_desc insn_table[] = {
#include "cpu/insn.def"
};
#undef INSN
#undef CINSN

static const char *const op_args[OP_COUNT] = {
#define INSN(n, mask, match, fmt, args, ext) [OP_##n] = args,
#define CINSN(n, mask, match, cfmt, target, ext)
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#define INSN(n, mask, match, fmt, args, ext)
#define CINSN(n, mask, match, cfmt, target, ext)
#define CTARGET(n) [OP_##n##_c] = args_of_##n,
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#undef CTARGET
};

/* The 2-byte variant of each op that compressed instructions expand to. */
static const uint16_t compressed_variant[OP_COUNT] = {
#define INSN(n, mask, match, fmt, args, ext)
#define CINSN(n, mask, match, cfmt, target, ext)
#define CTARGET(n) [OP_##n] = OP_##n##_c,
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#undef CTARGET
};

static const char *const op_names[OP_COUNT] = {
    [OP_UNDECODED] = "(undecoded)", [OP_ILLEGAL] = "(illegal)",
    [OP_CROSS_PAGE] = "(cross page)",
#define INSN(n, mask, match, fmt, args, ext) [OP_##n] = #n,
#define CINSN(n, mask, match, cfmt, target, ext)
#define CTARGET(n) [OP_##n##_c] = #n,
#include "cpu/insn.def"
#undef INSN
#undef CINSN
#undef CTARGET
};

const char *op_name(unsigned op)
{
    return op < OP_COUNT ? op_names[op] : "?";
}

/* Candidates by the bits every entry's mask includes: the major opcode
 * (bits 6:0) for 32-bit instructions, quadrant and funct3 (bits 1:0 and
 * 15:13) for compressed ones. Built once from insn_table, never changed. */
#define BUCKETS (128 + 32)
#define MAX_PER_BUCKET 64

struct desc_index {
    uint8_t count[BUCKETS];
    uint16_t entry[BUCKETS][MAX_PER_BUCKET];
};

static unsigned bucket_of(uint32_t raw)
{
    if ((raw & 3) == 3)
        return raw & 0x7f;
    return 128 + ((raw & 3) << 3 | ((raw >> 13) & 7));
}

static struct desc_index idx;

static void build_desc_index(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(insn_table); i++) {
        const struct insn_desc *e = &insn_table[i];
        for (unsigned b = 0; b < BUCKETS; b++) {
            /* The entry belongs to bucket b if some encoding in b matches. */
            uint32_t probe = b < 128 ? b : ((b - 128) >> 3) | ((uint32_t)(b & 7) << 13);
            uint32_t fixed = b < 128 ? 0x7f : 0xe003;
            if (e->compressed != (b >= 128) || ((probe ^ e->match) & e->mask & fixed))
                continue;
            if (idx.count[b] == MAX_PER_BUCKET)
                abort(); /* the table outgrew the index: raise MAX_PER_BUCKET */
            idx.entry[b][idx.count[b]++] = (uint16_t)i;
        }
    }
}

/* Built once, whichever hart's thread decodes first. */
static const struct desc_index *desc_index(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_desc_index);
    return &idx;
}

/* The first table entry that matches, or NULL. */
static const struct insn_desc *find_desc(uint32_t raw)
{
    bool compressed = (raw & 3) != 3;
    if (compressed)
        raw &= 0xffff;
    const struct desc_index *idx = desc_index();
    unsigned b = bucket_of(raw);
    for (unsigned k = 0; k < idx->count[b]; k++) {
        const struct insn_desc *e = &insn_table[idx->entry[b][k]];
        if ((raw & e->mask) == e->match)
            return e;
    }
    return NULL;
}

static bool rd_is_xreg(unsigned op)
{
    const char *a = op_args[op];
    return a && a[0] == 'd';
}

static int32_t imm_i(uint32_t r) { return (int32_t)r >> 20; }
static int32_t imm_s(uint32_t r) { return (int32_t)sext(((r >> 25) << 5) | ((r >> 7) & 0x1f), 12); }
static int32_t imm_b(uint32_t r)
{
    return (int32_t)sext(((r >> 31) << 12) | (((r >> 7) & 1) << 11) |
                         (((r >> 25) & 0x3f) << 5) | (((r >> 8) & 0xf) << 1), 13);
}
static int32_t imm_j(uint32_t r)
{
    return (int32_t)sext(((r >> 31) << 20) | (((r >> 12) & 0xff) << 12) |
                         (((r >> 20) & 1) << 11) | (((r >> 21) & 0x3ff) << 1), 21);
}

static void decode_32(const struct insn_desc *e, uint32_t r, struct decoded *d)
{
    d->rd = (r >> 7) & 31;
    d->rs1 = (r >> 15) & 31;
    d->rs2 = (r >> 20) & 31;
    d->rs3 = r >> 27;
    d->rm = (r >> 12) & 7;
    switch ((enum insn_format)e->format) {
    case F_I:   d->imm = imm_i(r); break;
    case F_S:   d->imm = imm_s(r); break;
    case F_B:   d->imm = imm_b(r); break;
    case F_U:   d->imm = (int32_t)(r & 0xfffff000); break;
    case F_J:   d->imm = imm_j(r); break;
    case F_SH6: d->imm = (r >> 20) & 63; break;
    case F_SH5: d->imm = (r >> 20) & 31; break;
    case F_CSR: d->imm = r >> 20; break;
    case F_R: case F_R4: case F_NONE: d->imm = 0; break;
    }
}

/* Bit `from` of the compressed instruction, placed at bit `to`. */
static inline uint32_t cb(uint32_t r, unsigned from, unsigned to) { return ((r >> from) & 1) << to; }
static inline unsigned creg(uint32_t r, unsigned lo) { return 8 + ((r >> lo) & 7); }
static inline int32_t cimm6(uint32_t r) { return (int32_t)sext(cb(r, 12, 5) | ((r >> 2) & 31), 6); }

/* Expand a compressed instruction into its 32-bit equivalent's operands.
 * Returns false for reserved encodings. */
static bool decode_16(const struct insn_desc *e, uint32_t r, struct decoded *d)
{
    unsigned rd = (r >> 7) & 31, rs2 = (r >> 2) & 31;
    d->rd = d->rs1 = d->rs2 = 0;
    d->imm = 0;
    d->rm = 7;
    switch ((enum cinsn_format)e->format) {
    case CF_ADDI4SPN:
        d->rd = creg(r, 2); d->rs1 = 2;
        d->imm = (int32_t)(((r >> 7) & 0xf) << 6 | ((r >> 11) & 3) << 4 | cb(r, 5, 3) | cb(r, 6, 2));
        return d->imm != 0;
    case CF_CL_W:
        d->rd = creg(r, 2); d->rs1 = creg(r, 7);
        d->imm = (int32_t)(((r >> 10) & 7) << 3 | cb(r, 6, 2) | cb(r, 5, 6));
        return true;
    case CF_CL_D:
        d->rd = creg(r, 2); d->rs1 = creg(r, 7);
        d->imm = (int32_t)(((r >> 10) & 7) << 3 | ((r >> 5) & 3) << 6);
        return true;
    case CF_CS_W:
        d->rs2 = creg(r, 2); d->rs1 = creg(r, 7);
        d->imm = (int32_t)(((r >> 10) & 7) << 3 | cb(r, 6, 2) | cb(r, 5, 6));
        return true;
    case CF_CS_D:
        d->rs2 = creg(r, 2); d->rs1 = creg(r, 7);
        d->imm = (int32_t)(((r >> 10) & 7) << 3 | ((r >> 5) & 3) << 6);
        return true;
    case CF_CI:
        d->rd = d->rs1 = rd; d->imm = cimm6(r);
        return true;
    case CF_CI_RD:
        d->rd = d->rs1 = rd; d->imm = cimm6(r);
        return rd != 0;
    case CF_CI_LI:
        d->rd = rd; d->imm = cimm6(r);
        return true;
    case CF_ADDI16SP:
        d->rd = d->rs1 = 2;
        d->imm = (int32_t)sext(cb(r, 12, 9) | ((r >> 3) & 3) << 7 | cb(r, 5, 6) |
                               cb(r, 2, 5) | cb(r, 6, 4), 10);
        return d->imm != 0;
    case CF_CI_LUI:
        d->rd = rd; d->imm = cimm6(r) * 4096;
        return d->imm != 0;
    case CF_CB_SH:
        d->rd = d->rs1 = creg(r, 7); d->imm = (int32_t)(cb(r, 12, 5) | ((r >> 2) & 31));
        return true;
    case CF_CB_ANDI:
        d->rd = d->rs1 = creg(r, 7); d->imm = cimm6(r);
        return true;
    case CF_CA:
        d->rd = d->rs1 = creg(r, 7); d->rs2 = creg(r, 2);
        return true;
    case CF_CJ:
        d->imm = (int32_t)sext(cb(r, 12, 11) | cb(r, 11, 4) | ((r >> 9) & 3) << 8 | cb(r, 8, 10) |
                               cb(r, 7, 6) | cb(r, 6, 7) | ((r >> 3) & 7) << 1 | cb(r, 2, 5), 12);
        return true;
    case CF_CB_BR:
        d->rs1 = creg(r, 7);
        d->imm = (int32_t)sext(cb(r, 12, 8) | ((r >> 10) & 3) << 3 | ((r >> 5) & 3) << 6 |
                               ((r >> 3) & 3) << 1 | cb(r, 2, 5), 9);
        return true;
    case CF_CI_SLLI:
        d->rd = d->rs1 = rd; d->imm = (int32_t)(cb(r, 12, 5) | ((r >> 2) & 31));
        return true;
    case CF_CI_LWSP:
        d->rd = rd; d->rs1 = 2;
        d->imm = (int32_t)(cb(r, 12, 5) | ((r >> 4) & 7) << 2 | ((r >> 2) & 3) << 6);
        return rd != 0;
    case CF_CI_LDSP:
    case CF_CI_FLDSP:
        d->rd = rd; d->rs1 = 2;
        d->imm = (int32_t)(cb(r, 12, 5) | ((r >> 5) & 3) << 3 | ((r >> 2) & 7) << 6);
        return rd != 0 || e->format == CF_CI_FLDSP;
    case CF_CR_JR:
        d->rs1 = rd;
        return rd != 0;
    case CF_CR_MV:
        d->rd = rd; d->rs2 = rs2;
        return true;
    case CF_CR_JALR:
        d->rd = 1; d->rs1 = rd;
        return true;
    case CF_CR_ADD:
        d->rd = d->rs1 = rd; d->rs2 = rs2;
        return true;
    case CF_CSS_W:
        d->rs1 = 2; d->rs2 = rs2;
        d->imm = (int32_t)(((r >> 9) & 0xf) << 2 | ((r >> 7) & 3) << 6);
        return true;
    case CF_CSS_D:
        d->rs1 = 2; d->rs2 = rs2;
        d->imm = (int32_t)(((r >> 10) & 7) << 3 | ((r >> 7) & 7) << 6);
        return true;
    case CF_NONE:
        return true;
    }
    return false;
}

void decode_insn(uint32_t raw, struct decoded *d)
{
    unsigned len = insn_length(raw);
    if (len == 2)
        raw &= 0xffff;
    const struct insn_desc *e = find_desc(raw);
    memset(d, 0, sizeof(*d));
    d->raw = raw;
    d->len = (uint8_t)len;
    d->op = OP_ILLEGAL;
    if (!e)
        return;
    if (e->compressed) {
        if (!decode_16(e, raw, d))
            return;
        d->op = compressed_variant[e->op];
    } else {
        decode_32(e, raw, d);
        d->op = e->op;
    }
    if (d->rd == 0 && rd_is_xreg(d->op))
        d->rd = XREG_SINK;
}

/* ---- disassembler ---------------------------------------------------- */

static const char *const xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
};
static const char *const freg_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
    "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};
static const char *const rm_names[8] = { "rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn" };

static void print_mnemonic(char *out, size_t n, const char *name)
{
    size_t i = 0;
    for (; name[i] && i + 1 < n; i++)
        out[i] = name[i] == '_' ? '.' : name[i];
    out[i] = 0;
}

const char *disasm_insn(char *buf, size_t size, uint32_t raw, uint64_t pc)
{
    struct decoded d;
    decode_insn(raw, &d);
    const struct insn_desc *e = find_desc(d.raw);
    if (d.op == OP_ILLEGAL || !e) {
        snprintf(buf, size, d.len == 2 ? "(illegal) 0x%04x" : "(illegal) 0x%08x", d.raw);
        return buf;
    }
    unsigned rd = d.rd == XREG_SINK ? 0 : d.rd;
    char mn[24];
    print_mnemonic(mn, sizeof(mn), e->name);
    size_t pos = (size_t)snprintf(buf, size, "%-10s", mn);
    const char *a = op_args[d.op];
    bool first = true;
    for (; *a && pos < size; a++) {
        if (*a == ',' || *a == '(' || *a == ')') {
            if (*a == '(' || *a == ')')
                pos += (size_t)snprintf(buf + pos, size - pos, "%c", *a);
            continue;
        }
        if (*a == 'm' && d.rm == 7)
            continue; /* dynamic rounding is the default: not printed */
        const char *sep = (first || a[-1] == '(') ? "" : ",";
        first = false;
        char tmp[48];
        switch (*a) {
        case 'd': snprintf(tmp, sizeof(tmp), "%s", xreg_names[rd]); break;
        case 's': snprintf(tmp, sizeof(tmp), "%s", xreg_names[d.rs1]); break;
        case 't': snprintf(tmp, sizeof(tmp), "%s", xreg_names[d.rs2]); break;
        case 'D': snprintf(tmp, sizeof(tmp), "%s", freg_names[d.rd]); break;
        case 'S': snprintf(tmp, sizeof(tmp), "%s", freg_names[d.rs1]); break;
        case 'T': snprintf(tmp, sizeof(tmp), "%s", freg_names[d.rs2]); break;
        case 'R': snprintf(tmp, sizeof(tmp), "%s", freg_names[d.rs3]); break;
        case 'i': case 'o': snprintf(tmp, sizeof(tmp), "%d", d.imm); break;
        case 'u': snprintf(tmp, sizeof(tmp), "0x%x", ((uint32_t)d.imm) >> 12); break;
        case '>': snprintf(tmp, sizeof(tmp), "%d", d.imm); break;
        case 'c': csr_name((unsigned)d.imm & 0xfff, tmp, sizeof(tmp)); break;
        case 'Z': snprintf(tmp, sizeof(tmp), "%u", d.rs1); break;
        case 'm': snprintf(tmp, sizeof(tmp), "%s", rm_names[d.rm]); break;
        case 'p': snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)(pc + (int64_t)d.imm)); break;
        default: tmp[0] = 0; break;
        }
        if (*a == 's' && a[-1] == '(')
            sep = "";
        pos += (size_t)snprintf(buf + pos, size - pos, "%s%s", sep, tmp);
    }
    return buf;
}
