/* The device tree of the virt board, shaped like QEMU's (node names,
 * compatibles, reg, interrupt wiring, phandles) but describing only what
 * rivet emulates. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "boot/fdt.h"
#include "machine/virt.h"
#include "util/error.h"

/* What the hart implements, in the order QEMU writes extensions; "h" only
 * with -cpu rv64,h=true, "sstc" unless -cpu rv64,sstc=false. */
static const char *const isa_extensions[] = {
    "i", "m", "a", "f", "d", "c", "h", "zicntr", "zicsr", "zifencei", "zihintpause", "zihpm",
    "zba", "zbb", "zbc", "zbs", "sstc",
};

static bool has_extension(const struct virt *v, const char *e)
{
    if (!strcmp(e, "h"))
        return v->cfg->h_ext;
    return strcmp(e, "sstc") || v->cfg->sstc;
}

/* riscv,isa: "rv64" and the single letters run together, then "_zicntr"... */
static void isa_string(const struct virt *v, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "rv64");
    for (size_t i = 0; i < ARRAY_SIZE(isa_extensions) && len < n; i++) {
        const char *e = isa_extensions[i];
        if (has_extension(v, e))
            len += (size_t)snprintf(buf + len, n - len, "%s%s", e[1] ? "_" : "", e);
    }
}

/* QEMU's scheme: harts from the last down get (cpu, intc) pairs from 1. */
static uint32_t cpu_phandle(const struct virt *v, unsigned h) { return 2 * (v->nharts - 1 - h) + 1; }
static uint32_t intc_phandle(const struct virt *v, unsigned h) { return cpu_phandle(v, h) + 1; }

static void add_cpus(struct virt *v, void *fdt)
{
    int cpus = fdt_node(fdt, "/", "cpus");
    fdt_prop_u32(fdt, cpus, "#address-cells", 1);
    fdt_prop_u32(fdt, cpus, "#size-cells", 0);
    fdt_prop_u32(fdt, cpus, "timebase-frequency", MTIME_HZ);
    char ext[512], isa[256];
    size_t len = 0;
    for (size_t i = 0; i < ARRAY_SIZE(isa_extensions); i++) {
        size_t n = strlen(isa_extensions[i]) + 1;
        if (!has_extension(v, isa_extensions[i]))
            continue;
        memcpy(ext + len, isa_extensions[i], n);
        len += n;
    }
    isa_string(v, isa, sizeof(isa));
    for (int h = (int)v->nharts - 1; h >= 0; h--) {
        int cpu = fdt_node_fmt(fdt, "/cpus", "cpu@%llx", (uint64_t)h);
        fdt_prop_u32(fdt, cpu, "phandle", cpu_phandle(v, (unsigned)h));
        fdt_prop_str(fdt, cpu, "device_type", "cpu");
        fdt_prop_u32(fdt, cpu, "reg", (uint32_t)h);
        fdt_prop_str(fdt, cpu, "status", "okay");
        fdt_prop_str(fdt, cpu, "compatible", "riscv");
        fdt_setprop(fdt, cpu, "riscv,isa-extensions", ext, (int)len);
        fdt_prop_str(fdt, cpu, "riscv,isa-base", "rv64i");
        fdt_prop_str(fdt, cpu, "riscv,isa", isa);
        fdt_prop_str(fdt, cpu, "mmu-type", "riscv,sv57");
        char path[64];
        snprintf(path, sizeof(path), "/cpus/cpu@%x", h);
        int intc = fdt_node(fdt, path, "interrupt-controller");
        fdt_prop_u32(fdt, intc, "#interrupt-cells", 1);
        fdt_prop_empty(fdt, intc, "interrupt-controller");
        fdt_prop_str(fdt, intc, "compatible", "riscv,cpu-intc");
        fdt_prop_u32(fdt, intc, "phandle", intc_phandle(v, (unsigned)h));
    }
    fdt_node(fdt, "/cpus", "cpu-map");
    fdt_node(fdt, "/cpus/cpu-map", "cluster0");
    for (int h = (int)v->nharts - 1; h >= 0; h--) {
        int core = fdt_node_fmt(fdt, "/cpus/cpu-map/cluster0", "core%llu", (uint64_t)h);
        fdt_prop_u32(fdt, core, "cpu", cpu_phandle(v, (unsigned)h));
    }
}

