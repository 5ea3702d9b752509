/* rivet-hv: the device tree a zone's guest boots with, generated at run time
 * from the zone's configuration: its harts only, its RAM, /chosen, its
 * virtual PLIC and its passed-through devices wired to that PLIC. */
#include "zone.h"
#include "fdt.h"

#define PH_PLIC 1
#define PH_INTC(v) (0x10 + (v))

/* The host's ISA string without what the zone does not get: 'h' (no nested
 * virtualisation) and Sstc (the guest is timed through SBI TIME). */
static void guest_isa(char *out, size_t n)
{
    const char *s = host.isa[0] ? host.isa : "rv64imafdc";
    size_t o = 0;
    bool first = true;
    while (*s && o + 1 < n) {
        const char *e = s;
        while (*e && *e != '_')
            e++;
        size_t len = (size_t)(e - s);
        if (first) {
            for (size_t i = 0; i < len && o + 1 < n; i++)
                if (i < 4 || s[i] != 'h')
                    out[o++] = s[i];
        } else if (!(len == 4 && strncmp(s, "sstc", 4) == 0) && o + len + 2 < n) {
            out[o++] = '_';
            memcpy(out + o, s, len);
            o += len;
        }
        first = false;
        s = *e ? e + 1 : e;
    }
    out[o] = 0;
}

static void reg(struct fdt_writer *w, uint64_t base, uint64_t size)
{
    uint32_t c[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32), (uint32_t)size };
    fdtw_cells(w, "reg", c, 4);
}

int guest_dt_build(struct zone *z, void *buf, uint32_t cap)
{
    const struct zone_config *c = z->cfg;
    struct fdt_writer w;
    char name[64], isa[256];
    const struct device *console = NULL;

    fdtw_begin(&w, buf, cap);
    fdtw_node(&w, "");
    fdtw_u32(&w, "#address-cells", 2);
    fdtw_u32(&w, "#size-cells", 2);
    fdtw_str(&w, "compatible", "riscv-virtio");
    snprintf(name, sizeof name, "rivet-hv,zone%d", z->id);
    fdtw_str(&w, "model", name);

    for (int i = 0; i < c->nr_dev; i++)
        if (c->dev[i].kind == DEV_NS16550A && !console)
            console = &c->dev[i];

    fdtw_node(&w, "chosen");
    const char *args = c->bootargs ? c->bootargs : host.bootargs[0] ? host.bootargs : "console=ttyS0";
    fdtw_str(&w, "bootargs", args);
    if (console) {
        snprintf(name, sizeof name, "/soc/serial@%lx", console->gpa);
        fdtw_str(&w, "stdout-path", name);
    }
    if (z->initrd_size) {
        fdtw_u64(&w, "linux,initrd-start", z->initrd_gpa);
        fdtw_u64(&w, "linux,initrd-end", z->initrd_gpa + z->initrd_size);
    }
    fdtw_end_node(&w);

    for (int i = 0; i < c->nr_ram; i++) {
        snprintf(name, sizeof name, "memory@%lx", z->ram[i].gpa);
        fdtw_node(&w, name);
        fdtw_str(&w, "device_type", "memory");
        reg(&w, z->ram[i].gpa, z->ram[i].size);
        fdtw_end_node(&w);
    }

    guest_isa(isa, sizeof isa);
    fdtw_node(&w, "cpus");
    fdtw_u32(&w, "#address-cells", 1);
    fdtw_u32(&w, "#size-cells", 0);
    fdtw_u32(&w, "timebase-frequency", host.timebase);
    for (int v = 0; v < z->nr_vharts; v++) {
        snprintf(name, sizeof name, "cpu@%d", v);
        fdtw_node(&w, name);
        fdtw_str(&w, "device_type", "cpu");
        fdtw_u32(&w, "reg", (uint32_t)v);
        fdtw_str(&w, "status", "okay");
        fdtw_str(&w, "compatible", "riscv");
        fdtw_str(&w, "riscv,isa", isa);
        fdtw_str(&w, "mmu-type", host.mmu[0] ? host.mmu : "riscv,sv39");
        fdtw_node(&w, "interrupt-controller");
        fdtw_u32(&w, "#interrupt-cells", 1);
        fdtw_empty(&w, "interrupt-controller");
        fdtw_str(&w, "compatible", "riscv,cpu-intc");
        fdtw_u32(&w, "phandle", PH_INTC(v));
        fdtw_end_node(&w);
        fdtw_end_node(&w);
    }
    fdtw_end_node(&w);

    fdtw_node(&w, "soc");
    fdtw_u32(&w, "#address-cells", 2);
    fdtw_u32(&w, "#size-cells", 2);
    fdtw_str(&w, "compatible", "simple-bus");
    fdtw_empty(&w, "ranges");

    snprintf(name, sizeof name, "plic@%lx", z->vplic.base);
    fdtw_node(&w, name);
    fdtw_u32(&w, "phandle", PH_PLIC);
    fdtw_u32(&w, "riscv,ndev", z->vplic.ndev);
    reg(&w, z->vplic.base, z->vplic.size);
    uint32_t ie[4 * MAX_VHARTS];
    for (int v = 0; v < z->nr_vharts; v++) {
        ie[4 * v + 0] = PH_INTC(v);
        ie[4 * v + 1] = 11;                     /* M-mode external: context 2v, unused */
        ie[4 * v + 2] = PH_INTC(v);
        ie[4 * v + 3] = 9;                      /* S-mode external: context 2v+1 */
    }
    fdtw_cells(&w, "interrupts-extended", ie, 4 * z->nr_vharts);
    fdtw_empty(&w, "interrupt-controller");
    static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    fdtw_prop(&w, "compatible", plic_compat, sizeof plic_compat);
    fdtw_u32(&w, "#address-cells", 0);
    fdtw_u32(&w, "#interrupt-cells", 1);
    fdtw_end_node(&w);

    if (c->scratch_gpa) {
        snprintf(name, sizeof name, "scratch@%lx", c->scratch_gpa);
        fdtw_node(&w, name);
        reg(&w, c->scratch_gpa, 4096);
        fdtw_str(&w, "compatible", "rivet-hv,test-mmio");
        fdtw_end_node(&w);
    }
    for (int i = 0; i < c->nr_dev; i++) {
        const struct device *d = &c->dev[i];
        if (d->kind != DEV_NS16550A)
            continue;
        snprintf(name, sizeof name, "serial@%lx", d->gpa);
        fdtw_node(&w, name);
        if (d->irq) {
            fdtw_u32(&w, "interrupts", d->irq);
            fdtw_u32(&w, "interrupt-parent", PH_PLIC);
        }
        fdtw_u32(&w, "clock-frequency", d->clock);
        reg(&w, d->gpa, d->size < 0x100 ? d->size : 0x100);
        fdtw_str(&w, "compatible", "ns16550a");
        fdtw_end_node(&w);
    }
    fdtw_end_node(&w);  /* soc */
    fdtw_end_node(&w);  /* root */

    uint32_t size = fdtw_finish(&w);
    if (!size) {
        LOG("zone %d: guest device tree: %s does not fit in %u bytes\n", z->id, w.error, cap);
        return -1;
    }
    z->dtb_size = size;
    return 0;
}
