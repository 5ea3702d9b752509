/* A deliberately broken zone configuration: rivet-hv must refuse it before
 * the guest starts. The zone's RAM starts on top of the hypervisor.
 * EXPECT: refused: ram[0]: overlaps the hypervisor */
#include "zone.h"

const struct zone_config zone_configs[] = {
    {
        .name = "broken",
        .harts = 1ul << 0,
        .ram = { { .gpa = 0x80000000, .hpa = 0x80000000, .size = FROM_HOST } },
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
    },
};
const int nr_zone_configs = ARRAY_SIZE(zone_configs);