static void add_aclint(struct virt *v, void *fdt, const uint32_t *intc)
{
    uint32_t cells[2 * MAX_HARTS];
    for (unsigned h = 0; h < v->nharts; h++) {
        cells[2 * h] = intc[h];
        cells[2 * h + 1] = IRQ_MSI;
    }
    int n = fdt_node_fmt(fdt, "/soc", "mswi@%llx", VIRT_CLINT_BASE);
    fdt_prop_str(fdt, n, "compatible", "riscv,aclint-mswi");
    fdt_prop_reg(fdt, n, VIRT_CLINT_BASE, 0x4000);
    fdt_prop_cells(fdt, n, "interrupts-extended", cells, 2 * v->nharts);
    fdt_prop_empty(fdt, n, "interrupt-controller");
    fdt_prop_u32(fdt, n, "#interrupt-cells", 0);
    for (unsigned h = 0; h < v->nharts; h++)
        cells[2 * h + 1] = IRQ_MTI;
    n = fdt_node_fmt(fdt, "/soc", "mtimer@%llx", VIRT_CLINT_BASE + 0x4000);
    fdt_prop_str(fdt, n, "compatible", "riscv,aclint-mtimer");
    /* QEMU's values, including the first range's odd size. */
    uint32_t reg[8] = { 0, VIRT_CLINT_BASE + 0xbff8, 0, 0x4008, 0, VIRT_CLINT_BASE + 0x4000, 0, 0x7ff8 };
    fdt_prop_cells(fdt, n, "reg", reg, 8);
    fdt_prop_cells(fdt, n, "interrupts-extended", cells, 2 * v->nharts);
    for (unsigned h = 0; h < v->nharts; h++)
        cells[2 * h + 1] = IRQ_SSI;
    n = fdt_node_fmt(fdt, "/soc", "sswi@%llx", VIRT_ACLINT_SSWI_BASE);
    fdt_prop_str(fdt, n, "compatible", "riscv,aclint-sswi");
    fdt_prop_reg(fdt, n, VIRT_ACLINT_SSWI_BASE, VIRT_ACLINT_SSWI_SIZE);
    fdt_prop_cells(fdt, n, "interrupts-extended", cells, 2 * v->nharts);
    fdt_prop_empty(fdt, n, "interrupt-controller");
    fdt_prop_u32(fdt, n, "#interrupt-cells", 0);
}

/* A fresh /chosen/rng-seed, as QEMU writes at every reset. Under -icount
 * the bytes come from a fixed sequence, so that runs repeat exactly. */
void virt_fdt_randomize_seed(struct virt *v, void *fdt)
{
    uint8_t seed[32];
    if (v->cfg->icount) {
        for (size_t i = 0; i < sizeof(seed); i++) {
            v->seed_state = v->seed_state * 6364136223846793005ULL + 1442695040888963407ULL;
            seed[i] = (uint8_t)(v->seed_state >> 56);
        }
    } else if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
        memset(seed, 0x5a, sizeof(seed));
    }
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen >= 0 && fdt_getprop(fdt, chosen, "rng-seed", NULL))
        fdt_setprop_inplace(fdt, chosen, "rng-seed", seed, sizeof(seed));
    else if (chosen >= 0)
        fdt_setprop(fdt, chosen, "rng-seed", seed, sizeof(seed));
}

