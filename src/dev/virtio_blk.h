/* virtio-blk: -drive ...,id=d0 -device virtio-blk-device,drive=d0[,serial=S] */
#ifndef RIVET_VIRTIO_BLK_H
#define RIVET_VIRTIO_BLK_H

#include <stdio.h>
#include <sys/uio.h>

#include "dev/virtio.h"
#include "host/blockfile.h"

struct virtio_blk {
    struct virtio_dev vdev;
    struct blockfile file;
    struct bus *bus;
    char serial[21];
    struct iovec *iov;        /* VQ_MAX_SEGS entries */
    struct vq_elem elem;
};

/* Opens the image (exits with one line on a bad one). */
void virtio_blk_init(struct virtio_blk *b, const struct drive_opt *d, const char *serial, struct bus *bus);
void virtio_blk_free(struct virtio_blk *b);

#endif
