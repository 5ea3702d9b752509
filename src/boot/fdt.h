/* Small conveniences over libfdt for building the board's device tree. */
#ifndef RIVET_FDT_H
#define RIVET_FDT_H

#include <libfdt.h>

#include "util/common.h"

#define FDT_BUILD_SIZE (1024 * 1024)

/* These build rivet's own tree only (virt_build_fdt and the devices): a
 * user's -dtb never reaches them (virt_fdt_finish reports libfdt's errors
 * on it as bad input), so a failure here is a bug in rivet and aborts.
 *
 * Add node `name` under the node at path `parent` and return its offset,
 * valid until the next node is added anywhere (libfdt moves nodes). */
int fdt_node(void *fdt, const char *parent, const char *name);
int fdt_node_fmt(void *fdt, const char *parent, const char *fmt, uint64_t addr);
void fdt_prop_str(void *fdt, int node, const char *name, const char *value);
/* A string list: "a\0b\0" given as a, b, NULL. */
void fdt_prop_strs(void *fdt, int node, const char *name, const char *first, ...);
void fdt_prop_u32(void *fdt, int node, const char *name, uint32_t value);
void fdt_prop_cells(void *fdt, int node, const char *name, const uint32_t *cells, unsigned n);
void fdt_prop_empty(void *fdt, int node, const char *name);
/* reg = <base-hi base-lo size-hi size-lo> for #address-cells = #size-cells = 2. */
void fdt_prop_reg(void *fdt, int node, uint64_t base, uint64_t size);

#endif
