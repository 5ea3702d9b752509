/* LR/SC and stores to the reserved page: S-mode compare-and-swap
 * increments (an LR/SC loop, as Linux's cmpxchg) with a plain store to the
 * same page between them, through Sv39. Run: rivet -M virt -bios none
 * -kernel lrsc.elf */
#include "smode.h"

static void smain(void)
{
    volatile uint64_t *cell = (volatile uint64_t *)WINDOW;
    for (unsigned i = 0; i < 3000000; i++) {
        uint64_t old, fail;
        __asm__ volatile("1: lr.d %0, (%2)\n addi %0, %0, 1\n sc.d %1, %0, (%2)\n bnez %1, 1b"
                         : "=&r"(old), "=&r"(fail) : "r"(cell) : "memory");
        cell[8] = i;  /* a store to the page just reserved */
    }
    finish_with(cell[0] != 3000000);
}
