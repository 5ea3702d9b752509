/* Known failure patterns, each turned into one explanation and one next
 * step. The evidence is the kernel log (or, without symbols, what reached
 * the console), the images rivet loaded and the device tree it passed. */
#include <elf.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "diag/cpio.h"
#include "diag/diag_int.h"
#include "diag/dtbcheck.h"
#include "diag/explain.h"
#include "machine/virt.h"

#define MAX_DIAGNOSES 3

struct evidence {
    struct virt *v;
    const char *log;        /* kernel log text, NUL-terminated, or "" */
    const char *args;       /* bootargs, or "" */
    unsigned count;
    bool early_stop;        /* explained: the kernel stopped before its console */
};

__attribute__((format(printf, 3, 4)))
static void explain(struct evidence *e, const char *next, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    diag_print(e->v, "rivet: diagnosis: %s\n", buf);
    diag_print(e->v, "rivet:   next step: %s\n", next);
    e->count++;
}

/* The log line containing `pat` (without its timestamp), or NULL. */
static const char *log_line(const struct evidence *e, const char *pat, char *buf, size_t n)
{
    const char *p = strstr(e->log, pat);
    if (!p)
        return NULL;
    const char *start = p;
    while (start > e->log && start[-1] != '\n')
        start--;
    if (*start == '[' && strchr(start, ']') && strchr(start, ']') < p)
        start = strchr(start, ']') + 2;
    snprintf(buf, n, "%.*s", (int)strcspn(start, "\n"), start);
    return buf;
}

/* The value of NAME= in the bootargs ("" when absent). */
static const char *arg_value(const struct evidence *e, const char *name, char *buf, size_t n)
{
    size_t l = strlen(name);
    for (const char *p = e->args; (p = strstr(p, name)); p += l) {
        if ((p == e->args || p[-1] == ' ') && p[l] == '=') {
            snprintf(buf, n, "%.*s", (int)strcspn(p + l + 1, " "), p + l + 1);
            return buf;
        }
    }
    buf[0] = 0;
    return buf;
}

static bool open_initrd(const struct virt *v, struct cpio *c)
{
    memset(c, 0, sizeof(*c));
    if (!v->have_initrd || !v->initrd.nseg)
        return false;
    return cpio_open(c, v->initrd.seg[0].data, v->initrd.seg[0].filesz);
}

/* ---- trap storms ------------------------------------------------------------------ */

/* What an instruction the hart refuses probably is, from its opcode. */
static const char *insn_kind(uint64_t insn)
{
    unsigned op = insn & 0x7f;
    if (insn == 0 || insn == 0xffffffff || insn == 0xffff)
        return "no code at all (zeros or ones: unloaded memory or data)";
    if (op == 0x57)
        return "a vector (V) instruction";
    if (op == 0x0b || op == 0x2b || op == 0x5b || op == 0x7b)
        return "a vendor's custom instruction";
    return "an instruction this hart does not implement, or not code";
}

static void explain_storm(struct evidence *e, unsigned hart)
{
    struct virt *v = e->v;
    const struct trap_ring *t = &diag_state.traps[hart];
    const struct trap_rec *r = &t->r[(t->next + TRAP_RING - 1) % TRAP_RING];
    char sym[96];
    const char *s = diag_symbolize(v, r->epc, sym, sizeof(sym));
    if (r->cause == CAUSE_ILLEGAL) {
        explain(e, "check that the image is loaded where it was linked (readelf -l; an Image's "
                "text_offset) and built for what this hart has (-march=rv64gc_zba_zbb_zbc_zbs)",
                "hart %u takes an illegal-instruction trap at 0x%llx%s%s%s over and over "
                "(instruction 0x%llx, %s): the code uses an extension this hart lacks (rivet has "
                "RV64GC, Zba/Zbb/Zbc/Zbs and Sstc), or it runs at an address it was not built "
                "for", hart, (unsigned long long)r->epc, *s ? " <" : "", s, *s ? ">" : "",
                (unsigned long long)r->tval, insn_kind(r->tval));
    } else if (r->cause == CAUSE_FETCH_ACCESS || r->cause == CAUSE_FETCH_PAGE) {
        explain(e, "load the image at the address it was linked for (or link it for where it is "
                "loaded), and set the trap vector before anything can trap",
                "hart %u keeps trapping on instruction fetch at 0x%llx, where there is no %s: "
                "it jumped to the wrong address (code run where it was not linked), and the trap "
                "vector (mtvec 0x%llx, stvec 0x%llx) leads back into the same fault; it began "
                "with %s at 0x%llx (tval 0x%llx)", hart, (unsigned long long)r->epc,
                r->cause == CAUSE_FETCH_ACCESS ? "memory" : "mapping",
                (unsigned long long)v->hart[hart]->mtvec, (unsigned long long)v->hart[hart]->stvec,
                cause_name(t->before.cause, t->before.irq), (unsigned long long)t->before.epc,
                (unsigned long long)t->before.tval);
    } else {
        explain(e, "look at the code at that pc (-d int shows every trap)",
                "hart %u takes the same trap (%s) at 0x%llx%s%s%s over and over: its handler "
                "returns to the instruction that faults", hart, cause_name(r->cause, false),
                (unsigned long long)r->epc, *s ? " <" : "", s, *s ? ">" : "");
    }
}

