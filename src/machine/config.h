/* Everything the command line decides about the machine. */
#ifndef RIVET_CONFIG_H
#define RIVET_CONFIG_H

#include "host/console.h"
#include "machine/virtio_config.h"
#include "util/common.h"

/* -device loader,...: QEMU's generic loader. */
struct loader_opt {
    const char *file;           /* NULL: a data write */
    uint64_t addr;
    bool has_addr, force_raw;
    uint64_t data;
    unsigned data_len;          /* 1, 2, 4 or 8 with data= */
    int cpu_num;                /* set this hart's start pc, or -1 */
    char *storage;              /* the option's copy that file points into */
};
#define MAX_LOADERS 16

struct machine_config {
    uint64_t ram_size;
    unsigned smp;
    bool single_thread;         /* -accel tcg,thread=single */
    bool h_ext;                 /* -cpu rv64,h=true: the hypervisor extension */
    bool sstc;                  /* -cpu rv64,sstc=false turns Sstc off */
    const char *bios;           /* NULL or "default", "none", or a path */
    const char *kernel, *initrd, *append, *dtb;
    const char *dumpdtb;        /* -M virt,dumpdtb=FILE */
    bool aclint;
    enum console_kind serial;
    const char *serial_path;
    bool no_reboot;
    unsigned log_mask;
    const char *log_file;
    bool icount;
    unsigned icount_shift;
    bool rtc_given;             /* -rtc base= was on the command line */
    bool rtc_fixed;             /* -rtc base=DATE (or -icount's default) */
    int64_t rtc_base_ns;        /* RTC time at start when rtc_fixed; else an offset */
    struct loader_opt loader[MAX_LOADERS];
    unsigned nloaders;
    const char *gdb, *monitor, *qmp;  /* -gdb/-s, -monitor, -qmp (src/debug) */
    bool start_stopped;         /* -S */
    struct virtio_config virtio;  /* -drive, -netdev, -nic, virtio -device, -global */
    char *machine_opts[8];      /* storage behind the -M property strings */
    unsigned n_machine_opts;
};

#endif
