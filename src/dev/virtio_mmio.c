#include <string.h>

#include "boot/fdt.h"
#include "dev/virtio.h"

enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
    DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014,
    DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024,
    GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038,
    QUEUE_ALIGN = 0x03c, QUEUE_PFN = 0x040, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050,
    INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064, STATUS = 0x070,
    QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_AVAIL_LOW = 0x090,
    QUEUE_AVAIL_HIGH = 0x094, QUEUE_USED_LOW = 0x0a0, QUEUE_USED_HIGH = 0x0a4,
    SHM_LEN_LOW = 0x0b0, SHM_LEN_HIGH = 0x0b4, CONFIG_GENERATION = 0x0fc, CONFIG = 0x100,
};

#define VIRT_MAGIC 0x74726976u   /* "virt" */
#define VENDOR_QEMU 0x554d4551u  /* "QEMU": drivers may key on it */
#define ISR_QUEUE 1u
#define ISR_CONFIG 2u

static void update_irq(struct virtio_mmio *t)
{
    irq_set(&t->irq_line, t->isr != 0);
}

static uint64_t offered_features(const struct virtio_mmio *t)
{
    uint64_t f = t->dev->features | VIRTIO_F_INDIRECT_DESC | VIRTIO_F_EVENT_IDX;
    return t->legacy ? f : f | VIRTIO_F_VERSION_1;
}

/* Status 0, a legacy QueuePFN of 0, or a board reset. */
static void transport_reset(struct virtio_mmio *t)
{
    t->status = t->isr = 0;
    t->dev_feat_sel = t->drv_feat_sel = t->queue_sel = 0;
    t->driver_features = t->drv_feat_latch = 0;
    t->page_shift = 12;
    for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++) {
        vq_reset(&t->vq[i]);
        t->vq[i].bus = t->bus;
        t->queue_align[i] = 4096;
        t->queue_pfn[i] = 0;
    }
    update_irq(t);
    if (t->dev && t->dev->ops->reset)
        t->dev->ops->reset(t->dev->opaque);
}

void virtio_broken(struct virtio_mmio *t, const char *why)
{
    if (t->status & VIRTIO_STATUS_NEEDS_RESET)
        return;
    log_msg(t->log, LOG_GUEST_ERROR, "%s@0x%llx: %s; device needs reset\n", t->dev->name,
            (unsigned long long)t->base, why);
    t->status |= VIRTIO_STATUS_NEEDS_RESET;
    t->isr |= ISR_CONFIG;  /* the spec's configuration-change notification */
    update_irq(t);
}

bool virtio_has_feature(const struct virtio_mmio *t, uint64_t bit)
{
    return (t->driver_features & bit) != 0;
}

bool virtio_queue_ready(const struct virtio_mmio *t, unsigned queue)
{
    return queue < VIRTIO_MAX_QUEUES && t->vq[queue].ready &&
           !(t->status & VIRTIO_STATUS_NEEDS_RESET);
}

int virtio_pop(struct virtio_mmio *t, unsigned queue, struct vq_elem *e)
{
    if (!virtio_queue_ready(t, queue))
        return VQ_EMPTY;
    int r = vq_pop(&t->vq[queue], e);
    if (r != VQ_BROKEN)
        return r;
    virtio_broken(t, t->vq[queue].error);
    return VQ_EMPTY;
}

void virtio_push(struct virtio_mmio *t, unsigned queue, const struct vq_elem *e, uint32_t written)
{
    if (virtio_queue_ready(t, queue))
        vq_push(&t->vq[queue], e, written);
}

void virtio_notify(struct virtio_mmio *t, unsigned queue)
{
    if (virtio_queue_ready(t, queue) && vq_should_notify(&t->vq[queue])) {
        t->isr |= ISR_QUEUE;
        update_irq(t);
    }
}

/* ---- queue setup ------------------------------------------------------------ */

static struct virtq *selected(struct virtio_mmio *t)
{
    return t->queue_sel < t->dev->nqueues ? &t->vq[t->queue_sel] : NULL;
}

static void enable_queue(struct virtio_mmio *t, struct virtq *q)
{
    if (!vq_setup(q, t->bus, virtio_has_feature(t, VIRTIO_F_EVENT_IDX))) {
        char why[128];
        snprintf(why, sizeof(why), "queue %u: %s", t->queue_sel, q->error);
        virtio_broken(t, why);
    }
}

/* Legacy layout: descriptors at PFN << page shift, avail right after them,
 * used at the next QueueAlign boundary. */
