/* The device-tree checker. Every rule here is one Linux bring-up mistake
 * that otherwise shows up as silence or a missing device much later; the
 * message says what the kernel will do, so the user need not know why. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/dtbcheck.h"
#include "machine/virt.h"

/* What sits on rivet's virt board: a node whose reg lies elsewhere probes
 * nothing; irq is the PLIC source the device raises (0: none). */
static const struct board_dev {
    const char *name;
    uint64_t base, size;
    unsigned irq;
} board_devs[] = {
    { "the SiFive test device", VIRT_TEST_BASE, 0x1000, 0 },
    { "the Goldfish RTC", VIRT_RTC_BASE, 0x1000, VIRT_RTC_IRQ },
    { "the CLINT", VIRT_CLINT_BASE, 0x10000, 0 },
    { "the ACLINT SSWI", VIRT_ACLINT_SSWI_BASE, VIRT_ACLINT_SSWI_SIZE, 0 },
    { "the PLIC", VIRT_PLIC_BASE, 0x4000000, 0 },
    { "the 16550 UART", VIRT_UART0_BASE, 0x100, VIRT_UART0_IRQ },
};

/* QEMU's virtio-mmio slots: 8 of 4 KiB from 0x10001000, slot i on PLIC
 * source i + 1 (present in the tree whether or not a device is plugged). */
#define VIRTIO_BASE 0x10001000ULL
#define VIRTIO_SLOTS 8

static bool virtio_slot(uint64_t base, unsigned *irq)
{
    if (base < VIRTIO_BASE || base >= VIRTIO_BASE + VIRTIO_SLOTS * 0x1000ULL)
        return false;
    *irq = (unsigned)((base - VIRTIO_BASE) / 0x1000) + 1;
    return true;
}

/* Compatibles Linux drives as interrupt controllers on RISC-V. */
static const char *const intc_compatibles[] = {
    "riscv,cpu-intc", "sifive,plic-1.0.0", "riscv,plic0", "thead,c900-plic", "riscv,aplic",
    "riscv,imsics", "riscv,aclint-sswi", "riscv,aclint-mswi", "sifive,clint0", "riscv,clint0",
};

/* Compatibles of UARTs the 8250 driver (ttyS) binds. */
static const char *const uart8250_compatibles[] = {
    "ns16550a", "ns16550", "ns16450", "ns8250", "snps,dw-apb-uart",
};

/* Extensions rivet's hart has (besides h and sstc, which depend on -cpu). */
static const char *const hart_extensions[] = {
    "i", "m", "a", "f", "d", "c", "g", "zicntr", "zicsr", "zifencei", "zihintpause", "zihpm",
    "zba", "zbb", "zbc", "zbs",
};

struct ctx {
    const void *fdt;
    const struct dtb_board *b;
    struct dtb_findings *out;
    const char *only;           /* report only findings about this node path */
};

__attribute__((format(printf, 4, 5)))
static void finding(struct ctx *c, int node, const char *prop, const char *fmt, ...)
{
    char path[160];
    if (fdt_get_path(c->fdt, node, path, sizeof(path)) < 0)
        strcpy(path, "?");
    if ((c->only && strcmp(c->only, path)) || c->out->n == DTB_MAX_FINDINGS)
        return;
    char *t = c->out->text[c->out->n++];
    int len = snprintf(t, sizeof(c->out->text[0]), "%s: %s: ", path, prop);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t + len, sizeof(c->out->text[0]) - (size_t)len, fmt, ap);
    va_end(ap);
}

static bool compat_in(const void *fdt, int node, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fdt_node_check_compatible(fdt, node, list[i]) == 0)
            return true;
    return false;
}

/* A cell count from the (user's) tree; a value beyond libfdt's 4 would
 * overflow the size arithmetic below, and is taken as absent. */
static int cells_of(const void *fdt, int node, const char *name, int dflt)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
    return p && len == 4 && fdt32_to_cpu(*p) <= FDT_MAX_NCELLS ? (int)fdt32_to_cpu(*p) : dflt;
}

