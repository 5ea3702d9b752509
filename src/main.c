#define _GNU_SOURCE
/* rivet: command line (a QEMU-compatible subset), then build and run the board. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "diag/diag.h"
#include "diag/dtbcheck.h"
#include "debug/debug.h"
#include "cpu/jit.h"
#include "machine/virt.h"
#include "util/error.h"

#define RIVET_VERSION "0.1.0"

static const char usage_text[] =
    "usage: rivet [options]\n"
    "A RISC-V virt board emulator; options follow qemu-system-riscv64.\n"
    "\n"
    "Machine:\n"
    "  -M, -machine virt[,dumpdtb=FILE][,aclint=on|off]\n"
    "                      the QEMU 'virt' board (the only one); dumpdtb writes the\n"
    "                      final device tree to FILE and exits\n"
    "  -M virt,symbols=System.map,silence=N\n"
    "                      an Image's symbols, for reading its kernel log; report\n"
    "                      after N s without output (default 10, 0 off)\n"
    "  -m SIZE             RAM size: MiB, or with a K/M/G suffix (default 128M)\n"
    "  -smp N[,cores=N,...]  number of harts, 1 to 64 (1)\n"
    "  -cpu rv64           the CPU model (rv64 only)\n"
    "  -accel tcg[,thread=single|multi]\n"
    "                      one host thread per hart (multi, the default) or all\n"
    "                      harts in turn on one thread (single)\n"
    "Boot:\n"
    "  -bios default|none|FILE  firmware: OpenSBI fw_dynamic (default), nothing, or\n"
    "                      an ELF or raw binary at 0x80000000\n"
    "  -kernel FILE        ELF, vmlinux, U-Boot uImage, Linux Image or raw binary\n"
    "  -initrd FILE        initial RAM disk (needs -kernel)\n"
    "  -append STRING      kernel command line (needs -kernel)\n"
    "  -dtb FILE           use this device tree instead of the generated one\n"
    "  -device loader,file=FILE[,addr=A][,force-raw=on][,cpu-num=K]\n"
    "  -device loader,addr=A,data=V,data-len=N[,cpu-num=K]\n"
    "                      QEMU's generic loader: an image or a value in memory\n"
    "                      (cpu-num: that hart starts at addr)\n"
    "I/O:\n"
    "  -nographic          serial port on stdio with Ctrl-A escapes (the default)\n"
    "  -serial stdio|mon:stdio|null|file:PATH\n"
    "                      where the UART goes; plain 'stdio' lets Ctrl-C stop rivet\n"
    "  -display none       accepted for compatibility\n"
    "  -monitor DEV        the human monitor on DEV: stdio (Ctrl-A c on the console),\n"
    "                      tcp:[HOST]:PORT[,server][,wait=off], unix:PATH[,server], none\n"
    "  -qmp DEV            QMP on DEV: tcp:[HOST]:PORT,server[,wait=off] or unix:PATH,server\n"
    "Control and debugging:\n"
    "  -no-reboot          exit instead of resetting when the guest reboots\n"
    "  -perfmap            name compiled blocks in /tmp/perf-<pid>.map for perf (as QEMU)\n"
    "  -icount shift=N     deterministic time: each instruction takes 2^N ns; the RTC\n"
    "                      then starts at 2000-01-01 unless -rtc base= says otherwise\n"
    "  -rtc base=utc|localtime|DATE  RTC start (DATE: 2024-01-31 or 2024-01-31T12:00:00)\n"
    "  -gdb DEV            wait for gdb on DEV (tcp:[HOST]:PORT or unix:PATH,server;\n"
    "                      an empty HOST means 127.0.0.1)\n"
    "  -s                  shorthand for -gdb tcp::1234\n"
    "  -S                  do not start the harts until told to (gdb 'continue', 'cont')\n"
    "  -d ITEMS            log ITEMS (-d help lists them), -D FILE to send them to FILE\n"
    "  -h, --help          this text; --version prints the version\n"
    "\n"
    "Console keys (with -nographic or mon:stdio): Ctrl-A x quits, Ctrl-A h helps,\n"
    "Ctrl-A c switches between console and monitor, Ctrl-A Ctrl-A sends Ctrl-A.\n";

static volatile sig_atomic_t host_signal;

static void on_signal(int sig)
{
    host_signal = sig;
}

static bool parse_size(const char *s, uint64_t *bytes)
{
    if (!strncmp(s, "size=", 5))
        s += 5;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || v <= 0)
        return false;
    uint64_t mult = MiB;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': mult = KiB; break;
        case 'm': case 'M': mult = MiB; break;
        case 'g': case 'G': mult = GiB; break;
        case 't': case 'T': mult = 1024 * GiB; break;
        default: return false;
        }
        end++;
        if (*end == 'B' || *end == 'b' || !strcasecmp(end, "iB"))
            end += *end == 'i' || *end == 'I' ? 2 : 1;
        if (*end)
            return false;
    }
    double b = v * (double)mult;
    if (!(b <= 1e15))  /* also NaN ("-m nan"): converting it is undefined */
        return false;
    *bytes = (uint64_t)b;
    return true;
}

