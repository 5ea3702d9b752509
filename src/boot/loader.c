#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "boot/loader.h"
#include "util/error.h"

#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER 64
#define UIMAGE_ARCH_RISCV 26
#define UIMAGE_TYPE_KERNEL 2
#define UIMAGE_COMP_NONE 0
#define UIMAGE_COMP_GZIP 1
#define LINUX_IMAGE_MAGIC2 0x05435352u   /* "RSC\x05" at offset 0x38 */
#define LINUX_IMAGE_HEADER 64

const char *const default_firmware_paths[] = {
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",  /* Debian/Ubuntu opensbi */
    "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin",     /* QEMU's bundled copy */
    "/usr/share/opensbi/lp64/generic/firmware/fw_dynamic.bin",    /* Fedora, Arch */
    "/usr/local/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin",
    NULL,
};

const char *find_default_firmware(void)
{
    for (unsigned i = 0; default_firmware_paths[i]; i++)
        if (access(default_firmware_paths[i], R_OK) == 0)
            return default_firmware_paths[i];
    return NULL;
}

const char *image_kind_name(enum image_kind k)
{
    static const char *const names[] = {
        [IMAGE_ELF] = "ELF", [IMAGE_VMLINUX] = "Linux vmlinux", [IMAGE_UIMAGE] = "U-Boot uImage",
        [IMAGE_LINUX] = "Linux Image", [IMAGE_RAW] = "raw binary",
    };
    return names[k];
}

static bool in_ram(struct ram_range ram, uint64_t addr, uint64_t size)
{
    return addr >= ram.base && size <= ram.size && addr - ram.base <= ram.size - size;
}

static void add_segment(struct loaded_image *img, uint64_t addr, const uint8_t *data,
                        uint64_t filesz, uint64_t memsz)
{
    if (img->nseg == MAX_SEGMENTS)
        fatal("%s %s: more than %d loadable segments", img->option, img->path, MAX_SEGMENTS);
    img->seg[img->nseg++] = (struct segment){ addr, data, filesz, memsz };
    if (img->nseg == 1 || addr < img->low)
        img->low = addr;
    if (img->nseg == 1 || addr + memsz > img->high)
        img->high = addr + memsz;
}

static void require_fit(const struct loaded_image *img, struct ram_range ram)
{
    char a[32], b[32];
    if (!in_ram(ram, img->low, img->high - img->low))
        fatal("%s %s: %s at 0x%llx does not fit in %s of RAM at 0x%llx (%s %s)", img->option,
              img->path, human_size(a, sizeof(a), img->high - img->low),
              (unsigned long long)img->low, human_size(b, sizeof(b), ram.size),
              (unsigned long long)ram.base, image_kind_name(img->kind),
              img->low < ram.base ? "starts below RAM" : "ends beyond RAM");
}

/* ---- ELF ---------------------------------------------------------------- */

static bool is_elf(const uint8_t *buf, size_t size)
{
    return size >= 4 && !memcmp(buf, ELFMAG, SELFMAG);
}

