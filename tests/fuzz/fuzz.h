/* Shared by the host-input fuzz harnesses (see README.md): each builds a
 * board configuration around the fuzz input and runs rivet's real loading
 * code, with fatal() turned into a return so that a clean one-line
 * rejection is not a crash. */
#ifndef RIVET_FUZZ_H
#define RIVET_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "machine/virt.h"

/* libFuzzer's entry points (also called by replay.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: scratch directory, fixture files, the exit hook. */
void fuzz_setup(void);
/* A file in the scratch directory holding `data` (rewritten per input). */
const char *fuzz_file(const char *name, const void *data, size_t size);
/* Path of a fixture: "kernel.bin" (raw, 4 KiB), "initrd.bin", "fw.elf". */
const char *fuzz_fixture(const char *name);
/* 32 MiB (less to map and clear per input than the default 128), one
 * hart, no console. */
struct machine_config fuzz_config(void);
/* virt_create, then virt_destroy; a fatal() in between returns here.
 * Returns the exit status fatal() asked for, or 0. */
int fuzz_board(const struct machine_config *cfg);
/* Runs fn(arg) with fatal() and finish() returning here; their status,
 * or -1 when fn returned normally. */
int fuzz_catch(void (*fn)(void *), void *arg);

#endif
