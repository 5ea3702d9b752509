#include <stdio.h>
#include <string.h>

#include "dev/virtqueue.h"

enum {
    DESC_F_NEXT = 1, DESC_F_WRITE = 2, DESC_F_INDIRECT = 4,
    AVAIL_F_NO_INTERRUPT = 1,
};

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

/* Ring sizes in bytes (the trailing u16 is the event index). */
static uint64_t desc_bytes(uint32_t num) { return 16ULL * num; }
static uint64_t avail_bytes(uint32_t num) { return 6 + 2ULL * num; }
static uint64_t used_bytes(uint32_t num) { return 6 + 8ULL * num; }

static bool fail(struct virtq *q, const char *why, unsigned long long a, unsigned long long b)
{
    snprintf(q->error, sizeof(q->error), why, a, b);
    return false;
}

/* Guest-shared fields: the guest writes them from other threads, so they
 * are read and written with atomics (each naturally aligned). */
static uint16_t vq_ld16(struct virtq *q, uint64_t pa, int order)
{
    uint16_t *p = bus_ram_ptr(q->bus, pa, 2);
    return __atomic_load_n(p, order);
}

static void vq_st16(struct virtq *q, uint64_t pa, uint16_t v, int order)
{
    uint16_t *p = bus_ram_ptr(q->bus, pa, 2);
    __atomic_store_n(p, v, order);
    bus_ram_written(q->bus, pa, 2);
}

void vq_reset(struct virtq *q)
{
    struct bus *bus = q->bus;
    memset(q, 0, sizeof(*q));
    q->bus = bus;
}

bool vq_setup(struct virtq *q, struct bus *bus, bool event_idx)
{
    q->bus = bus;
    q->ready = false;
    q->error[0] = 0;
    if (!q->num || (q->num & (q->num - 1)) || q->num > VQ_MAX_SIZE)
        return fail(q, "queue size %llu is not a power of two up to %llu", q->num, VQ_MAX_SIZE);
    if (q->desc % 16 || q->avail % 2 || q->used % 4)
        return fail(q, "misaligned ring (descriptors 0x%llx, used 0x%llx)", q->desc, q->used);
    if (!bus_ram_ptr(bus, q->desc, desc_bytes(q->num)) ||
        !bus_ram_ptr(bus, q->avail, avail_bytes(q->num)) ||
        !bus_ram_ptr(bus, q->used, used_bytes(q->num)))
        return fail(q, "ring outside RAM (descriptors 0x%llx, used 0x%llx)", q->desc, q->used);
    q->last_avail = q->used_idx = q->signalled = 0;
    q->event_idx = event_idx;
    q->ready = true;
    return true;
}

static bool read_desc(struct virtq *q, uint64_t table, unsigned i, struct vring_desc *d)
{
    const struct vring_desc *p = bus_ram_ptr(q->bus, table + 16ULL * i, 16);
    if (!p)
        return fail(q, "descriptor table 0x%llx entry %llu outside RAM", table, i);
    memcpy(d, p, sizeof(*d));  /* a snapshot: the guest may change it meanwhile */
    return true;
}

static bool add_seg(struct virtq *q, struct vq_elem *e, const struct vring_desc *d)
{
    bool write = d->flags & DESC_F_WRITE;
    if (!d->len)
        return fail(q, "zero-length buffer at 0x%llx", d->addr, 0);
    if (!bus_ram_ptr(q->bus, d->addr, d->len))
        return fail(q, "buffer 0x%llx+0x%llx outside RAM", d->addr, d->len);
    if (!write && e->nin)
        return fail(q, "readable buffer 0x%llx after a writable one (chain head %llu)", d->addr, e->head);
    if (e->nout + e->nin == VQ_MAX_SEGS)
        return fail(q, "chain of more than %llu buffers (head %llu)", VQ_MAX_SEGS, e->head);
    e->seg[e->nout + e->nin] = (struct vq_seg){ d->addr, d->len };
    if (write) {
        e->nin++;
        e->in_len += d->len;
    } else {
        e->nout++;
        e->out_len += d->len;
    }
    return true;
}

/* Switch the walk to an indirect table; false if the table is malformed. */
static bool enter_indirect(struct virtq *q, const struct vring_desc *d, bool nested,
                           uint64_t *table, uint32_t *size)
{
    if (nested)
        return fail(q, "indirect descriptor inside an indirect table (0x%llx)", d->addr, 0);
    if (d->flags & DESC_F_NEXT)
        return fail(q, "indirect descriptor 0x%llx with NEXT set", d->addr, 0);
    if (!d->len || d->len % 16 || d->len / 16 > VQ_MAX_SEGS)
        return fail(q, "indirect table 0x%llx of bad length %llu", d->addr, d->len);
    if (!bus_ram_ptr(q->bus, d->addr, d->len))
        return fail(q, "indirect table 0x%llx+0x%llx outside RAM", d->addr, d->len);
    *table = d->addr;
    *size = d->len / 16;
    return true;
}

