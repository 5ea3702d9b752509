/* What compiled blocks call for the instructions they do not open-code:
 * M division and remainder, and F/D arithmetic, comparisons, conversions
 * and moves. The semantics are the interpreter's (exec.c), through the same
 * fpu.c functions, so flags and NaNs come out the same.
 *
 * A helper returns false when the instruction must trap (F/D with
 * mstatus.FS off, a reserved rounding mode): the block then leaves before
 * it and the interpreter raises the exception. */
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/jit.h"

#define RD(raw)  (((raw) >> 7) & 31)
#define RS1(raw) (((raw) >> 15) & 31)
#define RS2(raw) (((raw) >> 20) & 31)
#define RS3(raw) ((raw) >> 27)

static uint64_t sx32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)v; }

static void set_x(struct hart *h, unsigned rd, uint64_t v)
{
    if (rd)
        h->x[rd] = v;
}

static uint64_t divide(unsigned op, uint64_t a, uint64_t b)
{
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    int32_t wa = (int32_t)a, wb = (int32_t)b;
    uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
    switch (op) {
    case OP_div:   return b == 0 ? ~0ULL : (sa == INT64_MIN && sb == -1) ? a : (uint64_t)(sa / sb);
    case OP_divu:  return b == 0 ? ~0ULL : a / b;
    case OP_rem:   return b == 0 ? a : (sa == INT64_MIN && sb == -1) ? 0 : (uint64_t)(sa % sb);
    case OP_remu:  return b == 0 ? a : a % b;
    case OP_divw:  return (uint64_t)(int64_t)(wb == 0 ? -1 : (wa == INT32_MIN && wb == -1) ? wa : wa / wb);
    case OP_divuw: return sx32(ub == 0 ? ~0u : ua / ub);
    case OP_remw:  return (uint64_t)(int64_t)(wb == 0 ? wa : (wa == INT32_MIN && wb == -1) ? 0 : wa % wb);
    default:       return sx32(ub == 0 ? ua : ua % ub);  /* remuw */
    }
}

/* The rounding mode of an instruction, or false if it is reserved. */
static bool rounding(const struct hart *h, uint32_t raw, unsigned *rm)
{
    unsigned f = (raw >> 12) & 7;
    *rm = f == 7 ? h->frm : f;
    return *rm <= 4;
}

static void fp_dirty(struct hart *h)
{
    h->mstatus |= MSTATUS_FS | MSTATUS_SD;
    if (h->virt)
        h->vsstatus |= MSTATUS_FS | MSTATUS_SD;
}

/* F(rd) = a op b [op c], rounded. */
static bool arith(struct hart *h, uint32_t raw, enum fp_arith op, bool dbl)
{
    unsigned rm;
    if (!rounding(h, raw, &rm))
        return false;
    h->f[RD(raw)] = fp_arith(h, op, dbl, rm, h->f[RS1(raw)], h->f[RS2(raw)], h->f[RS3(raw)]);
    return true;
}

static bool to_int(struct hart *h, uint32_t raw, bool dbl, enum fp_int kind)
{
    unsigned rm;
    if (!rounding(h, raw, &rm))
        return false;
    set_x(h, RD(raw), fp_to_int(h, dbl, kind, rm, h->f[RS1(raw)]));
    return true;
}

static bool from_int(struct hart *h, uint32_t raw, bool dbl, enum fp_int kind)
{
    unsigned rm;
    if (!rounding(h, raw, &rm))
        return false;
    h->f[RD(raw)] = fp_from_int(h, dbl, kind, rm, h->x[RS1(raw)]);
    return true;
}

/* The F/D instructions that only read FP state: no FS dirtying. */
static bool fp_read_only(struct hart *h, uint32_t raw, unsigned op)
{
    uint64_t a = h->f[RS1(raw)];
    switch (op) {
    case OP_fclass_s: set_x(h, RD(raw), fp_classify(false, a)); return true;
    case OP_fclass_d: set_x(h, RD(raw), fp_classify(true, a)); return true;
    case OP_fmv_x_w:  set_x(h, RD(raw), sx32(a)); return true;
    case OP_fmv_x_d:  set_x(h, RD(raw), a); return true;
    default:          return false;
    }
}

