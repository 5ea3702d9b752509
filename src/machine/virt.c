#define _GNU_SOURCE
/* The virt board: wiring, image placement (QEMU 10.x rules), reset and the
 * loop that runs the harts and services devices between slices. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/fdt.h"
#include "diag/diag.h"
#include "diag/dtbcheck.h"
#include "machine/virt.h"
#include "util/error.h"

#define FW_DYNAMIC_MAGIC 0x4942534fULL
#define FW_DYNAMIC_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1

/* ---- interrupt wiring ---------------------------------------------------- */

static void hart_irq(void *opaque, unsigned irq, bool level)
{
    hart_set_irq(opaque, 1ULL << irq, level);
}

static uint64_t read_mtime(void *opaque)
{
    return clint_mtime(&((struct virt *)opaque)->clint);
}

/* Kernel symbols first (a vmlinux or an ELF kernel), then the firmware's. */
static const char *symbolize(void *opaque, uint64_t pc, char *buf, size_t n)
{
    struct virt *v = opaque;
    const char *s = symtab_describe(&v->kernel.syms, pc, buf, n);
    return s ? s : symtab_describe(&v->firmware.syms, pc, buf, n);
}

static void finisher(void *opaque, enum finisher_action what, int status)
{
    struct virt *v = opaque;
    diag_guest_end(what == FINISHER_RESET, status);  /* boot timeline */
    if (what == FINISHER_RESET && !v->cfg->no_reboot) {
        __atomic_store_n(&v->reset_pending, true, __ATOMIC_RELEASE);
    } else {
        v->exit_status = what == FINISHER_RESET ? 0 : status;
        __atomic_store_n(&v->stop, true, __ATOMIC_RELEASE);
    }
}

static void htif_exit(void *opaque, int status)
{
    finisher(opaque, FINISHER_EXIT, status);
}

static void create_devices(struct virt *v)
{
    struct bus *b = &v->bus;
    unsigned n = v->nharts;

    v->clint = (struct clint){ .base = VIRT_CLINT_BASE, .nharts = n, .clock = &v->clock, .log = &v->log };
    v->plic = (struct plic){ .base = VIRT_PLIC_BASE, .phandle = 2 * n + 1, .ncontexts = 2 * n, .log = &v->log };
    v->sswi = (struct aclint_sswi){ .nharts = n, .log = &v->log };
    for (unsigned h = 0; h < n; h++) {
        v->sswi.ssip[h] = (struct irq_line){ hart_irq, v->hart[h], IRQ_SSI };
        v->clint.msip_irq[h] = (struct irq_line){ hart_irq, v->hart[h], IRQ_MSI };
        v->clint.mtip_irq[h] = (struct irq_line){ hart_irq, v->hart[h], IRQ_MTI };
        v->plic.out[2 * h] = (struct irq_line){ hart_irq, v->hart[h], IRQ_MEI };
        v->plic.out[2 * h + 1] = (struct irq_line){ hart_irq, v->hart[h], IRQ_SEI };
    }
    v->uart = (struct uart16550){
        .base = VIRT_UART0_BASE, .irq = VIRT_UART0_IRQ, .plic_phandle = v->plic.phandle,
        .irq_line = { plic_set_irq, &v->plic, VIRT_UART0_IRQ }, .chr = diag_console_tap(&v->console.chr), .log = &v->log,
    };
    v->rtc = (struct goldfish_rtc){
        .base = VIRT_RTC_BASE, .irq = VIRT_RTC_IRQ, .plic_phandle = v->plic.phandle,
        .irq_line = { plic_set_irq, &v->plic, VIRT_RTC_IRQ }, .clock = &v->clock, .log = &v->log,
    };
    v->test = (struct sifive_test){
        .base = VIRT_TEST_BASE, .phandle = 2 * n + 2, .action = finisher, .opaque = v, .log = &v->log,
    };
    goldfish_rtc_init_time(&v->rtc, v->cfg->rtc_fixed, v->cfg->rtc_base_ns);
    virt_register_devices(v);

    bus_add_region(b, "sifive_test", VIRT_TEST_BASE, SIFIVE_TEST_SIZE, &sifive_test_ops, &v->test);
    bus_add_region(b, "goldfish_rtc", VIRT_RTC_BASE, GOLDFISH_RTC_SIZE, &goldfish_rtc_ops, &v->rtc);
    bus_add_region(b, "clint", VIRT_CLINT_BASE, CLINT_SIZE, &clint_ops, &v->clint);
    if (v->cfg->aclint)
        bus_add_region(b, "aclint-sswi", VIRT_ACLINT_SSWI_BASE, VIRT_ACLINT_SSWI_SIZE,
                       &aclint_sswi_ops, &v->sswi);
    bus_add_region(b, "plic", VIRT_PLIC_BASE, PLIC_SIZE, &plic_ops, &v->plic);
    bus_add_region(b, "uart16550", VIRT_UART0_BASE, UART_SIZE, &uart16550_ops, &v->uart);
}

