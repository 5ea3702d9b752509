#include "dev/aclint_sswi.h"

/* setssip[h] at 4h: writing 1 raises hart h's SSIP; reads return 0 and
 * writing 0 does nothing (the hart clears SSIP itself through sip). */
static bool sswi_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    (void)dev; (void)offset;
    if (size != 4)
        return false;
    *value = 0;
    return true;
}

static bool sswi_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct aclint_sswi *s = dev;
    if (size != 4)
        return false;
    unsigned h = (unsigned)(offset / 4);
    if ((offset & 3) || h >= s->nharts) {
        log_msg(s->log, LOG_GUEST_ERROR, "aclint-sswi: write to invalid offset 0x%llx\n",
                (unsigned long long)offset);
        return true;
    }
    if (value & 1)
        irq_set(&s->ssip[h], true);
    return true;
}

const struct mmio_ops aclint_sswi_ops = { sswi_read, sswi_write };
