/* rivet-hv: turning a zone's configuration into a zone ready to run —
 * resolve what comes from the host, check every field, load the images,
 * build its device tree, G-stage tables and virtual PLIC — and running it. */
#include "zone.h"
#include "csr.h"
#include "fdt.h"
#include "sbi.h"

struct zone zones[MAX_ZONES];
int nr_zones;
struct vcpu *hart_vcpu[MAX_HARTS];

#define DTB_MAX (64 * 1024)

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

bool gpa_to_hpa(const struct zone *z, uint64_t gpa, uint64_t len, uint64_t *hpa)
{
    for (int i = 0; i < z->cfg->nr_ram; i++) {
        const struct ram_region *r = &z->ram[i];
        if (gpa >= r->gpa && gpa - r->gpa <= r->size && len <= r->size - (gpa - r->gpa)) {
            *hpa = r->hpa + (gpa - r->gpa);
            return true;
        }
    }
    return false;
}

static int refuse(struct zone *z, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(struct zone *z, const char *field, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    LOG("zone %d (%s): refused: %s: %s\n", z->id, z->cfg->name, field, msg);
    return -1;
}

/* ---- kernel formats -------------------------------------------------- */

#define IMAGE_MAGIC  0x5643534952ull    /* "RISCV" */
#define IMAGE_MAGIC2 0x05435352u        /* "RSC\x05" */

struct elf64_ehdr { uint8_t ident[16]; uint16_t type, machine; uint32_t version; uint64_t entry, phoff, shoff;
                    uint32_t flags; uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx; };
struct elf64_phdr { uint32_t type, flags; uint64_t offset, vaddr, paddr, filesz, memsz, align; };

static bool is_elf(const uint8_t *p) { return p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F'; }
static bool is_image(const uint8_t *p)
{
    uint64_t m;
    memcpy(&m, p + 0x30, 8);
    return m == IMAGE_MAGIC && *(const uint32_t *)(p + 0x38) == IMAGE_MAGIC2;
}

/* Size and placement of the kernel; *src_len = bytes of the file read. */
static int kernel_probe(struct zone *z, uint64_t *src_len)
{
    const struct zone_config *c = z->cfg;
    const uint8_t *src = (const uint8_t *)(uintptr_t)c->kernel.hpa;
    if (!overlaps(c->kernel.hpa, 64, host.ram_base, host.ram_size))
        return refuse(z, "kernel.hpa", "0x%lx is not in host RAM", c->kernel.hpa);
    enum image_format f = c->kernel.format;
    if (f == IMAGE_AUTO)
        f = is_elf(src) ? IMAGE_ELF : is_image(src) ? IMAGE_LINUX : IMAGE_AUTO;
    if (f == IMAGE_AUTO)
        return refuse(z, "kernel.hpa", "no Linux Image header and no ELF header at 0x%lx: was the kernel loaded "
                      "there? (QEMU: -device loader,file=Image,addr=0x%lx,force-raw=on)", c->kernel.hpa,
                      c->kernel.hpa);
    z->kernel_gpa = c->kernel.gpa;
    if (f == IMAGE_LINUX) {
        if (!is_image(src))
            return refuse(z, "kernel.format", "IMAGE_LINUX, but 0x%lx has no RISC-V Image header", c->kernel.hpa);
        uint64_t size;
        memcpy(&size, src + 16, 8);
        if (c->kernel.gpa & (2 * MiB - 1))
            return refuse(z, "kernel.gpa", "0x%lx: a Linux Image must sit on a 2 MiB boundary", c->kernel.gpa);
        z->kernel_size = size;
        z->entry = c->kernel.gpa;
        z->format_name = "Linux Image";
        *src_len = size;
        z->kernel_file_len = size;
        return 0;
    }
    const struct elf64_ehdr *e = (const void *)src;
    if (e->ident[4] != 2 || e->machine != 243 || e->phentsize != sizeof(struct elf64_phdr) || e->phnum == 0)
        return refuse(z, "kernel.format", "the ELF at 0x%lx is not a 64-bit RISC-V executable", c->kernel.hpa);
    uint64_t lo = ~0ul, hi = 0, end = 0;
    for (int i = 0; i < e->phnum; i++) {
        const struct elf64_phdr *p = (const void *)(src + e->phoff + i * sizeof *p);
        if (p->type != 1 || !p->memsz)
            continue;
        if (p->vaddr < lo) lo = p->vaddr;
        if (p->vaddr + p->memsz > hi) hi = p->vaddr + p->memsz;
        if (p->offset + p->filesz > end) end = p->offset + p->filesz;
    }
    if (lo > hi || e->entry < lo || e->entry >= hi)
        return refuse(z, "kernel.hpa", "the ELF at 0x%lx has no loadable segment holding its entry 0x%lx",
                      c->kernel.hpa, e->entry);
    z->kernel_size = hi - lo;
    z->entry = c->kernel.gpa + (e->entry - lo);
    z->format_name = "vmlinux ELF";
    /* the file reaches at least to its section headers (the symbols) */
    if (e->shoff && e->shoff + (uint64_t)e->shnum * e->shentsize > end)
        end = e->shoff + (uint64_t)e->shnum * e->shentsize;
    *src_len = end;
    z->kernel_file_len = end;
    return 0;
}

/* Copy the kernel to where it runs. An ELF's segments may move up or down
 * over the file itself (QEMU's loader put it at the kernel's own address):
 * first the segments that move up, highest first, then those that move
 * down, lowest first. Segments do not overlap and file offsets grow with
 * addresses, so no copy overwrites a source not yet copied. */
static int kernel_load(struct zone *z, uint64_t src_hpa)
{
    uint64_t dst;
    gpa_to_hpa(z, z->kernel_gpa, z->kernel_size, &dst);
    const uint8_t *src = (const uint8_t *)(uintptr_t)src_hpa;
    if (!is_elf(src)) {
        if (dst != src_hpa)
            memmove((void *)dst, src, z->kernel_size);
        return 0;
    }
    struct elf64_ehdr e;
    struct elf64_phdr ph[16];
    memcpy(&e, src, sizeof e);
    if (!z->loaded_once)
        symbols_keep(z, src, z->kernel_file_len);
    int n = 0;
    for (int i = 0; i < e.phnum; i++) {
        if (n == 16)
            return refuse(z, "kernel.hpa", "the ELF has more than 16 loadable segments");
        memcpy(&ph[n], src + e.phoff + i * sizeof ph[0], sizeof ph[0]);
        if (ph[n].type == 1 && ph[n].memsz)
            n++;
    }
    for (int i = 1; i < n; i++)             /* by address */
        for (int j = i; j > 0 && ph[j].vaddr < ph[j - 1].vaddr; j--) {
            struct elf64_phdr t = ph[j]; ph[j] = ph[j - 1]; ph[j - 1] = t;
        }
    uint64_t lo = ph[0].vaddr;
    for (int i = 1; i < n; i++)
        if (ph[i].offset < ph[i - 1].offset + ph[i - 1].filesz)
            return refuse(z, "kernel.hpa", "ELF segments are not in file order; cannot load it in place");
#define SEG_DST(i) (dst + ph[i].vaddr - lo)
#define SEG_SRC(i) (src_hpa + ph[i].offset)
    for (int i = n - 1; i >= 0; i--)
        if (SEG_DST(i) > SEG_SRC(i))
            memmove((void *)SEG_DST(i), (const void *)SEG_SRC(i), ph[i].filesz);
    for (int i = 0; i < n; i++)
        if (SEG_DST(i) <= SEG_SRC(i))
            memmove((void *)SEG_DST(i), (const void *)SEG_SRC(i), ph[i].filesz);
    for (int i = 0; i < n; i++)
        memset((void *)(SEG_DST(i) + ph[i].filesz), 0, ph[i].memsz - ph[i].filesz);
    return 0;
}

/* ---- setup ----------------------------------------------------------- */

/* Put the initrd, the kernel and a fresh device tree in the zone's RAM,
 * from z->initrd_src and z->kernel_src (the loader's copies at first, the
 * stash on reboots). */
static int zone_load(struct zone *z)
{
    uint64_t hpa;
    if (z->initrd_size) {
        gpa_to_hpa(z, z->initrd_gpa, z->initrd_size, &hpa);
        memmove((void *)hpa, (const void *)z->initrd_src, z->initrd_size);
    }
    if (kernel_load(z, z->kernel_src))
        return -1;
    z->loaded_once = true;
    vplic_init(z);
    gpa_to_hpa(z, z->dtb_gpa, DTB_MAX, &hpa);
    if (guest_dt_build(z, (void *)hpa, DTB_MAX))
        return -1;
    char who[32];
    snprintf(who, sizeof who, "zone %d", z->id);
    int problems = fdt_check((void *)hpa, who);
    if (problems)
        return refuse(z, "device tree", "%d problem(s) in the tree built for the guest (above)", problems);
    return 0;
}

int zone_setup(struct zone *z, const struct zone_config *c, int id)
{
    char field[32];
    memset(z, 0, sizeof *z);
    z->cfg = c;
    z->id = id;

    /* harts */
    z->harts = c->harts == ALL_HARTS ? host.harts : c->harts;
    if (!z->harts)
        return refuse(z, "harts", "the zone has no hart");
    if (z->harts & ~host.harts)
        return refuse(z, "harts", "hart %d is not in the host device tree (QEMU: -smp)",
                      ctz64(z->harts & ~host.harts));
    for (int i = 0; i < id; i++)
        if (zones[i].harts & z->harts)
            return refuse(z, "harts", "hart %d also belongs to zone %d", ctz64(zones[i].harts & z->harts), i);
    z->nr_vharts = popcount64(z->harts);
    if (z->nr_vharts > MAX_VHARTS)
        return refuse(z, "harts", "%d harts; a zone has at most %d", z->nr_vharts, MAX_VHARTS);

    /* RAM */
    if (c->nr_ram < 1)
        return refuse(z, "ram", "the zone has no RAM region");
    uint64_t host_end = host.ram_base + host.ram_size;
    for (int i = 0; i < c->nr_ram; i++) {
        struct ram_region *r = &z->ram[i];
        *r = c->ram[i];
        snprintf(field, sizeof field, "ram[%d]", i);
        if (r->size == FROM_HOST) {
            uint64_t end = host_end;
            if (host.dtb >= r->hpa && host.dtb < end)
                end = ALIGN_DOWN(host.dtb, 2 * MiB);     /* leave the host's DTB alone */
            if (end <= r->hpa)
                return refuse(z, field, "hpa 0x%lx is at or above the end of host RAM (0x%lx)", r->hpa, end);
            r->size = end - r->hpa;
        }
        if ((r->gpa | r->hpa | r->size) & 0xfff)
            return refuse(z, field, "gpa, hpa and size must be multiples of 4 KiB");
        if (r->hpa < host.ram_base || r->hpa + r->size > host_end)
            return refuse(z, field, "hpa 0x%lx..0x%lx is outside host RAM 0x%lx..0x%lx (QEMU: -m)", r->hpa,
                          r->hpa + r->size, host.ram_base, host_end);
        if (overlaps(r->hpa, r->size, (uint64_t)_hyp_start, (uint64_t)(_hyp_end - _hyp_start)))
            return refuse(z, field, "overlaps the hypervisor (0x%lx..0x%lx)", (uint64_t)_hyp_start, (uint64_t)_hyp_end);
        for (int k = 0; k < host.nr_resv; k++)
            if (overlaps(r->hpa, r->size, host.resv_base[k], host.resv_size[k]))
                return refuse(z, field, "overlaps firmware-reserved memory 0x%lx..0x%lx", host.resv_base[k],
                              host.resv_base[k] + host.resv_size[k]);
        for (int j = 0; j < id; j++)
            for (int k = 0; k < zones[j].cfg->nr_ram; k++)
                if (overlaps(r->hpa, r->size, zones[j].ram[k].hpa, zones[j].ram[k].size))
                    return refuse(z, field, "overlaps RAM of zone %d", j);
    }

    /* devices */
    for (int i = 0; i < c->nr_dev; i++) {
        const struct device *d = &c->dev[i];
        snprintf(field, sizeof field, "dev[%d].irq", i);
        if (d->irq > host.plic_ndev)
            return refuse(z, field, "%s: PLIC source %u does not exist (the PLIC has sources 1..%u)", d->name,
                          d->irq, host.plic_ndev);
        snprintf(field, sizeof field, "dev[%d].hpa", i);
        if (overlaps(d->hpa, d->size, host.ram_base, host.ram_size))
            return refuse(z, field, "%s: 0x%lx is RAM, not a device", d->name, d->hpa);
        if (overlaps(d->gpa, d->size, c->plic_gpa, 0x600000))
            return refuse(z, field, "%s: overlaps the virtual PLIC at 0x%lx", d->name, c->plic_gpa);
    }

    /* kernel */
    uint64_t ksrc_len = 0, hpa;
    if (kernel_probe(z, &ksrc_len))
        return -1;
    if (!gpa_to_hpa(z, z->kernel_gpa, z->kernel_size, &hpa))
        return refuse(z, "kernel.gpa", "the kernel (%s, %lu KiB at 0x%lx) is not inside the zone's RAM",
                      z->format_name, z->kernel_size >> 10, z->kernel_gpa);

    /* DTB: 2 MiB below the end of the first RAM region unless configured */
    z->dtb_gpa = c->dtb_gpa != FROM_HOST ? c->dtb_gpa : ALIGN_DOWN(z->ram[0].gpa + z->ram[0].size - 1, 2 * MiB);
    if (!gpa_to_hpa(z, z->dtb_gpa, DTB_MAX, &hpa))
        return refuse(z, "dtb_gpa", "0x%lx..+64 KiB is not inside the zone's RAM", z->dtb_gpa);
    if (overlaps(z->dtb_gpa, DTB_MAX, z->kernel_gpa, z->kernel_size))
        return refuse(z, "dtb_gpa", "0x%lx overlaps the kernel (0x%lx..0x%lx)", z->dtb_gpa, z->kernel_gpa,
                      z->kernel_gpa + z->kernel_size);

    /* initrd */
    uint64_t isrc = c->initrd.hpa, isize = c->initrd.size;
    if (isrc == FROM_HOST) {
        isrc = host.initrd_start;
        isize = host.initrd_end - host.initrd_start;
    }
    z->initrd_size = isize;
    if (isize) {
        if (isrc < host.ram_base || isrc + isize > host_end)
            return refuse(z, "initrd.hpa", "0x%lx..0x%lx is outside host RAM", isrc, isrc + isize);
        z->initrd_gpa = c->initrd.gpa != FROM_HOST ? c->initrd.gpa : ALIGN_DOWN(z->dtb_gpa - isize, 4096);
        if (!gpa_to_hpa(z, z->initrd_gpa, isize, &hpa))
            return refuse(z, "initrd.gpa", "0x%lx..0x%lx is not inside the zone's RAM", z->initrd_gpa,
                          z->initrd_gpa + isize);
        if (overlaps(z->initrd_gpa, isize, z->dtb_gpa, DTB_MAX))
            return refuse(z, "initrd.gpa", "0x%lx..0x%lx overlaps the DTB at 0x%lx", z->initrd_gpa,
                          z->initrd_gpa + isize, z->dtb_gpa);
        if (overlaps(z->initrd_gpa, isize, z->kernel_gpa, z->kernel_size))
            return refuse(z, "initrd.gpa", "0x%lx..0x%lx overlaps the kernel (0x%lx..0x%lx)", z->initrd_gpa,
                          z->initrd_gpa + isize, z->kernel_gpa, z->kernel_gpa + z->kernel_size);
        if (overlaps(hpa, isize, c->kernel.hpa, ksrc_len))
            return refuse(z, "initrd.gpa", "copying the initrd to 0x%lx would overwrite the kernel file at 0x%lx",
                          z->initrd_gpa, c->kernel.hpa);
    }

    /* a copy of the images for the zone's reboots, made before anything moves */
    if (c->stash.size) {
        uint64_t need = ALIGN_UP(ksrc_len, 4096) + isize;
        if (need > c->stash.size)
            return refuse(z, "stash.size", "%lu KiB of kernel and initrd do not fit in %lu KiB", need >> 10,
                          c->stash.size >> 10);
        if (c->stash.hpa < host.ram_base || c->stash.hpa + c->stash.size > host_end)
            return refuse(z, "stash.hpa", "0x%lx..0x%lx is outside host RAM", c->stash.hpa, c->stash.hpa + c->stash.size);
        if (overlaps(c->stash.hpa, c->stash.size, (uint64_t)_hyp_start, (uint64_t)(_hyp_end - _hyp_start)))
            return refuse(z, "stash.hpa", "overlaps the hypervisor (0x%lx..0x%lx)", (uint64_t)_hyp_start,
                          (uint64_t)_hyp_end);
        if (overlaps(c->stash.hpa, c->stash.size, c->kernel.hpa, ksrc_len) ||
            overlaps(c->stash.hpa, c->stash.size, isrc, isize))
            return refuse(z, "stash.hpa", "overlaps the kernel or initrd it would copy");
        for (int j = 0; j <= id; j++)
            for (int k = 0; k < zones[j].cfg->nr_ram; k++)
                if (overlaps(c->stash.hpa, c->stash.size, (j == id ? z : &zones[j])->ram[k].hpa,
                             (j == id ? z : &zones[j])->ram[k].size))
                    return refuse(z, "stash.hpa", "overlaps RAM of zone %d", j);
        memcpy((void *)c->stash.hpa, (const void *)c->kernel.hpa, ksrc_len);
        memcpy((void *)(c->stash.hpa + ALIGN_UP(ksrc_len, 4096)), (const void *)isrc, isize);
    }
    z->kernel_src = c->kernel.hpa;
    z->initrd_src = isrc;

    /* everything fits: load, describe, map */
    if (zone_load(z))
        return -1;
    if (stage2_build(z))
        return -1;

    for (int v = 0, h = 0; v < z->nr_vharts; v++, h++) {
        while (!(z->harts >> h & 1))
            h++;
        struct vcpu *vc = &z->vcpu[v];
        vc->zone = z;
        vc->id = v;
        vc->phart = h;
        vc->hsm_state = SBI_HSM_STOPPED;
        hart_vcpu[h] = vc;
    }
    z->state = ZONE_READY;
    return 0;
}

/* ---- running ---------------------------------------------------------- */

extern char stacks[];
#define HYP_STACK 16384     /* as in start.S */

/* Ask another vhart's hart for something (a host IPI carries it); with
 * wait, until it is done, serving our own requests meanwhile. */
void vcpu_request(struct vcpu *self, struct vcpu *t, uint32_t req, bool wait)
{
    __atomic_fetch_or(&t->req, req, __ATOMIC_ACQ_REL);
    sbi_call(SBI_EXT_IPI, 0, 1ul << t->phart, 0, 0);
    while (wait && (__atomic_load_n(&t->req, __ATOMIC_ACQUIRE) & req))
        if (self)
            vcpu_handle_requests(self);
}

void vcpu_handle_requests(struct vcpu *v)
{
    csr_clear(CSR_SIP, 1ul << IRQ_S_SOFT);
    uint32_t r = __atomic_load_n(&v->req, __ATOMIC_ACQUIRE);
    if (!r)
        return;
    if (r & REQ_VSSIP)
        csr_set(CSR_HVIP, MIP_VSSIP);
    if (r & REQ_VSEIP)
        vplic_update_vcpu(v);
    if (r & REQ_FENCE_I)
        __asm__ volatile("fence.i");
    if (r & REQ_VVMA)
        hfence_vvma_all();
    __atomic_fetch_and(&v->req, ~(r & ~(REQ_STOP | REQ_START)), __ATOMIC_ACQ_REL);
}

/* A hart whose vhart is not running: wait for HSM hart_start, serve
 * requests, park for good when the zone stops. */
void hart_wait(struct vcpu *v)
{
    csr_write(CSR_HVIP, 0);
    csr_write(CSR_SIE, v ? 1ul << IRQ_S_SOFT : 0);
    for (;;) {
        if (v && v->zone->state == ZONE_STOPPED)
            csr_write(CSR_SIE, 0);
        else if (v && v->zone->state == ZONE_RUNNING && v->hsm_state == SBI_HSM_START_PENDING)
            vcpu_run(v);
        else if (v)
            vcpu_handle_requests(v);
        __asm__ volatile("wfi");
    }
}

/* Start the zone's vhart 0 at the kernel entry (here if it runs on this
 * hart, else through a request). */
void zone_start(struct zone *z, int self_phart)
{
    struct vcpu *v0 = &z->vcpu[0];
    z->state = ZONE_RUNNING;
    v0->start_addr = z->entry;
    v0->start_arg = z->dtb_gpa;
    __atomic_store_n(&v0->hsm_state, SBI_HSM_START_PENDING, __ATOMIC_RELEASE);
    if (v0->phart != self_phart)
        vcpu_request(NULL, v0, REQ_START, false);
}

/* SBI SRST reboot from vhart self: stop the zone's other vharts, put fresh
 * copies of the images (from the stash) and device tree in its RAM, and
 * start it again. False if the zone has no stash to reboot from. */
bool zone_reboot(struct zone *z, struct vcpu *self)
{
    if (!z->cfg->stash.size)
        return false;
    LOG("zone %d (%s): rebooting the zone: images from the stash at 0x%lx\n", z->id, z->cfg->name,
        z->cfg->stash.hpa);
    __atomic_store_n(&z->state, ZONE_REBOOTING, __ATOMIC_SEQ_CST);
    for (int i = 0; i < z->nr_vharts; i++)
        if (&z->vcpu[i] != self && z->vcpu[i].hsm_state != SBI_HSM_STOPPED)
            vcpu_request(self, &z->vcpu[i], REQ_STOP, false);
    /* wait until every other vhart is stopped; one about to start will not */
    for (int i = 0; i < z->nr_vharts; i++) {
        struct vcpu *t = &z->vcpu[i];
        int s;
        while (t != self && (s = __atomic_load_n(&t->hsm_state, __ATOMIC_SEQ_CST)) != SBI_HSM_STOPPED) {
            if (s == SBI_HSM_START_PENDING)
                __atomic_compare_exchange_n(&t->hsm_state, &s, SBI_HSM_STOPPED, false, __ATOMIC_SEQ_CST,
                                            __ATOMIC_SEQ_CST);
            else
                vcpu_handle_requests(self);
        }
    }
    __atomic_store_n(&self->hsm_state, SBI_HSM_STOPPED, __ATOMIC_RELEASE);
    vplic_release(z);
    z->kernel_src = z->cfg->stash.hpa;
    z->initrd_src = z->cfg->stash.hpa + ALIGN_UP(z->kernel_file_len, 4096);
    if (zone_load(z)) {
        zone_stop(z, self, "reboot: the images could not be loaded again");
        return true;
    }
    zone_start(z, self->phart);
    return true;
}

void zone_stop(struct zone *z, struct vcpu *self, const char *why)
{
    z->state = ZONE_STOPPED;
    if (why)
        LOG("zone %d (%s) stopped: %s\n", z->id, z->cfg->name, why);
    LOG("zone %d (%s): %lu SBI calls, %lu interrupts passed through, %lu MMIO accesses emulated "
        "(%lu decoded from htinst, %lu read with HLVX)\n", z->id, z->cfg->name, z->stats.sbi, z->stats.irqs,
        z->stats.mmio_htinst + z->stats.mmio_hlvx, z->stats.mmio_htinst, z->stats.mmio_hlvx);
    for (int i = 0; i < z->nr_vharts; i++)
        if (&z->vcpu[i] != self)
            vcpu_request(NULL, &z->vcpu[i], REQ_STOP, false);
    for (int i = 0; i < nr_zones; i++)
        if (zones[i].state == ZONE_RUNNING) {
            LOG("zone %d (%s) is down; zone %d still runs\n", z->id, z->cfg->name, i);
            return;
        }
    if (why) {
        LOG("no zone is left running: powering off (system failure)\n");
        sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0);
    } else {
        LOG("the last zone shut down: powering off\n");
        sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE, 0);
    }
}


