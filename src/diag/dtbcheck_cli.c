/* `rivet dtb-check FILE.dtb [-m SIZE] [-smp N] [-append ARGS] [-cpu rv64,h=true]`:
 * the checker on its own, before a boot. Exit 0 clean, 1 with findings or
 * on a missing or corrupt file (one `rivet:` line). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/dtbcheck.h"
#include "machine/virt.h"
#include "util/error.h"

/* "256", "256M", "1G": MiB without a suffix, as -m. */
static uint64_t size_arg(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mult = *end == 'G' || *end == 'g' ? GiB : *end == 'K' || *end == 'k' ? KiB : MiB;
    if (end == s || (*end && end[1]))
        fatal("dtb-check: -m %s: not a size (examples: 256, 256M, 1G)", s);
    return v * mult;
}

static void parse(int argc, char **argv, const char **file, struct dtb_board *b)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (a[0] != '-') {
            if (*file)
                fatal("dtb-check: %s: only one device tree at a time", a);
            *file = a;
        } else if (!strcmp(a, "-m") && more) {
            b->ram_size = size_arg(argv[++i]);
        } else if (!strcmp(a, "-smp") && more) {
            b->smp = (unsigned)atoi(argv[++i]);
        } else if (!strcmp(a, "-append") && more) {
            b->bootargs = argv[++i];
        } else if (!strcmp(a, "-cpu") && more) {
            const char *c = argv[++i];
            b->has_h = strstr(c, "h=true") || strstr(c, "h=on") || !strncmp(c, "max", 3);
            b->has_sstc = !strstr(c, "sstc=false") && !strstr(c, "sstc=off");
        } else {
            fatal("dtb-check: %s: unknown option (usage: rivet dtb-check FILE.dtb [-m SIZE] "
                  "[-smp N] [-append ARGS] [-cpu rv64,...])", a);
        }
    }
    if (!*file)
        fatal("dtb-check: no device tree given (usage: rivet dtb-check FILE.dtb)");
}

int dtb_check_main(int argc, char **argv)
{
    const char *file = NULL;
    struct dtb_board b = { .has_sstc = true };
    parse(argc, argv, &file, &b);
    size_t size;
    uint8_t *fdt = read_file_max("dtb-check", file, 64 * MiB, "64 MiB", &size);
    int err = dtb_validate(fdt, size);
    if (err) {
        free(fdt);
        fatal("dtb-check %s: not a valid device tree blob (%s)", file, fdt_strerror(err));
    }
    static struct dtb_findings f;
    unsigned n = dtb_check(fdt, &b, &f);
    for (unsigned i = 0; i < n; i++)
        printf("%s: %s\n", file, f.text[i]);
    if (!n)
        printf("%s: no problems found\n", file);
    free(fdt);
    return n ? 1 : 0;
}

/* -dtb FILE: the same checks as warnings, against the board as built. */
void dtb_warn_user_dtb(const struct virt *v)
{
    struct dtb_board b = {
        .ram_size = v->cfg->ram_size, .smp = v->nharts, .has_h = v->cfg->h_ext,
        .has_sstc = v->cfg->sstc, .bootargs = v->cfg->append,
        .fdt_lo = v->fdt_addr, .fdt_hi = v->fdt_addr + fdt_totalsize(v->fdt),
    };
    if (v->have_kernel) {
        b.kernel_lo = v->kernel.low;
        b.kernel_hi = v->kernel.high;
    }
    static struct dtb_findings f;
    unsigned n = dtb_check(v->fdt, &b, &f);
    for (unsigned i = 0; i < n; i++)
        fprintf(stderr, "rivet: warning: -dtb %s: %s\n", v->cfg->dtb, f.text[i]);
}
