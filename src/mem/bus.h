/* The physical address space: RAM, the mask ROM and MMIO devices.
 *
 * The CPU only ever sees this interface. RAM and ROM are plain host memory
 * that the harts reach through their TLBs; everything else is a device
 * region with read/write callbacks. An address nobody decodes, or an access
 * size a device refuses, is reported as a fault for the CPU to turn into an
 * access-fault exception. */
#ifndef RIVET_BUS_H
#define RIVET_BUS_H

#include <pthread.h>

#include "util/common.h"
#include "util/log.h"

struct mmio_ops {
    /* Return false to refuse the access (the guest gets an access fault). */
    bool (*read)(void *dev, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *dev, uint64_t offset, unsigned size, uint64_t value);
};

struct mmio_region {
    const char *name;
    uint64_t base, size;
    const struct mmio_ops *ops;
    void *dev;
};

/* Told about stores to pages with decoded code (code-cache invalidation). */
struct write_watcher {
    void (*notify)(void *opaque, uint64_t pa, unsigned len);
    void *opaque;
};

struct memory {
    uint64_t base, size;
    uint8_t *host;
    /* Per 4 KiB page, bit h set while hart h has decoded instructions
     * there: every store to such a page, through any path, must reach the
     * watcher. Read and written with atomics (harts run on threads). */
    uint64_t *code_harts;
    bool readonly;
};

#define BUS_MAX_REGIONS 32

struct bus {
    struct memory ram;
    struct memory rom;
    struct mmio_region region[BUS_MAX_REGIONS];
    unsigned nregions;
    struct write_watcher watcher;
    struct log *log;
    /* The device lock: with harts on threads, every device callback runs
     * under it, and so does the I/O thread's device work. */
    bool threaded;
    pthread_mutex_t io_lock;
};

void bus_set_threaded(struct bus *b, bool threaded);
static inline void bus_lock(struct bus *b)
{
    if (b->threaded)
        pthread_mutex_lock(&b->io_lock);
}
static inline void bus_unlock(struct bus *b)
{
    if (b->threaded)
        pthread_mutex_unlock(&b->io_lock);
}

bool bus_init(struct bus *b, uint64_t ram_base, uint64_t ram_size,
              uint64_t rom_base, uint64_t rom_size, struct log *log);
void bus_free(struct bus *b);
void bus_add_region(struct bus *b, const char *name, uint64_t base, uint64_t size,
                    const struct mmio_ops *ops, void *dev);

/* The RAM or ROM that contains [pa, pa+len), or NULL. */
struct memory *bus_memory(struct bus *b, uint64_t pa, uint64_t len);

static inline uint8_t *memory_ptr(struct memory *m, uint64_t pa)
{
    return m->host + (pa - m->base);
}

/* Does m hold the whole 4 KiB page at pa_page? Only such pages may be
 * cached as host pointers: a TLB entry covers the page, not the access. */
static inline bool memory_has_page(const struct memory *m, uint64_t pa_page)
{
    return pa_page >= m->base && m->size >= 4096 && pa_page - m->base <= m->size - 4096;
}

static inline uint64_t *memory_code_harts(struct memory *m, uint64_t pa)
{
    return &m->code_harts[(pa - m->base) >> 12];
}

static inline bool memory_page_has_code(struct memory *m, uint64_t pa)
{
    return __atomic_load_n(memory_code_harts(m, pa), __ATOMIC_ACQUIRE) != 0;
}

/* Is pa inside a device's window? (Not RAM, ROM or a hole.) */
bool bus_is_device(struct bus *b, uint64_t pa);

/* Physical accesses as the CPU performs them; false means access fault. */
bool bus_load(struct bus *b, uint64_t pa, unsigned size, uint64_t *value);
bool bus_store(struct bus *b, uint64_t pa, unsigned size, uint64_t value);

/* Device (DMA) and loader access to RAM; false if the range is not all RAM. */
bool bus_read_ram(struct bus *b, uint64_t pa, void *buf, uint64_t len);
bool bus_write_ram(struct bus *b, uint64_t pa, const void *buf, uint64_t len);
/* Host pointer to [pa, pa+len) of RAM for a device that will write through
 * it, after telling the watchers; NULL if the range is not all RAM. */
void *bus_ram_for_dma_write(struct bus *b, uint64_t pa, uint64_t len);
/* Host pointer to [pa, pa+len) of RAM, or NULL; whoever writes through it
 * calls bus_ram_written afterwards (atomics: the write must land before
 * the code caches re-read the page). */
void *bus_ram_ptr(struct bus *b, uint64_t pa, uint64_t len);
void bus_ram_written(struct bus *b, uint64_t pa, uint64_t len);
void *bus_ram_for_dma_read(struct bus *b, uint64_t pa, uint64_t len);

#endif