/* Enter vhart v on this physical hart, at start_addr with a0 = its hart id
 * and a1 = start_arg (the DTB for vhart 0), as SBI HSM hart_start says. */
void vcpu_run(struct vcpu *v)
{
    struct zone *z = v->zone;
    bool sstc = host.sstc && !z->cfg->no_sstc;
    csr_write(CSR_HEDELEG, 1ul << EXC_INST_MISALIGNED | 1ul << EXC_ILLEGAL_INST | 1ul << EXC_BREAKPOINT |
                           1ul << EXC_ECALL_U | 1ul << EXC_INST_PAGE_FAULT | 1ul << EXC_LOAD_PAGE_FAULT |
                           1ul << EXC_STORE_PAGE_FAULT);
    csr_write(CSR_HIDELEG, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP);
    csr_write(CSR_HCOUNTEREN, ~0ul);
    csr_write(CSR_HVIP, 0);
    csr_write(CSR_HIE, 0);
    csr_write(CSR_HTIMEDELTA, 0);
    csr_write(CSR_HENVCFG, sstc ? HENVCFG_STCE : 0);
    if (sstc)
        csr_write(CSR_VSTIMECMP, ~0ul);
    csr_write(CSR_VSSTATUS, 0);
    csr_write(CSR_VSTVEC, 0);
    csr_write(CSR_VSSCRATCH, 0);
    csr_write(CSR_VSATP, 0);
    csr_write(CSR_HGATP, z->hgatp);
    hfence_gvma_all();
    hfence_vvma_all();

    memset(v->x, 0, sizeof v->x);
    v->hyp_sp = (unsigned long)(stacks + (unsigned long)(v->phart + 1) * HYP_STACK);
    v->sepc = v->start_addr;
    REG(v, 10) = (unsigned long)v->id;
    REG(v, 11) = v->start_arg;
    v->sstatus = SSTATUS_SPP | SSTATUS_FS | SSTATUS_SPIE;
    v->hstatus = HSTATUS_VSXL_64 | HSTATUS_SPV | HSTATUS_SPVP;
    __atomic_fetch_and(&v->req, ~(REQ_START | REQ_STOP | REQ_VSSIP), __ATOMIC_ACQ_REL);
    int pending = SBI_HSM_START_PENDING;
    if (!__atomic_compare_exchange_n(&v->hsm_state, &pending, SBI_HSM_STARTED, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST) ||
        __atomic_load_n(&z->state, __ATOMIC_SEQ_CST) != ZONE_RUNNING) {
        /* the zone began to reboot or stop meanwhile (zone_reboot) */
        __atomic_store_n(&v->hsm_state, SBI_HSM_STOPPED, __ATOMIC_SEQ_CST);
        hart_wait(v);
    }
    /* The zone's sources go to vhart 0's hart, routed from that hart once it
     * runs: OpenSBI's warm boot of a hart we started masks its PLIC
     * contexts (threshold 7, nothing enabled), possibly after the boot hart
     * went on. */
    if (v->id == 0)
        plic_route(z, v->phart);
    vplic_update_vcpu(v);
    csr_write(CSR_SIE, 1ul << IRQ_S_EXT | 1ul << IRQ_S_SOFT);
    vcpu_enter(v);
}
