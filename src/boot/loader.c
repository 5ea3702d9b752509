#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Every address and size here comes from the file: a segment whose end
 * wraps past 2^64 would slip through the low/high fit check. */
static void add_segment(struct loaded_image *img, uint64_t addr, const uint8_t *data,
                        uint64_t filesz, uint64_t memsz)
{
    if (memsz > UINT64_MAX - addr)
        fatal("%s %s: corrupt %s (a segment at 0x%llx of %llu bytes ends past the top of "
              "the address space)", img->option, img->path, image_kind_name(img->kind),
              (unsigned long long)addr, (unsigned long long)memsz);
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

/* The ELF header, checked; copied out because nothing guarantees the
 * file's structures are aligned in the buffer. */
static Elf64_Ehdr elf_header(const struct loaded_image *img, const uint8_t *buf, size_t size)
{
    Elf64_Ehdr eh;
    if (size < EI_NIDENT || buf[EI_CLASS] != ELFCLASS64)
        fatal("%s %s: not a 64-bit ELF (rivet emulates RV64)", img->option, img->path);
    if (size < sizeof(eh))
        fatal("%s %s: truncated ELF header (%zu bytes)", img->option, img->path, size);
    memcpy(&eh, buf, sizeof(eh));
    if (buf[EI_DATA] != ELFDATA2LSB)
        fatal("%s %s: big-endian ELF; RISC-V is little-endian", img->option, img->path);
    if (eh.e_machine != EM_RISCV)
        fatal("%s %s: not a RISC-V ELF (e_machine %u)", img->option, img->path, eh.e_machine);
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > size ||
        (size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum)
        fatal("%s %s: truncated ELF (program headers extend past the end of the file)",
              img->option, img->path);
    return eh;
}

/* Program header i, which elf_header() showed lies inside the file; e_phoff
 * may be odd, so it is copied rather than dereferenced in place. */
static Elf64_Phdr elf_phdr(const uint8_t *buf, const Elf64_Ehdr *eh, unsigned i)
{
    Elf64_Phdr ph;
    memcpy(&ph, buf + eh->e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
    return ph;
}

/* Checks one PT_LOAD header against the file; returns whether it lies in RAM. */
static bool check_load_segment(const struct loaded_image *img, const Elf64_Phdr *ph, unsigned i,
                               size_t size, struct ram_range ram)
{
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        fatal("%s %s: truncated ELF (segment %u extends past the end of the file)",
              img->option, img->path, i);
    if (ph->p_filesz > ph->p_memsz)
        fatal("%s %s: corrupt ELF (segment %u: file size exceeds memory size)",
              img->option, img->path, i);
    if (ph->p_memsz > UINT64_MAX - ph->p_paddr)
        fatal("%s %s: corrupt ELF (segment %u ends past the top of the address space)",
              img->option, img->path, i);
    return in_ram(ram, ph->p_paddr, ph->p_memsz);
}

static void load_elf(struct loaded_image *img, const uint8_t *buf, size_t size,
                     struct ram_range ram, uint64_t vmlinux_base)
{
    const Elf64_Ehdr ehdr = elf_header(img, buf, size), *eh = &ehdr;
    bool all_in_ram = true;
    uint64_t lowest = UINT64_MAX;
    unsigned loads = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = elf_phdr(buf, eh, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (!check_load_segment(img, &ph, i, size, ram))
            all_in_ram = false;
        if (ph.p_paddr < lowest)
            lowest = ph.p_paddr;
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
        Elf64_Phdr ph = elf_phdr(buf, eh, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        uint64_t addr = ph.p_paddr;
        if (vmlinux && ph.p_paddr - lowest > UINT64_MAX - vmlinux_base)
            fatal("%s %s: corrupt vmlinux (segment %u lies past the top of the address space "
                  "once placed at 0x%llx)", img->option, img->path, i,
                  (unsigned long long)vmlinux_base);
        if (vmlinux)
            addr = vmlinux_base + (ph.p_paddr - lowest);
        add_segment(img, addr, buf + ph.p_offset, ph.p_filesz, ph.p_memsz);
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

/* Gives up (one line) when the output passes `max`, the RAM the image may
 * occupy: a few hundred KB of gzip can expand to gigabytes, and the size
 * must be checked before it costs host memory, not after. */
static uint8_t *gunzip(const struct loaded_image *img, const uint8_t *src, size_t len,
                       uint64_t max, uint64_t load, size_t *out_len)
{
    size_t cap = len < max / 4 ? len * 4 + 4096 : max + 1, used = 0;
    uint8_t *out = malloc(cap);
    z_stream z = { 0 };
    if (!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        fatal("%s %s: cannot start gzip decompression", img->option, img->path);
    z.next_in = (uint8_t *)src;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (used == cap && cap > max) {
            char a[32];
            inflateEnd(&z);
            free(out);
            fatal("%s %s: uImage decompresses to more than the %s of RAM from its load address "
                  "0x%llx", img->option, img->path, human_size(a, sizeof(a), max),
                  (unsigned long long)load);
        }
        if (used == cap) {
            cap = cap > max / 2 ? max + 1 : cap * 2;
            uint8_t *bigger = realloc(out, cap);
            if (!bigger) {
                inflateEnd(&z);
                free(out);
                fatal("%s %s: out of memory decompressing", img->option, img->path);
            }
            out = bigger;
        }
        size_t room = cap - used;
        uInt avail = room > UINT32_MAX ? UINT32_MAX : (uInt)room;  /* zlib counts in uInt */
        z.next_out = out + used;
        z.avail_out = avail;
        rc = inflate(&z, Z_NO_FLUSH);
        used += avail - z.avail_out;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        fatal("%s %s: corrupt uImage (gzip payload does not decompress)", img->option, img->path);
    }
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
    if (!in_ram(ram, load, 1))
        fatal("%s %s: uImage load address 0x%x is outside RAM (0x%llx-0x%llx)", img->option,
              img->path, load, (unsigned long long)ram.base,
              (unsigned long long)(ram.base + ram.size));
    const uint8_t *payload = buf + UIMAGE_HEADER;
    size_t len = dsize;
    if (comp == UIMAGE_COMP_GZIP) {
        img->decompressed = gunzip(img, payload, len, ram.base + ram.size - load, load, &len);
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

/* Whether the file starts like an ELF (a failed read says no: the real
 * read reports the error). */
static bool starts_as_elf(const char *path)
{
    uint8_t magic[SELFMAG];
    FILE *f = fopen(path, "rb");
    bool elf = f && fread(magic, 1, SELFMAG, f) == SELFMAG && !memcmp(magic, ELFMAG, SELFMAG);
    if (f)
        fclose(f);
    return elf;
}

/* Every format but ELF is loaded whole, so a larger file than RAM is
 * refused before it is read; an ELF may carry any amount of debug data
 * beyond its segments. */
static void image_open(struct loaded_image *img, const char *option, const char *path,
                       struct ram_range ram, size_t *size)
{
    memset(img, 0, sizeof(*img));
    img->option = option;
    img->path = path;
    if (starts_as_elf(path))
        img->file = read_file_or_die(option, path, size);
    else
        img->file = read_file_max(option, path, ram.size, "the RAM (only an ELF may be larger)",
                                  size);
    if (*size == 0)
        fatal("%s %s: file is empty", option, path);
    struct stat st;
    if (stat(path, &st) == 0) {  /* for image_release: is the file still this one? */
        img->file_size = (uint64_t)st.st_size;
        img->file_mtime = st.st_mtim;
    }
}

static bool same_file(const struct loaded_image *img, int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && (uint64_t)st.st_size == img->file_size &&
           st.st_mtim.tv_sec == img->file_mtime.tv_sec && st.st_mtim.tv_nsec == img->file_mtime.tv_nsec;
}

void image_release(struct loaded_image *img)
{
    if (!img->file || img->decompressed || img->released || !img->file_size)
        return;
    int fd = open(img->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (!same_file(img, fd)) {
        close(fd);
        return;
    }
    for (unsigned i = 0; i < img->nseg; i++) {
        const struct segment *s = &img->seg[i];
        if (s->filesz && (s->data < img->file || s->data + s->filesz > img->file + img->file_size)) {
            close(fd);  /* a segment that is not the file's bytes (none today) */
            return;
        }
    }
    for (unsigned i = 0; i < img->nseg; i++) {
        img->seg_off[i] = img->seg[i].filesz ? (uint64_t)(img->seg[i].data - img->file) : 0;
        img->seg[i].data = NULL;
    }
    free(img->file);
    img->file = NULL;
    img->fd = fd;
    img->released = true;
}

bool image_read(const struct loaded_image *img, unsigned i, uint64_t off, void *dst, uint64_t len)
{
    const struct segment *s = &img->seg[i];
    if (off > s->filesz || len > s->filesz - off)
        return false;
    if (!img->released) {
        memcpy(dst, s->data + off, len);
        return true;
    }
    if (!same_file(img, img->fd))
        return false;
    uint8_t *p = dst;
    uint64_t pos = img->seg_off[i] + off;
    while (len) {
        ssize_t n = pread(img->fd, p, len, (off_t)pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        pos += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return true;
}

void load_firmware(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t base)
{
    size_t size;
    image_open(img, "-bios", path, ram, &size);
    if (is_elf(img->file, size))
        load_elf(img, img->file, size, ram, 0);
    else
        load_flat(img, img->file, size, ram, base, IMAGE_RAW);
}

void load_kernel(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t start)
{
    size_t size;
    image_open(img, "-kernel", path, ram, &size);
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
    uint64_t room = start < ram.base + ram.size ? ram.base + ram.size - start : 0;
    memset(img, 0, sizeof(*img));
    img->option = "-initrd";
    img->path = path;
    img->kind = IMAGE_RAW;
    /* Refused before reading: a huge file must not be read to learn that. */
    img->file = read_file_max("-initrd", path, room, "the RAM above the kernel; use a larger -m",
                              &size);
    if (size == 0)
        fatal("-initrd %s: file is empty", path);
    add_segment(img, start, img->file, size, size);
    img->entry = start;
}

void load_generic(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t addr,
                  bool have_addr, bool force_raw)
{
    size_t size;
    image_open(img, "-device loader", path, ram, &size);
    if (!force_raw && is_elf(img->file, size)) {
        load_elf(img, img->file, size, ram, 0);
    } else if (!force_raw && is_uimage(img->file, size)) {
        load_uimage(img, img->file, size, ram);
    } else {
        if (!have_addr)
            fatal("-device loader,file=%s: a raw image needs addr=", path);
        load_flat(img, img->file, size, ram, addr, IMAGE_RAW);
    }
}

void image_free(struct loaded_image *img)
{
    if (img->released)
        close(img->fd);
    free(img->file);
    free(img->decompressed);
    symtab_free(&img->syms);
    memset(img, 0, sizeof(*img));
}
