/* The default zone, but with the guest's timer in vstimecmp (Sstc, through
 * henvcfg.STCE) where the hart has it, which the default configuration
 * leaves aside on QEMU 7.2 (see hyp/config.c). QEMU 7.2 loses one of
 * these interrupts now and then, so there this runs only with
 * HYP_VSTIMECMP=1; on rivet it always runs.
 * ONLY-WITH: HYP_VSTIMECMP
 * EXPECT: timer: vstimecmp (Sstc)
 * EXPECT: guest0: all passed */
#include "zone.h"

const struct zone_config zone_configs[] = {
    {
        .name = "linux0",
        .harts = ALL_HARTS,
        .ram = { { .gpa = 0x90000000, .hpa = 0x90000000, .size = FROM_HOST } },
        .nr_ram = 1,
        .dev = {
            { .name = "uart0", .kind = DEV_NS16550A, .gpa = 0x10000000, .hpa = 0x10000000,
              .size = 0x1000, .irq = 10, .clock = 3686400 },
        },
        .nr_dev = 1,
        .kernel = { .hpa = 0x90000000, .format = IMAGE_AUTO, .gpa = 0x90000000 },
        .initrd = { .hpa = FROM_HOST, .size = FROM_HOST, .gpa = FROM_HOST },
        .dtb_gpa = FROM_HOST,
        .plic_gpa = 0x0c000000,
        .no_sstc = false,
    },
};
const int nr_zone_configs = ARRAY_SIZE(zone_configs);