static void parse_machine(struct machine_config *cfg, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    char *type = strtok_r(copy, ",", &save);
    if (!type || (strcmp(type, "virt") && strncmp(type, "type=virt", 9))) {
        if (type && !strcmp(type, "help")) {
            printf("Supported machines are:\nvirt                 RISC-V VirtIO board\n");
            finish(0);
        }
        fatal("-M %s: unsupported machine type (rivet emulates only 'virt')", arg);
    }
    for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        if (!eq)
            fatal("-M %s: property '%s' needs a value (name=value)", arg, p);
        *eq = 0;
        const char *val = eq + 1;
        if (!strcmp(p, "dumpdtb")) {
            cfg->dumpdtb = val;
        } else if (!strcmp(p, "symbols")) {  /* an Image's System.map, for the diagnosis */
            diag_opts.symbols = val;
        } else if (!strcmp(p, "silence")) {  /* seconds without output before a report */
            char *end;
            long s = strtol(val, &end, 10);
            if (end == val || *end || s < 0 || s > 86400)
                fatal("-M %s: silence must be a number of seconds from 0 (off) to 86400", arg);
            diag_opts.silence_s = (int)s;
        } else if (!strcmp(p, "aclint")) {
            if (strcmp(val, "on") && strcmp(val, "off"))
                fatal("-M %s: aclint must be on or off", arg);
            cfg->aclint = !strcmp(val, "on");
        } else if (!strcmp(p, "dtb") || !strcmp(p, "kernel") || !strcmp(p, "initrd") ||
                   !strcmp(p, "append") || !strcmp(p, "firmware")) {
            const char **slot = !strcmp(p, "dtb") ? &cfg->dtb : !strcmp(p, "kernel") ? &cfg->kernel
                              : !strcmp(p, "initrd") ? &cfg->initrd : !strcmp(p, "append") ? &cfg->append
                              : &cfg->bios;
            *slot = val;
        } else {
            fatal("-M %s: machine 'virt' has no property '%s' (rivet knows dumpdtb, aclint, "
                  "dtb, kernel, initrd, append, firmware, symbols, silence)", arg, p);
        }
    }
    /* The values point into the copy, which lives as long as cfg. */
    if (cfg->n_machine_opts == ARRAY_SIZE(cfg->machine_opts))
        fatal("-M %s: too many -M options", arg);
    cfg->machine_opts[cfg->n_machine_opts++] = copy;
}

static bool parse_on_off(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no")) {
        *out = false;
        return true;
    }
    return false;
}

static void free_config(struct machine_config *cfg)
{
    for (unsigned i = 0; i < cfg->n_machine_opts; i++)
        free(cfg->machine_opts[i]);
    for (unsigned i = 0; i < cfg->nloaders; i++)
        free(cfg->loader[i].storage);
    virtio_config_free(&cfg->virtio);
}

static uint64_t loader_number(const char *arg, const char *name, const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end || errno || *s == '-')
        fatal("-device %s: %s=%s is not a number", arg, name, s);
    return v;
}

