/* Linux's printk ring buffer, read out of guest memory (see klog.c). */
#ifndef RIVET_KLOG_H
#define RIVET_KLOG_H

#include "util/common.h"

struct bus;
struct kmap;
struct symtab;

struct klog {
    char *text;             /* "[    1.234567] message\n" per record */
    size_t len, cap;
    unsigned records;
    const char *error;      /* why nothing could be read */
    const char *source;     /* how the ring buffer was found */
};

/* Read every record still in the ring, through satp (or `km` with the MMU
 * off); false with k->error set when the ring cannot be found. */
bool klog_read(struct bus *b, uint64_t satp, const struct kmap *km, const struct symtab *syms,
               struct klog *k);
void klog_free(struct klog *k);

#endif
