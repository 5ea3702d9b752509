#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"

void (*exit_hook)(int status);

void finish(int status)
{
    if (exit_hook)
        exit_hook(status);
    exit(status);
}

void fatal(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("rivet: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    finish(1);
}

uint8_t *read_file_max(const char *option, const char *path, uint64_t max, const char *what,
                       size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fatal("%s %s: %s", option, path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        fatal("%s %s: not a regular file", option, path);
    }
    if ((uint64_t)st.st_size > max) {
        char a[32], b[32];
        fclose(f);
        fatal("%s %s: file of %s is larger than %s, %s", option, path,
              human_size(a, sizeof(a), (uint64_t)st.st_size), human_size(b, sizeof(b), max), what);
    }
    uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!buf) {
        fclose(f);
        fatal("%s %s: out of memory reading %lld bytes", option, path, (long long)st.st_size);
    }
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    if (got != (size_t)st.st_size) {
        int e = ferror(f) ? errno : EIO;
        fclose(f);
        free(buf);
        fatal("%s %s: read error: %s", option, path, strerror(e));
    }
    fclose(f);
    *size = got;
    return buf;
}

uint8_t *read_file_or_die(const char *option, const char *path, size_t *size)
{
    return read_file_max(option, path, UINT64_MAX, "the largest file rivet reads", size);
}

const char *human_size(char *buf, size_t n, uint64_t bytes)
{
    static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
    unsigned u = 0;
    double v = (double)bytes;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
    else if (v == (double)(uint64_t)v)
        snprintf(buf, n, "%llu %s", (unsigned long long)v, unit[u]);
    else
        snprintf(buf, n, "%.1f %s", v, unit[u]);
    return buf;
}
