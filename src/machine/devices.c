#define _GNU_SOURCE
/* The board's device table: every peripheral is registered once, where it
 * is created, and reset, polled, timed, put in the device tree and waited
 * on through it. (The CLINT and PLIC, wired to every hart, stay named.) */
#include <poll.h>

#include "machine/virt.h"
#include "util/error.h"

void virt_add_device(struct virt *v, const struct device_ops *ops, void *dev)
{
    if (v->ndevices == VIRT_MAX_DEVICES)
        fatal("too many devices on the board (%d)", VIRT_MAX_DEVICES);
    v->device[v->ndevices++] = (struct board_device){ ops, dev };
}

void virt_devices_reset(struct virt *v)
{
    for (unsigned i = 0; i < v->ndevices; i++)
        if (v->device[i].ops->reset)
            v->device[i].ops->reset(v->device[i].dev);
}

/* Also gathers the host fds the I/O side must wake for (under the device
 * lock, which the devices' fd lists need), for wait_input. */
void virt_devices_poll(struct virt *v)
{
    v->ndev_fds = 0;
    v->dev_timeout_ns = UINT64_MAX;
    for (unsigned i = 0; i < v->ndevices; i++) {
        const struct board_device *d = &v->device[i];
        if (d->ops->poll)
            d->ops->poll(d->dev);
        if (d->ops->wait_fds)
            v->ndev_fds += d->ops->wait_fds(d->dev, v->dev_fds + v->ndev_fds,
                                            VIRT_MAX_DEV_FDS - v->ndev_fds, &v->dev_timeout_ns);
    }
}

uint64_t virt_devices_next_deadline(const struct virt *v)
{
    uint64_t t = UINT64_MAX;
    for (unsigned i = 0; i < v->ndevices; i++) {
        const struct board_device *d = &v->device[i];
        uint64_t n = d->ops->next_deadline ? d->ops->next_deadline(d->dev) : UINT64_MAX;
        if (n < t)
            t = n;
    }
    return t;
}

void virt_devices_add_fdt(struct virt *v, void *fdt, const char *soc)
{
    for (unsigned i = 0; i < v->ndevices; i++)
        if (v->device[i].ops->add_fdt)
            v->device[i].ops->add_fdt(v->device[i].dev, fdt, soc);
}

/* ---- the built-in peripherals' entries ---------------------------------------- */

static void test_fdt(void *d, void *fdt, const char *soc) { sifive_test_add_fdt(d, fdt, soc); }
static void uart_reset(void *d) { uart16550_reset(d); }
static void uart_fdt(void *d, void *fdt, const char *soc) { uart16550_add_fdt(d, fdt, soc); }
static void rtc_reset(void *d) { goldfish_rtc_reset(d); }
static void rtc_poll(void *d) { goldfish_rtc_update(d); }
static uint64_t rtc_deadline(void *d) { return goldfish_rtc_next_deadline(d); }
static void rtc_fdt(void *d, void *fdt, const char *soc) { goldfish_rtc_add_fdt(d, fdt, soc); }

static const struct device_ops test_ops = { .add_fdt = test_fdt };
static const struct device_ops uart_ops = { .reset = uart_reset, .add_fdt = uart_fdt };
static const struct device_ops rtc_ops = {
    .reset = rtc_reset, .poll = rtc_poll, .next_deadline = rtc_deadline, .add_fdt = rtc_fdt,
};

/* In the order their device-tree nodes have always been written. */
void virt_register_devices(struct virt *v)
{
    v->dev_timeout_ns = UINT64_MAX;  /* until the first poll says otherwise */
    virt_add_device(v, &test_ops, &v->test);
    virt_add_device(v, &uart_ops, &v->uart);
    virt_add_device(v, &rtc_ops, &v->rtc);
    virt_create_virtio(v);
}