static void legacy_set_pfn(struct virtio_mmio *t, struct virtq *q, uint32_t pfn)
{
    if (!pfn) {
        transport_reset(t);  /* as QEMU: PFN 0 resets the device */
        return;
    }
    uint32_t align = t->queue_align[t->queue_sel];
    if (!align || (align & (align - 1))) {
        virtio_broken(t, "legacy QueueAlign is not a power of two");
        return;
    }
    t->queue_pfn[t->queue_sel] = pfn;
    q->desc = (uint64_t)pfn << t->page_shift;
    q->avail = q->desc + 16ULL * q->num;
    q->used = ALIGN_UP(q->avail + 6 + 2ULL * q->num, (uint64_t)align);
    enable_queue(t, q);
}

static void set_half(uint64_t *field, bool high, uint32_t v)
{
    *field = high ? (*field & 0xffffffffULL) | ((uint64_t)v << 32) : (*field & ~0xffffffffULL) | v;
}

/* Queue registers; false if `off` is not one. */
static bool queue_write(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
    struct virtq *q = selected(t);
    if (off == QUEUE_SEL) {
        t->queue_sel = v;
        return true;
    }
    if (off != QUEUE_NUM && off != QUEUE_ALIGN && off != QUEUE_PFN && off != QUEUE_READY &&
        (off < QUEUE_DESC_LOW || off > QUEUE_USED_HIGH))
        return false;
    if (!q)
        return true;  /* no such queue: ignored, as QEMU */
    switch (off) {
    case QUEUE_NUM: q->num = v; break;
    case QUEUE_ALIGN: if (t->legacy) t->queue_align[t->queue_sel] = v; break;
    case QUEUE_PFN: if (t->legacy) legacy_set_pfn(t, q, v); break;
    case QUEUE_READY:
        if (t->legacy)
            break;
        if (v & 1)
            enable_queue(t, q);
        else
            q->ready = false;
        break;
    case QUEUE_DESC_LOW: case QUEUE_DESC_HIGH: set_half(&q->desc, off & 4, v); break;
    case QUEUE_AVAIL_LOW: case QUEUE_AVAIL_HIGH: set_half(&q->avail, off & 4, v); break;
    case QUEUE_USED_LOW: case QUEUE_USED_HIGH: set_half(&q->used, off & 4, v); break;
    default: break;
    }
    return true;
}

/* ---- registers -------------------------------------------------------------- */

static uint32_t features_word(const struct virtio_mmio *t)
{
    uint64_t f = offered_features(t);
    if (t->legacy)
        return t->dev_feat_sel ? 0 : (uint32_t)f;
    return t->dev_feat_sel == 0 ? (uint32_t)f : t->dev_feat_sel == 1 ? (uint32_t)(f >> 32) : 0;
}

static uint32_t reg_read(struct virtio_mmio *t, uint64_t off)
{
    struct virtq *q = selected(t);
    switch (off) {
    case DEVICE_FEATURES: return features_word(t);
    case QUEUE_NUM_MAX: return q ? VQ_MAX_SIZE : 0;
    case QUEUE_PFN: return t->legacy && q ? t->queue_pfn[t->queue_sel] : 0;
    case QUEUE_READY: return !t->legacy && q && q->ready;
    case INTERRUPT_STATUS: return t->isr;
    case STATUS: return t->status;
    case SHM_LEN_LOW: case SHM_LEN_HIGH: return t->legacy ? 0 : 0xffffffffu;  /* no shared memory */
    default: return 0;
    }
}

/* v2: FEATURES_OK accepts the latched features if they are a subset of
 * ours; otherwise the bit stays clear and the driver gives up. */
