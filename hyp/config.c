/* rivet-hv: the zones, as C data (one struct per zone, in the manner of Bao's
 * VM configurations). The default runs one Linux in zone 0 on the virt
 * board, rivet's or QEMU's (same command line), with nothing rebuilt:
 *
 *   qemu-system-riscv64 -M virt -m 1G -cpu rv64,h=true -nographic -bios default \
 *     -kernel build/hyp/rivet-hv.bin \
 *     -device loader,file=Image,addr=0x90000000,force-raw=on \
 *     -initrd rootfs.cpio.gz -append "console=ttyS0 earlycon"
 *
 * The kernel (an Image, or a vmlinux ELF) is where the loader put it; the
 * initrd and bootargs come from the host's /chosen, the RAM size from the
 * host's memory node. */
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
        .bootargs = NULL,
        .dtb_gpa = FROM_HOST,
        .plic_gpa = 0x0c000000,
        .stash = { .hpa = 0x82000000, .size = 96 * MiB },   /* below QEMU's initrd at 0x88200000 */
        /* Time the guest with the host timer and hvip.VSTIP even where the
         * hart has Sstc. QEMU 7.2 loses a vstimecmp interrupt now and then:
         * riscv_cpu_update_mip() samples vstime_irq before taking the lock,
         * so an hvip write racing with the vstimecmp timer's callback can
         * clear the interrupt request the callback just raised (measured:
         * 2 of 30 interactive boots hung in `sleep 1`; 0 of 30 this way).
         * tests/hyp/configs/timer_vstimecmp.c keeps the vstimecmp path. */
        .no_sstc = true,
    },
};
const int nr_zone_configs = ARRAY_SIZE(zone_configs);
