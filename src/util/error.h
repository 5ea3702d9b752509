/* Start-up errors: one line naming the thing that is wrong, then exit 1. */
#ifndef RIVET_ERROR_H
#define RIVET_ERROR_H

#include <stddef.h>
#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void fatal(const char *fmt, ...);

/* Exit with `status` once the command line has been fully handled (--help). */
__attribute__((noreturn)) void finish(int status);

/* Set only by the fuzz harnesses (tests/fuzz): called instead of exit() by
 * fatal() and finish(), so that a clean rejection returns to the harness
 * (it must not return). NULL in rivet itself. */
extern void (*exit_hook)(int status);

/* Read a whole file; on failure exits naming `option` and the file. */
uint8_t *read_file_or_die(const char *option, const char *path, size_t *size);
/* The same, refusing (one line, naming `what`) a file larger than `max`
 * before reading it: an oversized input must not cost host memory. */
uint8_t *read_file_max(const char *option, const char *path, uint64_t max, const char *what,
                       size_t *size);

/* "1.5 MiB", "300 MiB", "4 KiB" for error messages. */
const char *human_size(char *buf, size_t n, uint64_t bytes);

#endif
