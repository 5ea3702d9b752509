/* virtio-blk (virtio 1.2 §5.2) over a raw image: read, write, flush
 * (fdatasync) and the serial number; requests run to completion when the
 * driver kicks, straight between the image and guest RAM. */
#include <stdlib.h>
#include <string.h>

#include "dev/virtio_blk.h"
#include "machine/virtio_config.h"

enum {
    BLK_F_SEG_MAX = 1ULL << 2, BLK_F_RO = 1ULL << 5, BLK_F_BLK_SIZE = 1ULL << 6,
    BLK_F_FLUSH = 1ULL << 9,
};
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };

#define SECTOR 512
#define SEG_MAX 254          /* QEMU's: queue size - 2 */
#define ID_BYTES 20

struct blk_req {
    uint32_t type, reserved;
    uint64_t sector;
};

/* The guest buffers [skip, skip+len) of one direction as host iovecs. */
static int to_iovec(struct virtio_blk *b, bool writable, size_t skip, size_t len, struct iovec *iov)
{
    const struct vq_elem *e = &b->elem;
    unsigned first = writable ? e->nout : 0, end = writable ? e->nout + e->nin : e->nout;
    int n = 0;
    for (unsigned i = first; i < end && len; i++) {
        const struct vq_seg *s = &e->seg[i];
        if (skip >= s->len) {
            skip -= s->len;
            continue;
        }
        size_t k = s->len - skip < len ? s->len - skip : len;
        iov[n++] = (struct iovec){ bus_ram_ptr(b->bus, s->gpa + skip, k), k };  /* checked at pop */
        len -= k;
        skip = 0;
    }
    return n;
}

/* Tell the code caches about the bytes a read put into guest RAM. */
static void mark_written(struct virtio_blk *b, size_t len)
{
    const struct vq_elem *e = &b->elem;
    for (unsigned i = e->nout; i < e->nout + e->nin && len; i++) {
        size_t k = e->seg[i].len < len ? e->seg[i].len : len;
        bus_ram_written(b->bus, e->seg[i].gpa, k);
        len -= k;
    }
}

static bool in_range(const struct virtio_blk *b, uint64_t sector, size_t len)
{
    return len % SECTOR == 0 && sector <= b->file.size / SECTOR &&
           len <= b->file.size - sector * SECTOR;
}

static uint8_t do_read(struct virtio_blk *b, uint64_t sector, size_t len)
{
    if (!in_range(b, sector, len))
        return S_IOERR;
    int n = to_iovec(b, true, 0, len, b->iov);
    bool ok = blockfile_read(&b->file, b->iov, n, sector * SECTOR, len);
    mark_written(b, len);
    return ok ? S_OK : S_IOERR;
}

static uint8_t do_write(struct virtio_blk *b, uint64_t sector, size_t len)
{
    if (b->file.readonly || !in_range(b, sector, len))
        return S_IOERR;
    int n = to_iovec(b, false, sizeof(struct blk_req), len, b->iov);
    return blockfile_write(&b->file, b->iov, n, sector * SECTOR, len) ? S_OK : S_IOERR;
}

/* One request; returns the bytes written into the guest's buffers. */
static uint32_t handle(struct virtio_blk *b)
{
    const struct vq_elem *e = &b->elem;
    struct blk_req req;
    if (e->out_len < sizeof(req) || e->in_len < 1) {
        virtio_broken(b->vdev.t, "virtio-blk request without header or status byte");
        return 0;
    }
    vq_read(b->bus, e, 0, &req, sizeof(req));
    size_t data_in = e->in_len - 1, data_out = e->out_len - sizeof(req);
    uint32_t written = 0;
    uint8_t status;
    switch (req.type) {
    case T_IN:
        status = do_read(b, req.sector, data_in);
        written = status == S_OK ? (uint32_t)data_in : 0;
        break;
    case T_OUT: status = do_write(b, req.sector, data_out); break;
    case T_FLUSH: status = blockfile_flush(&b->file) ? S_OK : S_IOERR; break;
    case T_GET_ID: {
        uint8_t id[ID_BYTES] = { 0 };
        memcpy(id, b->serial, strnlen(b->serial, ID_BYTES));
        written = (uint32_t)vq_write(b->bus, e, 0, id, data_in < ID_BYTES ? data_in : ID_BYTES);
        status = S_OK;
        break;
    }
    default: status = S_UNSUPP; break;
    }
    vq_write(b->bus, e, data_in, &status, 1);
    return written + 1;
}

static void blk_kick(void *opaque, unsigned queue)
{
    struct virtio_blk *b = opaque;
    while (virtio_pop(b->vdev.t, queue, &b->elem) == VQ_GOT) {
        uint32_t written = handle(b);
        if (b->vdev.t->status & VIRTIO_STATUS_NEEDS_RESET)
            return;
        virtio_push(b->vdev.t, queue, &b->elem, written);
    }
    virtio_notify(b->vdev.t, queue);
}

static const struct virtio_dev_ops blk_ops = { .kick = blk_kick };

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }  /* little-endian host */

void virtio_blk_init(struct virtio_blk *b, const struct drive_opt *d, const char *serial, struct bus *bus)
{
    memset(b, 0, sizeof(*b));
    blockfile_open(&b->file, d);
    b->bus = bus;
    snprintf(b->serial, sizeof(b->serial), "%s", serial ? serial : "");
    b->iov = calloc(VQ_MAX_SEGS, sizeof(*b->iov));
    struct virtio_dev *v = &b->vdev;
    *v = (struct virtio_dev){ .name = "virtio-blk", .device_id = VIRTIO_ID_BLOCK,
                              .features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH |
                                          (d->readonly ? BLK_F_RO : 0),
                              .nqueues = 1, .config_len = 0x3c, .ops = &blk_ops, .opaque = b };
    uint64_t sectors = b->file.size / SECTOR;
    memcpy(v->config, &sectors, 8);          /* capacity */
    put32(v->config + 12, SEG_MAX);          /* seg_max */
    put32(v->config + 20, SECTOR);           /* blk_size */
}

void virtio_blk_free(struct virtio_blk *b)
{
    blockfile_close(&b->file);
    free(b->iov);
}
