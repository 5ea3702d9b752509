/* Looking inside the initramfs rivet was given (newc/crc cpio, plain or
 * gzip), to explain "unable to open an initial console", "No working init
 * found" and "Initramfs unpacking failed". */
#ifndef RIVET_CPIO_H
#define RIVET_CPIO_H

#include "util/common.h"

struct cpio {
    uint8_t *data;          /* the uncompressed archive(s) */
    size_t size;
    const char *compression;  /* "gzip", "none", or the name of one rivet cannot read */
    const char *problem;    /* why it cannot be unpacked (truncated...), or NULL */
};

struct cpio_entry {
    uint32_t mode, rdev_major, rdev_minor;
    const uint8_t *data;
    size_t size;
};

/* Decompress and check `file`; false with c->problem set when the kernel
 * will fail to unpack it too (or rivet cannot look inside). */
bool cpio_open(struct cpio *c, const uint8_t *file, size_t size);
/* Find "path" ("/init", "dev/console": leading "/" and "./" ignored). */
bool cpio_find(const struct cpio *c, const char *path, struct cpio_entry *e);
void cpio_close(struct cpio *c);

#endif
