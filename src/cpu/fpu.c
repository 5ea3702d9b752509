/* The host's IEEE 754 hardware computes the results: x86-64 SSE rounds
 * correctly in RNE/RTZ/RDN/RUP and detects tininess after rounding, as
 * RISC-V does. What the host does differently is fixed up here: NaNs are
 * made canonical, and round-to-nearest-ties-to-max-magnitude (RMM), which
 * SSE lacks, is derived from the other modes plus an exact tie test done
 * in x87 extended precision. */
#include <fenv.h>
#include <float.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include "cpu/fpu.h"
#include "cpu/hart.h"

#define CANON_NAN_S 0x7fc00000u
#define CANON_NAN_D 0x7ff8000000000000ULL

static float f32(uint32_t v) { float f; memcpy(&f, &v, 4); return f; }
static uint32_t bits32(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }
static double f64(uint64_t v) { double f; memcpy(&f, &v, 8); return f; }
static uint64_t bits64(double f) { uint64_t v; memcpy(&v, &f, 8); return v; }

/* A single in a 64-bit register is valid only if NaN-boxed. */
static uint32_t unbox(uint64_t v)
{
    return (v >> 32) == 0xffffffffu ? (uint32_t)v : CANON_NAN_S;
}

static bool is_snan_s(uint32_t v) { return (v & 0x7fc00000u) == 0x7f800000u && (v & 0x3fffffu); }
static bool is_snan_d(uint64_t v)
{
    return (v & 0x7ff8000000000000ULL) == 0x7ff0000000000000ULL && (v & 0x7ffffffffffffULL);
}
static bool is_nan_s(uint32_t v) { return (v & 0x7fffffffu) > 0x7f800000u; }
static bool is_nan_d(uint64_t v) { return (v & 0x7fffffffffffffffULL) > 0x7ff0000000000000ULL; }

static const int host_mode[] = {
    [RM_RNE] = FE_TONEAREST, [RM_RTZ] = FE_TOWARDZERO, [RM_RDN] = FE_DOWNWARD,
    [RM_RUP] = FE_UPWARD, [RM_RMM] = FE_TONEAREST,
};

static unsigned host_flags_to_riscv(int ex)
{
    return ((ex & FE_INEXACT) ? FFLAG_NX : 0) | ((ex & FE_UNDERFLOW) ? FFLAG_UF : 0) |
           ((ex & FE_OVERFLOW) ? FFLAG_OF : 0) | ((ex & FE_DIVBYZERO) ? FFLAG_DZ : 0) |
           ((ex & FE_INVALID) ? FFLAG_NV : 0);
}

/* Brackets one host computation: set the mode, clear the flags; then
 * collect the flags and give the host back its default mode. */
static void host_begin(int mode)
{
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(mode);
}

static int host_end(void)
{
    int ex = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    return ex;
}

/* The same for float and double arithmetic alone, which x86-64 does in SSE:
 * setting and reading MXCSR directly costs a fraction of the fenv calls
 * (which also switch the x87 unit). Only when fma() is the FMA instruction:
 * glibc's software fma reads the rounding mode from the x87 control word. */
#if defined(__x86_64__)
#include <xmmintrin.h>
#define MXCSR_DEFAULT 0x1f80u     /* exceptions masked, round to nearest, no flags */
#define MXCSR_FLAGS   0x3du       /* IE ZE OE UE PE: the FE_* bits; DE is not IEEE */
static bool sse_direct;

__attribute__((constructor)) static void probe_fma(void)
{
    sse_direct = __builtin_cpu_supports("fma");
}

bool fp_host_has_fma(void)
{
    return sse_direct;
}

static void arith_begin(int mode)
{
    if (!sse_direct) {
        host_begin(mode);
        return;
    }
    /* FE_* rounding values are the x87 RC field (bits 10-11); MXCSR has it
     * at bits 13-14, with the same encoding. */
    _mm_setcsr(MXCSR_DEFAULT | ((unsigned)mode >> 10) << 13);
}

