#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/blockfile.h"
#include "machine/virtio_config.h"
#include "util/error.h"

#define SECTOR 512

/* Image formats rivet does not read, by their magic, so that the user
 * hears what the file is rather than seeing a guest with a garbage disk. */
static const char *probe_format(int fd)
{
    static const struct { unsigned off; const char *magic; unsigned len; const char *name; } fmts[] = {
        { 0, "QFI\xfb", 4, "qcow2" }, { 0, "QED\0", 4, "qed" }, { 0, "KDMV", 4, "vmdk" },
        { 0, "# Disk DescriptorFile", 21, "vmdk" }, { 0, "conectix", 8, "vpc" },
        { 0, "vhdxfile", 8, "vhdx" }, { 0x40, "\x7f\x10\xda\xbe", 4, "vdi" },
        { 0, "LUKS\xba\xbe", 6, "luks" }, { 0, "WithoutFreeSpace", 16, "parallels" },
    };
    uint8_t head[512] = { 0 };
    if (pread(fd, head, sizeof(head), 0) < 0)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(fmts); i++)
        if (!memcmp(head + fmts[i].off, fmts[i].magic, fmts[i].len))
            return fmts[i].name;
    return NULL;
}

static void refuse_format(const struct drive_opt *d, const char *fmt)
{
    fatal("-%s %s: %s is a %s image; rivet reads only raw images: convert it with "
          "'qemu-img convert -O raw %s %s.raw'", d->opt, d->arg, d->file, fmt, d->file, d->file);
}

/* QEMU's image locking (block/file-posix.c), so that rivet and QEMU also
 * keep off each other's images: open-file-description locks on one byte
 * per permission, 100 + bit for "I use it", 200 + bit for "I let no one
 * else use it". Bit 0 is consistent read, bit 1 write. Everyone reads and
 * refuses other writers; a writer also writes. */
#define LOCK_PERM_BASE 100
#define LOCK_SHARED_BASE 200
#define PERM_READ 0
#define PERM_WRITE 1

static int lock_byte(int fd, int cmd, short type, off_t byte)
{
    struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };
    if (fcntl(fd, cmd, &fl) < 0)
        return -1;
    return cmd == F_OFD_GETLK && fl.l_type != F_UNLCK;  /* 1: someone else holds it */
}

static bool taken(int fd, off_t byte)
{
    return lock_byte(fd, F_OFD_GETLK, F_WRLCK, byte) == 1;
}

static void lock_image(struct blockfile *f, const struct drive_opt *d, bool writer)
{
    int fd = f->fd;
    bool ok = !lock_byte(fd, F_OFD_SETLK, F_RDLCK, LOCK_PERM_BASE + PERM_READ) &&
              !lock_byte(fd, F_OFD_SETLK, F_RDLCK, LOCK_SHARED_BASE + PERM_WRITE) &&
              (!writer || !lock_byte(fd, F_OFD_SETLK, F_RDLCK, LOCK_PERM_BASE + PERM_WRITE));
    if (!ok && errno != EAGAIN && errno != EACCES)
        fatal("-%s %s: cannot lock %s: %s", d->opt, d->arg, d->file, strerror(errno));
    /* Someone writes (we refuse that), or refuses what we do. */
    if (!ok || taken(fd, LOCK_PERM_BASE + PERM_WRITE) || taken(fd, LOCK_SHARED_BASE + PERM_READ) ||
        (writer && taken(fd, LOCK_SHARED_BASE + PERM_WRITE)))
        fatal("-%s %s: failed to get \"%s\" lock on %s: is another process (rivet or QEMU) "
              "using the image?", d->opt, d->arg, writer ? "write" : "consistent read", d->file);
}

static void open_overlay(struct blockfile *f, const struct drive_opt *d)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
    f->overlay_fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (f->overlay_fd < 0)
        fatal("-%s %s: snapshot=on: cannot create an overlay in %s: %s", d->opt, d->arg, dir,
              strerror(errno));
    f->written = calloc(f->size / SECTOR / 8 + 1, 1);
    if (!f->written)
        fatal("-%s %s: out of memory for the snapshot overlay", d->opt, d->arg);
}

