/* Two zones side by side on -smp 2: zone 0 on hart 0 with the UART, zone 1
 * on hart 1 with no device, its RAM at guest-physical 0x90000000 backed by
 * host-physical 0xa0000000 (the test loads its guest there). Each runs the
 * bare-metal test guest, which reboots its zone once (each from its own
 * stash) while the other runs; the machine powers off when both have shut
 * down.
 * QEMU: -smp 2 -device loader,file=guest-sbi.img,addr=0xa0000000,force-raw=on
 * EXPECT: guest1: all passed */
#include "zone.h"

const struct zone_config zone_configs[] = {
    {
        .name = "left",
        .harts = 1ul << 0,
        .ram = { { .gpa = 0x90000000, .hpa = 0x90000000, .size = 0x10000000 } },
        .nr_ram = 1,
        .dev = {
            { .name = "uart0", .kind = DEV_NS16550A, .gpa = 0x10000000, .hpa = 0x10000000,
              .size = 0x1000, .irq = 10, .clock = 3686400 },
        },
        .nr_dev = 1,
        .kernel = { .hpa = 0x90000000, .format = IMAGE_AUTO, .gpa = 0x90000000 },
        .initrd = { .hpa = 0, .size = 0 },
        .bootargs = "zone0",
        .dtb_gpa = FROM_HOST,
        .plic_gpa = 0x0c000000,
        .no_sstc = true,                    /* see hyp/config.c */
        .stash = { .hpa = 0x82000000, .size = 16 * MiB },
    },
    {
        .name = "right",
        .harts = 1ul << 1,
        .ram = { { .gpa = 0x90000000, .hpa = 0xa0000000, .size = 0x10000000 } },
        .nr_ram = 1,
        .nr_dev = 0,
        .kernel = { .hpa = 0xa0000000, .format = IMAGE_AUTO, .gpa = 0x90000000 },
        .initrd = { .hpa = 0, .size = 0 },
        .bootargs = "zone1",
        .dtb_gpa = FROM_HOST,
        .plic_gpa = 0x0c000000,
        .no_sstc = true,                    /* see hyp/config.c */
        .stash = { .hpa = 0x83000000, .size = 16 * MiB },
    },
};
const int nr_zone_configs = ARRAY_SIZE(zone_configs);
