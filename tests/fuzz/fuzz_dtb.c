/* -dtb FILE with -append and -initrd: byte 0 selects the extras (bit 0: an
 * initrd; bits 1-7: an -append of up to 127 * 128 bytes), the rest is the
 * device tree blob. */
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
    static char append[128 * 128 + 1];
    if (size < 1)
        return 0;
    struct machine_config cfg = fuzz_config();
    cfg.bios = "none";
    cfg.kernel = fuzz_fixture("kernel.bin");
    cfg.dtb = fuzz_file("input.dtb", data + 1, size - 1);
    if (data[0] & 1)
        cfg.initrd = fuzz_fixture("initrd.bin");
    size_t n = (size_t)(data[0] >> 1) * 128;
    memset(append, 'a', n);
    append[n] = 0;
    cfg.append = append;
    fuzz_board(&cfg);
    return 0;
}
