/* rivet-hv: a small partitioning hypervisor for RISC-V (H extension).
 * OpenSBI starts it in HS-mode; it reads the host device tree, checks and
 * loads each zone, and enters the guests in VS-mode. */
#include "zone.h"
#include "csr.h"
#include "fdt.h"
#include "sbi.h"

struct host host;
extern bool probing_h;
const char *stage2_mode_name(void);

static void copy_str(char *dst, size_t n, const void *src, int len)
{
    size_t l = src && len > 0 ? (size_t)len : 0;
    if (l >= n)
        l = n - 1;
    if (l)
        memcpy(dst, src, l);
    dst[l] = 0;
}

static bool reg_of(const void *fdt, int node, uint64_t *base, uint64_t *size)
{
    int len;
    const uint8_t *r = fdt_prop(fdt, node, "reg", &len);
    if (!r || len < 16)
        return false;
    *base = be64(r);
    *size = be64(r + 8);
    return true;
}

static bool compatible(const void *fdt, int node, const char *want)
{
    int len;
    const char *c = fdt_prop(fdt, node, "compatible", &len);
    for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1)
        if (strcmp(c + i, want) == 0)
            return true;
    return false;
}

/* Everything the hypervisor needs from the host device tree, read once. */
static void read_host_dt(const void *fdt)
{
    int depth, n, len;
    if (fdt_valid(fdt))
        panic("a1 = %p is not a device tree (OpenSBI hands one to its payload)", fdt);
    host.dtb = (uint64_t)(uintptr_t)fdt;
    host.dtb_size = fdt_totalsize(fdt);

    if ((n = fdt_path(fdt, "/memory")) < 0 || !reg_of(fdt, n, &host.ram_base, &host.ram_size))
        panic("host device tree: no /memory node with a reg");

    if ((n = fdt_path(fdt, "/chosen")) >= 0) {
        const void *p = fdt_prop(fdt, n, "bootargs", &len);
        copy_str(host.bootargs, sizeof host.bootargs, p, len);
        if (!fdt_prop_cells(fdt, n, "linux,initrd-start", &host.initrd_start) ||
            !fdt_prop_cells(fdt, n, "linux,initrd-end", &host.initrd_end) || host.initrd_end < host.initrd_start)
            host.initrd_start = host.initrd_end = 0;
    }

    int cpus = fdt_path(fdt, "/cpus");
    if (cpus < 0 || !fdt_prop_u32(fdt, cpus, "timebase-frequency", &host.timebase))
        panic("host device tree: no /cpus timebase-frequency");
    depth = 0;
    for (n = fdt_next_node(fdt, cpus, &depth); n >= 0 && depth > 0; n = fdt_next_node(fdt, n, &depth)) {
        uint32_t id;
        const char *t = fdt_prop(fdt, n, "device_type", NULL);
        const char *st = fdt_prop(fdt, n, "status", NULL);
        if (depth != 1 || !t || strcmp(t, "cpu") || !fdt_prop_u32(fdt, n, "reg", &id) || (st && strcmp(st, "okay")))
            continue;
        if (id < MAX_HARTS)
            host.harts |= 1ul << id;
        else
            LOG("host: hart %u ignored: rivet-hv serves harts 0..%d\n", id, MAX_HARTS - 1);
        if (!host.isa[0]) {
            const void *p = fdt_prop(fdt, n, "riscv,isa", &len);
            copy_str(host.isa, sizeof host.isa, p, len);
            p = fdt_prop(fdt, n, "mmu-type", &len);
            copy_str(host.mmu, sizeof host.mmu, p, len);
        }
    }

    for (int i = 0; i < MAX_HARTS; i++)
        host.plic_sctx[i] = -1;
    for (n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
        if (compatible(fdt, n, "riscv,plic0") || compatible(fdt, n, "sifive,plic-1.0.0")) {
            reg_of(fdt, n, &host.plic_base, &host.plic_size);
            fdt_prop_u32(fdt, n, "riscv,ndev", &host.plic_ndev);
            /* context i is the i-th (controller, irq) pair: find each hart's S-mode (irq 9) one */
            const uint8_t *ie = fdt_prop(fdt, n, "interrupts-extended", &len);
            for (int i = 0; ie && (i + 1) * 8 <= len; i++) {
                int intc = fdt_by_phandle(fdt, be32(ie + 8 * i));
                uint32_t hart;
                if (intc >= 0 && be32(ie + 8 * i + 4) == 9 && fdt_prop_u32(fdt, fdt_parent(fdt, intc), "reg", &hart) &&
                    hart < MAX_HARTS)
                    host.plic_sctx[hart] = i;
            }
        }
    }
    if (!host.plic_base || !host.plic_ndev)
        panic("host device tree: no PLIC (compatible riscv,plic0) with riscv,ndev");
    if (host.plic_ndev >= PLIC_SOURCES)
        host.plic_ndev = PLIC_SOURCES - 1;

    int resv = fdt_path(fdt, "/reserved-memory");
    depth = 0;
    for (n = resv >= 0 ? fdt_next_node(fdt, resv, &depth) : -1; n >= 0 && depth > 0; n = fdt_next_node(fdt, n, &depth))
        if (depth == 1 && host.nr_resv < 8 && reg_of(fdt, n, &host.resv_base[host.nr_resv], &host.resv_size[host.nr_resv]))
            host.nr_resv++;
}