static bool fp_op(struct hart *h, uint32_t raw, unsigned op)
{
    uint64_t a = h->f[RS1(raw)], b = h->f[RS2(raw)];
    unsigned rm;
    switch (op) {
#define ARITH(name, fa, dbl) case OP_##name: return arith(h, raw, fa, dbl);
    ARITH(fadd_s, FA_ADD, false) ARITH(fsub_s, FA_SUB, false) ARITH(fmul_s, FA_MUL, false)
    ARITH(fdiv_s, FA_DIV, false) ARITH(fsqrt_s, FA_SQRT, false)
    ARITH(fmadd_s, FA_MADD, false) ARITH(fmsub_s, FA_MSUB, false)
    ARITH(fnmsub_s, FA_NMSUB, false) ARITH(fnmadd_s, FA_NMADD, false)
    ARITH(fadd_d, FA_ADD, true) ARITH(fsub_d, FA_SUB, true) ARITH(fmul_d, FA_MUL, true)
    ARITH(fdiv_d, FA_DIV, true) ARITH(fsqrt_d, FA_SQRT, true)
    ARITH(fmadd_d, FA_MADD, true) ARITH(fmsub_d, FA_MSUB, true)
    ARITH(fnmsub_d, FA_NMSUB, true) ARITH(fnmadd_d, FA_NMADD, true)
#undef ARITH
    case OP_fsgnj_s:  h->f[RD(raw)] = fp_sign_inject(false, FS_J, a, b); return true;
    case OP_fsgnjn_s: h->f[RD(raw)] = fp_sign_inject(false, FS_JN, a, b); return true;
    case OP_fsgnjx_s: h->f[RD(raw)] = fp_sign_inject(false, FS_JX, a, b); return true;
    case OP_fsgnj_d:  h->f[RD(raw)] = fp_sign_inject(true, FS_J, a, b); return true;
    case OP_fsgnjn_d: h->f[RD(raw)] = fp_sign_inject(true, FS_JN, a, b); return true;
    case OP_fsgnjx_d: h->f[RD(raw)] = fp_sign_inject(true, FS_JX, a, b); return true;
    case OP_fmin_s:   h->f[RD(raw)] = fp_minmax(h, false, false, a, b); return true;
    case OP_fmax_s:   h->f[RD(raw)] = fp_minmax(h, false, true, a, b); return true;
    case OP_fmin_d:   h->f[RD(raw)] = fp_minmax(h, true, false, a, b); return true;
    case OP_fmax_d:   h->f[RD(raw)] = fp_minmax(h, true, true, a, b); return true;
    case OP_feq_s:    set_x(h, RD(raw), fp_compare(h, false, FC_EQ, a, b)); return true;
    case OP_flt_s:    set_x(h, RD(raw), fp_compare(h, false, FC_LT, a, b)); return true;
    case OP_fle_s:    set_x(h, RD(raw), fp_compare(h, false, FC_LE, a, b)); return true;
    case OP_feq_d:    set_x(h, RD(raw), fp_compare(h, true, FC_EQ, a, b)); return true;
    case OP_flt_d:    set_x(h, RD(raw), fp_compare(h, true, FC_LT, a, b)); return true;
    case OP_fle_d:    set_x(h, RD(raw), fp_compare(h, true, FC_LE, a, b)); return true;
    case OP_fmv_w_x:  h->f[RD(raw)] = fp_box((uint32_t)h->x[RS1(raw)]); return true;
    case OP_fmv_d_x:  h->f[RD(raw)] = h->x[RS1(raw)]; return true;
    case OP_fcvt_w_s:  return to_int(h, raw, false, FI_W);
    case OP_fcvt_wu_s: return to_int(h, raw, false, FI_WU);
    case OP_fcvt_l_s:  return to_int(h, raw, false, FI_L);
    case OP_fcvt_lu_s: return to_int(h, raw, false, FI_LU);
    case OP_fcvt_w_d:  return to_int(h, raw, true, FI_W);
    case OP_fcvt_wu_d: return to_int(h, raw, true, FI_WU);
    case OP_fcvt_l_d:  return to_int(h, raw, true, FI_L);
    case OP_fcvt_lu_d: return to_int(h, raw, true, FI_LU);
    case OP_fcvt_s_w:  return from_int(h, raw, false, FI_W);
    case OP_fcvt_s_wu: return from_int(h, raw, false, FI_WU);
    case OP_fcvt_s_l:  return from_int(h, raw, false, FI_L);
    case OP_fcvt_s_lu: return from_int(h, raw, false, FI_LU);
    case OP_fcvt_d_w:  return from_int(h, raw, true, FI_W);
    case OP_fcvt_d_wu: return from_int(h, raw, true, FI_WU);
    case OP_fcvt_d_l:  return from_int(h, raw, true, FI_L);
    case OP_fcvt_d_lu: return from_int(h, raw, true, FI_LU);
    case OP_fcvt_s_d:
        if (!rounding(h, raw, &rm))
            return false;
        h->f[RD(raw)] = fp_d_to_s(h, rm, a);
        return true;
    case OP_fcvt_d_s:
        if (!rounding(h, raw, &rm))
            return false;
        h->f[RD(raw)] = fp_s_to_d(h, a);
        return true;
    default:
        return false;
    }
}

