/* Reading guest memory for diagnostics without side effects: RAM only (no
 * device reads), page tables walked read-only (no A/D updates, no traps,
 * no TLB fills). src/cpu/mmu.c's walk is the architectural one; this is a
 * debugger's view of the same tables. */
#ifndef RIVET_MEMREAD_H
#define RIVET_MEMREAD_H

#include "util/common.h"

struct bus;

/* Where a kernel virtual address lies while the MMU is still off: the
 * image's link address and the physical address it was loaded at. */
struct kmap {
    uint64_t link, load;
    bool valid;
};

/* Copy [pa, pa+len) of RAM; false if any of it is not RAM. */
bool diag_read_phys(struct bus *b, uint64_t pa, void *buf, size_t len);
/* Translate va through satp (Sv39/48/57; bare: pa = va); false if unmapped. */
bool diag_translate(struct bus *b, uint64_t satp, uint64_t va, uint64_t *pa);
/* Read at a guest virtual address as seen with satp, page by page; with
 * satp bare, kernel addresses go through `km`. */
bool diag_read_virt(struct bus *b, uint64_t satp, const struct kmap *km, uint64_t va, void *buf,
                    size_t len);

#endif
