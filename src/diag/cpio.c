/* The initramfs, read the way the kernel's init/initramfs.c does: a series
 * of cpio archives (newc "070701" or crc "070702"), each maybe compressed,
 * separated by zero padding. Only gzip is decompressed here; other
 * compressions are named so the explanation can say so. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "diag/cpio.h"

#define HDR 110
#define MAX_UNPACKED (1ULL << 30)

static const struct { const char *name; uint8_t magic[4]; unsigned len; } magics[] = {
    { "xz", { 0xfd, '7', 'z', 'X' }, 4 }, { "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
    { "bzip2", { 'B', 'Z', 'h' }, 3 }, { "lz4", { 0x02, 0x21, 0x4c, 0x18 }, 4 },
    { "lzo", { 0x89, 'L', 'Z', 'O' }, 4 }, { "lzma", { 0x5d, 0, 0 }, 3 },
};

/* Inflate one gzip stream (or several back to back); "truncated" when the
 * input ends before the stream does. */
static bool gunzip(struct cpio *c, const uint8_t *in, size_t size)
{
    z_stream z = { 0 };
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return false;
    size_t cap = size * 4 + 65536;
    c->data = malloc(cap);
    z.next_in = (uint8_t *)in;
    z.avail_in = (uInt)size;
    int rc = Z_OK;
    while (c->data && rc != Z_STREAM_END) {
        if (c->size == cap) {
            cap *= 2;
            uint8_t *p = cap <= MAX_UNPACKED ? realloc(c->data, cap) : NULL;
            if (!p)
                break;
            c->data = p;
        }
        z.next_out = c->data + c->size;
        z.avail_out = (uInt)(cap - c->size);
        rc = inflate(&z, Z_NO_FLUSH);
        c->size = cap - z.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
        c->problem = rc == Z_BUF_ERROR || rc == Z_OK ? "the gzip stream is truncated"
                                                      : "the gzip stream is corrupt";
    return rc == Z_STREAM_END;
}

static uint32_t hex8(const uint8_t *p, bool *ok)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++) {
        int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10
              : p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10 : -1;
        if (d < 0)
            *ok = false;
        v = v << 4 | (uint32_t)(d & 15);
    }
    return v;
}

/* Walk the headers: calls back per entry; false if the archive is broken. */
typedef bool (*visit_fn)(void *ctx, const char *name, size_t namelen, const struct cpio_entry *e);

static bool walk(const struct cpio *c, visit_fn fn, void *ctx, bool *trailer)
{
    size_t off = 0;
    *trailer = false;
    while (off < c->size) {
        if (c->data[off] == 0) {  /* padding between archives */
            off++;
            continue;
        }
        const uint8_t *h = c->data + off;
        if (c->size - off < HDR || memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2'))
            return false;
        bool ok = true;
        struct cpio_entry e = { .mode = hex8(h + 14, &ok), .rdev_major = hex8(h + 78, &ok),
                                .rdev_minor = hex8(h + 86, &ok) };
        size_t filesize = hex8(h + 54, &ok), namesize = hex8(h + 94, &ok);
        size_t data_off = (off + HDR + namesize + 3) & ~(size_t)3;
        if (!ok || !namesize || data_off > c->size || filesize > c->size - data_off)
            return false;
        const char *name = (const char *)h + HDR;
        e.data = c->data + data_off;
        e.size = filesize;
        if (namesize == 11 && !memcmp(name, "TRAILER!!!", 10))
            *trailer = true;
        else if (fn && !fn(ctx, name, namesize - 1, &e))
            return true;
        off = (data_off + filesize + 3) & ~(size_t)3;
    }
    return true;
}

static void set_compression(struct cpio *c, const uint8_t *file, size_t size)
{
    c->compression = "none";
    if (size >= 2 && file[0] == 0x1f && (file[1] == 0x8b || file[1] == 0x9e))
        c->compression = "gzip";
    for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
        if (size >= magics[i].len && !memcmp(file, magics[i].magic, magics[i].len))
            c->compression = magics[i].name;
}

bool cpio_open(struct cpio *c, const uint8_t *file, size_t size)
{
    memset(c, 0, sizeof(*c));
    set_compression(c, file, size);
    if (!strcmp(c->compression, "gzip")) {
        if (!gunzip(c, file, size))
            return false;
    } else if (!strcmp(c->compression, "none")) {
        c->data = malloc(size ? size : 1);
        if (!c->data)
            return false;
        memcpy(c->data, file, size);
        c->size = size;
    } else {
        c->problem = "rivet cannot look inside this compression";
        return false;
    }
    bool trailer;
    if (!walk(c, NULL, NULL, &trailer))
        c->problem = "it is not a cpio archive (newc format), or a header is corrupt";
    else if (!trailer)
        c->problem = "the cpio archive is truncated (no TRAILER!!! entry)";
    return c->problem == NULL;
}

struct find_ctx {
    const char *want;
    struct cpio_entry *out;
    bool found;
};

static const char *skip_prefix(const char *s, size_t *n)
{
    for (;;) {
        if (*n >= 2 && s[0] == '.' && s[1] == '/')
            s += 2, *n -= 2;
        else if (*n >= 1 && s[0] == '/')
            s++, (*n)--;
        else
            return s;
    }
}

static bool find_visit(void *ctx, const char *name, size_t namelen, const struct cpio_entry *e)
{
    struct find_ctx *f = ctx;
    size_t wl = strlen(f->want);
    name = skip_prefix(name, &namelen);
    if (namelen == wl && !memcmp(name, f->want, wl)) {
        *f->out = *e;  /* the last one wins, as when the kernel unpacks them in order */
        f->found = true;
    }
    return true;
}

bool cpio_find(const struct cpio *c, const char *path, struct cpio_entry *e)
{
    size_t n = strlen(path);
    struct find_ctx f = { skip_prefix(path, &n), e, false };
    bool trailer;
    if (c->data)
        walk(c, find_visit, &f, &trailer);
    return f.found;
}

void cpio_close(struct cpio *c)
{
    free(c->data);
    memset(c, 0, sizeof(*c));
}
