/* The device-tree checker: what in a DTB will make Linux misbehave on this
 * board, each finding naming the node, the property and what the kernel
 * will do because of it. Used by `rivet dtb-check FILE.dtb` and, as
 * warnings, whenever -dtb is given. */
#ifndef RIVET_DTBCHECK_H
#define RIVET_DTBCHECK_H

#include <stdio.h>

#include "util/common.h"

/* What the tree is checked against. Zero sizes mean "not known": the
 * standalone checker only compares what the command line gave it. */
struct dtb_board {
    uint64_t ram_size;          /* -m, or 0 */
    unsigned smp;               /* -smp, or 0 */
    bool has_h, has_sstc;
    const char *bootargs;       /* -append, or NULL: /chosen/bootargs is used */
    uint64_t kernel_lo, kernel_hi;
    uint64_t fdt_lo, fdt_hi;
};

#define DTB_MAX_FINDINGS 64

struct dtb_findings {
    unsigned n;
    char text[DTB_MAX_FINDINGS][400];  /* "PATH: PROP: problem; consequence" */
};

/* Is `fdt` (of `size` bytes) a blob libfdt can safely walk? 0 or a libfdt error. */
int dtb_validate(const void *fdt, size_t size);
/* Run every check; returns the number of findings. */
unsigned dtb_check(const void *fdt, const struct dtb_board *b, struct dtb_findings *out);
/* Only the findings about node `path` (e.g. the console's serial node). */
unsigned dtb_check_node(const void *fdt, const struct dtb_board *b, const char *path,
                        struct dtb_findings *out);
/* `rivet dtb-check FILE.dtb [-m SIZE] [-smp N] [-append ARGS]`: exit status. */
int dtb_check_main(int argc, char **argv);
struct virt;
/* -dtb FILE: print the findings as warnings on stderr (the board is built). */
void dtb_warn_user_dtb(const struct virt *v);

#endif
