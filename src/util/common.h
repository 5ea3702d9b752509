/* Small shared helpers: branch hints, bit operations, sign extension. */
#ifndef RIVET_COMMON_H
#define RIVET_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
/* The most harts a board may have (QEMU's virt allows 512; Linux's
 * defconfig, OpenSBI and rivet's per-hart tables stop at 64). */
#define MAX_HARTS 64

#define KiB (1024ULL)
#define MiB (1024ULL * 1024)
#define GiB (1024ULL * 1024 * 1024)

static inline int64_t sext(uint64_t v, unsigned bits)
{
    unsigned sh = 64 - bits;
    return (int64_t)(v << sh) >> sh;
}

static inline uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((hi - lo == 63) ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1));
}

static inline uint16_t ld16(const void *p) { uint16_t v; __builtin_memcpy(&v, p, 2); return v; }
static inline uint32_t ld32(const void *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }
static inline uint64_t ld64(const void *p) { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }
static inline void st32(void *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void st64(void *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

/* Read `size` (1, 2, 4, 8) little-endian bytes; the host is little-endian. */
static inline uint64_t ld_sized(const void *p, unsigned size)
{
    switch (size) {
    case 1: return *(const uint8_t *)p;
    case 2: return ld16(p);
    case 4: return ld32(p);
    default: return ld64(p);
    }
}

static inline void st_sized(void *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: *(uint8_t *)p = (uint8_t)v; break;
    case 2: { uint16_t w = (uint16_t)v; __builtin_memcpy(p, &w, 2); break; }
    case 4: st32(p, (uint32_t)v); break;
    default: st64(p, v); break;
    }
}

/* Guest memory, which other harts' threads access at the same time: one
 * naturally aligned access each, never torn (relaxed atomics compile to
 * plain moves on x86-64; they also tell ThreadSanitizer these races are
 * the guest's own). p must be aligned to size. */
static inline uint64_t guest_ld(const void *p, unsigned size)
{
    switch (size) {
    case 1: return __atomic_load_n((const uint8_t *)p, __ATOMIC_RELAXED);
    case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
    case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
    default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
    }
}

static inline void guest_st(void *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: __atomic_store_n((uint8_t *)p, (uint8_t)v, __ATOMIC_RELAXED); break;
    case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_RELAXED); break;
    case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_RELAXED); break;
    default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELAXED); break;
    }
}

#endif
