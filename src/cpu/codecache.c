#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu/codecache.h"
#include "cpu/hart.h"

/* Enough for the Linux kernel's hot text plus user space; a full cache is
 * flushed as a whole, like QEMU's translation-block cache. */
#define DEFAULT_MAX_PAGES 4096

/* The cache of the hart running on this thread, if any. */
static __thread struct code_cache *current_cache;

bool cpu_shared_init(struct cpu_shared *cs, struct bus *bus, const char *jit_mode)
{
    memset(cs, 0, sizeof(*cs));
    cs->bus = bus;
    cs->jit_mode = jit_mode;
    bus->watcher.notify = code_cache_notify_write;
    bus->watcher.opaque = cs;
    return true;
}

static size_t arena_bytes(const struct code_cache *cc)
{
    return (size_t)cc->max_pages * sizeof(struct code_page);
}

static void code_cache_destroy(struct code_cache *cc)
{
    code_cache_flush(cc);
    jit_free(&cc->jit);
    munmap(cc->arena, arena_bytes(cc));
    pthread_mutex_destroy(&cc->inbox_lock);
    free(cc->ram_pages);
    free(cc->rom_pages);
    free(cc);
}

void cpu_shared_free(struct cpu_shared *cs)
{
    for (unsigned i = 0; i < cs->ncaches; i++)
        code_cache_destroy(cs->cache[i]);
    cs->ncaches = 0;
}

