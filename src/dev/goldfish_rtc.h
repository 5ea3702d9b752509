/* Goldfish RTC: nanoseconds since the Unix epoch, with one alarm. */
#ifndef RIVET_GOLDFISH_RTC_H
#define RIVET_GOLDFISH_RTC_H

#include "dev/device.h"
#include "mem/bus.h"
#include "util/vclock.h"

#define GOLDFISH_RTC_SIZE 0x1000

struct goldfish_rtc {
    uint64_t base;
    unsigned irq;
    uint32_t plic_phandle;
    int64_t offset_ns;       /* wall time = guest ns + offset */
    uint64_t alarm_next;
    bool alarm_running, irq_pending, irq_enabled;
    uint32_t time_high_latch;
    struct irq_line irq_line;
    const struct vclock *clock;
    struct log *log;
};

extern const struct mmio_ops goldfish_rtc_ops;
/* Set the clock: to `base_ns` since the epoch if `fixed`, else to the
 * host's wall time plus `base_ns` (at realize, as QEMU). */
void goldfish_rtc_init_time(struct goldfish_rtc *r, bool fixed, int64_t base_ns);
void goldfish_rtc_reset(struct goldfish_rtc *r);
/* Fire the alarm if its time has come. */
void goldfish_rtc_update(struct goldfish_rtc *r);
/* Guest ns of the pending alarm, or UINT64_MAX. */
uint64_t goldfish_rtc_next_deadline(const struct goldfish_rtc *r);
void goldfish_rtc_add_fdt(const struct goldfish_rtc *r, void *fdt, const char *soc);

#endif