/* ---- the initramfs -------------------------------------------------------------- */

static void explain_unpack(struct evidence *e, const char *line)
{
    struct cpio c;
    open_initrd(e->v, &c);
    const char *path = e->v->have_initrd ? e->v->initrd.path : "the initrd";
    bool readable = !strcmp(c.compression, "gzip") || !strcmp(c.compression, "none");
    if (!readable)  /* rivet cannot check it: the kernel's decompressor is the suspect */
        explain(e, "build the kernel with that decompressor (CONFIG_RD_*), or compress the "
                "initramfs with gzip", "the kernel says \"%s\": %s is compressed with %s; a "
                "kernel without CONFIG_RD_ for it cannot unpack it (or the file is damaged)",
                line, path, c.compression);
    else if (c.problem)
        explain(e, "rebuild it: (cd rootfs && find . | cpio -o -H newc | gzip -9) > initrd.cpio.gz",
                "the kernel says \"%s\": %s (%s compression): %s", line, path, c.compression,
                c.problem);
    else
        explain(e, "check that the kernel was built with the decompressor for it (CONFIG_RD_*)",
                "the kernel says \"%s\", though %s (%s) unpacks cleanly here", line, path,
                c.compression);
    cpio_close(&c);
}

static void explain_console_driver(struct evidence *e);

/* A copy (to free) of the kernel image's bytes at link address va, from
 * the file rivet loaded (init memory in RAM is freed and reused once the
 * kernel is up). */
static uint8_t *kernel_bytes(const struct virt *v, uint64_t va, uint64_t len)
{
    struct kmap km = diag_kernel_map(v);
    uint64_t pa = va - km.link + km.load;
    for (unsigned i = 0; km.valid && i < v->kernel.nseg; i++) {
        const struct segment *s = &v->kernel.seg[i];
        if (pa >= s->addr && pa - s->addr <= s->filesz && len <= s->filesz - (pa - s->addr)) {
            uint8_t *buf = malloc(len ? len : 1);
            if (buf && image_read(&v->kernel, i, pa - s->addr, buf, len))
                return buf;
            free(buf);
            return NULL;
        }
    }
    return NULL;
}

/* Does the kernel's built-in initramfs (unpacked before -initrd's) have
 * /dev/console? The default one does (usr/default_cpio_list). */
static bool builtin_has_console(const struct virt *v)
{
    const struct symtab *syms = diag_kernel_syms(v);
    uint64_t start, size_at;
    uint8_t *sz, *data = NULL;
    if (!syms || !symtab_find(syms, "__initramfs_start", &start) ||
        !symtab_find(syms, "__initramfs_size", &size_at) || !(sz = kernel_bytes(v, size_at, 4)))
        return false;
    uint32_t size = ld32(sz);
    free(sz);
    struct cpio c = { 0 };
    struct cpio_entry dc;
    bool found = (data = kernel_bytes(v, start, size)) && cpio_open(&c, data, size) &&
                 cpio_find(&c, "dev/console", &dc) && S_ISCHR(dc.mode);
    cpio_close(&c);
    free(data);
    return found;
}
static const char *init_problem(const struct cpio *c, const char *path, char *buf, size_t n);

