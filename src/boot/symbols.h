/* An ELF symbol table kept for diagnostics (naming the function at a pc). */
#ifndef RIVET_SYMBOLS_H
#define RIVET_SYMBOLS_H

#include "util/common.h"

struct symbol {
    uint64_t addr, size;
    const char *name;
};

struct symtab {
    struct symbol *sym;
    size_t count;
    char *strings;   /* the names: a copy of the ELF's string table */
};

/* Collect the function and object symbols of an ELF64 image (the table
 * keeps its own copy of the names: the image may be freed). */
void symtab_from_elf(struct symtab *t, const uint8_t *elf, size_t size);
/* The value of symbol `name`, if present. */
bool symtab_find(const struct symtab *t, const char *name, uint64_t *addr);
/* "name+0x12" for addr, or NULL when no symbol covers it. */
const char *symtab_describe(const struct symtab *t, uint64_t addr, char *buf, size_t n);
void symtab_free(struct symtab *t);

#endif