static const Elf64_Phdr *elf_phdrs(const struct loaded_image *img, const uint8_t *buf, size_t size)
{
    const Elf64_Ehdr *eh = (const void *)buf;
    if (size < EI_NIDENT || buf[EI_CLASS] != ELFCLASS64)
        fatal("%s %s: not a 64-bit ELF (rivet emulates RV64)", img->option, img->path);
    if (size < sizeof(*eh))
        fatal("%s %s: truncated ELF header (%zu bytes)", img->option, img->path, size);
    if (buf[EI_DATA] != ELFDATA2LSB)
        fatal("%s %s: big-endian ELF; RISC-V is little-endian", img->option, img->path);
    if (eh->e_machine != EM_RISCV)
        fatal("%s %s: not a RISC-V ELF (e_machine %u)", img->option, img->path, eh->e_machine);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
        (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
        fatal("%s %s: truncated ELF (program headers extend past the end of the file)",
              img->option, img->path);
    return (const Elf64_Phdr *)(buf + eh->e_phoff);
}

static void load_elf(struct loaded_image *img, const uint8_t *buf, size_t size,
                     struct ram_range ram, uint64_t vmlinux_base)
{
    const Elf64_Ehdr *eh = (const void *)buf;
    const Elf64_Phdr *ph = elf_phdrs(img, buf, size);
    bool all_in_ram = true;
    uint64_t lowest = UINT64_MAX;
    unsigned loads = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        if (ph[i].p_offset > size || ph[i].p_filesz > size - ph[i].p_offset)
            fatal("%s %s: truncated ELF (segment %u extends past the end of the file)",
                  img->option, img->path, i);
        if (ph[i].p_filesz > ph[i].p_memsz)
            fatal("%s %s: corrupt ELF (segment %u: file size exceeds memory size)",
                  img->option, img->path, i);
        if (!in_ram(ram, ph[i].p_paddr, ph[i].p_memsz))
            all_in_ram = false;
        if (ph[i].p_paddr < lowest)
            lowest = ph[i].p_paddr;
        loads++;
    }
    if (!loads)
        fatal("%s %s: ELF has no loadable segments", img->option, img->path);
    symtab_from_elf(&img->syms, buf, size);

    /* A Linux vmlinux links at a virtual address and lays its segments out
     * from physical 0: place it where the Image would go. */
    bool vmlinux = !all_in_ram && (eh->e_entry >> 63) && vmlinux_base;
    img->kind = vmlinux ? IMAGE_VMLINUX : IMAGE_ELF;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        uint64_t addr = vmlinux ? vmlinux_base + (ph[i].p_paddr - lowest) : ph[i].p_paddr;
        add_segment(img, addr, buf + ph[i].p_offset, ph[i].p_filesz, ph[i].p_memsz);
    }
    if (!vmlinux && !all_in_ram) {
        for (unsigned i = 0; i < img->nseg; i++)
            if (!in_ram(ram, img->seg[i].addr, img->seg[i].memsz))
                fatal("%s %s: ELF segment at 0x%llx (%llu bytes) is outside RAM "
                      "(0x%llx-0x%llx)", img->option, img->path,
                      (unsigned long long)img->seg[i].addr, (unsigned long long)img->seg[i].memsz,
                      (unsigned long long)ram.base, (unsigned long long)(ram.base + ram.size));
    }
    img->entry = vmlinux ? vmlinux_base : eh->e_entry;
    img->has_htif = symtab_find(&img->syms, "tohost", &img->tohost);
    if (img->has_htif && !symtab_find(&img->syms, "fromhost", &img->fromhost))
        img->fromhost = 0;
    require_fit(img, ram);
}

/* ---- U-Boot uImage -------------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool is_uimage(const uint8_t *buf, size_t size)
{
    return size >= 4 && be32(buf) == UIMAGE_MAGIC;
}

static uint8_t *gunzip(const struct loaded_image *img, const uint8_t *src, size_t len, size_t *out_len)
{
    size_t cap = len * 4 + 4096, used = 0;
    uint8_t *out = malloc(cap);
    z_stream z = { 0 };
    if (!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        fatal("%s %s: cannot start gzip decompression", img->option, img->path);
    z.next_in = (uint8_t *)src;
    z.avail_in = (uInt)len;
    int rc;
    do {
        if (used == cap) {
            cap *= 2;
            out = realloc(out, cap);
            if (!out)
                fatal("%s %s: out of memory decompressing", img->option, img->path);
        }
        z.next_out = out + used;
        z.avail_out = (uInt)(cap - used);
        rc = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
    } while (rc == Z_OK);
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
        fatal("%s %s: corrupt uImage (gzip payload does not decompress)", img->option, img->path);
    *out_len = used;
    return out;
}

static void load_uimage(struct loaded_image *img, const uint8_t *buf, size_t size, struct ram_range ram)
{
    if (size < UIMAGE_HEADER)
        fatal("%s %s: corrupt uImage (truncated header)", img->option, img->path);
    uint8_t hdr[UIMAGE_HEADER];
    memcpy(hdr, buf, sizeof(hdr));
    uint32_t hcrc = be32(hdr + 4);
    memset(hdr + 4, 0, 4);
    if (crc32(0, hdr, sizeof(hdr)) != hcrc)
        fatal("%s %s: corrupt uImage (header checksum mismatch)", img->option, img->path);
    uint32_t dsize = be32(buf + 12), load = be32(buf + 16), ep = be32(buf + 20), dcrc = be32(buf + 24);
    uint8_t arch = buf[29], type = buf[30], comp = buf[31];
    if (dsize > size - UIMAGE_HEADER)
        fatal("%s %s: corrupt uImage (payload of %u bytes, file has %zu)", img->option,
              img->path, dsize, size - UIMAGE_HEADER);
    if (crc32(0, buf + UIMAGE_HEADER, dsize) != dcrc)
        fatal("%s %s: corrupt uImage (data checksum mismatch)", img->option, img->path);
    if (arch != UIMAGE_ARCH_RISCV)
        fatal("%s %s: uImage is for another architecture (%u)", img->option, img->path, arch);
    if (type != UIMAGE_TYPE_KERNEL)
        fatal("%s %s: uImage is not a kernel (type %u)", img->option, img->path, type);
    const uint8_t *payload = buf + UIMAGE_HEADER;
    size_t len = dsize;
    if (comp == UIMAGE_COMP_GZIP) {
        img->decompressed = gunzip(img, payload, len, &len);
        payload = img->decompressed;
    } else if (comp != UIMAGE_COMP_NONE) {
        fatal("%s %s: uImage compression %u is not supported (only none and gzip)",
              img->option, img->path, comp);
    }
    img->kind = IMAGE_UIMAGE;
    add_segment(img, load, payload, len, len);
    img->entry = ep;
    require_fit(img, ram);
}

/* ---- Linux Image and raw ------------------------------------------------- */

