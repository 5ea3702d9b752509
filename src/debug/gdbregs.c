/* gdb's view of a hart's registers: the target description (the standard
 * org.gnu.gdb.riscv.cpu, .fpu and .csr features and QEMU's virtual `priv`)
 * and reads and writes by the remote protocol's register number. */
#include <stdio.h>
#include <string.h>

#include "debug/gdbregs.h"

enum { CF_H = 1, CF_VS = 2, CF_RO = 4, CF_SSTC = 8 };  /* csr.def's flags column */

static const char *const gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
static const char *const fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3",
    "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10",
    "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Every CSR in csr.def but the hardware performance counters (dozens of
 * zeros), in csr.def's order. */
static const struct { const char *name; unsigned num, flags, count; } csr_list[] = {
#define CSR(name, num, flags, ...) { #name, num, flags, 0 },
#define CSR_RANGE(name, first, count, flags, ...) { #name, first, flags, count },
#include "cpu/csr.def"
#undef CSR
#undef CSR_RANGE
};

static bool csr_wanted(const struct hart *h, unsigned flags)
{
    return (!(flags & CF_H) || h->has_h) && (!(flags & CF_SSTC) || h->has_sstc);
}

static void add(struct gdb_regs *r, const char *name, enum reg_kind kind, unsigned num, unsigned bits)
{
    if (r->count == GDB_MAX_REGS)
        return;
    struct gdb_reg *g = &r->reg[r->count++];
    snprintf(g->name, sizeof(g->name), "%s", name);
    g->kind = kind;
    g->num = num;
    g->bits = bits;
}

static void add_csrs(struct gdb_regs *r, const struct hart *h)
{
    char name[24];
    for (size_t i = 0; i < sizeof(csr_list) / sizeof(csr_list[0]); i++) {
        unsigned num = csr_list[i].num;
        if (num <= 3 || !csr_wanted(h, csr_list[i].flags) || strstr(csr_list[i].name, "hpm"))
            continue;  /* fflags, frm, fcsr are the fpu feature's */
        if (!csr_list[i].count) {
            add(r, csr_list[i].name, REG_CSR, num, 64);
            continue;
        }
        for (unsigned k = 0; k < csr_list[i].count; k++) {
            snprintf(name, sizeof(name), "%s%u", csr_list[i].name, k);
            add(r, name, REG_CSR, num + k, 64);
        }
    }
}

void gdb_regs_init(struct gdb_regs *r, const struct hart *h)
{
    r->count = 0;
    for (unsigned i = 0; i < 32; i++)
        add(r, gpr_names[i], REG_X, i, 64);
    add(r, "pc", REG_PC, 0, 64);
    for (unsigned i = 0; i < 32; i++)
        add(r, fpr_names[i], REG_F, i, 64);
    add(r, "fflags", REG_CSR, 1, 32);
    add(r, "frm", REG_CSR, 2, 32);
    add(r, "fcsr", REG_CSR, 3, 32);
    r->first_csr = r->count;
    add_csrs(r, h);
    add(r, "priv", REG_PRIV, 0, 64);
}

static void feature(struct text *t, const struct gdb_regs *r, const char *name, unsigned from,
                    unsigned to)
{
    text_printf(t, "<feature name=\"org.gnu.gdb.riscv.%s\">\n", name);
    for (unsigned i = from; i < to; i++) {
        const struct gdb_reg *g = &r->reg[i];
        const char *type = g->kind == REG_F ? "ieee_double"
                         : g->kind == REG_PC || !strcmp(g->name, "ra") ? "code_ptr"
                         : !strcmp(g->name, "sp") || !strcmp(g->name, "fp") || !strcmp(g->name, "gp") ||
                           !strcmp(g->name, "tp") ? "data_ptr" : "int";
        text_printf(t, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"%s/>\n", g->name,
                    g->bits, type, i, g->kind == REG_CSR ? " group=\"csr\"" : "");
    }
    text_printf(t, "</feature>\n");
}

void gdb_regs_xml(const struct gdb_regs *r, struct text *t)
{
    text_printf(t, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                   "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n");
    feature(t, r, "cpu", 0, 33);
    feature(t, r, "fpu", 33, r->first_csr);
    feature(t, r, "csr", r->first_csr, r->count - 1);
    feature(t, r, "virtual", r->count - 1, r->count);
    text_printf(t, "</target>\n");
}

/* CSR access as M-mode would have it, leaving no exception behind. */
static bool csr_rw(struct hart *h, unsigned num, uint64_t *value, bool write)
{
    struct exception saved = h->exc;
    uint8_t priv = h->priv;
    h->priv = PRIV_M;
    uint64_t old = 0;
    bool ok = csr_access(h, num, CSR_OP_RW, write ? *value : 0, write, &old, 0);
    h->priv = priv;
    h->exc = saved;
    if (ok && !write)
        *value = old;
    return ok;
}

bool gdb_reg_read(const struct gdb_regs *r, struct hart *h, unsigned n, uint64_t *value)
{
    if (n >= r->count)
        return false;
    const struct gdb_reg *g = &r->reg[n];
    switch (g->kind) {
    case REG_X: *value = g->num ? h->x[g->num] : 0; return true;
    case REG_PC: *value = h->pc; return true;
    case REG_F: *value = h->f[g->num]; return true;
    case REG_PRIV: *value = h->priv | (h->virt ? 4 : 0); return true;  /* QEMU: bit 2 is V */
    case REG_CSR: *value = 0; return csr_rw(h, g->num, value, false) || true;
    }
    return false;
}

bool gdb_reg_write(const struct gdb_regs *r, struct hart *h, unsigned n, uint64_t value)
{
    if (n >= r->count)
        return false;
    const struct gdb_reg *g = &r->reg[n];
    switch (g->kind) {
    case REG_X: if (g->num) h->x[g->num] = value; return true;
    case REG_PC: h->pc = value & ~1ULL; return true;
    case REG_F: h->f[g->num] = value; return true;
    case REG_PRIV:
        if ((value & 3) == 2)
            return false;
        h->priv = (uint8_t)(value & 3);
        hart_update_mmu_ctx(h);
        return true;
    case REG_CSR: return csr_rw(h, g->num, &value, true);
    }
    return false;
}
