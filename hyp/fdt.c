/* rivet-hv: flattened device tree (devicetree specification v0.4, chapter 5):
 * reader, writer and a consistency checker for the trees we generate. */
#include "fdt.h"

#define TOK_BEGIN 1
#define TOK_END   2
#define TOK_PROP  3
#define TOK_NOP   4
#define TOK_DONE  9

/* Header fields, by byte offset. */
#define H_MAGIC 0
#define H_TOTALSIZE 4
#define H_OFF_STRUCT 8
#define H_OFF_STRINGS 12
#define H_OFF_RSVMAP 16
#define H_VERSION 20
#define H_LAST_COMP 24
#define H_BOOT_CPU 28
#define H_SIZE_STRINGS 32
#define H_SIZE_STRUCT 36
#define HDR_SIZE 40
#define H(f) be32((const uint8_t *)fdt + (f))

int fdt_valid(const void *fdt)
{
    if (!fdt || ((uintptr_t)fdt & 3) || H(H_MAGIC) != FDT_MAGIC)
        return -1;
    if (H(H_VERSION) < 16 || H(H_OFF_STRUCT) >= H(H_TOTALSIZE) || H(H_OFF_STRINGS) > H(H_TOTALSIZE))
        return -1;
    return 0;
}

uint32_t fdt_totalsize(const void *fdt) { return H(H_TOTALSIZE); }

static const uint8_t *sblk(const void *fdt) { return (const uint8_t *)fdt + H(H_OFF_STRUCT); }
static const char *strblk(const void *fdt) { return (const char *)fdt + H(H_OFF_STRINGS); }

/* The tag at off; *next = offset of the tag after it. */
static uint32_t tag(const void *fdt, int off, int *next)
{
    const uint8_t *s = sblk(fdt);
    uint32_t t = be32(s + off);
    int n = off + 4;
    if (t == TOK_BEGIN)
        n += (int)ALIGN_UP(strlen((const char *)s + n) + 1, 4);
    else if (t == TOK_PROP)
        n += 8 + (int)ALIGN_UP(be32(s + n), 4);
    *next = n;
    return t;
}

int fdt_next_node(const void *fdt, int node, int *depth)
{
    int off = 0, next;
    if (node < 0)
        *depth = -1;
    else
        tag(fdt, node, &off);
    for (;; off = next) {
        uint32_t t = tag(fdt, off, &next);
        if (t == TOK_BEGIN) {
            (*depth)++;
            return off;
        }
        if (t == TOK_END)
            (*depth)--;
        else if (t != TOK_PROP && t != TOK_NOP)
            return -1;
    }
}

const char *fdt_name(const void *fdt, int node) { return (const char *)sblk(fdt) + node + 4; }

/* "memory" matches "memory" and "memory@80000000"; "cpu@0" only itself. */
static bool name_matches(const char *node, const char *want, size_t wlen)
{
    if (strncmp(node, want, wlen) != 0)
        return false;
    if (node[wlen] == 0)
        return true;
    for (size_t i = 0; i < wlen; i++)
        if (want[i] == '@')
            return false;
    return node[wlen] == '@';
}

static int subnode_n(const void *fdt, int parent, const char *name, size_t len)
{
    int depth = 0;
    for (int n = fdt_next_node(fdt, parent, &depth); n >= 0 && depth > 0;
         n = fdt_next_node(fdt, n, &depth))
        if (depth == 1 && name_matches(fdt_name(fdt, n), name, len))
            return n;
    return -1;
}

int fdt_subnode(const void *fdt, int parent, const char *name)
{
    return subnode_n(fdt, parent, name, strlen(name));
}

int fdt_path(const void *fdt, const char *path)
{
    int node = 0;
    if (*path != '/')
        return -1;
    while (*path) {
        while (*path == '/')
            path++;
        if (!*path)
            break;
        const char *end = path;
        while (*end && *end != '/')
            end++;
        node = subnode_n(fdt, node, path, (size_t)(end - path));
        if (node < 0)
            return -1;
        path = end;
    }
    return node;
}

int fdt_parent(const void *fdt, int node)
{
    int stack[32], depth = 0;
    for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
        if (depth < 0 || depth >= 32)
            return -1;
        stack[depth] = n;
        if (n == node)
            return depth ? stack[depth - 1] : -1;
    }
    return -1;
}

void fdt_node_path(const void *fdt, int node, char *buf, size_t n)
{
    int chain[32], k = 0;
    for (int p = node; p > 0 && k < 32; p = fdt_parent(fdt, p))
        chain[k++] = p;
    size_t len = 0;
    buf[0] = 0;
    if (k == 0)
        snprintf(buf, n, "/");
    while (k-- > 0 && len < n)
        len += (size_t)snprintf(buf + len, n - len, "/%s", fdt_name(fdt, chain[k]));
}

