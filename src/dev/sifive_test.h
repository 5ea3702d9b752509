/* SiFive test finisher: lets the guest power off, fail or reset the board. */
#ifndef RIVET_SIFIVE_TEST_H
#define RIVET_SIFIVE_TEST_H

#include "mem/bus.h"

#define SIFIVE_TEST_SIZE 0x1000

enum finisher_action { FINISHER_EXIT, FINISHER_RESET };

struct sifive_test {
    uint64_t base;
    uint32_t phandle;
    void (*action)(void *opaque, enum finisher_action what, int status);
    void *opaque;
    struct log *log;
};

extern const struct mmio_ops sifive_test_ops;
void sifive_test_add_fdt(const struct sifive_test *t, void *fdt, const char *soc);

#endif