/* A one-cell value (a frequency, a hart id); dflt when absent or not one cell. */
static uint32_t u32_of(const void *fdt, int node, const char *name, uint32_t dflt)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
    return p && len == 4 ? fdt32_to_cpu(*p) : dflt;
}

static const char *node_compat(const void *fdt, int node)
{
    const char *s = fdt_getprop(fdt, node, "compatible", NULL);
    return s ? s : "no compatible";
}

static bool node_disabled(const void *fdt, int node)
{
    const char *s = fdt_getprop(fdt, node, "status", NULL);
    return s && strcmp(s, "okay") && strcmp(s, "ok");
}

static uint64_t read_cells(const fdt32_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

/* ---- interrupts and phandles --------------------------------------------- */

/* The node Linux takes interrupts of `node` to (of_irq_find_parent): its
 * own interrupt-parent or the nearest ancestor's; -1 when none. */
static int interrupt_parent(const void *fdt, int node, uint32_t *ph)
{
    for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
        int len;
        const fdt32_t *p = fdt_getprop(fdt, n, "interrupt-parent", &len);
        if (p && len == 4) {
            *ph = fdt32_to_cpu(*p);
            return fdt_node_offset_by_phandle(fdt, *ph);
        }
        if (n == 0)
            break;
    }
    return -1;
}

/* Is `n` something Linux will have an interrupt domain for? */
static bool is_intc(const void *fdt, int n)
{
    return fdt_getprop(fdt, n, "interrupt-controller", NULL) &&
           compat_in(fdt, n, intc_compatibles, ARRAY_SIZE(intc_compatibles));
}

static void check_not_intc(struct ctx *c, int node, const char *prop, int par, uint32_t ph)
{
    char ppath[160];
    fdt_get_path(c->fdt, par, ppath, sizeof(ppath));
    bool claims = fdt_getprop(c->fdt, par, "interrupt-controller", NULL) != NULL;
    if (claims)
        finding(c, node, prop, "phandle %u is %s (%s), which is not an interrupt controller on "
                "this board; Linux finds no irq domain for it and defers this device's probe "
                "forever, so its driver never binds", ph, ppath, node_compat(c->fdt, par));
    else
        finding(c, node, prop, "phandle %u is %s, which is not an interrupt controller (no "
                "interrupt-controller property); Linux cannot map this device's interrupt "
                "(of_irq_get fails) and the driver fails or runs without it", ph, ppath);
}

/* The PLIC source of a board device must be the one it raises. */
static void check_board_irq(struct ctx *c, int node, uint32_t irq)
{
    int len;
    const fdt32_t *reg = fdt_getprop(c->fdt, node, "reg", &len);
    int ac = cells_of(c->fdt, fdt_parent_offset(c->fdt, node), "#address-cells", 2);
    if (!reg || len < ac * 4)
        return;
    uint64_t base = read_cells(reg, ac);
    unsigned slot_irq;
    if (virtio_slot(base, &slot_irq) && irq != slot_irq)
        finding(c, node, "interrupts", "PLIC source %u, but the virtio-mmio slot at 0x%llx raises "
                "source %u; the driver waits on an interrupt that never comes", irq,
                (unsigned long long)base, slot_irq);
    for (size_t i = 0; i < ARRAY_SIZE(board_devs); i++) {
        const struct board_dev *d = &board_devs[i];
        if (base == d->base && d->irq && irq != d->irq)
            finding(c, node, "interrupts", "PLIC source %u, but %s raises source %u here; the "
                    "driver waits on an interrupt that never comes", irq, d->name, d->irq);
    }
}

