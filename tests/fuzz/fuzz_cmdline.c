/* The command line: the input is split at NUL bytes into arguments, parsed
 * by rivet's own parser (main.c, included here for its static functions),
 * and a configuration it accepts builds the board (without running it).
 * Relative file names refer to the fixtures (kernel.bin, initrd.bin,
 * fw.elf); files rivet would write (-D, -serial file:, dumpdtb=) go to the
 * scratch directory whatever the input names. */
#define main rivet_main
#include "../../src/main.c"
#undef main

#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

static struct machine_config cfg;
static int nargs;
static char *args[MAX_ARGS + 2];

static void parse(void *unused)
{
    (void)unused;
    parse_args(&cfg, nargs, args);
}

/* File options with a bare name read the fixture of that name. */
static const char *fixture_path(const char *path)
{
    if (!path || strchr(path, '/') || !strcmp(path, "none") || !strcmp(path, "default"))
        return path;
    return fuzz_fixture(path);
}

static void confine(struct machine_config *c)
{
    c->bios = fixture_path(c->bios);
    c->kernel = fixture_path(c->kernel);
    c->initrd = fixture_path(c->initrd);
    c->dtb = fixture_path(c->dtb);
    if (c->log_file)
        c->log_file = fuzz_fixture("log.txt");
    if (c->serial_path)
        c->serial_path = fuzz_fixture("serial.txt");
    if (c->serial != CONSOLE_FILE)
        c->serial = CONSOLE_NULL;  /* never touch the fuzzer's terminal */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[4096 + 1];
    if (size > 4096)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    nargs = 0;
    args[nargs++] = "rivet";
    for (size_t i = 0; i <= size && nargs <= MAX_ARGS; i += strlen(buf + i) + 1)
        args[nargs++] = buf + i;
    args[nargs] = NULL;
    cfg = (struct machine_config){ .ram_size = 128 * MiB, .smp = 1, .serial = CONSOLE_MUX_STDIO };
    if (fuzz_catch(parse, NULL) < 0) {
        confine(&cfg);
        /* Up to 1 GiB: larger RAM only costs the fuzzer time and memory. */
        if (cfg.ram_size <= GiB)
            fuzz_board(&cfg);
    }
    free_config(&cfg);
    return 0;
}