/* One loader property into l; false if the name is not a loader's. */
static bool loader_property(struct loader_opt *l, const char *arg, const char *name, char *val)
{
    if (!strcmp(name, "file"))
        l->file = val;
    else if (!strcmp(name, "addr"))
        l->addr = loader_number(arg, name, val), l->has_addr = true;
    else if (!strcmp(name, "data"))
        l->data = loader_number(arg, name, val);
    else if (!strcmp(name, "data-len"))
        l->data_len = (unsigned)loader_number(arg, name, val);
    else if (!strcmp(name, "cpu-num"))
        l->cpu_num = (int)loader_number(arg, name, val);
    else if (!strcmp(name, "force-raw")) {
        if (!parse_on_off(val, &l->force_raw))
            fatal("-device %s: force-raw must be on or off", arg);
    } else
        return false;
    return true;
}

/* -device loader,file=F[,addr=A][,force-raw=on][,cpu-num=K] or
 * -device loader,addr=A,data=V,data-len=N[,cpu-num=K] (QEMU's generic
 * loader); rivet has no other -device yet. */
static void parse_device(struct machine_config *cfg, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    char *driver = strtok_r(copy, ",", &save);
    if (driver && strcmp(driver, "loader") && virtio_parse_device(&cfg->virtio, arg)) {
        free(copy);
        return;
    }
    if (!driver || strcmp(driver, "loader"))
        fatal("-device %s: unsupported device (rivet has loader, virtio-blk-device, "
              "virtio-net-device, virtio-rng-device, virtio-serial-device, virtconsole)", arg);
    if (cfg->nloaders == MAX_LOADERS)
        fatal("-device %s: more than %d loaders", arg, MAX_LOADERS);
    struct loader_opt *l = &cfg->loader[cfg->nloaders++];
    *l = (struct loader_opt){ .cpu_num = -1, .storage = copy };
    for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        if (!eq)
            fatal("-device %s: '%s' needs a value", arg, p);
        *eq = 0;
        if (!loader_property(l, arg, p, eq + 1))
            fatal("-device %s: loader has no property '%s' (file, addr, force-raw, data, "
                  "data-len, cpu-num)", arg, p);
    }
    bool data = l->data_len != 0;
    if (l->file && data)
        fatal("-device %s: give either file= or data=, not both", arg);
    if (data && (!l->has_addr || (l->data_len != 1 && l->data_len != 2 && l->data_len != 4 &&
                                  l->data_len != 8)))
        fatal("-device %s: data= needs addr= and data-len= of 1, 2, 4 or 8", arg);
    if (!l->file && !data && !(l->has_addr && l->cpu_num >= 0))
        fatal("-device %s: a loader needs file=, data= or addr= with cpu-num=", arg);
    if (l->cpu_num >= MAX_HARTS)
        fatal("-device %s: cpu-num=%d: no such hart", arg, l->cpu_num);
}

static void parse_serial(struct machine_config *cfg, const char *arg)
{
    if (!strcmp(arg, "stdio"))
        cfg->serial = CONSOLE_STDIO;
    else if (!strcmp(arg, "mon:stdio"))
        cfg->serial = CONSOLE_MUX_STDIO;
    else if (!strcmp(arg, "null") || !strcmp(arg, "none"))
        cfg->serial = CONSOLE_NULL;
    else if (!strncmp(arg, "file:", 5) && arg[5]) {
        cfg->serial = CONSOLE_FILE;
        cfg->serial_path = arg + 5;
    } else
        fatal("-serial %s: unsupported backend (use stdio, mon:stdio, null or file:PATH)", arg);
}

static void parse_icount(struct machine_config *cfg, const char *arg)
{
    const char *s = !strncmp(arg, "shift=", 6) ? arg + 6 : arg;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || (*end && *end != ',') || v < 0 || v > 10)
        fatal("-icount %s: expected shift=N with N from 0 to 10", arg);
    cfg->icount = true;
    cfg->icount_shift = (unsigned)v;
}

/* Nanoseconds since 1970 of a -rtc base= date. They are kept in an
 * int64_t, which ends in April 2262: refuse dates from 2262 on (leaving
 * the running clock room) and before 1970. */