bool jit_helper(struct hart *h, uint32_t raw, uint32_t op)
{
    switch (op) {
    case OP_div: case OP_divu: case OP_rem: case OP_remu:
    case OP_divw: case OP_divuw: case OP_remw: case OP_remuw:
        set_x(h, RD(raw), divide(op, h->x[RS1(raw)], h->x[RS2(raw)]));
        return true;
    }
    if (h->fs_off)
        return false;
    if (fp_read_only(h, raw, op))
        return true;
    if (!fp_op(h, raw, op))
        return false;
    fp_dirty(h);
    return true;
}

bool jit_helper_handles(unsigned op)
{
    switch (op) {
    case OP_div: case OP_divu: case OP_rem: case OP_remu:
    case OP_divw: case OP_divuw: case OP_remw: case OP_remuw:
    case OP_fclass_s: case OP_fclass_d: case OP_fmv_x_w: case OP_fmv_x_d:
    case OP_fadd_s: case OP_fsub_s: case OP_fmul_s: case OP_fdiv_s: case OP_fsqrt_s:
    case OP_fmadd_s: case OP_fmsub_s: case OP_fnmsub_s: case OP_fnmadd_s:
    case OP_fadd_d: case OP_fsub_d: case OP_fmul_d: case OP_fdiv_d: case OP_fsqrt_d:
    case OP_fmadd_d: case OP_fmsub_d: case OP_fnmsub_d: case OP_fnmadd_d:
    case OP_fsgnj_s: case OP_fsgnjn_s: case OP_fsgnjx_s:
    case OP_fsgnj_d: case OP_fsgnjn_d: case OP_fsgnjx_d:
    case OP_fmin_s: case OP_fmax_s: case OP_fmin_d: case OP_fmax_d:
    case OP_feq_s: case OP_flt_s: case OP_fle_s: case OP_feq_d: case OP_flt_d: case OP_fle_d:
    case OP_fmv_w_x: case OP_fmv_d_x:
    case OP_fcvt_w_s: case OP_fcvt_wu_s: case OP_fcvt_l_s: case OP_fcvt_lu_s:
    case OP_fcvt_w_d: case OP_fcvt_wu_d: case OP_fcvt_l_d: case OP_fcvt_lu_d:
    case OP_fcvt_s_w: case OP_fcvt_s_wu: case OP_fcvt_s_l: case OP_fcvt_s_lu:
    case OP_fcvt_d_w: case OP_fcvt_d_wu: case OP_fcvt_d_l: case OP_fcvt_d_lu:
    case OP_fcvt_s_d: case OP_fcvt_d_s:
        return true;
    default:
        return false;
    }
}
