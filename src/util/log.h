/* QEMU-style diagnostic logging (-d ITEMS, -D FILE). */
#ifndef RIVET_LOG_H
#define RIVET_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum log_item {
    LOG_GUEST_ERROR = 1 << 0,  /* guest did something wrong: bad MMIO, ... */
    LOG_INT         = 1 << 1,  /* traps and interrupts */
    LOG_IN_ASM      = 1 << 2,  /* each instruction as it is first decoded */
    LOG_CPU_RESET   = 1 << 3,  /* hart state at reset */
    LOG_UNIMP       = 1 << 4,  /* guest used something rivet does not implement */
    LOG_MMU         = 1 << 5,  /* page-table walks that fault */
    LOG_EXEC        = 1 << 6,  /* every executed instruction (slow) */
    LOG_BOOT        = 1 << 7,  /* the boot timeline, as it happens and at exit */
    LOG_BOOT_JSON   = 1 << 8,  /* ... as one JSON object at exit instead */
};

struct log {
    unsigned mask;
    FILE *out;
};

/* Parse "guest_errors,int,..."; returns false and names the bad item in *bad. */
bool log_parse_items(const char *items, unsigned *mask, const char **bad, size_t *bad_len);
void log_print_items(FILE *out);

static inline bool log_enabled(const struct log *l, unsigned item)
{
    return l && (l->mask & item);
}

void log_msg(const struct log *l, unsigned item, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
