/* Start-up errors: one line naming the thing that is wrong, then exit 1. */
#ifndef RIVET_ERROR_H
#define RIVET_ERROR_H

#include <stddef.h>
#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void fatal(const char *fmt, ...);

/* Read a whole file; on failure exits naming `option` and the file. */
uint8_t *read_file_or_die(const char *option, const char *path, size_t *size);

/* "1.5 MiB", "300 MiB", "4 KiB" for error messages. */
const char *human_size(char *buf, size_t n, uint64_t bytes);

#endif
