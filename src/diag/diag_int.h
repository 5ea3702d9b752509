/* Shared between the diagnostics' own files: the recorded state. */
#ifndef RIVET_DIAG_INT_H
#define RIVET_DIAG_INT_H

#include <pthread.h>
#include <stdio.h>

#include "boot/symbols.h"
#include "diag/diag.h"
#include "diag/memread.h"

struct stage {
    uint64_t host_ns, guest_ns, insns;
    unsigned hart;
    uint64_t pc;
    char note[240];
};

#define TRAP_RING 8
struct trap_rec {
    uint64_t cause, epc, tval;
    uint8_t priv;
    bool irq;
};

/* Written only by its own hart's thread; read when reporting. */
struct trap_ring {
    struct trap_rec r[TRAP_RING];
    unsigned next;
    uint64_t total;
    uint64_t repeat;        /* the last exception, same cause and epc, in a row */
    struct trap_rec before; /* the trap just before that run began: often its cause */
};

#define PC_SAMPLES 8
/* pcs at the last slices of a hart, written by its own thread. */
struct pc_samples {
    uint64_t pc[PC_SAMPLES], instret[PC_SAMPLES];
    unsigned next, count;
};

#define CONSOLE_KEEP 16384

struct diag_state {
    struct virt *v;
    pthread_mutex_t lock;
    int seen[DIAG_KINDS];               /* atomic: stage recorded */
    struct stage stage[DIAG_KINDS];
    uint64_t last_output_ns;            /* atomic: host time of the last console byte */
    int report_requested;               /* atomic: Ctrl-A d */
    uint64_t panic_ns;                  /* atomic: host time "Kernel panic" was printed */
    int failure_seen;                   /* atomic: the console showed a boot failure */
    struct symtab ksyms;                /* the kernel's symbols without mapping symbols */
    bool panic_reported;
    unsigned silence_next;              /* seconds of silence before the next report */
    bool silence_report;                /* the pending report is for silence */
    uint64_t last_poll_ns, last_report_ns;
    unsigned reports;
    unsigned last_records;              /* kernel log records the last report saw */
    bool ended, end_reset;
    int end_status;
    char line[256];                     /* the console line being scanned */
    size_t line_len;
    char console[CONSOLE_KEEP + 1];  /* NUL-terminated */         /* the last S-mode console text */
    size_t console_len;
    struct trap_ring traps[MAX_HARTS];
    struct pc_samples samples[MAX_HARTS];
    char why[64];                       /* the report diag_due asked for */
    struct symtab sysmap;               /* -M virt,symbols=System.map */
    char *sysmap_text;
};

extern struct diag_state diag_state;

/* report.c */
void diag_report_why(struct virt *v, const char *why);
/* How many records the kernel log holds now (0 when it cannot be read). */
unsigned diag_klog_records(struct virt *v);
/* The kernel's symbols: the vmlinux's, or System.map's; NULL if none. */
const struct symtab *diag_kernel_syms(const struct virt *v);
/* Link address -> load address of the kernel, for reads with the MMU off. */
struct kmap diag_kernel_map(const struct virt *v);
/* "name+0x12" for a pc (virtual, or physical inside the kernel), or "". */
const char *diag_symbolize(const struct virt *v, uint64_t pc, char *buf, size_t n);
/* Print to stderr or the -D log; '\n' becomes "\r\n" on a raw terminal. */
void diag_print(const struct virt *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The bootargs the kernel sees: -append, or the tree's /chosen/bootargs. */
const char *diag_bootargs(const struct virt *v);

/* diag.c */
bool diag_seen(enum diag_kind k);
bool diag_boot_failed(const struct virt *v);
/* The hart has taken the same exception at the same pc thousands of times in a row. */
bool diag_trap_storm(unsigned hart);

#endif
