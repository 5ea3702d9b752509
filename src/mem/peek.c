/* Side-effect-free guest memory reads (see peek.h). */
#include <string.h>

#include "mem/bus.h"
#include "mem/peek.h"

#define PTE_V 1u
#define PTE_R 2u
#define PTE_W 4u
#define PTE_X 8u
#define PPN_MASK ((1ULL << 44) - 1)

bool peek_phys(struct bus *b, uint64_t pa, void *buf, size_t len)
{
    struct memory *m = bus_memory(b, pa, len);
    if (!m || !len)
        return m != NULL;
    memcpy(buf, memory_ptr(m, pa), len);
    return true;
}

static unsigned atp_levels(uint64_t atp)
{
    unsigned mode = (unsigned)(atp >> 60);
    return mode >= 8 && mode <= 10 ? mode - 5 : 0;  /* Sv39 = 8 -> 3 ... Sv57 = 10 -> 5 */
}

bool peek_translate(struct bus *b, uint64_t atp, uint64_t va, uint64_t *pa)
{
    if (atp >> 60 == 0) {
        *pa = va;
        return true;
    }
    unsigned levels = atp_levels(atp);
    if (!levels || (uint64_t)sext(va, 12 + 9 * levels) != va)
        return false;  /* an unknown mode, or an address that is not canonical */
    uint64_t table = (atp & PPN_MASK) << 12;
    for (int lvl = (int)levels - 1; lvl >= 0; lvl--) {
        unsigned shift = 12 + 9 * (unsigned)lvl;
        uint64_t pte;
        if (!peek_phys(b, table + ((va >> shift) & 511) * 8, &pte, 8))
            return false;
        if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)))
            return false;
        uint64_t ppn = (pte >> 10) & PPN_MASK;
        if (pte & (PTE_R | PTE_X)) {  /* a leaf, maybe a superpage */
            uint64_t low = (1ULL << shift) - 1;
            if ((ppn << 12) & low)
                return false;  /* misaligned superpage */
            *pa = (ppn << 12) | (va & low);
            return true;
        }
        table = ppn << 12;
    }
    return false;
}