/* ---- images -------------------------------------------------------------- */

static struct ram_range ram_of(const struct virt *v)
{
    return (struct ram_range){ VIRT_DRAM_BASE, v->cfg->ram_size };
}

/* Firmware per -bios; returns the end of the firmware (where the kernel
 * region starts before alignment). */
static uint64_t place_firmware(struct virt *v)
{
    const char *bios = v->cfg->bios;
    v->fw_entry = VIRT_DRAM_BASE;
    if (bios && !strcmp(bios, "none"))
        return VIRT_DRAM_BASE;
    if (!bios || !strcmp(bios, "default")) {
        bios = find_default_firmware();
        if (!bios)
            fatal("-bios default: OpenSBI fw_dynamic.bin not found (looked in %s and %s); "
                  "install Debian's 'opensbi' package or pass -bios FILE",
                  default_firmware_paths[0], default_firmware_paths[1]);
    }
    load_firmware(&v->firmware, bios, ram_of(v), VIRT_DRAM_BASE);
    v->have_firmware = true;
    v->fw_entry = v->firmware.entry;
    return v->firmware.high;
}

static void check_overlap(const struct loaded_image *a, const struct loaded_image *b)
{
    if (a->low < b->high && b->low < a->high)
        fatal("%s %s (0x%llx-0x%llx) overlaps %s %s (0x%llx-0x%llx)", a->option, a->path,
              (unsigned long long)a->low, (unsigned long long)a->high, b->option, b->path,
              (unsigned long long)b->low, (unsigned long long)b->high);
}

static void place_kernel_and_initrd(struct virt *v, uint64_t fw_end)
{
    const struct machine_config *cfg = v->cfg;
    v->kernel_entry = 0;
    if (!cfg->kernel)
        return;
    uint64_t start = ALIGN_UP(fw_end, 2 * MiB);
    load_kernel(&v->kernel, cfg->kernel, ram_of(v), start);
    v->have_kernel = true;
    v->kernel_entry = v->kernel.entry;
    if (v->have_firmware)
        check_overlap(&v->kernel, &v->firmware);
    if (!cfg->initrd)
        return;
    uint64_t half = cfg->ram_size / 2 < 512 * MiB ? cfg->ram_size / 2 : 512 * MiB;
    load_initrd(&v->initrd, cfg->initrd, ram_of(v), v->kernel.low + half);
    v->have_initrd = true;
    if (v->initrd.low < v->kernel.high) {
        char a[32];
        fatal("-initrd %s: the kernel (%s, ends at 0x%llx) overlaps the initrd at 0x%llx; "
              "use a larger -m", cfg->initrd, human_size(a, sizeof(a), v->kernel.high - v->kernel.low),
              (unsigned long long)v->kernel.high, (unsigned long long)v->initrd.low);
    }
}

/* libfdt trusts the header's offsets and sizes: a wrong one makes it read
 * or move memory outside the blob. So a -dtb file is checked in full
 * before any other libfdt call sees it. */