void blockfile_open(struct blockfile *f, const struct drive_opt *d)
{
    *f = (struct blockfile){ .fd = -1, .overlay_fd = -1, .readonly = d->readonly };
    if (d->format && strcmp(d->format, "raw"))
        refuse_format(d, d->format);
    bool writable = !d->readonly && !d->snapshot;
    f->fd = open(d->file, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (f->fd < 0)
        fatal("-%s %s: could not open '%s': %s", d->opt, d->arg, d->file, strerror(errno));
    struct stat st;
    if (fstat(f->fd, &st) || !S_ISREG(st.st_mode))
        fatal("-%s %s: %s is not a regular file", d->opt, d->arg, d->file);
    const char *fmt = d->format ? NULL : probe_format(f->fd);
    if (fmt)
        refuse_format(d, fmt);
    if (st.st_size % SECTOR)
        fatal("-%s %s: %s is %lld bytes, not a multiple of 512; resize it with "
              "'truncate -s %%512 %s'", d->opt, d->arg, d->file, (long long)st.st_size, d->file);
    f->size = (uint64_t)st.st_size;
    lock_image(f, d, writable);
    if (d->snapshot)
        open_overlay(f, d);
}

void blockfile_close(struct blockfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    if (f->overlay_fd >= 0)
        close(f->overlay_fd);
    free(f->written);
    *f = (struct blockfile){ .fd = -1, .overlay_fd = -1 };
}

static bool sector_in_overlay(const struct blockfile *f, uint64_t s)
{
    return f->written[s / 8] & (1u << (s % 8));
}

/* preadv/pwritev until done: they may transfer less than asked. */
static bool full_io(int fd, struct iovec *iov, int n, uint64_t off, bool write)
{
    while (n > 0) {
        ssize_t r = write ? pwritev(fd, iov, n, (off_t)off) : preadv(fd, iov, n, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        off += (uint64_t)r;
        while (n > 0 && (size_t)r >= iov->iov_len) {
            r -= (ssize_t)iov->iov_len;
            iov++, n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + r;
            iov->iov_len -= (size_t)r;
        }
    }
    return true;
}

static bool vec_io(int fd, const struct iovec *iov, int n, uint64_t off, bool write)
{
    struct iovec copy[n > 0 ? n : 1];
    memcpy(copy, iov, sizeof(*iov) * (size_t)n);
    return full_io(fd, copy, n, off, write);
}

/* snapshot=on reads: the base image into a bounce buffer, each sector the
 * guest has written since start read again from the overlay, then out to
 * the guest's buffers (which need not be sector-sized). */
static bool overlay_read(struct blockfile *f, const struct iovec *iov, int n, uint64_t off, size_t len)
{
    uint8_t *buf = malloc(len ? len : 1);
    bool ok = buf && pread(f->fd, buf, len, (off_t)off) == (ssize_t)len;
    for (size_t pos = 0; ok && pos < len; pos += SECTOR) {
        uint64_t s = (off + pos) / SECTOR;
        if (sector_in_overlay(f, s))
            ok = pread(f->overlay_fd, buf + pos, SECTOR, (off_t)(s * SECTOR)) == SECTOR;
    }
    for (size_t pos = 0; ok && n > 0; iov++, n--) {
        size_t k = iov->iov_len < len - pos ? iov->iov_len : len - pos;
        memcpy(iov->iov_base, buf + pos, k);
        pos += k;
    }
    free(buf);
    return ok;
}

bool blockfile_read(struct blockfile *f, const struct iovec *iov, int n, uint64_t off, size_t len)
{
    if (f->overlay_fd >= 0)
        return overlay_read(f, iov, n, off, len);
    return vec_io(f->fd, iov, n, off, false);
}

bool blockfile_write(struct blockfile *f, const struct iovec *iov, int n, uint64_t off, size_t len)
{
    if (f->overlay_fd < 0)
        return vec_io(f->fd, iov, n, off, true);
    if (!vec_io(f->overlay_fd, iov, n, off, true))
        return false;
    for (uint64_t s = off / SECTOR; s < (off + len) / SECTOR; s++)
        f->written[s / 8] |= (uint8_t)(1u << (s % 8));
    return true;
}

bool blockfile_flush(struct blockfile *f)
{
    if (f->overlay_fd >= 0)
        return true;  /* the overlay is thrown away anyway */
    return fdatasync(f->fd) == 0;
}
