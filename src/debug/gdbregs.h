/* The registers gdb sees, by remote protocol number. */
#ifndef RIVET_DEBUG_GDBREGS_H
#define RIVET_DEBUG_GDBREGS_H

#include "cpu/hart.h"
#include "debug/dbg.h"

#define GDB_MAX_REGS 512

enum reg_kind { REG_X, REG_PC, REG_F, REG_CSR, REG_PRIV };

struct gdb_reg {
    char name[24];
    enum reg_kind kind;
    unsigned num;       /* x/f index or CSR number */
    unsigned bits;
};

struct gdb_regs {
    struct gdb_reg reg[GDB_MAX_REGS];
    unsigned count, first_csr;
};

void gdb_regs_init(struct gdb_regs *r, const struct hart *h);
void gdb_regs_xml(const struct gdb_regs *r, struct text *t);
bool gdb_reg_read(const struct gdb_regs *r, struct hart *h, unsigned n, uint64_t *value);
bool gdb_reg_write(const struct gdb_regs *r, struct hart *h, unsigned n, uint64_t value);

#endif
