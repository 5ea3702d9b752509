/* -kernel Image: the input with the Linux RISC-V Image magic forced at
 * 0x38, so that every input takes that path (image_size from the header). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *img = malloc(size ? size : 1);
    if (!img)
        return 0;
    memcpy(img, data, size);
    if (size >= 64) {
        memcpy(img + 0x38, "RSC\x05", 4);
        img[0] = img[0] == 0x7f ? 0 : img[0];  /* not an ELF */
        img[0] = img[0] == 0x27 ? 0 : img[0];  /* not a uImage */
    }
    struct machine_config cfg = fuzz_config();
    cfg.bios = "none";
    cfg.kernel = fuzz_file("Image", img, size);
    cfg.initrd = fuzz_fixture("initrd.bin");
    free(img);
    fuzz_board(&cfg);
    return 0;
}
