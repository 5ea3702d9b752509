#include <time.h>

#include "util/vclock.h"

uint64_t host_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t host_realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void vclock_init(struct vclock *c, bool icount, unsigned shift)
{
    c->icount = icount;
    c->shift = shift;
    c->host_start_ns = host_monotonic_ns();
    c->insns = 0;
    c->skipped_ns = 0;
}

uint64_t vclock_ns(const struct vclock *c)
{
    if (c->icount)
        return (c->insns << c->shift) + c->skipped_ns;
    return host_monotonic_ns() - c->host_start_ns;
}

void vclock_skip_to(struct vclock *c, uint64_t ns)
{
    uint64_t now = vclock_ns(c);
    if (c->icount && ns > now)
        c->skipped_ns += ns - now;
}