static void explain_no_console(struct evidence *e)
{
    struct cpio c;
    struct cpio_entry dc;
    bool readable = open_initrd(e->v, &c) && !builtin_has_console(e->v);
    if (readable && !cpio_find(&c, "dev/console", &dc)) {
        explain(e, "add the node before packing: mknod -m 600 rootfs/dev/console c 5 1 (or "
                "\"nod /dev/console 0600 0 0 c 5 1\" in a gen_init_cpio list)",
                "the kernel says \"unable to open an initial console\": the initramfs %s has no "
                "/dev/console, so init starts without stdin, stdout and stderr (devtmpfs is "
                "mounted only later)", e->v->initrd.path);
    } else if (readable && (!S_ISCHR(dc.mode) || dc.rdev_major != 5 || dc.rdev_minor != 1)) {
        explain(e, "recreate it: mknod -m 600 rootfs/dev/console c 5 1",
                "the kernel says \"unable to open an initial console\": /dev/console in the "
                "initramfs is not the character device 5,1 (mode 0%o, device %u,%u)",
                (unsigned)dc.mode, dc.rdev_major, dc.rdev_minor);
    } else {
        explain_console_driver(e);
    }
    cpio_close(&c);
}

/* /dev/console is fine: then no console driver took the console. */
static void explain_console_driver(struct evidence *e)
{
    struct virt *v = e->v;
    static struct dtb_findings f;
    struct dtb_board b = { .ram_size = v->cfg->ram_size, .smp = v->nharts, .has_h = v->cfg->h_ext,
                           .has_sstc = v->cfg->sstc, .bootargs = e->args };
    const char *serial = NULL;
    int chosen = fdt_path_offset(v->fdt, "/chosen");
    const char *sp = chosen >= 0 ? fdt_getprop(v->fdt, chosen, "stdout-path", NULL) : NULL;
    char path[160] = "/soc/serial@10000000";
    if (sp)
        snprintf(path, sizeof(path), "%.*s", (int)strcspn(sp, ":"), sp);
    serial = path;
    unsigned n = dtb_check_node(v->fdt, &b, serial, &f);
    if (!n)
        n = dtb_check_node(v->fdt, &b, "/chosen", &f);
    if (n && !strncmp(f.text[0], "/chosen: bootargs: console=", 27))
        explain(e, "boot with console=ttyS0 (the board's one UART)",
                "the kernel says \"unable to open an initial console\": no console driver "
                "registered (no \"printk: console [...] enabled\" in the log) because %s", f.text[0]);
    else if (n)
        explain(e, "fix that in the device tree (rivet dtb-check FILE.dtb lists every finding), "
                "or boot with rivet's own tree (drop -dtb)",
                "the kernel says \"unable to open an initial console\": no console driver "
                "registered (no \"printk: console [...] enabled\" in the log) because %s", f.text[0]);
    else
        explain(e, "boot with console=ttyS0 (and earlycon=sbi to see what happens before it)",
                "the kernel says \"unable to open an initial console\": no console driver "
                "registered for the console the bootargs name (\"%s\")", e->args);
}

/* /init (or rdinit=): present, executable, a RISC-V ELF whose interpreter
 * is there too. Returns the problem, or NULL. */
