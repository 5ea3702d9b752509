#include "boot/fdt.h"
#include "dev/goldfish_rtc.h"

enum {
    TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c,
    IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c,
    DECODED = 0x24,
};

static uint64_t rtc_now(const struct goldfish_rtc *r)
{
    return vclock_ns(r->clock) + (uint64_t)r->offset_ns;
}

static void rtc_update_irq(struct goldfish_rtc *r)
{
    irq_set(&r->irq_line, r->irq_pending && r->irq_enabled);
}

void goldfish_rtc_init_time(struct goldfish_rtc *r, bool fixed, int64_t base_ns)
{
    int64_t start = fixed ? base_ns : (int64_t)host_realtime_ns() + base_ns;
    r->offset_ns = start - (int64_t)vclock_ns(r->clock);
}

void goldfish_rtc_reset(struct goldfish_rtc *r)
{
    r->alarm_next = 0;
    r->alarm_running = r->irq_pending = r->irq_enabled = false;
    rtc_update_irq(r);
}

void goldfish_rtc_update(struct goldfish_rtc *r)
{
    if (r->alarm_running && rtc_now(r) >= r->alarm_next) {
        r->alarm_running = false;
        r->irq_pending = true;
        rtc_update_irq(r);
    }
}

uint64_t goldfish_rtc_next_deadline(const struct goldfish_rtc *r)
{
    if (!r->alarm_running)
        return UINT64_MAX;
    int64_t guest = (int64_t)r->alarm_next - r->offset_ns;
    return guest < 0 ? 0 : (uint64_t)guest;
}

static bool rtc_read(void *dev, uint64_t off, unsigned size, uint64_t *value)
{
    struct goldfish_rtc *r = dev;
    if (size != 4 || off >= DECODED || (off & 3))
        return false;
    switch (off) {
    case TIME_LOW: {
        uint64_t now = rtc_now(r);
        r->time_high_latch = (uint32_t)(now >> 32);  /* read low, then high */
        *value = (uint32_t)now;
        break;
    }
    case TIME_HIGH: *value = r->time_high_latch; break;
    case ALARM_LOW: *value = (uint32_t)r->alarm_next; break;
    case ALARM_HIGH: *value = (uint32_t)(r->alarm_next >> 32); break;
    case IRQ_ENABLED: *value = r->irq_enabled; break;
    case ALARM_STATUS: *value = r->alarm_running; break;
    default: *value = 0; break;
    }
    return true;
}

static bool rtc_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
    struct goldfish_rtc *r = dev;
    uint32_t v = (uint32_t)value;
    if (size != 4 || off >= DECODED || (off & 3))
        return false;
    switch (off) {
    case TIME_LOW: {
        uint64_t t = (rtc_now(r) & ~0xffffffffULL) | v;
        r->offset_ns = (int64_t)(t - vclock_ns(r->clock));
        break;
    }
    case TIME_HIGH: {
        uint64_t t = (rtc_now(r) & 0xffffffffULL) | ((uint64_t)v << 32);
        r->offset_ns = (int64_t)(t - vclock_ns(r->clock));
        break;
    }
    case ALARM_LOW:
        r->alarm_next = (r->alarm_next & ~0xffffffffULL) | v;
        r->alarm_running = true;  /* writing the low half arms the alarm */
        goldfish_rtc_update(r);
        break;
    case ALARM_HIGH:
        r->alarm_next = (r->alarm_next & 0xffffffffULL) | ((uint64_t)v << 32);
        break;
    case IRQ_ENABLED:
        r->irq_enabled = v & 1;
        break;
    case CLEAR_ALARM:
        r->alarm_running = false;
        break;
    case CLEAR_INTERRUPT:
        r->irq_pending = false;
        break;
    default:
        break;
    }
    rtc_update_irq(r);
    return true;
}

const struct mmio_ops goldfish_rtc_ops = { rtc_read, rtc_write };

void goldfish_rtc_add_fdt(const struct goldfish_rtc *r, void *fdt, const char *soc)
{
    int n = fdt_node_fmt(fdt, soc, "rtc@%llx", r->base);
    fdt_prop_u32(fdt, n, "interrupts", r->irq);
    fdt_prop_u32(fdt, n, "interrupt-parent", r->plic_phandle);
    fdt_prop_reg(fdt, n, r->base, GOLDFISH_RTC_SIZE);
    fdt_prop_str(fdt, n, "compatible", "google,goldfish-rtc");
}
