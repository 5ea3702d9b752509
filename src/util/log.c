#include <stdbool.h>
#include <string.h>

#include "util/log.h"

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} log_items[] = {
    { "guest_errors", LOG_GUEST_ERROR, "log when the guest accesses invalid devices or registers" },
    { "int",          LOG_INT,         "show traps and interrupts" },
    { "in_asm",       LOG_IN_ASM,      "show guest instructions as they are decoded" },
    { "cpu_reset",    LOG_CPU_RESET,   "show hart state at reset" },
    { "unimp",        LOG_UNIMP,       "log unimplemented functionality" },
    { "mmu",          LOG_MMU,         "log page-table walks that fault" },
    { "exec",         LOG_EXEC,        "show each executed instruction (very slow)" },
    { "boot",         LOG_BOOT,        "show the boot timeline and a summary at exit" },
    { "json",         LOG_BOOT_JSON,   "with boot: the summary as one JSON object instead" },
};

bool log_parse_items(const char *items, unsigned *mask, const char **bad, size_t *bad_len)
{
    *mask = 0;
    const char *p = items;
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        if (n == 3 && !strncmp(p, "all", 3)) {
            *mask |= ~0u & ~LOG_EXEC & ~LOG_BOOT_JSON;
            found = true;
        }
        for (size_t i = 0; i < sizeof(log_items) / sizeof(log_items[0]) && !found; i++) {
            if (strlen(log_items[i].name) == n && !strncmp(p, log_items[i].name, n)) {
                *mask |= log_items[i].mask;
                found = true;
            }
        }
        if (!found) {
            *bad = p;
            *bad_len = n;
            return false;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return true;
}

void log_print_items(FILE *out)
{
    fprintf(out, "Log items (comma separated):\n");
    for (size_t i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++)
        fprintf(out, "%-15s %s\n", log_items[i].name, log_items[i].help);
    fprintf(out, "%-15s %s\n", "all", "everything except exec and json");
}

void log_msg(const struct log *l, unsigned item, const char *fmt, ...)
{
    if (!log_enabled(l, item))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(l->out ? l->out : stderr, fmt, ap);
    va_end(ap);
}
