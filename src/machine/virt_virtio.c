/* The virt board's eight virtio-mmio slots and the devices on them.
 *
 * As QEMU: slot i at 0x10001000 + 0x1000*i with PLIC source i+1, all in
 * the device tree; devices attach in command-line order to the highest
 * free slot first (bus_add_child inserts at the head), unless bus= names one. */
#include <stdlib.h>
#include <string.h>

#include "dev/virtio_blk.h"
#include "dev/virtio_console.h"
#include "dev/virtio_net.h"
#include "dev/virtio_rng.h"
#include "machine/virt.h"
#include "util/error.h"

static struct virtio_dev *make_blk(struct virt *v, const struct vdev_opt *o)
{
    const struct virtio_config *c = &v->cfg->virtio;
    struct virtio_blk *b = calloc(1, sizeof(*b));
    if (!b)
        fatal("out of memory creating %s", o->arg);
    for (unsigned i = 0; i < c->ndrives; i++)
        if (!strcmp(c->drive[i].id, o->backend))
            virtio_blk_init(b, &c->drive[i], o->serial, &v->bus);
    return &b->vdev;
}

static struct virtio_dev *make_net(struct virt *v, const struct vdev_opt *o)
{
    const struct virtio_config *c = &v->cfg->virtio;
    struct virtio_net *n = calloc(1, sizeof(*n));
    if (!n)
        fatal("out of memory creating %s", o->arg);
    for (unsigned i = 0; i < c->nnetdevs; i++)
        if (!strcmp(c->netdev[i].id, o->backend))
            virtio_net_init(n, &c->netdev[i], o, &v->bus, &v->log);
    return &n->vdev;
}

static struct virtio_dev *make_serial(struct virt *v, const struct vdev_opt *o)
{
    const struct virtio_config *c = &v->cfg->virtio;
    const struct chardev_opt *chr = NULL;
    for (unsigned i = 0; o->backend && i < c->nchardevs; i++)
        if (!strcmp(c->chardev[i].id, o->backend))
            chr = &c->chardev[i];
    if (chr && !strcmp(chr->backend, "stdio") && v->cfg->serial != CONSOLE_NULL &&
        v->cfg->serial != CONSOLE_FILE)
        fatal("-chardev %s: stdio is already the serial port's (add -serial null, or use a socket "
              "or pty)", chr->arg);
    struct virtio_console *con = calloc(1, sizeof(*con));
    if (!con)
        fatal("out of memory creating %s", o->arg);
    virtio_console_init(con, chr, &v->bus);
    return &con->vdev;
}

static struct virtio_dev *make_device(struct virt *v, const struct vdev_opt *o)
{
    switch (o->kind) {
    case VDEV_BLK: return make_blk(v, o);
    case VDEV_NET: return make_net(v, o);
    case VDEV_SERIAL: return make_serial(v, o);
    case VDEV_RNG: {
        struct virtio_rng *r = calloc(1, sizeof(*r));
        if (!r)
            fatal("out of memory creating %s", o->arg);
        virtio_rng_init(r, &v->bus, v->cfg->icount);
        return &r->vdev;
    }
    default: fatal("-device %s: not supported yet", o->arg);
    }
}

/* Is slot i named by some device's bus=? Others must leave it free. */
static bool slot_claimed(const struct virt *v, unsigned i)
{
    const struct virtio_config *c = &v->cfg->virtio;
    for (unsigned k = 0; k < c->ndevs; k++)
        if (c->dev[k].slot == (int)i)
            return true;
    return false;
}

/* bus= first (QEMU realizes those at their slot), then the rest top down. */
static unsigned pick_slot(struct virt *v, const struct vdev_opt *o)
{
    if (o->slot >= 0) {
        if (v->virtio[o->slot].dev)
            fatal("-device %s: virtio-mmio-bus.%d is already in use", o->arg, o->slot);
        return (unsigned)o->slot;
    }
    for (int i = VIRT_VIRTIO_COUNT - 1; i >= 0; i--)
        if (!v->virtio[i].dev && !slot_claimed(v, (unsigned)i))
            return (unsigned)i;
    fatal("-device %s: no free virtio-mmio slot (the board has %d)", o->arg, VIRT_VIRTIO_COUNT);
}

void virt_create_virtio(struct virt *v)
{
    const struct virtio_config *c = &v->cfg->virtio;
    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++) {
        struct virtio_mmio *t = &v->virtio[i];
        unsigned irq = VIRT_VIRTIO_IRQ + i;
        *t = (struct virtio_mmio){
            .base = VIRT_VIRTIO_BASE + VIRTIO_MMIO_SIZE * i, .irq = irq,
            .plic_phandle = v->plic.phandle, .legacy = !c->modern,
            .irq_line = { plic_set_irq, &v->plic, irq }, .bus = &v->bus, .log = &v->log,
        };
    }
    for (unsigned k = 0; k < c->ndevs; k++) {
        unsigned slot = pick_slot(v, &c->dev[k]);
        virtio_mmio_attach(&v->virtio[slot], make_device(v, &c->dev[k]));
    }
    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++) {
        struct virtio_mmio *t = &v->virtio[i];
        bus_add_region(&v->bus, "virtio-mmio", t->base, VIRTIO_MMIO_DECODE, &virtio_mmio_ops, t);
        virt_add_device(v, &virtio_mmio_device, t);
    }
}

void virt_destroy_virtio(struct virt *v)
{
    for (unsigned i = 0; i < VIRT_VIRTIO_COUNT; i++) {
        struct virtio_dev *d = v->virtio[i].dev;
        if (!d)
            continue;
        if (d->device_id == VIRTIO_ID_BLOCK)
            virtio_blk_free(d->opaque);
        else if (d->device_id == VIRTIO_ID_NET)
            virtio_net_free(d->opaque);
        else if (d->device_id == VIRTIO_ID_CONSOLE)
            virtio_console_free(d->opaque);
        free(d->opaque);
        v->virtio[i].dev = NULL;
    }
}