#define RTC_LAST_SECOND 9214646399LL  /* 2261-12-31T23:59:59Z */
static int64_t rtc_date_ns(struct tm *tm, const char *arg)
{
    time_t t = timegm(tm);
    if (t < 0 || t > RTC_LAST_SECOND)
        fatal("-rtc %s: date out of range (rivet's RTC runs from 1970 to 2261)", arg);
    return (int64_t)t * 1000000000LL;
}

/* -rtc base=utc|localtime|YYYY-MM-DD[THH:MM:SS][,clock=host|vm] */
static void parse_rtc(struct machine_config *cfg, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (!strncmp(p, "base=", 5)) {
            const char *v = p + 5;
            struct tm tm = { 0 };
            const char *end;
            if (!strcmp(v, "utc")) {
                cfg->rtc_fixed = false;
                cfg->rtc_base_ns = 0;
            } else if (!strcmp(v, "localtime")) {
                time_t now = time(NULL);
                struct tm lt;
                localtime_r(&now, &lt);
                cfg->rtc_fixed = false;
                cfg->rtc_base_ns = (int64_t)lt.tm_gmtoff * 1000000000LL;
            } else if (((end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm)) && !*end) ||
                       ((end = strptime(v, "%Y-%m-%d", &tm)) && !*end)) {
                cfg->rtc_fixed = true;
                cfg->rtc_base_ns = rtc_date_ns(&tm, arg);
            } else {
                fatal("-rtc %s: base must be utc, localtime or a date like 2024-01-31T12:00:00", arg);
            }
            cfg->rtc_given = true;
        } else if (strcmp(p, "clock=host") && strcmp(p, "clock=vm") && strcmp(p, "clock=rt")) {
            fatal("-rtc %s: unsupported setting '%s' (rivet knows base= and clock=)", arg, p);
        }
    }
    free(copy);
}

static void parse_log(struct machine_config *cfg, const char *arg)
{
    const char *bad;
    size_t bad_len;
    if (!strcmp(arg, "help")) {
        log_print_items(stdout);
        finish(0);
    }
    if (!log_parse_items(arg, &cfg->log_mask, &bad, &bad_len))
        fatal("-d %s: unknown log item '%.*s' (-d help lists them)", arg, (int)bad_len, bad);
}

static void parse_ram(struct machine_config *cfg, const char *arg)
{
    uint64_t bytes;
    if (!parse_size(arg, &bytes))
        fatal("-m %s: not a size (examples: 256, 256M, 1G)", arg);
    if (bytes < 8 * MiB)
        fatal("-m %s: RAM too small; rivet needs at least 8 MiB", arg);
    if (bytes > 256 * GiB)
        fatal("-m %s: RAM too large; rivet supports at most 256 GiB", arg);
    if (bytes % (4 * KiB))
        fatal("-m %s: RAM size must be a multiple of 4 KiB", arg);
    cfg->ram_size = bytes;
}

/* One -smp count: a decimal number from 1 to MAX_HARTS. */
static unsigned smp_count(const char *arg, const char *name, const char *s)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (end == s || *end || errno || n < 1 || n > MAX_HARTS)
        fatal("-smp %s: %s must be a number from 1 to %d", arg, name, MAX_HARTS);
    return (unsigned)n;
}

/* QEMU's forms: "N", "cpus=N", "N,sockets=S,cores=C,threads=T", with
 * maxcpus (no hot-plug here, so it must equal cpus). Missing topology
 * counts default to 1, and cpus to their product, as in QEMU. */
