/* rivet-hv: G-stage (second-stage) translation: guest-physical -> host-physical.
 * Sv39x4/Sv48x4/Sv57x4: like Sv39/48/57 but the root table has 2048 entries
 * (16 KiB, 16 KiB-aligned) so the guest-physical space is 2 bits wider.
 * Every leaf has U set: G-stage accesses count as user accesses. */
#include "zone.h"
#include "csr.h"

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)

#define POOL_PAGES 256
static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(16384)));
static int pool_used;

static uint64_t *alloc_pages(int n)    /* n 4 KiB pages, aligned to n pages (n = 1 or 4) */
{
    pool_used = (pool_used + n - 1) / n * n;
    if (pool_used + n > POOL_PAGES)
        panic("G-stage page-table pool (%d pages) exhausted", POOL_PAGES);
    uint64_t *p = pool[pool_used];
    pool_used += n;
    memset(p, 0, 4096ul * n);
    return p;
}

/* The widest mode hgatp accepts (written, then read back: WARL). */
void stage2_probe(void)
{
    static const struct { uint64_t mode; int levels; const char *name; } modes[] = {
        { HGATP_SV57X4, 5, "Sv57x4" }, { HGATP_SV48X4, 4, "Sv48x4" }, { HGATP_SV39X4, 3, "Sv39x4" },
    };
    host.hgatp_mode = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(modes); i++) {
        csr_write(CSR_HGATP, modes[i].mode << HGATP_MODE_SHIFT);
        if ((csr_read(CSR_HGATP) >> HGATP_MODE_SHIFT) == modes[i].mode) {
            host.hgatp_mode = modes[i].mode;
            host.g_levels = modes[i].levels;
            break;
        }
    }
    csr_write(CSR_HGATP, (host.hgatp_mode << HGATP_MODE_SHIFT) | (0x3ffful << HGATP_VMID_SHIFT));
    uint64_t vmid = (csr_read(CSR_HGATP) >> HGATP_VMID_SHIFT) & 0x3fff;
    host.vmid_bits = 0;
    while (vmid & (1ul << host.vmid_bits))
        host.vmid_bits++;
    csr_write(CSR_HGATP, 0);
    if (!host.hgatp_mode)
        panic("hgatp accepts none of Sv39x4, Sv48x4, Sv57x4: is the H extension there? (-cpu rv64,h=true)");
}

const char *stage2_mode_name(void)
{
    return host.hgatp_mode == HGATP_SV57X4 ? "Sv57x4" : host.hgatp_mode == HGATP_SV48X4 ? "Sv48x4" : "Sv39x4";
}

static int map(uint64_t *root, uint64_t gpa, uint64_t hpa, uint64_t size, uint64_t perm)
{
    int top = host.g_levels - 1;
    while (size) {
        /* the largest leaf that fits: 4 KiB, 2 MiB, 1 GiB (512 GiB... not used) */
        int level = 0;
        while (level < 2 && level < top) {
            uint64_t next = 1ul << (12 + 9 * (level + 1));
            if ((gpa | hpa) & (next - 1) || size < next)
                break;
            level++;
        }
        uint64_t *t = root;
        for (int l = top; l > level; l--) {
            unsigned idx = (gpa >> (12 + 9 * l)) & (l == top ? 0x7ff : 0x1ff);
            if (!(t[idx] & PTE_V))
                t[idx] = ((uint64_t)(uintptr_t)alloc_pages(1) >> 12) << 10 | PTE_V;
            else if (t[idx] & (PTE_R | PTE_W | PTE_X))
                return -1;  /* already a leaf: regions overlap */
            t = (uint64_t *)(uintptr_t)((t[idx] >> 10) << 12);
        }
        unsigned idx = (gpa >> (12 + 9 * level)) & (level == top ? 0x7ff : 0x1ff);
        if (t[idx] & PTE_V)
            return -1;
        t[idx] = (hpa >> 12) << 10 | perm | PTE_V | PTE_U | PTE_A | PTE_D;
        uint64_t step = 1ul << (12 + 9 * level);
        gpa += step;
        hpa += step;
        size -= step;
    }
    return 0;
}

/* Map exactly the zone's RAM (RWX) and its passed-through devices (RW). */
int stage2_build(struct zone *z)
{
    const struct zone_config *c = z->cfg;
    z->g_root = alloc_pages(4);
    for (int i = 0; i < c->nr_ram; i++)
        if (map(z->g_root, z->ram[i].gpa, z->ram[i].hpa, z->ram[i].size, PTE_R | PTE_W | PTE_X)) {
            LOG("zone %d: ram[%d] at gpa 0x%lx overlaps another region\n", z->id, i, z->ram[i].gpa);
            return -1;
        }
    for (int i = 0; i < c->nr_dev; i++)
        if (map(z->g_root, c->dev[i].gpa, c->dev[i].hpa, ALIGN_UP(c->dev[i].size, 4096), PTE_R | PTE_W)) {
            LOG("zone %d: dev[%d] (%s) at gpa 0x%lx overlaps another region\n", z->id, i, c->dev[i].name,
                c->dev[i].gpa);
            return -1;
        }
    uint64_t vmid = host.vmid_bits ? (uint64_t)(z->id + 1) & ((1ul << host.vmid_bits) - 1) : 0;
    z->hgatp = host.hgatp_mode << HGATP_MODE_SHIFT | vmid << HGATP_VMID_SHIFT |
               (uint64_t)(uintptr_t)z->g_root >> 12;
    return 0;
}
