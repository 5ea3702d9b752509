/* Everything the command line decides about the machine. */
#ifndef RIVET_CONFIG_H
#define RIVET_CONFIG_H

#include "host/console.h"
#include "util/common.h"

struct machine_config {
    uint64_t ram_size;
    unsigned smp;
    bool single_thread;         /* -accel tcg,thread=single */
    bool h_ext;                 /* -cpu rv64,h=true: the hypervisor extension */
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
    char *machine_opts[8];      /* storage behind the -M property strings */
    unsigned n_machine_opts;
};

#endif
