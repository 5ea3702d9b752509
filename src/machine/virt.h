/* QEMU's RISC-V `virt` board: memory map, devices, boot flow, run loop. */
#ifndef RIVET_VIRT_H
#define RIVET_VIRT_H

#include <poll.h>
#include <signal.h>

#include "boot/loader.h"
#include "cpu/codecache.h"
#include "cpu/hart.h"
#include "dev/aclint_sswi.h"
#include "dev/clint.h"
#include "dev/goldfish_rtc.h"
#include "dev/htif.h"
#include "dev/plic.h"
#include "dev/sifive_test.h"
#include "dev/uart16550.h"
#include "dev/virtio.h"
#include "host/console.h"
#include "machine/config.h"
#include "util/vclock.h"

enum {
    VIRT_MROM_BASE = 0x1000, VIRT_MROM_SIZE = 0xf000,
    VIRT_TEST_BASE = 0x100000,
    VIRT_RTC_BASE = 0x101000,
    VIRT_CLINT_BASE = 0x2000000,
    VIRT_ACLINT_SSWI_BASE = 0x2f00000, VIRT_ACLINT_SSWI_SIZE = 0x4000,
    VIRT_PLIC_BASE = 0xc000000,
    VIRT_UART0_BASE = 0x10000000,
    VIRT_DRAM_BASE = 0x80000000,
    VIRT_UART0_IRQ = 10, VIRT_RTC_IRQ = 11,
    VIRT_VIRTIO_BASE = 0x10001000, VIRT_VIRTIO_IRQ = 1, VIRT_VIRTIO_COUNT = 8,
    VIRT_MAX_DEVICES = 32, VIRT_MAX_DEV_FDS = 256,
};

struct virt {
    const struct machine_config *cfg;
    struct log log;
    struct vclock clock;
    struct bus bus;
    struct cpu_shared cpus;
    struct hart *hart[MAX_HARTS];
    unsigned nharts;
    struct clint clint;
    struct aclint_sswi sswi;
    struct plic plic;
    struct uart16550 uart;
    struct goldfish_rtc rtc;
    struct sifive_test test;
    struct htif htif;
    struct console console;
    struct virtio_mmio virtio[VIRT_VIRTIO_COUNT];
    /* machine/devices.c: the peripherals, each registered once */
    struct board_device device[VIRT_MAX_DEVICES];
    unsigned ndevices;
    struct pollfd dev_fds[VIRT_MAX_DEV_FDS];  /* their host fds, gathered when polled */
    unsigned ndev_fds;
    uint64_t dev_timeout_ns;     /* host ns until a device wants polling again */

    struct loaded_image firmware, kernel, initrd;
    bool have_firmware, have_kernel, have_initrd;
    struct loaded_image loader[MAX_LOADERS];  /* -device loader,file= (the others: cfg) */
    uint64_t start_pc[MAX_HARTS];             /* reset pc: the MROM, or a loader's cpu-num */
    uint64_t fw_entry, kernel_entry;
    void *fdt;
    uint64_t fdt_addr;
    uint8_t mrom[0x58];          /* reset vector + fw_dynamic_info */

    volatile sig_atomic_t *host_signal;
    bool stop, reset_pending;    /* atomic: harts' threads set them */
    struct hart_runner *runner;  /* run.c's state while harts run on threads */
    int exit_status;
    uint64_t last_input_poll_ns;
    uint64_t seed_state;         /* -icount: rng-seed from a fixed sequence */

    /* Stopped by a debugger, the monitor or -S (run.c; I/O thread only). */
    bool vm_stopped;
    bool stop_request;           /* atomic: a hart hit a breakpoint */
    uint64_t stopped_at_ns;      /* host time of the stop: guest time is frozen */
    struct debug *debug;         /* src/debug: gdb stub, monitor, QMP (NULL: none) */
};

/* Build the board and load every image; exits with a message on bad input. */
void virt_create(struct virt *v, const struct machine_config *cfg);
/* Write the final device tree to `path` (-M virt,dumpdtb=). */
void virt_dump_dtb(const struct virt *v, const char *path);
/* run.c: run until the guest or the user ends it; returns the exit status. */
int virt_run(struct virt *v, volatile sig_atomic_t *host_signal);
void virt_destroy(struct virt *v);

/* run.c: stopping every hart at a safe point for a debugger or the monitor.
 * virt_request_stop may be called by any thread; the rest by the I/O thread. */
void virt_request_stop(struct virt *v);
void virt_vm_stop(struct virt *v);
void virt_vm_resume(struct virt *v);
void virt_hold_clock(struct virt *v);
int virt_hart_thread_id(struct virt *v, unsigned i);
/* One instruction (or trap) of h while stopped; returns the steps taken. */
uint64_t virt_step_hart(struct virt *v, struct hart *h);

/* Like a QEMU system reset: devices and harts reset, images copied into
 * RAM again. Every hart must be stopped. */
void virt_reset(struct virt *v);

/* devices.c: the device table */
void virt_add_device(struct virt *v, const struct device_ops *ops, void *dev);
void virt_register_devices(struct virt *v);
void virt_devices_reset(struct virt *v);
void virt_devices_poll(struct virt *v);
uint64_t virt_devices_next_deadline(const struct virt *v);
void virt_devices_add_fdt(struct virt *v, void *fdt, const char *soc);
/* virt_virtio.c */
void virt_create_virtio(struct virt *v);
void virt_destroy_virtio(struct virt *v);

/* virt_fdt.c */
void *virt_build_fdt(struct virt *v);
/* A copy of `base` (rivet's tree or the checked -dtb) in a buffer of its
 * own, grown until it holds the boot information (-append, -initrd) too. */
void *virt_fdt_finish(struct virt *v, const void *base);
void virt_fdt_randomize_seed(struct virt *v, void *fdt);

#endif