static void probe_hart(void)
{
    probing_h = true;
    stage2_probe();
    csr_set(CSR_HENVCFG, HENVCFG_STCE);     /* read-only zero unless the firmware enabled Sstc */
    host.sstc = csr_read(CSR_HENVCFG) & HENVCFG_STCE;
    csr_write(CSR_HENVCFG, 0);
    probing_h = false;
}

static void log_zone(struct zone *z)
{
    const struct zone_config *c = z->cfg;
    LOG("zone %d \"%s\": %d hart(s)%s:", z->id, c->name, z->nr_vharts, c->harts == ALL_HARTS ? " (all the host's)" : "");
    for (int v = 0; v < z->nr_vharts; v++)
        printf(" vhart %d = hart %d%s", v, z->vcpu[v].phart, v + 1 < z->nr_vharts ? "," : "\n");
    for (int i = 0; i < c->nr_ram; i++)
        LOG("  ram[%d]   gpa 0x%08lx..0x%08lx -> hpa 0x%08lx (%lu MiB)%s\n", i, z->ram[i].gpa,
            z->ram[i].gpa + z->ram[i].size, z->ram[i].hpa, z->ram[i].size / MiB,
            c->ram[i].size == FROM_HOST ? ", size from the host memory node" : "");
    for (int i = 0; i < c->nr_dev; i++)
        LOG("  dev[%d]   %s: gpa 0x%08lx -> hpa 0x%08lx (%lu KiB), PLIC source %u\n", i, c->dev[i].name,
            c->dev[i].gpa, c->dev[i].hpa, c->dev[i].size >> 10, c->dev[i].irq);
    LOG("  plic     virtual, gpa 0x%08lx (trap-and-emulate), %u sources, %u contexts\n", z->vplic.base,
        z->vplic.ndev, z->vplic.nctx);
    LOG("  kernel   %s from hpa 0x%08lx -> gpa 0x%08lx..0x%08lx, entry 0x%08lx", z->format_name,
        c->kernel.hpa, z->kernel_gpa, z->kernel_gpa + z->kernel_size, z->entry);
    printf(z->sym_count ? ", %u function symbols kept\n" : "\n", z->sym_count);
    if (z->initrd_size)
        LOG("  initrd   %lu KiB from hpa 0x%08lx%s -> gpa 0x%08lx..0x%08lx\n", z->initrd_size >> 10,
            c->initrd.hpa == FROM_HOST ? host.initrd_start : c->initrd.hpa,
            c->initrd.hpa == FROM_HOST ? " (host /chosen)" : "", z->initrd_gpa, z->initrd_gpa + z->initrd_size);
    else
        LOG("  initrd   none%s\n", c->initrd.hpa == FROM_HOST ? " (the host /chosen has no linux,initrd-start)" : "");
    LOG("  dtb      gpa 0x%08lx, %lu bytes: %d cpu(s), memory, chosen, plic, %d device(s); phandles and "
        "interrupt parents checked\n", z->dtb_gpa, z->dtb_size, z->nr_vharts, c->nr_dev);
    LOG("  bootargs \"%s\"%s\n", c->bootargs ? c->bootargs : host.bootargs[0] ? host.bootargs : "console=ttyS0",
        c->bootargs ? "" : host.bootargs[0] ? " (host /chosen)" : " (default)");
    LOG("  G-stage  %s, hgatp 0x%lx; timer: %s\n", stage2_mode_name(), z->hgatp,
        host.sstc && !c->no_sstc ? "vstimecmp (Sstc)" :
        host.sstc ? "host SBI timer -> hvip.VSTIP (the hart has Sstc; the zone's no_sstc leaves it aside)" :
                    "host SBI timer -> hvip.VSTIP");
}

