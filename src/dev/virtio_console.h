/* virtio-console: -device virtio-serial-device -device virtconsole,chardev=c0
 * One port (no MULTIPORT), which Linux makes /dev/hvc0. */
#ifndef RIVET_VIRTIO_CONSOLE_H
#define RIVET_VIRTIO_CONSOLE_H

#include "dev/virtio.h"
#include "host/chardev.h"

struct virtio_console {
    struct virtio_dev vdev;
    struct bus *bus;
    struct host_chardev chr;
    bool has_chr;                 /* a virtconsole is attached */
    uint8_t in[512];              /* read from the host, not yet in a guest buffer */
    size_t in_pos, in_len;
    struct vq_elem rx, tx;
    uint8_t txbuf[4096];
};

struct chardev_opt;
/* `chr` NULL: a virtio-serial-device with no console port on it. */
void virtio_console_init(struct virtio_console *c, const struct chardev_opt *chr, struct bus *bus);
void virtio_console_free(struct virtio_console *c);

#endif