static int arith_end(void)
{
    if (!sse_direct)
        return host_end();
    unsigned csr = _mm_getcsr();
    _mm_setcsr(MXCSR_DEFAULT);
    return (int)(csr & MXCSR_FLAGS);
}
#else
bool fp_host_has_fma(void)
{
    return false;
}
#define arith_begin host_begin
#define arith_end host_end
#endif

/* volatile keeps the compiler from folding or moving the operation across
 * the rounding-mode changes. */
static long double compute(enum fp_arith op, bool dbl, long double a, long double b, long double c)
{
    volatile long double va = a, vb = b, vc = c, r;
    (void)dbl;
    switch (op) {
    case FA_ADD: r = va + vb; break;
    case FA_SUB: r = va - vb; break;
    case FA_MUL: r = va * vb; break;
    case FA_DIV: r = va / vb; break;
    case FA_SQRT: r = sqrtl(va); break;
    case FA_MADD: r = fmal(va, vb, vc); break;
    case FA_MSUB: r = fmal(va, vb, -vc); break;
    case FA_NMSUB: r = fmal(-va, vb, vc); break;
    default: r = fmal(-va, vb, -vc); break;
    }
    return r;
}

static double compute_d(enum fp_arith op, double a, double b, double c)
{
    volatile double va = a, vb = b, vc = c, r;
    switch (op) {
    case FA_ADD: r = va + vb; break;
    case FA_SUB: r = va - vb; break;
    case FA_MUL: r = va * vb; break;
    case FA_DIV: r = va / vb; break;
    case FA_SQRT: r = sqrt(va); break;
    case FA_MADD: r = fma(va, vb, vc); break;
    case FA_MSUB: r = fma(va, vb, -vc); break;
    case FA_NMSUB: r = fma(-va, vb, vc); break;
    default: r = fma(-va, vb, -vc); break;
    }
    return r;
}

static float compute_s(enum fp_arith op, float a, float b, float c)
{
    volatile float va = a, vb = b, vc = c, r;
    switch (op) {
    case FA_ADD: r = va + vb; break;
    case FA_SUB: r = va - vb; break;
    case FA_MUL: r = va * vb; break;
    case FA_DIV: r = va / vb; break;
    case FA_SQRT: r = sqrtf(va); break;
    case FA_MADD: r = fmaf(va, vb, vc); break;
    case FA_MSUB: r = fmaf(va, vb, -vc); break;
    case FA_NMSUB: r = fmaf(-va, vb, vc); break;
    default: r = fmaf(-va, vb, -vc); break;
    }
    return r;
}

/* RMM differs from RNE only when the exact result lies exactly halfway
 * between two representable values. Such a value has at most p+1
 * significant bits, so it is exact in x87's 64-bit significand: compute
 * there, and if that is exact and equals the midpoint of the neighbours
 * around the truncated result, round away from zero. `exact` is the value
 * computed in extended precision, `exact_ok` whether that was exact. */
static long double rmm_pick(long double rne, long double truncated, long double exact,
                            bool exact_ok, bool dbl)
{
    if (!exact_ok || isinf(rne) || exact == truncated)
        return rne;
    long double away;
    if (dbl)
        away = nextafter((double)truncated, signbit(exact) ? -INFINITY : INFINITY);
    else
        away = nextafterf((float)truncated, signbit(exact) ? -INFINITY : INFINITY);
    if (isinf(away))
        return rne;
    long double mid = (truncated + away) / 2;
    return exact == mid ? away : rne;
}

static void accrue(struct hart *h, unsigned flags)
{
    h->fflags |= (uint8_t)flags;
}

/* inf × 0 in a fused multiply-add is invalid even when the addend is a
 * quiet NaN (RISC-V unprivileged spec, section 11.6). */
static bool fma_inf_times_zero(enum fp_arith op, long double a, long double b)
{
    return op >= FA_MADD && ((isinf(a) && b == 0) || (a == 0 && isinf(b)));
}

