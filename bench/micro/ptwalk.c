/* Page walks: S-mode loads, each from another 4 KiB page of an 8192-page
 * window, so that nearly every one misses the TLB and walks Sv39's three
 * levels. Run: rivet -M virt -bios none -kernel ptwalk.elf */
#define WINDOW_PAGES 8192
#include "smode.h"

static void smain(void)
{
    uint64_t sum = 0;
    for (unsigned round = 0; round < 300; round++)
        for (unsigned i = 0; i < WINDOW_PAGES; i++)
            sum += *(volatile uint64_t *)(WINDOW + (uint64_t)((i * 4099u) % WINDOW_PAGES) * 4096);
    /* page n holds backing[n % 16]: all zero */
    finish_with(sum != 0);
}
