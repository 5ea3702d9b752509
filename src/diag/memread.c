/* Side-effect-free guest memory reads (see memread.h). */
#include <string.h>

#include "diag/memread.h"
#include "mem/bus.h"

#define PTE_V 1u
#define PTE_R 2u
#define PTE_W 4u
#define PTE_X 8u
#define PPN_MASK ((1ULL << 44) - 1)

bool diag_read_phys(struct bus *b, uint64_t pa, void *buf, size_t len)
{
    /* RAM and ROM only: bus_memory never names a device, so nothing here
     * can have an MMIO side effect. */
    struct memory *m = bus_memory(b, pa, len);
    if (!m || !len)
        return m != NULL;
    memcpy(buf, memory_ptr(m, pa), len);
    return true;
}

static unsigned walk_levels(uint64_t satp)
{
    switch (satp >> 60) {
    case 8: return 3;   /* Sv39 */
    case 9: return 4;   /* Sv48 */
    case 10: return 5;  /* Sv57 */
    default: return 0;
    }
}

bool diag_translate(struct bus *b, uint64_t satp, uint64_t va, uint64_t *pa)
{
    unsigned levels = walk_levels(satp);
    if (!levels) {
        *pa = va;
        return true;
    }
    uint64_t table = (satp & PPN_MASK) << 12;
    for (int lvl = (int)levels - 1; lvl >= 0; lvl--) {
        unsigned shift = 12 + 9 * (unsigned)lvl;
        uint64_t pte;
        if (!diag_read_phys(b, table + ((va >> shift) & 511) * 8, &pte, 8) || !(pte & PTE_V))
            return false;
        uint64_t ppn = (pte >> 10) & PPN_MASK;
        if (pte & (PTE_R | PTE_X)) {  /* a leaf, maybe a superpage */
            uint64_t off_mask = (1ULL << shift) - 1;
            *pa = ((ppn << 12) & ~off_mask) | (va & off_mask);
            return true;
        }
        table = ppn << 12;
    }
    return false;
}

static bool translate_km(struct bus *b, uint64_t satp, const struct kmap *km, uint64_t va,
                         uint64_t *pa)
{
    if (!walk_levels(satp) && km && km->valid && va >= km->link) {
        *pa = va - km->link + km->load;  /* the MMU is off: where the loader put it */
        return true;
    }
    return diag_translate(b, satp, va, pa);
}

bool diag_read_virt(struct bus *b, uint64_t satp, const struct kmap *km, uint64_t va, void *buf,
                    size_t len)
{
    uint8_t *out = buf;
    while (len) {
        size_t chunk = 4096 - (va & 4095);
        if (chunk > len)
            chunk = len;
        uint64_t pa;
        if (!translate_km(b, satp, km, va, &pa) || !diag_read_phys(b, pa, out, chunk))
            return false;
        out += chunk;
        va += chunk;
        len -= chunk;
    }
    return true;
}