/* ---- the common case straight on the host (QEMU's "hardfloat") -------------
 * With round-to-nearest and NX already set in fflags (it is sticky: after a
 * program's first inexact result it stays set), the only flags left to
 * find are invalid, divide-by-zero, overflow and underflow. None can arise
 * when the operands are normal or zero, a divisor is not zero, a square
 * root's operand is not negative, and the result is neither infinite nor
 * below the smallest normal; nor can a NaN. Then the host's default
 * rounding (round to nearest, MXCSR as arith_end leaves it) gives the
 * exact RISC-V result with no mode switch and no flag read. Anything else
 * returns false and takes the general path. */
static bool normal_or_zero_d(uint64_t v)
{
    unsigned e = (v >> 52) & 0x7ff;
    return e ? e != 0x7ff : !(v << 1);
}

static bool normal_or_zero_s(uint32_t v)
{
    unsigned e = (v >> 23) & 0xff;
    return e ? e != 0xff : !(v << 1);
}

static bool operands_plain(enum fp_arith op, bool (*plain)(uint64_t), uint64_t a, uint64_t b,
                           uint64_t c)
{
    return plain(a) && (op == FA_SQRT || plain(b)) && (op < FA_MADD || plain(c));
}

static bool plain_d(uint64_t v) { return normal_or_zero_d(v); }
static bool plain_s(uint64_t v) { return normal_or_zero_s((uint32_t)v); }

/* The operation on the host, in T's precision with the host's default
 * rounding; false unless the result is finite and above T's smallest
 * normal (and the operation cannot raise invalid or divide-by-zero). */
#define FAST_ARITH(name, T, SQRT, FMA, FABS, TMIN, TMAX)                             \
    static bool name(enum fp_arith op, T x, T y, T z, T *out)                         \
    {                                                                                 \
        T r;                                                                          \
        switch (op) {                                                                 \
        case FA_ADD: r = x + y; break;                                                \
        case FA_SUB: r = x - y; break;                                                \
        case FA_MUL: r = x * y; break;                                                \
        case FA_DIV: if (y == 0) return false; r = x / y; break;                      \
        case FA_SQRT: if (signbit(x) && x != 0) return false; r = SQRT(x); break;     \
        case FA_MADD: r = FMA(x, y, z); break;                                        \
        case FA_MSUB: r = FMA(x, y, -z); break;                                       \
        case FA_NMSUB: r = FMA(-x, y, z); break;                                      \
        default: r = FMA(-x, y, -z); break;                                           \
        }                                                                             \
        if (!(FABS(r) > TMIN && FABS(r) <= TMAX))  /* tiny, zero, infinite */         \
            return false;                                                             \
        *out = r;                                                                     \
        return true;                                                                  \
    }
FAST_ARITH(host_arith_d, double, sqrt, fma, fabs, DBL_MIN, DBL_MAX)
FAST_ARITH(host_arith_s, float, sqrtf, fmaf, fabsf, FLT_MIN, FLT_MAX)

static bool fast_d(enum fp_arith op, uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
    double r;
    if (!operands_plain(op, plain_d, a, b, c) || !host_arith_d(op, f64(a), f64(b), f64(c), &r))
        return false;
    *out = bits64(r);
    return true;
}

static bool fast_s(enum fp_arith op, uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
    uint32_t ua = unbox(a), ub = unbox(b), uc = unbox(c);
    float r;
    if (!operands_plain(op, plain_s, ua, ub, uc) || !host_arith_s(op, f32(ua), f32(ub), f32(uc), &r))
        return false;
    *out = fp_box(bits32(r));
    return true;
}

