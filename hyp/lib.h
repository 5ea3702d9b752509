/* rivet-hv: the few library routines a freestanding program needs. */
#ifndef HYP_LIB_H
#define HYP_LIB_H
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Console (through the host SBI): printf with %s %c %d %u %x %p, l/ll, width and 0. */
void console_init(void);
void putch(char c);
void console_write(const char *s, size_t n);   /* as one piece, not mixed with other harts' */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

/* Every line of the hypervisor's own log starts with this. */
#define LOG(...) printf("rivet-hv: " __VA_ARGS__)
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
/* bit helpers (no libgcc: it is built for another float ABI) */
static inline int ctz64(uint64_t v) { int n = 0; if (!v) return 64; while (!(v & 1)) { v >>= 1; n++; } return n; }
static inline int popcount64(uint64_t v) { int n = 0; for (; v; v &= v - 1) n++; return n; }
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MiB (1024ul * 1024)

static inline uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
static inline uint64_t be64(const void *p) { return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4); }
static inline void put_be32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

#endif