static const char *init_problem(const struct cpio *c, const char *path, char *buf, size_t n)
{
    struct cpio_entry ie;
    if (!cpio_find(c, path, &ie))
        return snprintf(buf, n, "the initramfs has no %s", path), buf;
    if (S_ISLNK(ie.mode))
        return NULL;  /* busybox links: the target's checks would need path resolution */
    if (!S_ISREG(ie.mode))
        return snprintf(buf, n, "%s is not a regular file (mode 0%o)", path, (unsigned)ie.mode), buf;
    if (!(ie.mode & 0111))
        return snprintf(buf, n, "%s is not executable (mode 0%o)", path, (unsigned)(ie.mode & 0777)), buf;
    if (ie.size >= 2 && !memcmp(ie.data, "#!", 2)) {
        char interp[128];
        size_t len = 0;  /* "#!/bin/sh -e\n": the path, within the file */
        while (2 + len < ie.size && len < sizeof(interp) - 1 && ie.data[2 + len] != ' ' &&
               ie.data[2 + len] != '\n')
            len++;
        snprintf(interp, sizeof(interp), "%.*s", (int)len, ie.data + 2);
        struct cpio_entry sh;
        if (*interp && !cpio_find(c, interp, &sh))
            return snprintf(buf, n, "%s is a script for %s, which is not in the initramfs",
                            path, interp), buf;
        return NULL;
    }
    if (ie.size < sizeof(Elf64_Ehdr) || memcmp(ie.data, ELFMAG, SELFMAG))
        return snprintf(buf, n, "%s is neither an ELF program nor a #! script", path), buf;
    Elf64_Ehdr eh;
    memcpy(&eh, ie.data, sizeof(eh));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_RISCV)
        return snprintf(buf, n, "%s is not a 64-bit RISC-V program (ELF machine %u, class %u)",
                        path, eh.e_machine, eh.e_ident[EI_CLASS]), buf;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        size_t off = eh.e_phoff + (size_t)i * sizeof(ph);
        if (off + sizeof(ph) > ie.size)
            break;
        memcpy(&ph, ie.data + off, sizeof(ph));
        char interp[128];
        if (ph.p_type != PT_INTERP || ph.p_offset + ph.p_filesz > ie.size || ph.p_filesz >= sizeof(interp))
            continue;
        snprintf(interp, sizeof(interp), "%.*s", (int)ph.p_filesz, ie.data + ph.p_offset);
        struct cpio_entry ld;
        if (!cpio_find(c, interp, &ld))
            return snprintf(buf, n, "%s is dynamically linked, but its interpreter %s is not in "
                            "the initramfs", path, interp), buf;
    }
    return NULL;
}

static void explain_init(struct evidence *e, const char *line)
{
    char rd[128], why[400];
    const char *path = *arg_value(e, "rdinit", rd, sizeof(rd)) ? rd : "/init";
    struct cpio c;
    const char *problem = open_initrd(e->v, &c) ? init_problem(&c, path, why, sizeof(why))
                        : e->v->have_initrd ? c.problem : "there is no initramfs (-initrd)";
    if (problem)
        explain(e, "put a static RISC-V init at /init, executable (chmod 755) before packing "
                "the cpio, or point rdinit= at the one you have",
                "the kernel says \"%s\": %s", line, problem);
    else
        explain(e, "run the kernel with init=/bin/sh to get a shell, and try /init by hand",
                "the kernel says \"%s\", though %s looks runnable here (present, executable, "
                "RISC-V)", line, path);
    cpio_close(&c);
}

/* ---- memory, root, silence ------------------------------------------------------ */

/* The first finding about memory: a missing memory node ("/") or one
 * that disagrees with -m (the memory node's own path); NULL if none. */
static const char *memory_finding(struct virt *v)
{
    static struct dtb_findings f;
    struct dtb_board b = { .ram_size = v->cfg->ram_size };
    if (dtb_check_node(v->fdt, &b, "/", &f) && strstr(f.text[0], "memory"))
        return f.text[0];
    for (int node = fdt_next_node(v->fdt, -1, NULL); node >= 0;
         node = fdt_next_node(v->fdt, node, NULL)) {
        const char *t = fdt_getprop(v->fdt, node, "device_type", NULL);
        char path[160];
        if (t && !strcmp(t, "memory") && fdt_get_path(v->fdt, node, path, sizeof(path)) >= 0 &&
            dtb_check_node(v->fdt, &b, path, &f))
            return f.text[0];
    }
    return NULL;
}

static void explain_memory(struct evidence *e, const char *line)
{
    const char *f = memory_finding(e->v);
    explain(e, "make the memory node say what -m gives (reg = <0x0 0x80000000 SIZE>), or drop -dtb",
            "the kernel ran out of memory early (\"%s\")%s%s", line, f ? ": " : "",
            f ? f : "; the device tree's memory node agrees with -m, so the kernel wants more "
            "than -m gives");
}

