/* rivet-hv: string and memory routines (the compiler may call these too). */
#include "lib.h"

void *memcpy(void *d, const void *s, size_t n) { return memmove(d, s, n); }

void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    if (dp == sp || n == 0)
        return d;
    if (dp < sp) {
        if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0) {
            for (; n >= 8; n -= 8, dp += 8, sp += 8)
                *(uint64_t *)dp = *(const uint64_t *)sp;
        }
        while (n--)
            *dp++ = *sp++;
    } else {
        dp += n;
        sp += n;
        if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0) {
            for (; n >= 8; n -= 8) {
                dp -= 8; sp -= 8;
                *(uint64_t *)dp = *(const uint64_t *)sp;
            }
        }
        while (n--)
            *--dp = *--sp;
    }
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    if (((uintptr_t)p & 7) == 0 && c == 0)
        for (; n >= 8; n -= 8, p += 8)
            *(uint64_t *)p = 0;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (uint8_t)*a - (uint8_t)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (; *s; s++)
        if (*s == (char)c)
            return (char *)s;
    return c ? NULL : (char *)s;
}
