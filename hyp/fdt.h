/* rivet-hv: a small flattened-device-tree reader, writer and checker. */
#ifndef HYP_FDT_H
#define HYP_FDT_H
#include "lib.h"

#define FDT_MAGIC 0xd00dfeed

/* Reader. Nodes are named by their offset in the structure block; -1 = none. */
int fdt_valid(const void *fdt);                 /* 0 if the header makes sense */
uint32_t fdt_totalsize(const void *fdt);
int fdt_next_node(const void *fdt, int node, int *depth);  /* node -1: the root */
int fdt_path(const void *fdt, const char *path); /* "/cpus/cpu@0"; "memory" matches "memory@..." */
int fdt_subnode(const void *fdt, int parent, const char *name);
int fdt_parent(const void *fdt, int node);
int fdt_by_phandle(const void *fdt, uint32_t phandle);
const char *fdt_name(const void *fdt, int node);
const void *fdt_prop(const void *fdt, int node, const char *name, int *len);
bool fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *v);
bool fdt_has_prop(const void *fdt, int node, const char *name);
/* A cell pair or single cell, as "linux,initrd-start" may be either. */
bool fdt_prop_cells(const void *fdt, int node, const char *name, uint64_t *v);
/* Iterate a node's properties: off -1 starts; returns -1 at the end. */
int fdt_next_prop(const void *fdt, int node, int off, const char **name, const void **val, int *len);

/* Writer: builds a tree in buf (cap bytes). */
struct fdt_writer {
    uint8_t *buf;
    uint32_t cap, off, depth;
    char strings[1024];
    uint32_t strings_len;
    const char *error;   /* first thing that did not fit */
};
void fdtw_begin(struct fdt_writer *w, void *buf, uint32_t cap);
void fdtw_node(struct fdt_writer *w, const char *name);
void fdtw_end_node(struct fdt_writer *w);
void fdtw_prop(struct fdt_writer *w, const char *name, const void *val, uint32_t len);
void fdtw_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdtw_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, int n);
void fdtw_u64(struct fdt_writer *w, const char *name, uint64_t v);  /* as two cells */
void fdtw_str(struct fdt_writer *w, const char *name, const char *s);
void fdtw_empty(struct fdt_writer *w, const char *name);
uint32_t fdtw_finish(struct fdt_writer *w);     /* total size, 0 on error */

/* Checker: every phandle reference resolves, every interrupt parent is an
 * interrupt controller, every interrupt specifier has the parent's
 * #interrupt-cells, stdout-path names a node. Prints each problem with the
 * node's path; returns the number of problems. */
int fdt_check(const void *fdt, const char *who);
void fdt_node_path(const void *fdt, int node, char *buf, size_t n);

#endif