struct code_cache *code_cache_create(struct cpu_shared *cs, struct hart *owner)
{
    if (cs->ncaches == MAX_HARTS)
        return NULL;
    struct code_cache *cc = calloc(1, sizeof(*cc));
    if (!cc)
        return NULL;
    cc->cs = cs;
    cc->owner = owner;
    cc->hart_bit = 1ULL << cs->ncaches;
    cc->max_pages = DEFAULT_MAX_PAGES;
    cc->ram_pages = calloc(cs->bus->ram.size >> 12, sizeof(*cc->ram_pages));
    cc->rom_pages = calloc((cs->bus->rom.size + 4095) >> 12, sizeof(*cc->rom_pages));
    pthread_mutex_init(&cc->inbox_lock, NULL);
    /* Shared, not private: the first touch of a slot is often a read (is
     * it decoded?), and in a private mapping that maps the host's zero
     * page, which the decode's write then copies; with harts on several
     * threads every such copy is a TLB shootdown across the host's CPUs
     * (7-8% of a -smp 2 boot in perf). A shared page is the real one from
     * its first read. */
    cc->arena = mmap(NULL, arena_bytes(cc), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (cc->arena == MAP_FAILED || !cc->ram_pages || !cc->rom_pages ||
        !jit_init(&cc->jit, cs->jit_mode)) {
        if (cc->arena != MAP_FAILED)
            munmap(cc->arena, arena_bytes(cc));
        free(cc->ram_pages);
        free(cc->rom_pages);
        free(cc);
        return NULL;
    }
    cs->cache[cs->ncaches++] = cc;
    return cc;
}

void code_cache_set_current(struct code_cache *cc)
{
    current_cache = cc;
}

static struct code_page **page_ref(struct code_cache *cc, struct memory *m, uint64_t pa)
{
    struct code_page **table = m == &cc->cs->bus->ram ? cc->ram_pages : cc->rom_pages;
    return &table[(pa - m->base) >> 12];
}

/* This hart no longer has code in the page: stores need not tell it. */
static void unmark_code(struct code_cache *cc, struct memory *m, uint64_t pa)
{
    __atomic_fetch_and(memory_code_harts(m, pa), ~cc->hart_bit, __ATOMIC_RELEASE);
}

static void flush_memory_pages(struct code_cache *cc, struct memory *m)
{
    struct code_page **table = m == &cc->cs->bus->ram ? cc->ram_pages : cc->rom_pages;
    uint64_t n = (m->size + 4095) >> 12;
    for (uint64_t i = 0; i < n; i++) {
        if (table[i]) {
            unmark_code(cc, m, table[i]->pa);
            table[i] = NULL;
        }
    }
}

void code_cache_flush(struct code_cache *cc)
{
    flush_memory_pages(cc, &cc->cs->bus->ram);
    flush_memory_pages(cc, &cc->cs->bus->rom);
    /* Back to zero pages (a zeroed slot decodes itself), and to the host:
     * a shared mapping needs MADV_REMOVE (MADV_DONTNEED would keep the
     * contents); where that fails, zero by hand. */
    size_t live = (size_t)cc->live_pages * sizeof(struct code_page);
    if (live && madvise(cc->arena, live, MADV_REMOVE) != 0)
        memset(cc->arena, 0, live);
    cc->live_pages = 0;
    cc->nyoung = 0;
    cc->young_overflow = false;
    jit_reset(&cc->jit);  /* blocks are only reachable through the slots */
    tlb_flush_all(cc->owner);  /* its fetch TLB points to the freed pages */
}

/* From now on every store to the page must reach the watcher. The fence
 * orders our mark before we read the page's bytes to decode them. */
static void mark_code(struct code_cache *cc, struct code_page *page)
{
    uint64_t *harts = memory_code_harts(page->mem, page->pa);
    if (__atomic_load_n(harts, __ATOMIC_RELAXED) & cc->hart_bit)
        return;
    __atomic_fetch_or(harts, cc->hart_bit, __ATOMIC_SEQ_CST);
    if (!cc->cs->threaded)
        return;
    if (cc->nyoung < CODE_YOUNG_MAX)
        cc->young[cc->nyoung++] = page->pa;
    else
        cc->young_overflow = true;
}

struct code_page *code_page_get(struct code_cache *cc, struct memory *m, uint64_t pa)
{
    struct code_page **ref = page_ref(cc, m, pa);
    if (*ref)
        return *ref;
    if (cc->live_pages >= cc->max_pages) {
        code_cache_flush(cc);
        cc->flushes++;
    }
    struct code_page *page = &cc->arena[cc->live_pages++];
    page->pa = pa;
    page->mem = m;
    page->lo = CODE_SLOTS;
    page->hi = 0;
    *ref = page;
    return page;
}

void code_page_note_decode(struct code_cache *cc, struct code_page *page, unsigned slot)
{
    if (slot < page->lo)
        page->lo = (uint16_t)slot;
    if (slot + 1 > page->hi)
        page->hi = (uint16_t)(slot + 1);
    mark_code(cc, page);
}

static void invalidate_page(struct code_cache *cc, struct code_page *page)
{
    if (page->hi > page->lo)
        memset(&page->slot[page->lo], 0, (page->hi - page->lo) * sizeof(page->slot[0]));
    page->lo = CODE_SLOTS;
    page->hi = 0;
    unmark_code(cc, page->mem, page->pa);
}

/* Drop this cache's copy of the page at pa, if it has one. */
static void drop_page(struct code_cache *cc, uint64_t pa)
{
    struct memory *m = bus_memory(cc->cs->bus, pa, 1);
    if (!m)
        return;
    struct code_page *page = *page_ref(cc, m, pa);
    if (page)
        invalidate_page(cc, page);
}

static void post_page(struct code_cache *cc, uint64_t pa)
{
    pthread_mutex_lock(&cc->inbox_lock);
    bool known = cc->inbox_overflow;
    for (unsigned i = 0; i < cc->ninbox && !known; i++)
        known = cc->inbox[i] == pa;
    if (!known) {
        if (cc->ninbox < CODE_INBOX_MAX)
            cc->inbox[cc->ninbox++] = pa;
        else
            cc->inbox_overflow = true;
    }
    __atomic_store_n(&cc->inbox_pending, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&cc->inbox_lock);
}

void code_cache_read_mail(struct code_cache *cc)
{
    uint64_t pages[CODE_INBOX_MAX];
    pthread_mutex_lock(&cc->inbox_lock);
    unsigned n = cc->ninbox;
    bool overflow = cc->inbox_overflow;
    memcpy(pages, cc->inbox, n * sizeof(pages[0]));
    cc->ninbox = 0;
    cc->inbox_overflow = false;
    __atomic_store_n(&cc->inbox_pending, 0, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&cc->inbox_lock);
    if (overflow) {
        code_cache_flush(cc);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        drop_page(cc, pages[i]);
}

void code_cache_fence_i(struct code_cache *cc)
{
    if (code_cache_has_mail(cc))
        code_cache_read_mail(cc);
    if (cc->young_overflow) {
        code_cache_flush(cc);
        return;
    }
    for (unsigned i = 0; i < cc->nyoung; i++)
        drop_page(cc, cc->young[i]);
    cc->nyoung = 0;
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
        uint64_t harts = __atomic_load_n(memory_code_harts(m, page_pa), __ATOMIC_ACQUIRE);
        for (unsigned i = 0; i < cs->ncaches && harts; i++) {
            struct code_cache *cc = cs->cache[i];
            if (!(harts & cc->hart_bit))
                continue;
            harts &= ~cc->hart_bit;
            if (cc == current_cache) {
                drop_page(cc, page_pa);
            } else {
                /* Its copy is stale from now on: further stores need not
                 * tell it again (it re-marks the page if it decodes more). */
                unmark_code(cc, m, page_pa);
                post_page(cc, page_pa);
            }
        }
    }
}