void hyp_main(unsigned long hartid, void *fdt)
{
    console_init();
    printf("\n");
    LOG("a partitioning hypervisor, HS-mode, boot hart %lu, host device tree at %p\n", hartid, fdt);
    host.boot_hart = (int)hartid;
    if (hartid >= MAX_HARTS)
        panic("booted on hart %lu; rivet-hv serves harts 0..%d (MAX_HARTS in hyp/zone.h)", hartid, MAX_HARTS - 1);
    long spec = sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
    read_host_dt(fdt);
    probe_hart();
    LOG("host: SBI %ld.%ld, harts 0x%lx, RAM 0x%lx..0x%lx (%lu MiB), timebase %u Hz, %s\n", spec >> 24 & 0x7f,
        spec & 0xffffff, host.harts, host.ram_base, host.ram_base + host.ram_size, host.ram_size / MiB,
        host.timebase, host.isa);
    LOG("host: PLIC at 0x%lx, %u sources, hart %lu S-context %d; G-stage %s, %u VMID bits, Sstc %s\n",
        host.plic_base, host.plic_ndev, hartid, host.plic_sctx[hartid], stage2_mode_name(), host.vmid_bits,
        host.sstc ? "yes" : "no");
    LOG("hypervisor at 0x%lx..0x%lx; host DTB at 0x%lx (%lu bytes)", (uint64_t)_hyp_start, (uint64_t)_hyp_end,
        host.dtb, host.dtb_size);
    for (int i = 0; i < host.nr_resv; i++)
        printf("; reserved 0x%lx..0x%lx", host.resv_base[i], host.resv_base[i] + host.resv_size[i]);
    printf("\n");

    for (int i = 0; i < nr_zone_configs && nr_zones < MAX_ZONES; i++) {
        struct zone *z = &zones[nr_zones];
        if (zone_setup(z, &zone_configs[i], nr_zones) == 0) {
            log_zone(z);
            nr_zones++;
        } else {
            memset(z, 0, sizeof *z);
        }
    }
    if (nr_zones == 0) {
        LOG("no zone can run: powering off (system failure)\n");
        sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0);
        panic("host SBI SRST returned");
    }
    /* the other harts of the zones wait in hart_wait for SBI HSM hart_start */
    extern char _secondary[];
    for (int h = 0; h < MAX_HARTS; h++)
        if (h != (int)hartid && hart_vcpu[h]) {
            long err = sbi_call(SBI_EXT_HSM, 0, (unsigned long)h, (unsigned long)_secondary, 0).error;
            if (err)
                LOG("hart %d: host SBI HSM hart_start failed (%ld)\n", h, err);
        }
    for (int i = 0; i < nr_zones; i++) {
        struct zone *z = &zones[i];
        LOG("zone %d: entering VS-mode at 0x%lx on hart %d (a0 = 0, a1 = 0x%lx)\n", i, z->entry,
            z->vcpu[0].phart, z->dtb_gpa);
        zone_start(z, (int)hartid);
    }
    hart_wait(hart_vcpu[hartid]);   /* this hart's vhart, if it has one, is START_PENDING */
}

void hyp_secondary(unsigned long hartid)
{
    hart_wait(hart_vcpu[hartid]);
}
