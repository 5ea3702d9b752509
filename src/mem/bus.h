/* The physical address space: RAM, the mask ROM and MMIO devices.
 *
 * The CPU only ever sees this interface. RAM and ROM are plain host memory
 * that the harts reach through their TLBs; everything else is a device
 * region with read/write callbacks. An address nobody decodes, or an access
 * size a device refuses, is reported as a fault for the CPU to turn into an
 * access-fault exception. */
#ifndef RIVET_BUS_H
#define RIVET_BUS_H

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

/* Flags kept per 4 KiB page of RAM/ROM. A page with any flag set is never
 * given a store fast path, so every store to it reaches bus_notify_write. */
enum page_flag {
    PAGE_CODE = 1 << 0,  /* decoded instructions are cached for this page */
};

/* Told about stores to flagged pages (decoded-code invalidation). */
struct write_watcher {
    void (*notify)(void *opaque, uint64_t pa, unsigned len);
    void *opaque;
};

struct memory {
    uint64_t base, size;
    uint8_t *host;
    uint8_t *page_flags;      /* one byte per 4 KiB page */
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
};

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

static inline uint8_t *memory_page_flags(struct memory *m, uint64_t pa)
{
    return &m->page_flags[(pa - m->base) >> 12];
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
void *bus_ram_for_dma_read(struct bus *b, uint64_t pa, uint64_t len);

#endif
