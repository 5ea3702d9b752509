/* Guest memory as a debugger sees it: read and written without side
 * effects (no A/D bits, no traps, no device registers), through a hart's
 * current translation or physically. */
#ifndef RIVET_DEBUG_MEMACCESS_H
#define RIVET_DEBUG_MEMACCESS_H

#include "cpu/hart.h"

/* va -> pa as h would translate a load now (satp, privilege, MPRV); a
 * read-only page-table walk. False: not mapped. */
bool dbg_translate(struct hart *h, uint64_t va, uint64_t *pa);
/* RAM and ROM only; `phys` skips translation. False when any byte of the
 * range cannot be reached. */
bool dbg_read(struct hart *h, uint64_t addr, void *buf, size_t len, bool phys);
/* RAM only; the code caches hear of it (bus_write_ram). */
bool dbg_write(struct hart *h, uint64_t addr, const void *buf, size_t len, bool phys);

#endif