static int check_user_dtb(const uint8_t *file, size_t size)
{
    if (size < sizeof(struct fdt_header))
        return -FDT_ERR_TRUNCATED;
    int err = fdt_check_header(file);
    if (!err && fdt_totalsize(file) > size)
        err = -FDT_ERR_TRUNCATED;
    if (!err && fdt_version(file) < 16)  /* older layouts libfdt cannot edit */
        err = -FDT_ERR_BADVERSION;
    /* The spec aligns both blocks; libfdt reads them in place as such. */
    if (!err && (fdt_off_dt_struct(file) % 4 || fdt_off_mem_rsvmap(file) % 8))
        err = -FDT_ERR_ALIGNMENT;
    if (!err)
        err = fdt_check_full(file, fdt_totalsize(file));
    if (!err && fdt_num_mem_rsv(file) < 0)  /* fdt_check_full does not walk the map */
        err = fdt_num_mem_rsv(file);
    return err;
}

/* Everything the generic loaders put in memory, checked against the other
 * images and each other. */
static void place_loaders(struct virt *v)
{
    const struct loaded_image *others[] = { &v->firmware, &v->kernel, &v->initrd };
    const bool present[] = { v->have_firmware, v->have_kernel, v->have_initrd };
    for (unsigned i = 0; i < v->cfg->nloaders; i++) {
        const struct loader_opt *l = &v->cfg->loader[i];
        struct loaded_image *img = &v->loader[i];
        uint64_t entry = l->addr;
        if (l->file) {
            load_generic(img, l->file, ram_of(v), l->addr, l->has_addr, l->force_raw);
            for (unsigned k = 0; k < ARRAY_SIZE(others); k++)
                if (present[k])
                    check_overlap(img, others[k]);
            for (unsigned k = 0; k < i; k++)
                if (v->loader[k].nseg)
                    check_overlap(img, &v->loader[k]);
            entry = l->has_addr && !l->force_raw && img->kind == IMAGE_RAW ? l->addr : img->entry;
        } else if (l->data_len && !bus_ram_ptr(&v->bus, l->addr, l->data_len)) {
            fatal("-device loader,addr=0x%llx,data-len=%u: not in RAM (0x%llx-0x%llx)",
                  (unsigned long long)l->addr, l->data_len, (unsigned long long)VIRT_DRAM_BASE,
                  (unsigned long long)(VIRT_DRAM_BASE + v->cfg->ram_size));
        }
        if (l->cpu_num >= (int)v->nharts)
            fatal("-device loader: cpu-num=%d, but the board has %u harts", l->cpu_num, v->nharts);
        if (l->cpu_num >= 0)
            v->start_pc[l->cpu_num] = entry;
    }
}

/* A loader's image must not sit where the device tree goes. */
static void check_loaders_clear_of_fdt(const struct virt *v)
{
    uint64_t lo = v->fdt_addr, hi = v->fdt_addr + fdt_totalsize(v->fdt);
    for (unsigned i = 0; i < v->cfg->nloaders; i++) {
        const struct loaded_image *img = &v->loader[i];
        if (img->nseg && img->low < hi && lo < img->high)
            fatal("-device loader,file=%s (0x%llx-0x%llx) overlaps the device tree at 0x%llx; "
                  "use a larger -m or another addr", img->path, (unsigned long long)img->low,
                  (unsigned long long)img->high, (unsigned long long)lo);
    }
}

static void *load_user_dtb(const struct virt *v, const char *path)
{
    size_t size;
    uint8_t *file = read_file_max("-dtb", path, v->cfg->ram_size, "the RAM", &size);
    int err = check_user_dtb(file, size);
    if (err) {
        free(file);
        fatal("-dtb %s: not a valid device tree blob (%s)", path,
              err == -FDT_ERR_ALIGNMENT ? "misaligned block offset" : fdt_strerror(err));
    }
    return file;
}