static void check_interrupts(struct ctx *c, int node)
{
    int len;
    const fdt32_t *irqs = fdt_getprop(c->fdt, node, "interrupts", &len);
    if (!irqs)
        return;
    uint32_t ph = 0;
    int par = interrupt_parent(c->fdt, node, &ph);
    if (par < 0) {
        if (ph)
            finding(c, node, "interrupt-parent", "phandle %u names no node; Linux cannot map "
                    "the device's interrupts", ph);
        else
            finding(c, node, "interrupts", "no interrupt-parent here or above; Linux cannot "
                    "map the device's interrupts");
        return;
    }
    if (!is_intc(c->fdt, par)) {
        check_not_intc(c, node, "interrupt-parent", par, ph);
        return;
    }
    int cells = cells_of(c->fdt, par, "#interrupt-cells", -1);
    if (cells <= 0 || len % (cells * 4)) {
        finding(c, node, "interrupts", "%d bytes, not a multiple of the parent's "
                "#interrupt-cells (%d); Linux reads garbage interrupt specifiers", len, cells);
        return;
    }
    if (fdt_node_check_compatible(c->fdt, par, "riscv,plic0") == 0 ||
        fdt_node_check_compatible(c->fdt, par, "sifive,plic-1.0.0") == 0)
        check_board_irq(c, node, fdt32_to_cpu(irqs[0]));
}

/* A list of (phandle, #CELLS arguments) entries, e.g. interrupts-extended. */
static void check_phandle_list(struct ctx *c, int node, const char *prop, const char *cells_name)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, prop, &len);
    int n = p ? len / 4 : 0;
    for (int i = 0; i < n;) {
        uint32_t ph = fdt32_to_cpu(p[i]);
        int target = fdt_node_offset_by_phandle(c->fdt, ph);
        if (target < 0) {
            finding(c, node, prop, "phandle %u names no node; Linux cannot resolve it and the "
                    "device does not probe", ph);
            return;
        }
        if (!strcmp(prop, "interrupts-extended") && !is_intc(c->fdt, target)) {
            check_not_intc(c, node, prop, target, ph);
            return;
        }
        i += 1 + cells_of(c->fdt, target, cells_name, 0);
    }
}

static void check_dangling_parent(struct ctx *c, int node)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "interrupt-parent", &len);
    if (p && len == 4 && fdt_node_offset_by_phandle(c->fdt, fdt32_to_cpu(*p)) < 0 &&
        !fdt_getprop(c->fdt, node, "interrupts", NULL))
        finding(c, node, "interrupt-parent", "phandle %u names no node; children's interrupts "
                "cannot be mapped", fdt32_to_cpu(*p));
}

/* ---- reg and the board's devices ------------------------------------------ */

static bool is_memory(const void *fdt, int node)
{
    const char *t = fdt_getprop(fdt, node, "device_type", NULL);
    return t && !strcmp(t, "memory");
}

static void check_reg_on_board(struct ctx *c, int node, uint64_t base)
{
    unsigned irq;
    if (virtio_slot(base, &irq))
        return;
    for (size_t i = 0; i < ARRAY_SIZE(board_devs); i++)
        if (base >= board_devs[i].base && base < board_devs[i].base + board_devs[i].size)
            return;
    finding(c, node, "reg", "0x%llx: nothing is there on this board; the driver's first "
            "register access faults (a kernel oops in its probe)", (unsigned long long)base);
}

static void check_reg(struct ctx *c, int node)
{
    int len;
    const fdt32_t *reg = fdt_getprop(c->fdt, node, "reg", &len);
    int parent = fdt_parent_offset(c->fdt, node);
    if (!reg || parent < 0 || len <= 0)  /* empty: no address to read */
        return;
    int ac = cells_of(c->fdt, parent, "#address-cells", 2);
    int sc = cells_of(c->fdt, parent, "#size-cells", 1);
    if (ac + sc == 0 || len % ((ac + sc) * 4)) {
        finding(c, node, "reg", "%d bytes, not a multiple of (#address-cells %d + #size-cells "
                "%d) cells; Linux reads wrong addresses for the device", len, ac, sc);
        return;
    }
    /* Only memory-mapped devices under / or a simple bus: cpus have reg too. */
    const char *pname = fdt_get_name(c->fdt, parent, NULL);
    bool bus = parent == 0 || fdt_node_check_compatible(c->fdt, parent, "simple-bus") == 0;
    if (bus && sc > 0 && !is_memory(c->fdt, node) && !node_disabled(c->fdt, node) &&
        strcmp(pname ? pname : "", "reserved-memory"))
        check_reg_on_board(c, node, read_cells(reg, ac));
}

