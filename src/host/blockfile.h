/* A raw disk image on the host behind a virtio-blk device (-drive).
 *
 * Opened and checked at start-up (missing, locked, not raw, not a multiple
 * of 512 bytes: one line and exit 1). Locked as QEMU locks its images, so
 * no two instances (rivet or QEMU) write one file, nor read it while
 * another writes. snapshot=on sends writes to an unlinked overlay file
 * that disappears with rivet. */
#ifndef RIVET_BLOCKFILE_H
#define RIVET_BLOCKFILE_H

#include <sys/uio.h>

#include "util/common.h"

struct blockfile {
    int fd;
    int overlay_fd;           /* snapshot=on: written sectors live here; else -1 */
    uint8_t *written;         /* snapshot=on: bitmap of sectors in the overlay */
    uint64_t size;            /* bytes, a multiple of 512 */
    bool readonly;
};

struct drive_opt;
/* Exits with one line on any problem. */
void blockfile_open(struct blockfile *f, const struct drive_opt *d);
void blockfile_close(struct blockfile *f);
/* Whole-request I/O at byte offset `off` (sector aligned); false on a host error. */
bool blockfile_read(struct blockfile *f, const struct iovec *iov, int n, uint64_t off, size_t len);
bool blockfile_write(struct blockfile *f, const struct iovec *iov, int n, uint64_t off, size_t len);
bool blockfile_flush(struct blockfile *f);

#endif
