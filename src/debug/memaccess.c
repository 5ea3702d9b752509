/* A page-table walk of its own for the debugger: mmu.c's walk sets A/D
 * bits, fills TLBs and raises exceptions, none of which a debugger may do.
 * Two-stage translation (V=1) is not followed: with V=1 the VS-stage
 * result is taken as the physical address. */
#include <string.h>

#include "debug/memaccess.h"
#include "mem/peek.h"

bool dbg_translate(struct hart *h, uint64_t va, uint64_t *pa)
{
    uint64_t atp = data_virt(h) ? h->vsatp : h->satp;
    if (data_priv(h) == PRIV_M) {
        *pa = va;
        return true;
    }
    return peek_translate(h->bus, atp, va, pa);
}

/* The host bytes of [pa, pa+n) when it is all RAM or ROM. */
static uint8_t *host_bytes(struct bus *b, uint64_t pa, size_t n, bool *rom)
{
    struct memory *m = bus_memory(b, pa, n);
    if (!m)
        return NULL;
    *rom = m->readonly || m == &b->rom;
    return memory_ptr(m, pa);
}

/* Walk [addr, addr+len) a page at a time. */
static bool each_page(struct hart *h, uint64_t addr, size_t len, bool phys,
                      bool (*fn)(struct hart *h, uint64_t pa, size_t off, size_t n, void *ctx),
                      void *ctx)
{
    size_t done = 0;
    while (done < len) {
        uint64_t a = addr + done, pa;
        size_t n = 4096 - (a & 4095);
        if (n > len - done)
            n = len - done;
        if (phys)
            pa = a;
        else if (!dbg_translate(h, a, &pa))
            return false;
        if (!fn(h, pa, done, n, ctx))
            return false;
        done += n;
    }
    return true;
}

static bool read_chunk(struct hart *h, uint64_t pa, size_t off, size_t n, void *ctx)
{
    bool rom;
    uint8_t *p = host_bytes(h->bus, pa, n, &rom);
    if (!p)
        return false;
    memcpy((uint8_t *)ctx + off, p, n);
    return true;
}

static bool write_chunk(struct hart *h, uint64_t pa, size_t off, size_t n, void *ctx)
{
    return bus_write_ram(h->bus, pa, (const uint8_t *)ctx + off, n);
}

bool dbg_read(struct hart *h, uint64_t addr, void *buf, size_t len, bool phys)
{
    return each_page(h, addr, len, phys, read_chunk, buf);
}

bool dbg_write(struct hart *h, uint64_t addr, const void *buf, size_t len, bool phys)
{
    return each_page(h, addr, len, phys, write_chunk, (void *)buf);
}
