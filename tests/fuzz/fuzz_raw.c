/* Raw binaries: the input as -bios (forced not to look like an ELF) with
 * the fixture kernel after it, and as -initrd behind a raw kernel. */
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
    uint8_t *raw = malloc(size ? size : 1);
    if (!raw)
        return 0;
    memcpy(raw, data, size);
    if (size && raw[0] == 0x7f)
        raw[0] = 0;
    struct machine_config cfg = fuzz_config();
    cfg.bios = fuzz_file("fw.bin", raw, size);
    cfg.kernel = fuzz_fixture("kernel.bin");
    fuzz_board(&cfg);

    cfg = fuzz_config();
    cfg.bios = "none";
    cfg.kernel = fuzz_fixture("kernel.bin");
    cfg.initrd = fuzz_file("initrd.raw", raw, size);
    free(raw);
    fuzz_board(&cfg);
    return 0;
}