/* ---- memory, cpus, chosen --------------------------------------------------- */

static void check_memory(struct ctx *c)
{
    uint64_t total = 0;
    int found = 0;
    for (int n = fdt_next_node(c->fdt, -1, NULL); n >= 0; n = fdt_next_node(c->fdt, n, NULL)) {
        if (!is_memory(c->fdt, n))
            continue;
        found++;
        int len;
        const fdt32_t *reg = fdt_getprop(c->fdt, n, "reg", &len);
        int ac = cells_of(c->fdt, fdt_parent_offset(c->fdt, n), "#address-cells", 2);
        int sc = cells_of(c->fdt, fdt_parent_offset(c->fdt, n), "#size-cells", 1);
        for (int i = 0; reg && sc > 0 && (i + 1) * (ac + sc) * 4 <= len; i++) {
            uint64_t base = read_cells(reg + i * (ac + sc), ac);
            uint64_t size = read_cells(reg + i * (ac + sc) + ac, sc);
            uint64_t end = VIRT_DRAM_BASE + (c->b->ram_size ? c->b->ram_size : 256 * GiB);
            total += size;
            if (base < VIRT_DRAM_BASE || base + size > end)
                finding(c, n, "reg", "0x%llx-0x%llx is not all RAM (RAM is 0x%llx-0x%llx); "
                        "Linux will use memory that does not exist and fault or hang early "
                        "(memblock/vmalloc failures)", (unsigned long long)base,
                        (unsigned long long)(base + size), (unsigned long long)VIRT_DRAM_BASE,
                        (unsigned long long)end);
        }
    }
    if (!found)
        finding(c, 0, "memory", "no memory node (device_type = \"memory\"); Linux finds no "
                "RAM and stops in early boot (setup_bootmem/memblock), before any console");
    else if (c->b->ram_size && total && total < c->b->ram_size)
        finding(c, 0, "memory", "the memory nodes describe %llu MiB but -m gives %llu MiB; "
                "Linux uses only what the tree says", (unsigned long long)(total / MiB),
                (unsigned long long)(c->b->ram_size / MiB));
}

static bool ext_known(const struct dtb_board *b, const char *e, size_t n)
{
    if (n == 1 && *e == 'h')
        return b->has_h;
    if (n == 4 && !strncmp(e, "sstc", 4))
        return b->has_sstc;
    for (size_t i = 0; i < ARRAY_SIZE(hart_extensions); i++)
        if (strlen(hart_extensions[i]) == n && !strncmp(hart_extensions[i], e, n))
            return true;
    return false;
}

static void isa_finding(struct ctx *c, int cpu, const char *prop, const char *e, size_t n)
{
    finding(c, cpu, prop, "'%.*s' is an extension this hart lacks; Linux will use it (or "
            "let user space use it) and take illegal-instruction traps", (int)n, e);
}

static void check_isa(struct ctx *c, int cpu)
{
    const char *isa = fdt_getprop(c->fdt, cpu, "riscv,isa", NULL);
    if (isa && !strncmp(isa, "rv64", 4)) {
        const char *p = isa + 4;
        for (; *p && *p != '_'; p++)
            if (!ext_known(c->b, p, 1))
                isa_finding(c, cpu, "riscv,isa", p, 1);
        while (*p == '_') {
            size_t n = strcspn(++p, "_");
            if (!ext_known(c->b, p, n))
                isa_finding(c, cpu, "riscv,isa", p, n);
            p += n;
        }
    } else if (isa) {
        finding(c, cpu, "riscv,isa", "\"%s\" does not start with rv64; Linux refuses this hart",
                isa);
    }
    int len;
    const char *list = fdt_getprop(c->fdt, cpu, "riscv,isa-extensions", &len);
    for (int off = 0; list && off < len; off += (int)strlen(list + off) + 1)
        if (!ext_known(c->b, list + off, strlen(list + off)))
            isa_finding(c, cpu, "riscv,isa-extensions", list + off, strlen(list + off));
}