static void write_status(struct virtio_mmio *t, uint32_t v)
{
    if (!v) {
        transport_reset(t);
        return;
    }
    if (!t->legacy && (v & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
        if (t->drv_feat_latch & ~offered_features(t))
            v &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
        else
            t->driver_features = t->drv_feat_latch;
    }
    t->status = v | (t->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void write_driver_features(struct virtio_mmio *t, uint32_t v)
{
    if (t->legacy) {
        if (!t->drv_feat_sel)
            t->driver_features = v & offered_features(t);
        return;
    }
    if (t->drv_feat_sel < 2)
        set_half(&t->drv_feat_latch, t->drv_feat_sel == 1, v);
}

static void reg_write(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
    if (queue_write(t, off, v))
        return;
    switch (off) {
    case DEVICE_FEATURES_SEL: t->dev_feat_sel = v; break;
    case DRIVER_FEATURES_SEL: t->drv_feat_sel = v; break;
    case DRIVER_FEATURES: write_driver_features(t, v); break;
    case GUEST_PAGE_SIZE: if (t->legacy) t->page_shift = v ? (uint32_t)__builtin_ctz(v) : 0; break;
    case QUEUE_NOTIFY:
        if (virtio_queue_ready(t, v & 0xffff) && (v & 0xffff) < t->dev->nqueues && t->dev->ops->kick)
            t->dev->ops->kick(t->dev->opaque, v & 0xffff);
        break;
    case INTERRUPT_ACK:
        t->isr &= ~v;
        update_irq(t);
        break;
    case STATUS: write_status(t, v); break;
    default:
        log_msg(t->log, LOG_GUEST_ERROR, "virtio-mmio@0x%llx: write to register 0x%llx ignored\n",
                (unsigned long long)t->base, (unsigned long long)off);
        break;
    }
}

static uint32_t config_read(const struct virtio_dev *d, uint64_t off, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        if (off + i < d->config_len)
            v |= (uint32_t)d->config[off + i] << (8 * i);
    return v;
}

/* An empty slot answers any size, as QEMU's: Magic, Version and Vendor
 * (cut to the access size), zero elsewhere. */
static uint32_t empty_slot_read(const struct virtio_mmio *t, uint64_t off)
{
    switch (off) {
    case MAGIC: return VIRT_MAGIC;
    case VERSION: return t->legacy ? 1 : 2;
    case VENDOR_ID: return VENDOR_QEMU;
    default: return 0;
    }
}

static bool mmio_read(void *dev, uint64_t off, unsigned size, uint64_t *value)
{
    struct virtio_mmio *t = dev;
    *value = 0;
    if (!t->dev) {
        *value = empty_slot_read(t, off) & (size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
        return true;
    }
    if (off >= CONFIG) {
        if (size <= 4)
            *value = config_read(t->dev, off - CONFIG, size);
        return true;
    }
    if (size != 4) {
        log_msg(t->log, LOG_GUEST_ERROR, "virtio-mmio@0x%llx: %u-byte read of register 0x%llx\n",
                (unsigned long long)t->base, size, (unsigned long long)off);
        return true;
    }
    switch (off) {
    case MAGIC: *value = VIRT_MAGIC; break;
    case VERSION: *value = t->legacy ? 1 : 2; break;
    case DEVICE_ID: *value = t->dev->device_id; break;
    case VENDOR_ID: *value = VENDOR_QEMU; break;
    default: *value = reg_read(t, off); break;
    }
    return true;
}

static bool mmio_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct virtio_mmio *t = dev;
    if (!t->dev)
        return true;  /* an empty slot ignores writes */
    if (off >= CONFIG) {
        if (t->dev->ops->config_write && size <= 4)
            t->dev->ops->config_write(t->dev->opaque, (unsigned)(off - CONFIG), size, (uint32_t)value);
        return true;
    }
    if (size != 4) {
        log_msg(t->log, LOG_GUEST_ERROR, "virtio-mmio@0x%llx: %u-byte write of register 0x%llx\n",
                (unsigned long long)t->base, size, (unsigned long long)off);
        return true;
    }
    reg_write(t, off, (uint32_t)value);
    return true;
}

const struct mmio_ops virtio_mmio_ops = { mmio_read, mmio_write };

void virtio_mmio_attach(struct virtio_mmio *t, struct virtio_dev *d)
{
    t->dev = d;
    d->t = t;
}

/* ---- the board's view --------------------------------------------------------- */

static void slot_reset(void *dev)
{
    transport_reset(dev);
}

static void slot_poll(void *dev)
{
    struct virtio_mmio *t = dev;
    if (t->dev && t->dev->ops->poll)
        t->dev->ops->poll(t->dev->opaque);
}

static unsigned slot_wait_fds(void *dev, struct pollfd *fds, unsigned max, uint64_t *timeout_ns)
{
    struct virtio_mmio *t = dev;
    if (t->dev && t->dev->ops->wait_fds)
        return t->dev->ops->wait_fds(t->dev->opaque, fds, max, timeout_ns);
    return 0;
}

/* Every slot is in the tree, attached or not, as on QEMU. */
static void slot_add_fdt(void *dev, void *fdt, const char *soc)
{
    const struct virtio_mmio *t = dev;
    int n = fdt_node_fmt(fdt, soc, "virtio_mmio@%llx", t->base);
    fdt_prop_u32(fdt, n, "interrupts", t->irq);
    fdt_prop_u32(fdt, n, "interrupt-parent", t->plic_phandle);
    fdt_prop_reg(fdt, n, t->base, VIRTIO_MMIO_SIZE);
    fdt_prop_str(fdt, n, "compatible", "virtio,mmio");
}

const struct device_ops virtio_mmio_device = {
    .reset = slot_reset, .poll = slot_poll, .add_fdt = slot_add_fdt, .wait_fds = slot_wait_fds,
};