int fdt_next_prop(const void *fdt, int node, int off, const char **name, const void **val, int *len)
{
    int next;
    if (off < 0)
        tag(fdt, node, &off);
    for (;; off = next) {
        uint32_t t = tag(fdt, off, &next);
        if (t == TOK_PROP) {
            const uint8_t *p = sblk(fdt) + off + 4;
            *len = (int)be32(p);
            *name = strblk(fdt) + be32(p + 4);
            *val = p + 8;
            return next;
        }
        if (t != TOK_NOP)
            return -1;
    }
}

const void *fdt_prop(const void *fdt, int node, const char *name, int *len)
{
    const char *pn;
    const void *v;
    int l;
    if (node < 0)
        return NULL;
    for (int o = fdt_next_prop(fdt, node, -1, &pn, &v, &l); o >= 0;
         o = fdt_next_prop(fdt, node, o, &pn, &v, &l))
        if (strcmp(pn, name) == 0) {
            if (len)
                *len = l;
            return v;
        }
    return NULL;
}

bool fdt_has_prop(const void *fdt, int node, const char *name) { return fdt_prop(fdt, node, name, NULL) != NULL; }

bool fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t *v)
{
    int len;
    const void *p = fdt_prop(fdt, node, name, &len);
    if (!p || len != 4)
        return false;
    *v = be32(p);
    return true;
}

bool fdt_prop_cells(const void *fdt, int node, const char *name, uint64_t *v)
{
    int len;
    const void *p = fdt_prop(fdt, node, name, &len);
    if (p && len == 4)
        *v = be32(p);
    else if (p && len == 8)
        *v = be64(p);
    else
        return false;
    return true;
}

int fdt_by_phandle(const void *fdt, uint32_t phandle)
{
    int depth;
    uint32_t ph;
    if (phandle == 0 || phandle == 0xffffffff)
        return -1;
    for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth))
        if ((fdt_prop_u32(fdt, n, "phandle", &ph) || fdt_prop_u32(fdt, n, "linux,phandle", &ph)) &&
            ph == phandle)
            return n;
    return -1;
}

/* ---- writer ---------------------------------------------------------- */

static void wput(struct fdt_writer *w, const void *p, uint32_t len)
{
    uint32_t padded = (uint32_t)ALIGN_UP(len, 4);
    if (w->error)
        return;
    if (w->off + padded > w->cap) {
        w->error = "structure block";
        return;
    }
    memcpy(w->buf + w->off, p, len);
    memset(w->buf + w->off + len, 0, padded - len);
    w->off += padded;
}

static void wtok(struct fdt_writer *w, uint32_t t)
{
    uint8_t b[4];
    put_be32(b, t);
    wput(w, b, 4);
}

void fdtw_begin(struct fdt_writer *w, void *buf, uint32_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = cap;
    w->off = HDR_SIZE + 16;   /* header, then an empty memory reservation map */
    if (cap < w->off) {
        w->error = "header";
        return;
    }
    memset(buf, 0, w->off);
}

void fdtw_node(struct fdt_writer *w, const char *name)
{
    wtok(w, TOK_BEGIN);
    wput(w, name, (uint32_t)strlen(name) + 1);
    w->depth++;
}

void fdtw_end_node(struct fdt_writer *w)
{
    wtok(w, TOK_END);
    w->depth--;
}

static uint32_t string_off(struct fdt_writer *w, const char *name)
{
    for (uint32_t o = 0; o < w->strings_len; o += (uint32_t)strlen(w->strings + o) + 1)
        if (strcmp(w->strings + o, name) == 0)
            return o;
    uint32_t len = (uint32_t)strlen(name) + 1, o = w->strings_len;
    if (o + len > sizeof w->strings) {
        w->error = "strings block";
        return 0;
    }
    memcpy(w->strings + o, name, len);
    w->strings_len += len;
    return o;
}

void fdtw_prop(struct fdt_writer *w, const char *name, const void *val, uint32_t len)
{
    uint8_t b[8];
    wtok(w, TOK_PROP);
    put_be32(b, len);
    put_be32(b + 4, string_off(w, name));
    wput(w, b, 8);
    wput(w, val, len);
}

void fdtw_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, int n)
{
    uint8_t b[64 * 4];
    if (n > 64) {
        w->error = name;
        return;
    }
    for (int i = 0; i < n; i++)
        put_be32(b + 4 * i, cells[i]);
    fdtw_prop(w, name, b, 4u * (uint32_t)n);
}

void fdtw_u32(struct fdt_writer *w, const char *name, uint32_t v) { fdtw_cells(w, name, &v, 1); }

void fdtw_u64(struct fdt_writer *w, const char *name, uint64_t v)
{
    uint32_t c[2] = { (uint32_t)(v >> 32), (uint32_t)v };
    fdtw_cells(w, name, c, 2);
}

void fdtw_str(struct fdt_writer *w, const char *name, const char *s)
{
    fdtw_prop(w, name, s, (uint32_t)strlen(s) + 1);
}

void fdtw_empty(struct fdt_writer *w, const char *name) { fdtw_prop(w, name, "", 0); }

