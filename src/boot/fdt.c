#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/fdt.h"

static void check(int err, const char *what)
{
    if (err < 0) {
        fprintf(stderr, "rivet: internal error building the device tree (%s): %s\n", what,
                fdt_strerror(err));
        abort();
    }
}

int fdt_node(void *fdt, const char *parent, const char *name)
{
    int at = fdt_path_offset(fdt, parent);
    check(at, parent);
    int off = fdt_add_subnode(fdt, at, name);
    check(off, name);
    return off;
}

int fdt_node_fmt(void *fdt, const char *parent, const char *fmt, uint64_t addr)
{
    char name[64];
    snprintf(name, sizeof(name), fmt, (unsigned long long)addr);
    return fdt_node(fdt, parent, name);
}

void fdt_prop_str(void *fdt, int node, const char *name, const char *value)
{
    check(fdt_setprop_string(fdt, node, name, value), name);
}

void fdt_prop_strs(void *fdt, int node, const char *name, const char *first, ...)
{
    char buf[512];
    size_t len = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *)) {
        size_t n = strlen(s) + 1;
        if (len + n > sizeof(buf))
            abort();
        memcpy(buf + len, s, n);
        len += n;
    }
    va_end(ap);
    check(fdt_setprop(fdt, node, name, buf, (int)len), name);
}

void fdt_prop_u32(void *fdt, int node, const char *name, uint32_t value)
{
    check(fdt_setprop_u32(fdt, node, name, value), name);
}

void fdt_prop_cells(void *fdt, int node, const char *name, const uint32_t *cells, unsigned n)
{
    fdt32_t be[1024];
    if (n > 1024)
        abort();
    for (unsigned i = 0; i < n; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    check(fdt_setprop(fdt, node, name, be, (int)(n * 4)), name);
}

void fdt_prop_empty(void *fdt, int node, const char *name)
{
    check(fdt_setprop(fdt, node, name, NULL, 0), name);
}

void fdt_prop_reg(void *fdt, int node, uint64_t base, uint64_t size)
{
    uint32_t cells[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32), (uint32_t)size };
    fdt_prop_cells(fdt, node, "reg", cells, 4);
}
