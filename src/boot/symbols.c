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

void symtab_from_elf(struct symtab *t, const uint8_t *elf, size_t size)
{
    t->sym = NULL;
    t->count = 0;
    const Elf64_Ehdr *eh = (const void *)elf;
    if (size < sizeof(*eh) || eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff > size || (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum)
        return;
    const Elf64_Shdr *sh = (const void *)(elf + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
            strs->sh_offset > size || strs->sh_size > size - strs->sh_offset || !strs->sh_size)
            return;
        const Elf64_Sym *s = (const void *)(elf + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        const char *names = (const char *)elf + strs->sh_offset;
        t->sym = calloc(n ? n : 1, sizeof(*t->sym));
        if (!t->sym)
            return;
        for (size_t k = 0; k < n; k++) {
            unsigned type = ELF64_ST_TYPE(s[k].st_info);
            if ((type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) ||
                s[k].st_name >= strs->sh_size || !names[s[k].st_name] || s[k].st_shndx == SHN_UNDEF)
                continue;
            if (memchr(names + s[k].st_name, 0, strs->sh_size - s[k].st_name) == NULL)
                continue;
            t->sym[t->count++] = (struct symbol){ s[k].st_value, s[k].st_size, names + s[k].st_name };
        }
        qsort(t->sym, t->count, sizeof(*t->sym), by_addr);
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
    t->sym = NULL;
    t->count = 0;
}
