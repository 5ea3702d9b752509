/* Waits for a timer 60 s of guest time away with WFI and interrupts off.
 * Under -icount the board must skip the idle time instead of sleeping, and
 * the mtime the program sees must be the deadline it asked for. */
#include "bm.h"

#define MTIMECMP (CLINT + 0x4000)
#define MTIME    (CLINT + 0xbff8)
#define MIP_MTIP (1u << 7)

int main(void)
{
    uint64_t start = rd64(MTIME), deadline = start + 60ULL * 10000000ULL;
    wr64(MTIMECMP, deadline);
    csr_write(mie, MIP_MTIP);  /* WFI wakes on a pending enabled interrupt, even with MIE=0 */
    unsigned wakeups = 0;
    while (!(csr_read(mip) & MIP_MTIP)) {
        __asm__ volatile("wfi");
        wakeups++;
    }
    uint64_t now = rd64(MTIME);
    puts_(now >= deadline ? "idle: woke at the deadline\n" : "idle: woke early\n");
    kv("idle: wakeups", wakeups);
    finish(now >= deadline ? 0x5555 : (2u << 16) | 0x3333);
    return 0;
}
