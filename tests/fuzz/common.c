#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "util/error.h"

static char scratch[64];
static jmp_buf *catcher;
static int caught_status;

static void fuzz_exit_hook(int status)
{
    if (!catcher) {
        fprintf(stderr, "fuzz: exit(%d) outside a harness call\n", status);
        abort();
    }
    caught_status = status;
    longjmp(*catcher, 1);
}

int fuzz_catch(void (*fn)(void *), void *arg)
{
    jmp_buf here, *outer = catcher;
    catcher = &here;
    int status = -1;
    if (setjmp(here) == 0)
        fn(arg);
    else
        status = caught_status;
    catcher = outer;
    return status;
}

const char *fuzz_file(const char *name, const void *data, size_t size)
{
    static char path[4][128];
    static unsigned next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "%s/%s", scratch, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
        perror(p);
        abort();
    }
    return p;
}

const char *fuzz_fixture(const char *name)
{
    static char path[8][128];
    static unsigned next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof(path[0]), "%s/%s", scratch, name);
    return p;
}

/* A minimal RV64 ELF with one 16-byte segment at 0x80000000. */
static void write_fw_elf(void)
{
    uint8_t elf[64 + 56 + 16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
    uint16_t h16[] = { 2, 243 };  /* ET_EXEC, EM_RISCV */
    memcpy(elf + 16, h16, sizeof(h16));
    uint64_t entry = 0x80000000, phoff = 64;
    memcpy(elf + 24, &entry, 8);
    memcpy(elf + 32, &phoff, 8);
    uint16_t sizes[] = { 64, 56, 1 };  /* e_ehsize, e_phentsize, e_phnum */
    memcpy(elf + 52, sizes, sizeof(sizes));
    uint32_t type_flags[2] = { 1, 7 };  /* PT_LOAD, RWX */
    uint64_t ph[6] = { 120, 0x80000000, 0x80000000, 16, 16, 8 };
    memcpy(elf + 64, type_flags, 8);
    memcpy(elf + 72, ph, sizeof(ph));
    fuzz_file("fw.elf", elf, sizeof(elf));
}

static void remove_scratch(void)
{
    DIR *d = opendir(scratch);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", scratch, e->d_name);
        if (e->d_name[0] != '.')
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(scratch);
}

void fuzz_setup(void)
{
    if (scratch[0])
        return;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(scratch, sizeof(scratch), "%.40s/rivet-fuzz-%d", tmp, (int)getpid());
    if (mkdir(scratch, 0700) != 0 && errno != EEXIST) {
        perror(scratch);
        abort();
    }
    atexit(remove_scratch);
    static uint8_t kernel[4096], initrd[1024];
    memset(kernel, 0x13, sizeof(kernel));
    memset(initrd, 0xa5, sizeof(initrd));
    fuzz_file("kernel.bin", kernel, sizeof(kernel));
    fuzz_file("initrd.bin", initrd, sizeof(initrd));
    write_fw_elf();
    setenv("RIVET_JIT", "off", 1);  /* nothing runs: no need for code memory */
    exit_hook = fuzz_exit_hook;
}

struct machine_config fuzz_config(void)
{
    return (struct machine_config){ .ram_size = 32 * MiB, .smp = 1, .serial = CONSOLE_NULL };
}

static struct virt board;

static void create_board(void *cfg)
{
    virt_create(&board, cfg);
}

/* virt_destroy expects the CPU state set up; a fatal() before that (the
 * -D file, guest RAM) leaves only the log file and the RAM to release. */
static void destroy_board(void)
{
    if (board.cpus.bus) {
        virt_destroy(&board);
    } else {
        bus_free(&board.bus);
        if (board.log.out && board.log.out != stderr)
            fclose(board.log.out);
    }
    if (board.console.kind == CONSOLE_FILE && board.console.out_fd >= 0)
        close(board.console.out_fd);  /* -serial file: virt_run would close it */
    memset(&board, 0, sizeof(board));
}

int fuzz_board(const struct machine_config *cfg)
{
    int status = fuzz_catch(create_board, (void *)cfg);
    destroy_board();
    return status < 0 ? 0 : status;
}
