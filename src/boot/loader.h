/* Loading firmware and kernels: ELF, Linux vmlinux, U-Boot uImage, the
 * Linux RISC-V Image (recognised by its header) and raw binaries. A loaded
 * image is a list of segments that the board copies into RAM at every
 * reset, as QEMU re-copies its ROM blobs. */
#ifndef RIVET_LOADER_H
#define RIVET_LOADER_H

#include <time.h>

#include "boot/symbols.h"
#include "util/common.h"

enum image_kind { IMAGE_ELF, IMAGE_VMLINUX, IMAGE_UIMAGE, IMAGE_LINUX, IMAGE_RAW };

struct segment {
    uint64_t addr;
    const uint8_t *data;
    uint64_t filesz, memsz;  /* memsz > filesz: zero-filled (bss) */
};

#define MAX_SEGMENTS 32

struct loaded_image {
    enum image_kind kind;
    const char *option, *path;   /* for messages: "-kernel", "Image" */
    uint64_t low, high;          /* the RAM it occupies, bss included */
    uint64_t entry;
    bool has_htif;               /* defines tohost: riscv-tests style exit */
    uint64_t tohost, fromhost;
    struct segment seg[MAX_SEGMENTS];
    unsigned nseg;
    uint8_t *file, *decompressed;
    struct symtab syms;
    /* The file as loaded, and once released (image_release) the open file
     * the segments are read back from, at seg_off[i]. */
    uint64_t file_size;
    struct timespec file_mtime;
    bool released;
    int fd;
    uint64_t seg_off[MAX_SEGMENTS];
};

struct ram_range {
    uint64_t base, size;
};

/* -bios FILE: an ELF at its physical addresses, or a raw binary at `base`. */
void load_firmware(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t base);
/* -kernel FILE placed per QEMU's rules, `start` being ALIGN_UP(fw_end, 2 MiB). */
void load_kernel(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t start);
/* -initrd FILE at `start`, which the caller computed; exits if it does not fit. */
void load_initrd(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t start);
/* -device loader,file=: an ELF at its addresses (or a uImage), else, or
 * with force-raw, the file's bytes at addr (QEMU's generic loader). */
void load_generic(struct loaded_image *img, const char *path, struct ram_range ram, uint64_t addr,
                  bool have_addr, bool force_raw);
void image_free(struct loaded_image *img);

/* After the board copied the image into RAM: give the file's bytes back
 * to the host if they are the segments themselves (nothing decompressed)
 * and the file is unchanged; rivet keeps the file open and reads them
 * again at a reset. */
void image_release(struct loaded_image *img);
/* len bytes of segment i from offset off into dst, from memory or, once
 * released, from the file; false if the file changed since it was loaded
 * (its size or modification time), so that nothing else gets loaded. */
bool image_read(const struct loaded_image *img, unsigned i, uint64_t off, void *dst, uint64_t len);
const char *image_kind_name(enum image_kind k);

/* Where QEMU's -bios default looks, in order; NULL-terminated. */
extern const char *const default_firmware_paths[];
/* The first readable default firmware path, or NULL. */
const char *find_default_firmware(void);

#endif