static bool is_linux_image(const uint8_t *buf, size_t size)
{
    return size >= LINUX_IMAGE_HEADER && ld32(buf + 0x38) == LINUX_IMAGE_MAGIC2;
}

static void load_flat(struct loaded_image *img, const uint8_t *buf, size_t size,
                      struct ram_range ram, uint64_t start, enum image_kind kind)
{
    uint64_t memsz = size;
    if (kind == IMAGE_LINUX) {
        /* image_size includes the bss: keep it clear of initrd and DTB. */
        uint64_t image_size = ld64(buf + 0x10);
        if (image_size > memsz)
            memsz = image_size;
    }
    img->kind = kind;
    add_segment(img, start, buf, size, memsz);
    img->entry = start;
    require_fit(img, ram);
}

/* ---- entry points ------------------------------------------------------ */

static void image_open(struct loaded_image *img, const char *option, const char *path, size_t *size)
{
    memset(img, 0, sizeof(*img));
    img->option = option;
    img->path = path;
    img->file = read_file_or_die(option, path, size);
    if (*size == 0)
        fatal("%s %s: file is empty", option, path);
}

void load_firmware(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t base)
{
    size_t size;
    image_open(img, "-bios", path, &size);
    if (is_elf(img->file, size))
        load_elf(img, img->file, size, ram, 0);
    else
        load_flat(img, img->file, size, ram, base, IMAGE_RAW);
}

void load_kernel(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t start)
{
    size_t size;
    image_open(img, "-kernel", path, &size);
    if (is_elf(img->file, size)) {
        load_elf(img, img->file, size, ram, start);
        if (img->kind == IMAGE_ELF)
            img->entry = img->low;  /* QEMU enters an ELF kernel at its lowest address */
    } else if (is_uimage(img->file, size)) {
        load_uimage(img, img->file, size, ram);
    } else if (is_linux_image(img->file, size)) {
        load_flat(img, img->file, size, ram, start, IMAGE_LINUX);
    } else {
        load_flat(img, img->file, size, ram, start, IMAGE_RAW);
    }
}

void load_initrd(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t start)
{
    size_t size;
    image_open(img, "-initrd", path, &size);
    img->kind = IMAGE_RAW;
    char a[32], b[32];
    if (start >= ram.base + ram.size || size > ram.base + ram.size - start)
        fatal("-initrd %s: %s does not fit in %s of RAM above the kernel "
              "(it would start at 0x%llx; use a larger -m)", path, human_size(a, sizeof(a), size),
              human_size(b, sizeof(b), ram.size), (unsigned long long)start);
    add_segment(img, start, img->file, size, size);
    img->entry = start;
}

void image_free(struct loaded_image *img)
{
    free(img->file);
    free(img->decompressed);
    symtab_free(&img->syms);
    memset(img, 0, sizeof(*img));
}