/* The DTB goes at the top of RAM, 2 MiB aligned (QEMU 10.x). */
static void place_fdt(struct virt *v)
{
    /* Held in v->fdt meanwhile, so that virt_destroy frees it after an error. */
    v->fdt = v->cfg->dtb ? load_user_dtb(v, v->cfg->dtb) : virt_build_fdt(v);
    void *fdt = virt_fdt_finish(v, v->fdt);
    free(v->fdt);
    v->fdt = fdt;
    fdt_pack(v->fdt);
    uint64_t size = fdt_totalsize(v->fdt);
    uint64_t ram_end = VIRT_DRAM_BASE + v->cfg->ram_size;
    v->fdt_addr = size > v->cfg->ram_size ? 0 : ALIGN_DOWN(ram_end - size, 2 * MiB);
    uint64_t below = v->have_initrd ? v->initrd.high : v->have_kernel ? v->kernel.high
                   : v->have_firmware ? v->firmware.high : VIRT_DRAM_BASE;
    if (v->fdt_addr < below || v->fdt_addr < VIRT_DRAM_BASE)
        fatal("-m %lluM: no room for the device tree at the top of RAM (images end at 0x%llx); "
              "use a larger -m", (unsigned long long)(v->cfg->ram_size / MiB),
              (unsigned long long)below);
}

/* QEMU's reset vector and fw_dynamic_info, word for word. */
static void build_mrom(struct virt *v)
{
    uint32_t reset_vec[10] = {
        0x00000297,  /* auipc t0, 0 */
        0x02828613,  /* addi a2, t0, 40: &fw_dynamic_info */
        0xf1402573,  /* csrr a0, mhartid */
        0x0202b583,  /* ld a1, 32(t0): fdt address */
        0x0182b283,  /* ld t0, 24(t0): firmware entry */
        0x00028067,  /* jr t0 */
        (uint32_t)v->fw_entry, (uint32_t)(v->fw_entry >> 32),
        (uint32_t)v->fdt_addr, (uint32_t)(v->fdt_addr >> 32),
    };
    uint64_t info[6] = { FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, v->kernel_entry,
                         FW_DYNAMIC_NEXT_MODE_S, 0, 0 };
    memcpy(v->mrom, reset_vec, sizeof(reset_vec));
    memcpy(v->mrom + sizeof(reset_vec), info, sizeof(info));
}

static void copy_image(struct virt *v, const struct loaded_image *img)
{
    for (unsigned i = 0; i < img->nseg; i++) {
        const struct segment *s = &img->seg[i];
        uint8_t *dst = bus_ram_for_dma_write(&v->bus, s->addr, s->memsz);
        if (!image_read(img, i, 0, dst, s->filesz))
            fatal("%s %s: the file changed since rivet loaded it, so the reset cannot load "
                  "it again", img->option, img->path);
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
    }
}

/* ---- reset --------------------------------------------------------------- */

/* Like a QEMU system reset: devices reset, harts back at the reset vector,
 * and every image copied into memory again. Other RAM keeps its contents. */
void virt_reset(struct virt *v)
{
    memcpy(v->bus.rom.host, v->mrom, sizeof(v->mrom));
    if (v->have_firmware)
        copy_image(v, &v->firmware);
    if (v->have_kernel)
        copy_image(v, &v->kernel);
    if (v->have_initrd)
        copy_image(v, &v->initrd);
    for (unsigned i = 0; i < v->cfg->nloaders; i++) {
        const struct loader_opt *l = &v->cfg->loader[i];
        if (l->file)
            copy_image(v, &v->loader[i]);
        else if (l->data_len)
            bus_write_ram(&v->bus, l->addr, &l->data, l->data_len);  /* little-endian host */
    }
    if (!v->cfg->dtb)
        virt_fdt_randomize_seed(v, v->fdt);
    bus_write_ram(&v->bus, v->fdt_addr, v->fdt, fdt_totalsize(v->fdt));

    for (unsigned h = 0; h < v->nharts; h++)
        hart_reset(v->hart[h], v->start_pc[h]);
    clint_reset(&v->clint);
    plic_reset(&v->plic);
    virt_devices_reset(v);
    v->reset_pending = false;
}