static void check_cpus(struct ctx *c)
{
    int cpus = fdt_path_offset(c->fdt, "/cpus");
    if (cpus < 0) {
        finding(c, 0, "cpus", "no /cpus node; Linux finds no harts and stops early");
        return;
    }
    uint32_t tb = u32_of(c->fdt, cpus, "timebase-frequency", 0);
    if (tb != MTIME_HZ)
        finding(c, cpus, "timebase-frequency", "%u Hz, but the CLINT's timer counts at %llu Hz; "
                "Linux's clock, timestamps and timeouts run %s", tb, (unsigned long long)MTIME_HZ,
                tb == 0 ? "nowhere (it panics without a timebase)" : (uint64_t)tb < MTIME_HZ ?
                "too fast" : "too slow");
    unsigned count = 0;
    int n;
    fdt_for_each_subnode(n, c->fdt, cpus) {
        const char *t = fdt_getprop(c->fdt, n, "device_type", NULL);
        if (!t || strcmp(t, "cpu") || node_disabled(c->fdt, n))
            continue;
        count++;
        check_isa(c, n);
        uint32_t id = u32_of(c->fdt, n, "reg", UINT32_MAX);
        if (c->b->smp && id >= c->b->smp)
            finding(c, n, "reg", "hart %u, but -smp gives %u harts; Linux's SBI HSM start of "
                    "it fails", id, c->b->smp);
    }
    if (c->b->smp && count < c->b->smp)
        finding(c, cpus, "cpu", "%u cpu nodes for %u harts (-smp); Linux runs on %u and the "
                "others stay parked in the firmware", count, c->b->smp, count);
}

static unsigned count_8250(const void *fdt)
{
    unsigned n = 0;
    for (int node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL))
        if (!node_disabled(fdt, node) &&
            compat_in(fdt, node, uart8250_compatibles, ARRAY_SIZE(uart8250_compatibles)))
            n++;
    return n;
}

static void check_stdout_path(struct ctx *c, int chosen)
{
    const char *sp = fdt_getprop(c->fdt, chosen, "stdout-path", NULL);
    if (!sp)
        return;
    char path[160];
    snprintf(path, sizeof(path), "%.*s", (int)strcspn(sp, ":"), sp);
    int n = fdt_path_offset(c->fdt, path);
    if (n < 0)
        finding(c, chosen, "stdout-path", "\"%s\" names no node; earlycon without options finds "
                "no UART and Linux picks no default console", path);
    else if (node_disabled(c->fdt, n))
        finding(c, chosen, "stdout-path", "\"%s\" is disabled (status); Linux picks no default "
                "console", path);
}

/* console=NAME in the bootargs: ttyS<N> must be an 8250 UART the tree has. */
static void check_console_arg(struct ctx *c, int chosen, const char *args)
{
    unsigned uarts = count_8250(c->fdt);
    for (const char *p = args; (p = strstr(p, "console=")); p += 8) {
        if (p != args && p[-1] != ' ')
            continue;
        const char *name = p + 8;
        size_t n = strcspn(name, " ,");
        unsigned idx = 0;
        bool tty_s = n > 4 && !strncmp(name, "ttyS", 4) && sscanf(name + 4, "%u", &idx) == 1;
        if (tty_s && idx >= uarts)
            finding(c, chosen, "bootargs", "console=%.*s, but the tree has %u 8250 UART%s "
                    "(ttyS0%s); no console driver takes it, so Linux prints nothing after the "
                    "boot console and /dev/console fails (unable to open an initial console)",
                    (int)n, name, uarts, uarts == 1 ? "" : "s", uarts > 1 ? "..." : "");
        else if ((n > 6 && !strncmp(name, "ttySIF", 6)) || (n > 6 && !strncmp(name, "ttyAMA", 6)))
            finding(c, chosen, "bootargs", "console=%.*s names a UART this board does not have "
                    "(it has a 16550: ttyS0); Linux prints nothing after the boot console",
                    (int)n, name);
    }
}

