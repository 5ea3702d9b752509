#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/symbols.h"

static int by_addr(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Section header i, copied: e_shoff may be odd, and the checks below use
 * only sizes proven to lie inside the file. */
static Elf64_Shdr section(const uint8_t *elf, const Elf64_Ehdr *eh, unsigned i)
{
    Elf64_Shdr sh;
    memcpy(&sh, elf + eh->e_shoff + (size_t)i * sizeof(sh), sizeof(sh));
    return sh;
}

static bool inside(const Elf64_Shdr *sh, size_t size)
{
    return sh->sh_offset <= size && sh->sh_size <= size - sh->sh_offset;
}

/* Adds the function, object and untyped symbols of one SHT_SYMTAB. */
static void collect(struct symtab *t, const uint8_t *elf, const Elf64_Shdr *symtab,
                    const Elf64_Shdr *strs)
{
    size_t n = symtab->sh_size / sizeof(Elf64_Sym);
    const char *names = (const char *)elf + strs->sh_offset;
    t->sym = calloc(n ? n : 1, sizeof(*t->sym));
    if (!t->sym)
        return;
    for (size_t k = 0; k < n; k++) {
        Elf64_Sym s;  /* copied: the table may start at an odd offset */
        memcpy(&s, elf + symtab->sh_offset + k * sizeof(s), sizeof(s));
        unsigned type = ELF64_ST_TYPE(s.st_info);
        if ((type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) ||
            s.st_name >= strs->sh_size || !names[s.st_name] || s.st_shndx == SHN_UNDEF)
            continue;
        if (memchr(names + s.st_name, 0, strs->sh_size - s.st_name) == NULL)
            continue;
        t->sym[t->count++] = (struct symbol){ s.st_value, s.st_size, names + s.st_name };
    }
    qsort(t->sym, t->count, sizeof(*t->sym), by_addr);
}

/* Point the names at a copy of the string table instead of the image. */
static void keep_names(struct symtab *t, const uint8_t *strs, size_t n)
{
    if (!t->count)
        return;
    t->strings = malloc(n + 1);
    if (!t->strings) {  /* without names the table is no use */
        symtab_free(t);
        return;
    }
    memcpy(t->strings, strs, n);
    t->strings[n] = 0;
    for (size_t i = 0; i < t->count; i++)
        t->sym[i].name = t->strings + ((const uint8_t *)t->sym[i].name - strs);
}

void symtab_from_elf(struct symtab *t, const uint8_t *elf, size_t size)
{
    t->sym = NULL;
    t->count = 0;
    t->strings = NULL;
    Elf64_Ehdr eh;
    if (size < sizeof(eh))
        return;
    memcpy(&eh, elf, sizeof(eh));
    if (eh.e_shoff == 0 || eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > size ||
        (size - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum)
        return;
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh = section(elf, &eh, i);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh.e_shnum)
            continue;
        Elf64_Shdr strs = section(elf, &eh, sh.sh_link);
        if (inside(&sh, size) && inside(&strs, size) && strs.sh_size) {
            collect(t, elf, &sh, &strs);
            keep_names(t, elf + strs.sh_offset, strs.sh_size);
        }
        return;
    }
}

bool symtab_find(const struct symtab *t, const char *name, uint64_t *addr)
{
    for (size_t i = 0; i < t->count; i++) {
        if (!strcmp(t->sym[i].name, name)) {
            *addr = t->sym[i].addr;
            return true;
        }
    }
    return false;
}

const char *symtab_describe(const struct symtab *t, uint64_t addr, char *buf, size_t n)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) {  /* the last symbol at or below addr */
        size_t mid = (lo + hi) / 2;
        if (t->sym[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct symbol *s = &t->sym[lo - 1];
    uint64_t off = addr - s->addr;
    if (s->size ? off >= s->size : off > 0x10000)
        return NULL;
    snprintf(buf, n, off ? "%s+0x%llx" : "%s", s->name, (unsigned long long)off);
    return buf;
}

void symtab_free(struct symtab *t)
{
    free(t->sym);
    free(t->strings);
    t->sym = NULL;
    t->strings = NULL;
    t->count = 0;
}
