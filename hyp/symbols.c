/* rivet-hv: the function symbols of a zone's ELF kernel (a vmlinux keeps
 * its .symtab), copied out before the kernel is loaded over its own file,
 * so that a fault report can name the function at sepc. */
#include "zone.h"

#define SYM_MAX   49152
#define NAMES_MAX (1024 * 1024)

struct sym { uint64_t addr; uint32_t size, name; };
static struct sym syms[SYM_MAX];
static char names[NAMES_MAX];
static uint32_t nsyms, names_len;

struct shdr { uint32_t name, type; uint64_t flags, addr, offset, size; uint32_t link, info;
              uint64_t addralign, entsize; };
struct esym { uint32_t name; uint8_t info, other; uint16_t shndx; uint64_t value, size; };

static bool before(const struct sym *a, const struct sym *b) { return a->addr < b->addr; }

static void sift(struct sym *s, uint32_t root, uint32_t n)
{
    for (uint32_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && before(&s[child], &s[child + 1]))
            child++;
        if (!before(&s[root], &s[child]))
            return;
        struct sym t = s[root]; s[root] = s[child]; s[child] = t;
    }
}

static void heapsort(struct sym *s, uint32_t n)
{
    for (uint32_t i = n / 2; i-- > 0;)
        sift(s, i, n);
    for (uint32_t i = n; i-- > 1;) {
        struct sym t = s[0]; s[0] = s[i]; s[i] = t;
        sift(s, 0, i);
    }
}

/* Keep the STT_FUNC symbols of the ELF at elf (file_len bytes); returns how
 * many, with the zone's slice of the table in *first, *count. */
void symbols_keep(struct zone *z, const uint8_t *elf, uint64_t file_len)
{
    uint64_t shoff;
    uint16_t shnum, shentsize;
    memcpy(&shoff, elf + 0x28, 8);
    memcpy(&shentsize, elf + 0x3a, 2);
    memcpy(&shnum, elf + 0x3c, 2);
    z->sym_first = nsyms;
    z->sym_count = 0;
    if (!shoff || shentsize != sizeof(struct shdr) || shoff + (uint64_t)shnum * shentsize > file_len)
        return;
    const struct shdr *sh = (const void *)(elf + shoff);
    uint32_t total = 0, dropped = 0;
    for (int i = 0; i < shnum; i++) {
        if (sh[i].type != 2 || sh[i].link >= shnum || sh[i].offset + sh[i].size > file_len)
            continue;                                   /* SHT_SYMTAB */
        const struct shdr *str = &sh[sh[i].link];
        const struct esym *es = (const void *)(elf + sh[i].offset);
        const char *strtab = (const char *)elf + str->offset;
        for (uint64_t k = 0; k < sh[i].size / sizeof *es; k++) {
            if ((es[k].info & 0xf) != 2 || !es[k].value || es[k].name >= str->size)
                continue;                               /* STT_FUNC only */
            total++;
            const char *nm = strtab + es[k].name;
            uint32_t len = (uint32_t)strlen(nm) + 1;
            if (nsyms == SYM_MAX || names_len + len > NAMES_MAX) {
                dropped++;
                continue;
            }
            memcpy(names + names_len, nm, len);
            syms[nsyms++] = (struct sym){ es[k].value, (uint32_t)es[k].size, names_len };
            names_len += len;
        }
    }
    z->sym_count = nsyms - z->sym_first;
    heapsort(syms + z->sym_first, z->sym_count);
    if (dropped)
        LOG("zone %d: kept %u of %u function symbols (the table is full)\n", z->id, total - dropped, total);
}

/* "name+0xoff" for a guest virtual address, or NULL. */
const char *symbol_of(const struct zone *z, uint64_t addr, uint64_t *off)
{
    const struct sym *s = syms + z->sym_first;
    uint32_t lo = 0, hi = z->sym_count;
    while (lo < hi) {                       /* first symbol above addr */
        uint32_t mid = (lo + hi) / 2;
        if (s[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct sym *f = &s[lo - 1];
    *off = addr - f->addr;
    if (f->size ? *off >= f->size : *off >= 0x10000)
        return NULL;
    return names + f->name;
}