static void parse_smp(struct machine_config *cfg, const char *arg)
{
    static const char *const topo[] = { "sockets", "dies", "clusters", "cores", "threads" };
    unsigned cpus = 0, maxcpus = 0, product = 1;
    char *copy = strdup(arg), *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        if (!eq) {
            if (p != copy)
                fatal("-smp %s: '%s' needs a name (cpus=, sockets=, cores=, threads=)", arg, p);
            cpus = smp_count(arg, "the number of harts", p);
            continue;
        }
        *eq = 0;
        bool known = false;
        for (unsigned i = 0; i < ARRAY_SIZE(topo); i++) {
            if (!strcmp(p, topo[i])) {
                product *= smp_count(arg, p, eq + 1);
                known = true;
            }
        }
        if (!strcmp(p, "cpus"))
            cpus = smp_count(arg, "cpus", eq + 1);
        else if (!strcmp(p, "maxcpus"))
            maxcpus = smp_count(arg, "maxcpus", eq + 1);
        else if (!known)
            fatal("-smp %s: unknown property '%s'", arg, p);
        if (product > MAX_HARTS)
            fatal("-smp %s: more than %d harts", arg, MAX_HARTS);
    }
    free(copy);
    if (!cpus)
        cpus = maxcpus ? maxcpus : product;
    if (product != 1 && product != cpus)
        fatal("-smp %s: sockets * cores * threads = %u, but cpus = %u", arg, product, cpus);
    if (maxcpus && maxcpus != cpus)
        fatal("-smp %s: maxcpus must equal cpus (rivet has no CPU hot-plug)", arg);
    cfg->smp = cpus;
}

/* -accel tcg[,thread=single|multi]: rivet's harts are interpreted and
 * compiled as QEMU's TCG does, so tcg is the only accelerator. */
static void parse_accel(struct machine_config *cfg, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    char *name = strtok_r(copy, ",", &save);
    if (!name || strcmp(name, "tcg"))
        fatal("-accel %s: unsupported accelerator (rivet has only 'tcg')", arg);
    for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (!strcmp(p, "thread=single"))
            cfg->single_thread = true;
        else if (!strcmp(p, "thread=multi"))
            cfg->single_thread = false;
        else if (strncmp(p, "tb-size=", 8))
            fatal("-accel %s: unknown property '%s' (rivet knows thread=single|multi)", arg, p);
    }
    free(copy);
}


/* -cpu rv64[,h=true|false][,sstc=true|false]: QEMU's model name and its
 * spelling of the hypervisor and Sstc extensions. */
static void parse_cpu(struct machine_config *cfg, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    char *model = strtok_r(copy, ",", &save);
    if (!model || (strcmp(model, "rv64") && strcmp(model, "max")))
        fatal("-cpu %s: unsupported CPU model (rivet emulates rv64)", arg);
    cfg->h_ext = !strcmp(model, "max");  /* as QEMU's max, which has H */
    for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        bool *prop = NULL;
        if (eq) {
            *eq = 0;
            prop = !strcmp(p, "h") ? &cfg->h_ext : !strcmp(p, "sstc") ? &cfg->sstc : NULL;
        }
        if (!prop)
            fatal("-cpu %s: unknown property '%s' (rivet knows h= and sstc=)", arg, p);
        if (!parse_on_off(eq + 1, prop))
            fatal("-cpu %s: %s must be true or false", arg, p);
    }
    free(copy);
}

/* Options that take an argument, and where it goes. */
static bool parse_option(struct machine_config *cfg, const char *opt, const char *arg)
{
    if (!strcmp(opt, "M") || !strcmp(opt, "machine")) parse_machine(cfg, arg);
    else if (!strcmp(opt, "m")) parse_ram(cfg, arg);
    else if (!strcmp(opt, "smp")) parse_smp(cfg, arg);
    else if (!strcmp(opt, "accel")) parse_accel(cfg, arg);
    else if (!strcmp(opt, "device")) parse_device(cfg, arg);
    else if (virtio_parse_option(&cfg->virtio, opt, arg)) {}
    else if (!strcmp(opt, "cpu")) parse_cpu(cfg, arg);
    else if (!strcmp(opt, "bios")) cfg->bios = arg;
    else if (!strcmp(opt, "kernel")) cfg->kernel = arg;
    else if (!strcmp(opt, "initrd")) cfg->initrd = arg;
    else if (!strcmp(opt, "append")) cfg->append = arg;
    else if (!strcmp(opt, "dtb")) cfg->dtb = arg;
    else if (!strcmp(opt, "serial")) parse_serial(cfg, arg);
    else if (!strcmp(opt, "d")) parse_log(cfg, arg);
    else if (!strcmp(opt, "D")) cfg->log_file = arg;
    else if (!strcmp(opt, "icount")) parse_icount(cfg, arg);
    else if (!strcmp(opt, "rtc")) parse_rtc(cfg, arg);
    else if (!strcmp(opt, "display")) {
        if (strcmp(arg, "none"))
            fatal("-%s %s: rivet has no display; only 'none' is accepted", opt, arg);
    }
    else if (!strcmp(opt, "gdb") || !strcmp(opt, "monitor") || !strcmp(opt, "qmp")) {
        const char *why = debug_check_spec(arg, !strcmp(opt, "monitor"));
        if (why)
            fatal("-%s %s: %s", opt, arg, why);
        *(opt[0] == 'g' ? &cfg->gdb : opt[0] == 'm' ? &cfg->monitor : &cfg->qmp) = arg;
    }
    else return false;
    return true;
}

