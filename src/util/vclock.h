/* Guest time. In real-time mode it follows the host's monotonic clock; in
 * -icount mode it is derived from the number of instructions executed, so
 * runs are repeatable, and idle periods are skipped instead of waited out. */
#ifndef RIVET_VCLOCK_H
#define RIVET_VCLOCK_H

#include "util/common.h"

#define MTIME_HZ 10000000ULL  /* CLINT timebase, as QEMU's virt board */

struct vclock {
    bool icount;
    unsigned shift;          /* icount: each instruction takes 2^shift ns */
    uint64_t host_start_ns;  /* real time: host monotonic time at ns 0 */
    uint64_t insns;          /* icount: instructions executed so far */
    uint64_t skipped_ns;     /* icount: idle time jumped over */
};

uint64_t host_monotonic_ns(void);
uint64_t host_realtime_ns(void);

void vclock_init(struct vclock *c, bool icount, unsigned shift);
uint64_t vclock_ns(const struct vclock *c);
/* icount: jump forward to `ns` (never backwards). */
void vclock_skip_to(struct vclock *c, uint64_t ns);

static inline uint64_t vclock_mtime(const struct vclock *c)
{
    return vclock_ns(c) / (1000000000ULL / MTIME_HZ);
}

static inline uint64_t mtime_to_ns(uint64_t mtime)
{
    return mtime > UINT64_MAX / 100 ? UINT64_MAX : mtime * (1000000000ULL / MTIME_HZ);
}

#endif
