/* Side-effect-free guest memory reads (see memread.h). */
#include <string.h>

#include "diag/memread.h"
#include "mem/bus.h"
#include "mem/peek.h"

bool diag_read_phys(struct bus *b, uint64_t pa, void *buf, size_t len)
{
    return peek_phys(b, pa, buf, len);
}

bool diag_translate(struct bus *b, uint64_t satp, uint64_t va, uint64_t *pa)
{
    return peek_translate(b, satp, va, pa);
}

static bool translate_km(struct bus *b, uint64_t satp, const struct kmap *km, uint64_t va,
                         uint64_t *pa)
{
    if (satp >> 60 == 0 && km && km->valid && va >= km->link) {
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
