/* -bios none -kernel FILE -initrd: the kernel loaders in the order rivet
 * tries them (ELF or vmlinux, uImage, Linux Image, raw), then the initrd
 * placed above the kernel and the device tree above both. */
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct machine_config cfg = fuzz_config();
    cfg.bios = "none";
    cfg.kernel = fuzz_file("vmlinux", data, size);
    cfg.initrd = fuzz_fixture("initrd.bin");
    cfg.append = "console=ttyS0";
    fuzz_board(&cfg);
    return 0;
}