/* Any operands, any rounding mode, every flag. */
static uint64_t fp_arith_general(struct hart *h, enum fp_arith op, bool dbl, unsigned rm,
                                 uint64_t a, uint64_t b, uint64_t c)
{
    /* The operands go to the host unit as they are: through x87's long
     * double a signalling NaN would be quieted (raising its invalid flag in
     * x87, not where arith_end looks). */
    double da = f64(a), db = f64(b), dc = f64(c);
    float fa = f32(unbox(a)), fb = f32(unbox(b)), fc = f32(unbox(c));
    long double r;
    arith_begin(host_mode[rm]);
    r = dbl ? compute_d(op, da, db, dc) : compute_s(op, fa, fb, fc);
    int ex = arith_end();
    long double la = dbl ? da : fa, lb = dbl ? db : fb, lc = dbl ? dc : fc;
    if (rm == RM_RMM && (ex & FE_INEXACT)) {
        host_begin(FE_TOWARDZERO);
        long double t = dbl ? compute_d(op, (double)la, (double)lb, (double)lc)
                            : compute_s(op, (float)la, (float)lb, (float)lc);
        feclearexcept(FE_ALL_EXCEPT);
        long double exact = compute(op, dbl, la, lb, lc);
        bool exact_ok = !fetestexcept(FE_INEXACT);
        host_end();
        r = rmm_pick(r, t, exact, exact_ok, dbl);
    }
    unsigned flags = host_flags_to_riscv(ex);
    if (fma_inf_times_zero(op, la, lb))
        flags |= FFLAG_NV;
    accrue(h, flags);
    if (dbl) {
        double rd = (double)r;
        return isnan(rd) ? CANON_NAN_D : bits64(rd);
    }
    float rs = (float)r;
    return fp_box(isnan(rs) ? CANON_NAN_S : bits32(rs));
}

uint64_t fp_arith(struct hart *h, enum fp_arith op, bool dbl, unsigned rm,
                  uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t fast;
    if (rm == RM_RNE && (h->fflags & FFLAG_NX) &&
        (dbl ? fast_d(op, a, b, c, &fast) : fast_s(op, a, b, c, &fast)))
        return fast;
    return fp_arith_general(h, op, dbl, rm, a, b, c);
}

uint64_t fp_minmax(struct hart *h, bool dbl, bool is_max, uint64_t a, uint64_t b)
{
    if (dbl) {
        bool na = is_nan_d(a), nb = is_nan_d(b);
        if (is_snan_d(a) || is_snan_d(b))
            accrue(h, FFLAG_NV);
        if (na && nb)
            return CANON_NAN_D;
        if (na || nb)
            return na ? b : a;
        double x = f64(a), y = f64(b);
        if (x == y) /* ±0: the sign decides, -0 < +0 */
            return is_max ? (a & b) : (a | b);
        return (is_max ? x > y : x < y) ? a : b;
    }
    uint32_t ua = unbox(a), ub = unbox(b);
    bool na = is_nan_s(ua), nb = is_nan_s(ub);
    if (is_snan_s(ua) || is_snan_s(ub))
        accrue(h, FFLAG_NV);
    if (na && nb)
        return fp_box(CANON_NAN_S);
    if (na || nb)
        return fp_box(na ? ub : ua);
    float x = f32(ua), y = f32(ub);
    if (x == y)
        return fp_box(is_max ? (ua & ub) : (ua | ub));
    return fp_box((is_max ? x > y : x < y) ? ua : ub);
}

uint64_t fp_compare(struct hart *h, bool dbl, enum fp_cmp cmp, uint64_t a, uint64_t b)
{
    long double x, y;
    bool any_nan, any_snan;
    if (dbl) {
        x = f64(a); y = f64(b);
        any_nan = is_nan_d(a) || is_nan_d(b);
        any_snan = is_snan_d(a) || is_snan_d(b);
    } else {
        uint32_t ua = unbox(a), ub = unbox(b);
        x = f32(ua); y = f32(ub);
        any_nan = is_nan_s(ua) || is_nan_s(ub);
        any_snan = is_snan_s(ua) || is_snan_s(ub);
    }
    if (any_nan) {
        /* feq is a quiet comparison; flt and fle signal on any NaN. */
        if (any_snan || cmp != FC_EQ)
            accrue(h, FFLAG_NV);
        return 0;
    }
    switch (cmp) {
    case FC_EQ: return x == y;
    case FC_LT: return x < y;
    default: return x <= y;
    }
}

