/* NS16550A UART with 16-byte FIFOs, as QEMU's serial-mm on the virt board. */
#ifndef RIVET_UART16550_H
#define RIVET_UART16550_H

#include "dev/device.h"
#include "mem/bus.h"

#define UART_SIZE 0x100
#define UART_FIFO 16

struct uart16550 {
    uint64_t base;
    unsigned irq;             /* PLIC source, for the device tree */
    uint32_t plic_phandle;
    uint8_t ier, iir_fifo, lcr, mcr, lsr, msr, scr, fcr;
    uint16_t divisor;
    bool thr_ipending;
    uint8_t rx[UART_FIFO];
    unsigned rx_head, rx_count;
    struct irq_line irq_line;
    struct chardev *chr;
    struct log *log;
};

extern const struct mmio_ops uart16550_ops;
void uart16550_reset(struct uart16550 *u);
/* Move waiting host input into the receive FIFO while it has room. */
void uart16550_poll_input(struct uart16550 *u);
bool uart16550_rx_has_room(const struct uart16550 *u);
void uart16550_add_fdt(const struct uart16550 *u, void *fdt, const char *soc);

#endif