static void parse_args(struct machine_config *cfg, int argc, char **argv)
{
    static const char *const with_arg[] = {
        "M", "machine", "m", "smp", "cpu", "bios", "kernel", "initrd", "append", "dtb",
        "serial", "d", "D", "icount", "rtc", "display", "monitor", "accel", "device",
        "drive", "blockdev", "netdev", "nic", "global", "chardev", "gdb", "qmp", NULL,
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1])
            fatal("%s: unexpected argument (options start with '-'; see --help)", a);
        const char *opt = a + 1 + (a[1] == '-');
        bool takes_arg = false;
        for (unsigned k = 0; with_arg[k]; k++)
            takes_arg |= !strcmp(opt, with_arg[k]);
        if (takes_arg) {
            if (i + 1 >= argc)
                fatal("%s: requires an argument", a);
            parse_option(cfg, opt, argv[++i]);
        } else if (!strcmp(opt, "h") || !strcmp(opt, "help")) {
            fputs(usage_text, stdout);
            finish(0);
        } else if (!strcmp(opt, "version")) {
            printf("rivet version " RIVET_VERSION " (RISC-V virt board, QEMU-compatible options)\n");
            finish(0);
        } else if (!strcmp(opt, "nographic")) {
            /* serial on multiplexed stdio: already the default */
        } else if (!strcmp(opt, "no-reboot")) {
            cfg->no_reboot = true;
        } else if (!strcmp(opt, "perfmap")) {
            if (!jit_perfmap_open())
                fatal("-perfmap: cannot write /tmp/perf-%d.map: %s", (int)getpid(), strerror(errno));
        } else if (!strcmp(a, "-s")) {
            cfg->gdb = "tcp::1234";
        } else if (!strcmp(a, "-S")) {
            cfg->start_stopped = true;
        } else {
            fatal("%s: invalid option (see --help)", a);
        }
    }
    /* -icount runs are repeatable: unless told otherwise the RTC starts at
     * a fixed date rather than the host's. */
    if (cfg->icount && !cfg->rtc_given) {
        cfg->rtc_fixed = true;
        cfg->rtc_base_ns = 946684800LL * 1000000000LL;  /* 2000-01-01T00:00:00Z */
    }
    virtio_config_check(&cfg->virtio);
    if (!cfg->kernel && cfg->initrd)
        fatal("-initrd only allowed with -kernel option");
    if (!cfg->kernel && cfg->append)
        fatal("-append only allowed with -kernel option");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "dtb-check"))  /* a subcommand, not a board */
        return dtb_check_main(argc, argv);
    struct machine_config cfg = {
        .ram_size = 128 * MiB,
        .smp = 1,
        .sstc = true,
        .serial = CONSOLE_MUX_STDIO,
    };
    parse_args(&cfg, argc, argv);

    static struct virt v;
    virt_create(&v, &cfg);
    if (cfg.dumpdtb) {
        virt_dump_dtb(&v, cfg.dumpdtb);
        virt_destroy(&v);
        free_config(&cfg);
        return 0;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    struct debug_opts dbg = { cfg.gdb, cfg.monitor, cfg.qmp, cfg.start_stopped };
    debug_init(&v, &dbg);
    int status = virt_run(&v, &host_signal);
    diag_at_exit(&v, status);  /* -d boot summary; the diagnosis after a failed boot */
    debug_shutdown(&v);
    virt_destroy(&v);
    free_config(&cfg);
    return status;
}
