#include <stdlib.h>
#include <string.h>

#include "cpu/codecache.h"
#include "cpu/hart.h"

/* Enough for the Linux kernel's hot text plus user space; a full cache is
 * flushed as a whole, like QEMU's translation-block cache. */
#define DEFAULT_MAX_PAGES 4096

bool cpu_shared_init(struct cpu_shared *cs, struct bus *bus, const char *jit_mode)
{
    memset(cs, 0, sizeof(*cs));
    if (!jit_init(&cs->jit, jit_mode))
        return false;
    cs->bus = bus;
    cs->max_pages = DEFAULT_MAX_PAGES;
    cs->ram_pages = calloc(bus->ram.size >> 12, sizeof(*cs->ram_pages));
    cs->rom_pages = calloc((bus->rom.size + 4095) >> 12, sizeof(*cs->rom_pages));
    if (!cs->ram_pages || !cs->rom_pages)
        return false;
    bus->watcher.notify = code_cache_notify_write;
    bus->watcher.opaque = cs;
    return true;
}

static struct code_page **page_ref(struct cpu_shared *cs, struct memory *m, uint64_t pa)
{
    struct code_page **table = m == &cs->bus->ram ? cs->ram_pages : cs->rom_pages;
    return &table[(pa - m->base) >> 12];
}

void cpu_shared_free(struct cpu_shared *cs)
{
    code_cache_flush(cs);
    jit_free(&cs->jit);
    free(cs->ram_pages);
    free(cs->rom_pages);
}

void cpu_shared_add_hart(struct cpu_shared *cs, struct hart *h)
{
    cs->hart[cs->nharts++] = h;
}

static void flush_memory_pages(struct cpu_shared *cs, struct memory *m)
{
    struct code_page **table = m == &cs->bus->ram ? cs->ram_pages : cs->rom_pages;
    uint64_t n = (m->size + 4095) >> 12;
    for (uint64_t i = 0; i < n; i++) {
        if (table[i]) {
            free(table[i]);
            table[i] = NULL;
            m->page_flags[i] &= (uint8_t)~PAGE_CODE;
        }
    }
}

void code_cache_flush(struct cpu_shared *cs)
{
    flush_memory_pages(cs, &cs->bus->ram);
    flush_memory_pages(cs, &cs->bus->rom);
    cs->live_pages = 0;
    jit_reset(&cs->jit);  /* blocks are only reachable through the slots */
    for (unsigned i = 0; i < cs->nharts; i++)
        tlb_flush_all(cs->hart[i]);
}

/* From now on every store to the page must reach the watcher. */
static void mark_code(struct cpu_shared *cs, struct code_page *page)
{
    uint8_t *flags = memory_page_flags(page->mem, page->pa);
    if (*flags & PAGE_CODE)
        return;
    *flags |= PAGE_CODE;
    for (unsigned i = 0; i < cs->nharts; i++)
        tlb_flush_store_page(cs->hart[i], page->pa);
}

struct code_page *code_page_get(struct cpu_shared *cs, struct memory *m, uint64_t pa)
{
    struct code_page **ref = page_ref(cs, m, pa);
    if (*ref)
        return *ref;
    if (cs->live_pages >= cs->max_pages) {
        code_cache_flush(cs);
        cs->flushes++;
    }
    struct code_page *page = calloc(1, sizeof(*page));
    if (!page)
        abort(); /* out of host memory: nothing sensible to give the guest */
    page->pa = pa;
    page->mem = m;
    page->lo = CODE_SLOTS;
    *ref = page;
    cs->live_pages++;
    return page;
}

void code_page_note_decode(struct cpu_shared *cs, struct code_page *page, unsigned slot)
{
    if (slot < page->lo)
        page->lo = (uint16_t)slot;
    if (slot + 1 > page->hi)
        page->hi = (uint16_t)(slot + 1);
    mark_code(cs, page);
}

static void invalidate_page(struct code_page *page)
{
    if (page->hi > page->lo)
        memset(&page->slot[page->lo], 0, (page->hi - page->lo) * sizeof(page->slot[0]));
    page->lo = CODE_SLOTS;
    page->hi = 0;
    *memory_page_flags(page->mem, page->pa) &= (uint8_t)~PAGE_CODE;
}

void code_cache_notify_write(void *opaque, uint64_t pa, unsigned len)
{
    struct cpu_shared *cs = opaque;
    struct memory *m = bus_memory(cs->bus, pa, 1);
    if (!m)
        return;
    /* Instructions that straddle pages are never cached (OP_CROSS_PAGE),
     * so only the pages written need resetting. */
    uint64_t first = (pa & ~4095ULL), last = ((pa + len - 1) & ~4095ULL);
    for (uint64_t page_pa = first; page_pa <= last; page_pa += 4096) {
        struct code_page *page = *page_ref(cs, m, page_pa);
        if (page)
            invalidate_page(page);
    }
}