/* Walk the chain at `head`; each table may be walked at most its size
 * steps, which stops loops. */
static bool walk_chain(struct virtq *q, struct vq_elem *e)
{
    uint64_t table = q->desc;
    uint32_t size = q->num, steps = 0, i = e->head;
    bool indirect = false;
    for (;;) {
        struct vring_desc d;
        if (steps++ == size)
            return fail(q, "descriptor chain at head %llu longer than its table (%llu): a loop?",
                        e->head, size);
        if (!read_desc(q, table, i, &d))
            return false;
        if (d.flags & DESC_F_INDIRECT) {
            if (!enter_indirect(q, &d, indirect, &table, &size))
                return false;
            indirect = true;
            steps = 0;
            i = 0;
            continue;
        }
        if (!add_seg(q, e, &d))
            return false;
        if (!(d.flags & DESC_F_NEXT))
            return true;
        if (d.next >= size)
            return fail(q, "descriptor next index %llu beyond the table (%llu)", d.next, size);
        i = d.next;
    }
}

/* avail_event tells the driver which avail index should kick us next. */
static void publish_avail_event(struct virtq *q)
{
    if (q->event_idx)
        vq_st16(q, q->used + 4 + 8ULL * q->num, q->last_avail, __ATOMIC_RELAXED);
}

int vq_pop(struct virtq *q, struct vq_elem *e)
{
    if (!q->ready)
        return VQ_EMPTY;
    uint16_t avail = vq_ld16(q, q->avail + 2, __ATOMIC_ACQUIRE);
    if (avail == q->last_avail) {
        publish_avail_event(q);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);  /* against a driver adding meanwhile */
        avail = vq_ld16(q, q->avail + 2, __ATOMIC_ACQUIRE);
        if (avail == q->last_avail)
            return VQ_EMPTY;
    }
    if ((uint16_t)(avail - q->last_avail) > q->num)
    {
        fail(q, "avail index moved by %llu on a ring of %llu", (uint16_t)(avail - q->last_avail), q->num);
        return VQ_BROKEN;
    }
    uint16_t head = vq_ld16(q, q->avail + 4 + 2ULL * (q->last_avail % q->num), __ATOMIC_RELAXED);
    if (head >= q->num) {
        fail(q, "avail ring names descriptor %llu of %llu", head, q->num);
        return VQ_BROKEN;
    }
    e->head = head;
    e->nout = e->nin = 0;
    e->out_len = e->in_len = 0;
    if (!walk_chain(q, e))
        return VQ_BROKEN;
    q->last_avail++;
    publish_avail_event(q);
    return VQ_GOT;
}

void vq_push(struct virtq *q, const struct vq_elem *e, uint32_t written)
{
    uint64_t at = q->used + 4 + 8ULL * (q->used_idx % q->num);
    uint32_t elem[2] = { e->head, written };
    bus_write_ram(q->bus, at, elem, sizeof(elem));
    q->used_idx++;
    vq_st16(q, q->used + 2, q->used_idx, __ATOMIC_RELEASE);  /* after the element */
}

bool vq_should_notify(struct virtq *q)
{
    uint16_t old = q->signalled, now = q->used_idx;
    q->signalled = now;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);  /* used idx out before the driver's flags in */
    if (!q->event_idx)
        return !(vq_ld16(q, q->avail, __ATOMIC_RELAXED) & AVAIL_F_NO_INTERRUPT);
    uint16_t event = vq_ld16(q, q->avail + 4 + 2ULL * q->num, __ATOMIC_RELAXED);
    return (uint16_t)(now - event - 1) < (uint16_t)(now - old);
}

size_t vq_read(struct bus *bus, const struct vq_elem *e, size_t off, void *buf, size_t len)
{
    size_t done = 0;
    for (unsigned i = 0; i < e->nout && done < len; i++) {
        const struct vq_seg *s = &e->seg[i];
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        size_t n = s->len - off < len - done ? s->len - off : len - done;
        bus_read_ram(bus, s->gpa + off, (uint8_t *)buf + done, n);
        done += n;
        off = 0;
    }
    return done;
}

size_t vq_write(struct bus *bus, const struct vq_elem *e, size_t off, const void *buf, size_t len)
{
    size_t done = 0;
    for (unsigned i = e->nout; i < e->nout + e->nin && done < len; i++) {
        const struct vq_seg *s = &e->seg[i];
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        size_t n = s->len - off < len - done ? s->len - off : len - done;
        bus_write_ram(bus, s->gpa + off, (const uint8_t *)buf + done, n);
        done += n;
        off = 0;
    }
    return done;
}
