/* -bios FILE: firmware as an ELF at its physical addresses (a non-ELF
 * input takes the raw path), then the copy into RAM at reset. */
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
    cfg.bios = fuzz_file("input.elf", data, size);
    cfg.kernel = fuzz_fixture("kernel.bin");  /* placed after the firmware's end */
    fuzz_board(&cfg);
    return 0;
}