uint64_t fp_classify(bool dbl, uint64_t a)
{
    bool neg, inf, nan, snan, zero, sub;
    if (dbl) {
        uint64_t e = (a >> 52) & 0x7ff, m = a & 0xfffffffffffffULL;
        neg = a >> 63;
        inf = e == 0x7ff && !m;
        nan = e == 0x7ff && m;
        snan = is_snan_d(a);
        zero = !e && !m;
        sub = !e && m;
    } else {
        uint32_t v = unbox(a), e = (v >> 23) & 0xff, m = v & 0x7fffff;
        neg = v >> 31;
        inf = e == 0xff && !m;
        nan = e == 0xff && m;
        snan = is_snan_s(v);
        zero = !e && !m;
        sub = !e && m;
    }
    if (nan)
        return snan ? 1u << 8 : 1u << 9;
    if (inf)
        return neg ? 1u << 0 : 1u << 7;
    if (zero)
        return neg ? 1u << 3 : 1u << 4;
    if (sub)
        return neg ? 1u << 2 : 1u << 5;
    return neg ? 1u << 1 : 1u << 6;
}

uint64_t fp_sign_inject(bool dbl, enum fp_sgnj kind, uint64_t a, uint64_t b)
{
    uint64_t sign_bit = dbl ? 1ULL << 63 : 1ULL << 31;
    uint64_t x = dbl ? a : unbox(a), y = dbl ? b : unbox(b);
    uint64_t s = kind == FS_J ? (y & sign_bit) : kind == FS_JN ? (~y & sign_bit)
                                                               : ((x ^ y) & sign_bit);
    uint64_t r = (x & ~sign_bit) | s;
    return dbl ? r : fp_box((uint32_t)r);
}

/* Round to an integral value in the given mode (RMM: ties away). */
static long double round_integral(long double x, unsigned rm)
{
    if (rm == RM_RMM)
        return roundl(x);
    fesetround(host_mode[rm]);
    volatile long double r = nearbyintl(x);
    fesetround(FE_TONEAREST);
    return r;
}

/* The common conversions without the host's rounding-mode and flag
 * machinery: a value that truncates (RTZ, what C casts compile to) or
 * already is an integer, inside the target's range, converts exactly; only
 * NX may need raising. False: take the general path. */
static bool to_int_fast(struct hart *h, double x, enum fp_int kind, unsigned rm, uint64_t *out)
{
    if (!(fabs(x) < 9223372036854775808.0))  /* 2^63; also rejects NaN */
        return false;
    int64_t t = (int64_t)x;  /* truncates */
    bool exact = (double)t == x;
    if (!exact && rm != RM_RTZ)
        return false;
    switch (kind) {
    case FI_W:  if (t < INT32_MIN || t > INT32_MAX) return false; *out = (uint64_t)t; break;
    case FI_WU: if (t < 0 || t > (int64_t)UINT32_MAX) return false;
                *out = (uint64_t)(int64_t)(int32_t)(uint32_t)t; break;
    case FI_L:  *out = (uint64_t)t; break;
    default:    if (t < 0) return false; *out = (uint64_t)t; break;
    }
    if (!exact)
        accrue(h, FFLAG_NX);
    return true;
}

