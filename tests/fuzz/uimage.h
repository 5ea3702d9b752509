/* Both uImage harnesses: fix the header and data checksums of the input
 * (so that mutations reach the payload and placement code instead of
 * dying at the CRC check), optionally force gzip, and boot it. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void uimage_fix(uint8_t *img, size_t size, int force_comp)
{
    if (size < 64)
        return;
    put_be32(img, 0x27051956);
    if (force_comp >= 0)
        img[31] = (uint8_t)force_comp;
    uint32_t dsize = get_be32(img + 12);
    if (dsize <= size - 64)
        put_be32(img + 24, (uint32_t)crc32(0, img + 64, dsize));
    memset(img + 4, 0, 4);
    put_be32(img + 4, (uint32_t)crc32(0, img, 64));
}

static int uimage_run(const uint8_t *data, size_t size, int force_comp)
{
    uint8_t *img = malloc(size ? size : 1);
    if (!img)
        return 0;
    memcpy(img, data, size);
    uimage_fix(img, size, force_comp);
    struct machine_config cfg = fuzz_config();
    cfg.bios = "none";
    cfg.kernel = fuzz_file("kernel.uimg", img, size);
    cfg.initrd = fuzz_fixture("initrd.bin");
    free(img);
    fuzz_board(&cfg);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}