static uint64_t chosen_u64(const void *fdt, int chosen, const char *name, bool *found)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, chosen, name, &len);
    *found = p && (len == 4 || len == 8);
    return !*found ? 0 : len == 4 ? fdt32_to_cpu(p[0]) : read_cells(p, 2);
}

static void check_initrd(struct ctx *c, int chosen)
{
    bool has_s, has_e;
    uint64_t s = chosen_u64(c->fdt, chosen, "linux,initrd-start", &has_s);
    uint64_t e = chosen_u64(c->fdt, chosen, "linux,initrd-end", &has_e);
    if (!has_s && !has_e)
        return;
    const struct dtb_board *b = c->b;
    uint64_t ram_end = VIRT_DRAM_BASE + (b->ram_size ? b->ram_size : 256 * GiB);
    const char *why = NULL;
    if (!has_s || !has_e || e <= s)
        why = "is not a valid range";
    else if (s < VIRT_DRAM_BASE || e > ram_end)
        why = "lies outside RAM";
    else if (b->kernel_hi && s < b->kernel_hi && b->kernel_lo < e)
        why = "overlaps the kernel";
    else if (b->fdt_hi && s < b->fdt_hi && b->fdt_lo < e)
        why = "overlaps the device tree";
    if (why)
        finding(c, chosen, "linux,initrd-start", "0x%llx-0x%llx %s; Linux ignores the initramfs "
                "(or unpacks garbage: \"Initramfs unpacking failed\")", (unsigned long long)s,
                (unsigned long long)e, why);
}

static void check_chosen(struct ctx *c)
{
    int chosen = fdt_path_offset(c->fdt, "/chosen");
    if (chosen < 0)
        return;
    check_stdout_path(c, chosen);
    const char *args = c->b->bootargs;
    if (!args)
        args = fdt_getprop(c->fdt, chosen, "bootargs", NULL);
    if (args)
        check_console_arg(c, chosen, args);
    check_initrd(c, chosen);
}

/* ---- entry points ------------------------------------------------------------ */

int dtb_validate(const void *fdt, size_t size)
{
    if (size < sizeof(struct fdt_header))
        return -FDT_ERR_TRUNCATED;
    int err = fdt_check_header(fdt);
    if (!err && fdt_totalsize(fdt) > size)
        err = -FDT_ERR_TRUNCATED;
    if (!err && (fdt_off_dt_struct(fdt) % 4 || fdt_off_mem_rsvmap(fdt) % 8))
        err = -FDT_ERR_ALIGNMENT;
    if (!err)
        err = fdt_check_full(fdt, fdt_totalsize(fdt));
    return err;
}

static unsigned run_checks(struct ctx *c)
{
    c->out->n = 0;
    for (int n = fdt_next_node(c->fdt, -1, NULL); n >= 0; n = fdt_next_node(c->fdt, n, NULL)) {
        check_interrupts(c, n);
        check_dangling_parent(c, n);
        check_phandle_list(c, n, "interrupts-extended", "#interrupt-cells");
        check_phandle_list(c, n, "clocks", "#clock-cells");
        check_reg(c, n);
    }
    check_memory(c);
    check_cpus(c);
    check_chosen(c);
    return c->out->n;
}

unsigned dtb_check(const void *fdt, const struct dtb_board *b, struct dtb_findings *out)
{
    struct ctx c = { fdt, b, out, NULL };
    return run_checks(&c);
}

unsigned dtb_check_node(const void *fdt, const struct dtb_board *b, const char *path,
                        struct dtb_findings *out)
{
    struct ctx c = { fdt, b, out, path };
    return run_checks(&c);
}