static void explain_root(struct evidence *e, const char *line)
{
    char root[128], rd[128], why[400], says[200];
    struct cpio c;
    const char *init = *arg_value(e, "rdinit", rd, sizeof(rd)) ? rd : "/init";
    const char *problem = open_initrd(e->v, &c) ? init_problem(&c, init, why, sizeof(why)) : NULL;
    struct cpio_entry ie;
    if (problem && !cpio_find(&c, init, &ie))  /* without /init the kernel mounts root= */
        explain(e, "put your init program at /init in the initramfs (or point rdinit= at it)",
                "the kernel says \"%s\": %s, so the kernel did not run it and looked for a root "
                "device instead, and there is none", line, problem);
    else
        explain(e, "boot from an initramfs (-initrd rootfs.cpio.gz) without root=, or give the "
                "guest a disk that holds the root file system",
                "the kernel says \"%s\": %s, and no block device of that name was found (the "
                "partitions it lists are all it has)", line,
                !*arg_value(e, "root", root, sizeof(root)) ? "there is no root= and no usable "
                "initramfs" : (snprintf(says, sizeof(says), "root=%s names the root device", root),
                says));
    cpio_close(&c);
}

static void explain_silence(struct evidence *e)
{
    explain(e, "add earlycon=sbi (or earlycon=uart8250,mmio,0x10000000) to -append to see the "
            "kernel's messages as they are written",
            "the kernel has printed nothing since the firmware handed over: there is no earlycon "
            "in the bootargs, so its messages wait in the ring buffer for a real console that "
            "never came");
}

/* A -dtb whose memory node is missing or wrong stops the kernel early. */
static void explain_dt_memory(struct evidence *e)
{
    char l[256];
    const char *stop = log_line(e, "Oops", l, sizeof(l));
    if (!stop)
        stop = log_line(e, "Kernel panic", l, sizeof(l));
    const char *f = e->v->cfg->dtb ? memory_finding(e->v) : NULL;
    if (!f)
        return;
    e->early_stop = true;
    explain(e, "give the tree a memory node for what -m gives (memory@80000000 { device_type = "
            "\"memory\"; reg = <0x0 0x80000000 0x0 SIZE>; }), or drop -dtb",
            "%s%s%s%s", f, stop ? "; the kernel stopped there: \"" : "", stop ? stop : "",
            stop ? "\"" : "");
}

/* ---- all of them ---------------------------------------------------------------- */

static void by_log(struct evidence *e)
{
    char l[256];
    const char *line;
    if ((line = log_line(e, "Initramfs unpacking failed", l, sizeof(l))))
        explain_unpack(e, line);
    if ((line = log_line(e, "VFS: Unable to mount root fs", l, sizeof(l))))
        explain_root(e, line);
    if (!e->count && ((line = log_line(e, "Failed to execute", l, sizeof(l))) ||
                      (line = log_line(e, "Requested init", l, sizeof(l))) ||
                      (line = log_line(e, "No working init found", l, sizeof(l)))))
        explain_init(e, line);  /* not again when the unpacking failure explains it */
    if (log_line(e, "unable to open an initial console", l, sizeof(l)))
        explain_no_console(e);
    if ((line = log_line(e, "memblock_alloc", l, sizeof(l))) ||
        (line = log_line(e, "vmalloc error", l, sizeof(l))) ||
        (line = log_line(e, "Failed to allocate", l, sizeof(l))))
        explain_memory(e, line);
    if (!e->count && (line = log_line(e, "Kernel panic - not syncing", l, sizeof(l))))
        explain(e, "read the log lines above the panic for its cause",
                "the kernel panicked: \"%s\"", line);
}

void diag_explain(struct virt *v, const char *log)
{
    struct evidence e = { v, log ? log : "", diag_bootargs(v), 0, false };
    if (!e.args)
        e.args = "";
    for (unsigned h = 0; h < v->nharts && !e.count; h++)
        if (diag_trap_storm(h))
            explain_storm(&e, h);
    if (!e.count && v->have_kernel)
        explain_dt_memory(&e);
    if (!e.count && v->have_kernel)
        by_log(&e);
    /* Why nothing of it was seen: alone, or after what stopped the kernel early. */
    if ((!e.count || e.early_stop) && diag_seen(DIAG_S_ENTRY) && !diag_seen(DIAG_S_OUTPUT) &&
        !strstr(e.args, "earlycon"))
        explain_silence(&e);
    if (!e.count && v->have_kernel && v->have_firmware && !diag_seen(DIAG_S_ENTRY))
        explain(&e, "check the firmware's output above (-d int shows its traps)",
                "the firmware never handed over to the kernel (no entry into S-mode)");
    if (!e.count)
        diag_print(v, "rivet: diagnosis: no known failure pattern matched\n");
}
