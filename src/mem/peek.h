/* Guest memory as an observer sees it (the debugger, the diagnostics):
 * RAM and ROM only, so no device register is ever read, and page tables
 * walked read-only: no A/D updates, no TLB fills, no traps. src/cpu/mmu.c's
 * walk is the architectural one; this is the same tables seen from outside. */
#ifndef RIVET_PEEK_H
#define RIVET_PEEK_H

#include "util/common.h"

struct bus;

/* Copy [pa, pa+len) of RAM or ROM; false if any of it is neither. */
bool peek_phys(struct bus *b, uint64_t pa, void *buf, size_t len);
/* Translate va through atp (a satp or vsatp value: Sv39/48/57, or bare:
 * pa = va); false if not mapped. One stage only. */
bool peek_translate(struct bus *b, uint64_t atp, uint64_t va, uint64_t *pa);

#endif
