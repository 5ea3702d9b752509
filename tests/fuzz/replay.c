/* A main() for the harnesses without libFuzzer: runs each file given (or
 * each file in each directory given) through the harness once. Built with
 * the project's compiler, so `make fuzz-regress` and the board suite can
 * replay the corpus and past crashers without clang. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned replayed;

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    static uint8_t buf[8 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    fprintf(stderr, "replay: %s\n", path);  /* the last one named is the culprit */
    uint8_t *copy = malloc(n ? n : 1);  /* exact size: ASan sees overreads */
    memcpy(copy, buf, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    replayed++;
}

static void replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        exit(2);
    }
    if (!S_ISDIR(st.st_mode)) {
        replay_file(path);
        return;
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char p[4096];
        snprintf(p, sizeof(p), "%s/%s", path, names[i]->d_name);
        if (names[i]->d_name[0] != '.')
            replay(p);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++)
        replay(argv[i]);
    printf("%s: %u inputs replayed\n", argv[0], replayed);
    return 0;
}
