#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mem/bus.h"

static bool memory_init(struct memory *m, uint64_t base, uint64_t size, bool readonly)
{
    m->base = base;
    m->size = size;
    m->readonly = readonly;
    /* Anonymous, lazily committed: a 4 GiB guest costs only what it touches. */
    m->host = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m->host == MAP_FAILED) {
        m->host = NULL;
        return false;
    }
    m->code_harts = calloc((size + 4095) >> 12, sizeof(*m->code_harts));
    return m->code_harts != NULL;
}

static void memory_free(struct memory *m)
{
    if (m->host)
        munmap(m->host, m->size);
    free(m->code_harts);
    m->host = NULL;
    m->code_harts = NULL;
}

bool bus_init(struct bus *b, uint64_t ram_base, uint64_t ram_size,
              uint64_t rom_base, uint64_t rom_size, struct log *log)
{
    memset(b, 0, sizeof(*b));
    b->log = log;
    pthread_mutex_init(&b->io_lock, NULL);
    return memory_init(&b->ram, ram_base, ram_size, false) &&
           memory_init(&b->rom, rom_base, rom_size, true);
}

void bus_set_threaded(struct bus *b, bool threaded)
{
    b->threaded = threaded;
}

void bus_free(struct bus *b)
{
    memory_free(&b->ram);
    memory_free(&b->rom);
}

void bus_add_region(struct bus *b, const char *name, uint64_t base, uint64_t size,
                    const struct mmio_ops *ops, void *dev)
{
    if (b->nregions == BUS_MAX_REGIONS)
        abort(); /* a board-construction bug, not a guest or user error */
    b->region[b->nregions++] = (struct mmio_region){ name, base, size, ops, dev };
}

static bool in_memory(const struct memory *m, uint64_t pa, uint64_t len)
{
    return pa >= m->base && len <= m->size && pa - m->base <= m->size - len;
}

struct memory *bus_memory(struct bus *b, uint64_t pa, uint64_t len)
{
    if (in_memory(&b->ram, pa, len))
        return &b->ram;
    if (in_memory(&b->rom, pa, len))
        return &b->rom;
    return NULL;
}

static struct mmio_region *find_region(struct bus *b, uint64_t pa, unsigned size)
{
    for (unsigned i = 0; i < b->nregions; i++) {
        struct mmio_region *r = &b->region[i];
        if (pa >= r->base && pa - r->base < r->size)
            return pa - r->base + size <= r->size ? r : NULL;
    }
    return NULL;
}

bool bus_is_device(struct bus *b, uint64_t pa)
{
    for (unsigned i = 0; i < b->nregions; i++)
        if (pa - b->region[i].base < b->region[i].size)
            return true;
    return false;
}

/* Stores to pages that hold decoded code must be seen. Called after the
 * store: a hart told to drop its copy then re-reads the new bytes. */
static void notify_range(struct bus *b, struct memory *m, uint64_t pa, uint64_t len)
{
    if (!b->watcher.notify || len == 0)
        return;
    for (uint64_t page = pa & ~4095ULL; page < pa + len; page += 4096) {
        if (memory_page_has_code(m, page)) {
            uint64_t lo = page > pa ? page : pa;
            uint64_t hi = page + 4096 < pa + len ? page + 4096 : pa + len;
            b->watcher.notify(b->watcher.opaque, lo, (unsigned)(hi - lo));
        }
    }
}

bool bus_load(struct bus *b, uint64_t pa, unsigned size, uint64_t *value)
{
    struct memory *m = bus_memory(b, pa, size);
    if (m) {
        *value = (pa & (size - 1)) ? ld_sized(memory_ptr(m, pa), size)
                                   : guest_ld(memory_ptr(m, pa), size);
        return true;
    }
    struct mmio_region *r = find_region(b, pa, size);
    if (r) {
        bus_lock(b);
        bool ok = r->ops->read(r->dev, pa - r->base, size, value);
        bus_unlock(b);
        if (ok)
            return true;
    }
    log_msg(b->log, LOG_GUEST_ERROR, "invalid %u-byte read at 0x%llx%s%s\n", size,
            (unsigned long long)pa, r ? " in " : " (unmapped)", r ? r->name : "");
    return false;
}

bool bus_store(struct bus *b, uint64_t pa, unsigned size, uint64_t value)
{
    struct memory *m = bus_memory(b, pa, size);
    if (m) {
        if (m->readonly)
            return true; /* MROM ignores writes, as on QEMU */
        if (pa & (size - 1))
            st_sized(memory_ptr(m, pa), size, value);
        else
            guest_st(memory_ptr(m, pa), size, value);
        notify_range(b, m, pa, size);
        return true;
    }
    struct mmio_region *r = find_region(b, pa, size);
    if (r) {
        bus_lock(b);
        bool ok = r->ops->write(r->dev, pa - r->base, size, value);
        bus_unlock(b);
        if (ok)
            return true;
    }
    log_msg(b->log, LOG_GUEST_ERROR, "invalid %u-byte write of 0x%llx at 0x%llx%s%s\n", size,
            (unsigned long long)value, (unsigned long long)pa,
            r ? " in " : " (unmapped)", r ? r->name : "");
    return false;
}

bool bus_read_ram(struct bus *b, uint64_t pa, void *buf, uint64_t len)
{
    void *p = bus_ram_for_dma_read(b, pa, len);
    if (p)
        memcpy(buf, p, len);
    return p != NULL;
}

bool bus_write_ram(struct bus *b, uint64_t pa, const void *buf, uint64_t len)
{
    void *p = bus_ram_ptr(b, pa, len);
    if (p) {
        memcpy(p, buf, len);
        bus_ram_written(b, pa, len);
    }
    return p != NULL;
}

void *bus_ram_for_dma_read(struct bus *b, uint64_t pa, uint64_t len)
{
    return in_memory(&b->ram, pa, len) ? memory_ptr(&b->ram, pa) : NULL;
}

void *bus_ram_ptr(struct bus *b, uint64_t pa, uint64_t len)
{
    return in_memory(&b->ram, pa, len) ? memory_ptr(&b->ram, pa) : NULL;
}

void bus_ram_written(struct bus *b, uint64_t pa, uint64_t len)
{
    if (in_memory(&b->ram, pa, len))
        notify_range(b, &b->ram, pa, len);
}

void *bus_ram_for_dma_write(struct bus *b, uint64_t pa, uint64_t len)
{
    if (!in_memory(&b->ram, pa, len))
        return NULL;
    notify_range(b, &b->ram, pa, len);
    return memory_ptr(&b->ram, pa);
}
