/* The zone on hart 1 alone (-smp 2), so that the hypervisor starts that
 * hart itself and its zone's interrupts are routed to a hart OpenSBI
 * warm-booted late: the test guest's UART interrupt must still arrive.
 * QEMU: -smp 2
 * EXPECT: guest0: all passed */
#include "zone.h"

const struct zone_config zone_configs[] = {
    {
        .name = "linux0",
        .harts = 1ul << 1,
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
        
    },
};
const int nr_zone_configs = ARRAY_SIZE(zone_configs);
