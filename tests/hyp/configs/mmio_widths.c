/* The default zone plus an emulated page of registers at 0x30000000 (in the
 * guest's device tree as "rivet-hv,test-mmio"): the test guest then checks
 * MMIO emulation with every load and store width, sign and zero extension,
 * and the compressed forms.
 * EXPECT: guest0: ok MMIO: ld after sb/sh/sw at each offset */
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
        .no_sstc = true,                    /* see hyp/config.c */
        .scratch_gpa = 0x30000000,
    },
};
const int nr_zone_configs = ARRAY_SIZE(zone_configs);