void *virt_build_fdt(struct virt *v)
{
    void *fdt = calloc(1, FDT_BUILD_SIZE);
    if (!fdt || fdt_create_empty_tree(fdt, FDT_BUILD_SIZE) != 0)
        fatal("cannot allocate the device tree");
    fdt_prop_u32(fdt, 0, "#address-cells", 2);
    fdt_prop_u32(fdt, 0, "#size-cells", 2);
    fdt_prop_str(fdt, 0, "compatible", "riscv-virtio");
    fdt_prop_str(fdt, 0, "model", "riscv-virtio,qemu");

    int soc = fdt_node(fdt, "/", "soc");
    fdt_prop_u32(fdt, soc, "#address-cells", 2);
    fdt_prop_u32(fdt, soc, "#size-cells", 2);
    fdt_prop_str(fdt, soc, "compatible", "simple-bus");
    fdt_prop_empty(fdt, soc, "ranges");
    fdt_node(fdt, "/", "chosen");
    fdt_node(fdt, "/", "aliases");
    virt_fdt_randomize_seed(v, fdt);

    add_cpus(v, fdt);
    int mem = fdt_node_fmt(fdt, "/", "memory@%llx", VIRT_DRAM_BASE);
    fdt_prop_str(fdt, mem, "device_type", "memory");
    fdt_prop_reg(fdt, mem, VIRT_DRAM_BASE, v->cfg->ram_size);

    uint32_t intc[MAX_HARTS];
    for (unsigned h = 0; h < v->nharts; h++)
        intc[h] = intc_phandle(v, h);
    if (v->cfg->aclint)
        add_aclint(v, fdt, intc);
    else
        clint_add_fdt(&v->clint, fdt, "/soc", intc);
    plic_add_fdt(&v->plic, fdt, "/soc", intc, v->nharts);
    virt_devices_add_fdt(v, fdt, "/soc");

    char path[64];
    snprintf(path, sizeof(path), "/soc/serial@%x", VIRT_UART0_BASE);
    fdt_prop_str(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", path);
    fdt_prop_str(fdt, fdt_path_offset(fdt, "/aliases"), "serial0", path);
    return fdt;
}

/* bootargs and the initrd location, for both generated and -dtb trees.
 * Returns 0 or a libfdt error: a user's tree is input, so nothing here may
 * treat a failure as rivet's own. */
static int add_boot_info(struct virt *v, void *fdt)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND)
        chosen = fdt_add_subnode(fdt, 0, "chosen");
    if (chosen < 0)
        return chosen;
    int err = 0;
    if (v->cfg->append && *v->cfg->append)
        err = fdt_setprop_string(fdt, chosen, "bootargs", v->cfg->append);
    if (!err && v->have_initrd)
        err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start", v->initrd.low);
    if (!err && v->have_initrd)
        err = fdt_setprop_u64(fdt, chosen, "linux,initrd-end", v->initrd.high);
    return err;
}

/* Room for what add_boot_info adds besides the -append text: /chosen,
 * three property headers with their names, the initrd cells. */
#define BOOT_INFO_ROOM 4096
#define FDT_MAX_SIZE (INT_MAX / 2)  /* libfdt sizes are ints */

void *virt_fdt_finish(struct virt *v, const void *base)
{
    const char *source = v->cfg->dtb ? v->cfg->dtb : "the generated device tree";
    const char *option = v->cfg->dtb ? "-dtb " : "";
    const char *append = v->cfg->append ? v->cfg->append : "";
    size_t size = (size_t)fdt_totalsize(base) + strlen(append) + BOOT_INFO_ROOM;
    for (;;) {
        if (size > FDT_MAX_SIZE)
            fatal("%s%s: the device tree with the boot information would exceed %d MiB",
                  option, source, FDT_MAX_SIZE >> 20);
        void *fdt = malloc(size);
        if (!fdt)
            fatal("%s%s: out of memory for a device tree of %zu bytes", option, source, size);
        int err = fdt_open_into(base, fdt, (int)size);
        if (!err)
            err = add_boot_info(v, fdt);
        if (!err)
            return fdt;
        free(fdt);
        if (err != -FDT_ERR_NOSPACE)
            fatal("%s%s: cannot add the boot information (-append, -initrd): %s", option,
                  source, fdt_strerror(err));
        size *= 2;  /* strings or padding took more than estimated */
    }
}