uint64_t fp_to_int(struct hart *h, bool dbl, enum fp_int kind, unsigned rm, uint64_t a)
{
    uint64_t fast;
    if (to_int_fast(h, dbl ? f64(a) : (double)f32(unbox(a)), kind, rm, &fast))
        return fast;
    static const long double lo[] = { [FI_W] = -2147483648.0L, [FI_WU] = 0,
                                      [FI_L] = -9223372036854775808.0L, [FI_LU] = 0 };
    static const long double hi[] = { [FI_W] = 2147483647.0L, [FI_WU] = 4294967295.0L,
                                      [FI_L] = 9223372036854775807.0L,
                                      [FI_LU] = 18446744073709551615.0L };
    static const uint64_t sat_lo[] = { [FI_W] = 0xffffffff80000000ULL, [FI_WU] = 0,
                                       [FI_L] = 1ULL << 63, [FI_LU] = 0 };
    static const uint64_t sat_hi[] = { [FI_W] = 0x7fffffff, [FI_WU] = ~0ULL,
                                       [FI_L] = ~0ULL >> 1, [FI_LU] = ~0ULL };
    bool nan = dbl ? is_nan_d(a) : is_nan_s(unbox(a));
    long double x = dbl ? (long double)f64(a) : (long double)f32(unbox(a));
    if (nan) {
        accrue(h, FFLAG_NV);
        return sat_hi[kind];
    }
    long double r = round_integral(x, rm);
    if (r < lo[kind] || r > hi[kind]) {
        accrue(h, FFLAG_NV);
        return r < 0 ? sat_lo[kind] : sat_hi[kind];
    }
    if (r != x)
        accrue(h, FFLAG_NX);
    switch (kind) {
    case FI_W:  return (uint64_t)(int64_t)(int32_t)(int64_t)r;
    case FI_WU: return (uint64_t)(int64_t)(int32_t)(uint32_t)(uint64_t)r;
    case FI_L:  return (uint64_t)(int64_t)r;
    default:    return (uint64_t)r;
    }
}

uint64_t fp_from_int(struct hart *h, bool dbl, enum fp_int kind, unsigned rm, uint64_t x)
{
    long double v;
    switch (kind) {
    case FI_W:  v = (int32_t)x; break;
    case FI_WU: v = (uint32_t)x; break;
    case FI_L:  v = (int64_t)x; break;
    default:    v = x; break;
    }
    /* Integers up to the significand's width convert exactly in any mode. */
    if (fabsl(v) <= (dbl ? 9007199254740992.0L : 16777216.0L))
        return dbl ? bits64((double)v) : fp_box(bits32((float)v));
    /* Integers are exact in the 64-bit significand, so the conversion below
     * is the only rounding. */
    host_begin(host_mode[rm]);
    volatile long double vv = v;
    long double r = dbl ? (long double)(volatile double)vv : (long double)(volatile float)vv;
    int ex = host_end();
    if (rm == RM_RMM && (ex & FE_INEXACT)) {
        host_begin(FE_TOWARDZERO);
        long double t = dbl ? (long double)(volatile double)vv : (long double)(volatile float)vv;
        host_end();
        r = rmm_pick(r, t, v, true, dbl);
    }
    accrue(h, host_flags_to_riscv(ex));
    return dbl ? bits64((double)r) : fp_box(bits32((float)r));
}

uint64_t fp_s_to_d(struct hart *h, uint64_t a)
{
    uint32_t v = unbox(a);
    if (is_nan_s(v)) {
        if (is_snan_s(v))
            accrue(h, FFLAG_NV);
        return CANON_NAN_D;
    }
    return bits64((double)f32(v));
}

uint64_t fp_d_to_s(struct hart *h, unsigned rm, uint64_t a)
{
    if (is_nan_d(a)) {
        if (is_snan_d(a))
            accrue(h, FFLAG_NV);
        return fp_box(CANON_NAN_S);
    }
    double x = f64(a);
    arith_begin(host_mode[rm]);
    volatile double vx = x;
    float r = (volatile float)vx;
    int ex = arith_end();
    if (rm == RM_RMM && (ex & FE_INEXACT)) {
        host_begin(FE_TOWARDZERO);
        float t = (volatile float)vx;
        host_end();
        r = (float)rmm_pick(r, t, x, true, false);
    }
    accrue(h, host_flags_to_riscv(ex));
    return fp_box(bits32(r));
}