void virt_create(struct virt *v, const struct machine_config *cfg)
{
    memset(v, 0, sizeof(*v));
    v->cfg = cfg;
    v->log.mask = cfg->log_mask;
    v->log.out = stderr;
    if (cfg->log_file && !(v->log.out = fopen(cfg->log_file, "w")))
        fatal("-D %s: %s", cfg->log_file, strerror(errno));
    vclock_init(&v->clock, cfg->icount, cfg->icount_shift);
    if (!bus_init(&v->bus, VIRT_DRAM_BASE, cfg->ram_size, VIRT_MROM_BASE, VIRT_MROM_SIZE, &v->log))
        fatal("-m %lluM: cannot allocate guest RAM: %s", (unsigned long long)(cfg->ram_size / MiB),
              strerror(errno));
    /* RIVET_JIT=off|on|eager: eager compiles every block at once (tests). */
    const char *jit = getenv("RIVET_JIT");
    if (log_enabled(&v->log, LOG_EXEC))
        jit = "off";
    if (!cpu_shared_init(&v->cpus, &v->bus, jit))
        fatal("out of memory setting up the CPU");
    if (!console_open(&v->console, cfg->serial, cfg->serial_path))
        fatal("-serial file:%s: %s", cfg->serial_path, strerror(errno));

    v->nharts = cfg->smp ? cfg->smp : 1;
    for (unsigned h = 0; h < v->nharts; h++) {
        v->hart[h] = aligned_alloc(64, ALIGN_UP(sizeof(struct hart), 64));
        if (!v->hart[h])
            fatal("out of memory allocating hart %u", h);
        if (!hart_init(v->hart[h], h, &v->bus, &v->cpus,
                       (struct hart_env){ read_mtime, symbolize, v }, &v->log))
            fatal("out of memory setting up hart %u", h);
        v->hart[h]->has_h = cfg->h_ext;
        v->hart[h]->has_sstc = cfg->sstc;
    }
    create_devices(v);

    for (unsigned h = 0; h < v->nharts; h++)
        v->start_pc[h] = VIRT_MROM_BASE;
    uint64_t fw_end = place_firmware(v);
    place_kernel_and_initrd(v, fw_end);
    if (!v->have_firmware && v->have_kernel)
        v->fw_entry = v->kernel_entry;  /* -bios none: the kernel runs in M-mode */
    place_loaders(v);
    place_fdt(v);
    check_loaders_clear_of_fdt(v);
    /* The user's tree, checked now that every image has its place (not
     * for dumpdtb=, which only writes the tree out). */
    if (cfg->dtb && !cfg->dumpdtb)
        dtb_warn_user_dtb(v);
    build_mrom(v);

    const struct loaded_image *elf = v->have_kernel ? &v->kernel : &v->firmware;
    if ((v->have_kernel || v->have_firmware) && elf->has_htif) {
        v->htif = (struct htif){ true, elf->tohost, elf->fromhost, &v->bus, &v->console.chr,
                                 htif_exit, v };
    }
    virt_reset(v);
    /* Now in RAM: the files' bytes need not stay in memory too (a reset
     * reads them again). The initrd stays: the diagnosis reads it. */
    image_release(&v->firmware);
    image_release(&v->kernel);
    for (unsigned i = 0; i < MAX_LOADERS; i++)
        image_release(&v->loader[i]);
}

void virt_dump_dtb(const struct virt *v, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(v->fdt, 1, fdt_totalsize(v->fdt), f) != fdt_totalsize(v->fdt) || fclose(f))
        fatal("dumpdtb=%s: %s", path, strerror(errno));
}

void virt_destroy(struct virt *v)
{
    virt_destroy_virtio(v);
    cpu_shared_free(&v->cpus);
    for (unsigned h = 0; h < v->nharts; h++)
        free(v->hart[h]);
    bus_free(&v->bus);
    image_free(&v->firmware);
    image_free(&v->kernel);
    image_free(&v->initrd);
    for (unsigned i = 0; i < MAX_LOADERS; i++)
        image_free(&v->loader[i]);
    free(v->fdt);
    if (v->log.out && v->log.out != stderr)
        fclose(v->log.out);
}