uint32_t fdtw_finish(struct fdt_writer *w)
{
    wtok(w, TOK_DONE);
    uint32_t struct_off = HDR_SIZE + 16, strings_off = w->off;
    if (w->depth != 0 && !w->error)
        w->error = "unbalanced nodes";
    wput(w, w->strings, w->strings_len);
    if (w->error)
        return 0;
    uint32_t total = strings_off + w->strings_len;
    uint32_t h[10] = { FDT_MAGIC, total, struct_off, strings_off, HDR_SIZE, 17, 16, 0,
                       w->strings_len, strings_off - struct_off };
    for (int i = 0; i < 10; i++)
        put_be32(w->buf + 4 * i, h[i]);
    return total;
}

/* ---- checker --------------------------------------------------------- */

static int problem(const void *fdt, int node, const char *who, const char *what, uint32_t v)
{
    char path[128];
    fdt_node_path(fdt, node, path, sizeof path);
    LOG("%s: device tree: %s: %s (0x%x)\n", who, path, what, v);
    return 1;
}

/* A phandle that must name an interrupt controller; its #interrupt-cells or -1. */
static int controller(const void *fdt, int node, const char *who, const char *prop, uint32_t ph, int *bad)
{
    char msg[96];
    int c = fdt_by_phandle(fdt, ph);
    uint32_t cells;
    if (c < 0) {
        snprintf(msg, sizeof msg, "%s names phandle that no node has", prop);
        *bad += problem(fdt, node, who, msg, ph);
        return -1;
    }
    if (!fdt_has_prop(fdt, c, "interrupt-controller")) {
        snprintf(msg, sizeof msg, "%s names %s, which is not an interrupt-controller", prop, fdt_name(fdt, c));
        *bad += problem(fdt, node, who, msg, ph);
        return -1;
    }
    if (!fdt_prop_u32(fdt, c, "#interrupt-cells", &cells) || cells == 0 || cells > 4) {
        snprintf(msg, sizeof msg, "%s names %s, which has no usable #interrupt-cells", prop, fdt_name(fdt, c));
        *bad += problem(fdt, node, who, msg, ph);
        return -1;
    }
    return (int)cells;
}

int fdt_check(const void *fdt, const char *who)
{
    int bad = 0, depth;
    uint32_t seen[64], nseen = 0, ph;
    if (fdt_valid(fdt)) {
        LOG("%s: device tree: bad header\n", who);
        return 1;
    }
    for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
        if (fdt_prop_u32(fdt, n, "phandle", &ph)) {
            for (uint32_t i = 0; i < nseen; i++)
                if (seen[i] == ph)
                    bad += problem(fdt, n, who, "phandle used twice", ph);
            if (nseen < 64)
                seen[nseen++] = ph;
        }
        int len;
        const uint8_t *p = fdt_prop(fdt, n, "interrupts", &len);
        if (p) {
            int c = -1;
            for (int a = n; a >= 0; a = fdt_parent(fdt, a))
                if (fdt_prop_u32(fdt, a, "interrupt-parent", &ph)) {
                    c = controller(fdt, n, who, "interrupt-parent", ph, &bad);
                    break;
                }
            if (c == -1 && !fdt_has_prop(fdt, n, "interrupt-parent"))
                bad += problem(fdt, n, who, "has interrupts but no interrupt-parent", 0);
            if (c > 0 && (len % (4 * c)) != 0)
                bad += problem(fdt, n, who, "interrupts is not a whole number of specifiers", (uint32_t)len);
            uint32_t ndev;
            int pc = c > 0 ? fdt_by_phandle(fdt, ph) : -1;
            if (pc >= 0 && fdt_prop_u32(fdt, pc, "riscv,ndev", &ndev))
                for (int i = 0; i + 4 <= len; i += 4 * c)
                    if (be32(p + i) == 0 || be32(p + i) > ndev)
                        bad += problem(fdt, n, who, "interrupt source outside the PLIC's riscv,ndev", be32(p + i));
        } else if (fdt_prop_u32(fdt, n, "interrupt-parent", &ph)) {
            controller(fdt, n, who, "interrupt-parent", ph, &bad);
        }
        p = fdt_prop(fdt, n, "interrupts-extended", &len);
        for (int i = 0; p && i + 4 <= len;) {
            int c = controller(fdt, n, who, "interrupts-extended", be32(p + i), &bad);
            if (c < 0)
                break;
            i += 4 + 4 * c;
            if (i > len)
                bad += problem(fdt, n, who, "interrupts-extended ends inside a specifier", (uint32_t)len);
        }
    }
    int chosen = fdt_path(fdt, "/chosen");
    const char *out = chosen >= 0 ? fdt_prop(fdt, chosen, "stdout-path", NULL) : NULL;
    if (out) {
        char path[96];
        size_t i = 0;
        for (; out[i] && out[i] != ':' && i + 1 < sizeof path; i++)
            path[i] = out[i];
        path[i] = 0;
        if (fdt_path(fdt, path) < 0)
            bad += problem(fdt, chosen, who, "stdout-path names no node", 0);
    }
    return bad;
}
