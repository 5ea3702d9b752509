#include "boot/fdt.h"
#include "dev/uart16550.h"

enum { RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
enum {
    LSR_DR = 0x01, LSR_OE = 0x02, LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40,
    IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08,
    IIR_NO_INT = 0x01, IIR_RLSI = 0x06, IIR_RDI = 0x04, IIR_THRI = 0x02, IIR_MSI = 0x00,
    LCR_DLAB = 0x80, MCR_LOOP = 0x10, FCR_FE = 0x01, FCR_CLEAR_RX = 0x02, FCR_CLEAR_TX = 0x04,
};

/* IIR for the highest-priority condition. Receive data raises RDI as soon
 * as any byte waits (rather than at the FIFO trigger level plus a
 * character-timeout), which Linux treats the same and which delivers
 * single keystrokes at once. */
static uint8_t uart_iir(const struct uart16550 *u)
{
    if ((u->ier & IER_RLSI) && (u->lsr & 0x1e))
        return IIR_RLSI;
    if ((u->ier & IER_RDI) && (u->lsr & LSR_DR))
        return IIR_RDI;
    if ((u->ier & IER_THRI) && u->thr_ipending)
        return IIR_THRI;
    if ((u->ier & IER_MSI) && (u->msr & 0x0f))
        return IIR_MSI;
    return IIR_NO_INT;
}

static void uart_update_irq(struct uart16550 *u)
{
    irq_set(&u->irq_line, uart_iir(u) != IIR_NO_INT);
}

void uart16550_reset(struct uart16550 *u)
{
    u->ier = u->lcr = u->scr = u->fcr = 0;
    u->iir_fifo = 0;
    u->mcr = 0x08;        /* OUT2 */
    u->lsr = LSR_THRE | LSR_TEMT;
    u->msr = 0xb0;        /* DCD | DSR | CTS */
    u->divisor = 0x0c;
    u->thr_ipending = false;
    u->rx_head = u->rx_count = 0;
    uart_update_irq(u);
}

static void rx_push(struct uart16550 *u, uint8_t byte)
{
    if (u->rx_count == UART_FIFO) {
        u->lsr |= LSR_OE;
        return;
    }
    u->rx[(u->rx_head + u->rx_count++) % UART_FIFO] = byte;
    u->lsr |= LSR_DR;
}

static uint8_t rx_pop(struct uart16550 *u)
{
    if (!u->rx_count)
        return 0;
    uint8_t b = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_FIFO;
    if (--u->rx_count == 0)
        u->lsr &= (uint8_t)~LSR_DR;
    return b;
}

bool uart16550_rx_has_room(const struct uart16550 *u)
{
    unsigned cap = (u->fcr & FCR_FE) ? UART_FIFO : 1;
    return u->rx_count < cap;
}

void uart16550_poll_input(struct uart16550 *u)
{
    if (!u->chr || !u->chr->read || (u->mcr & MCR_LOOP))
        return;
    bool got = false;
    while (uart16550_rx_has_room(u)) {
        uint8_t b;
        if (u->chr->read(u->chr->opaque, &b, 1) != 1)
            break;
        rx_push(u, b);
        got = true;
    }
    if (got)
        uart_update_irq(u);
}

static void transmit(struct uart16550 *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP)
        rx_push(u, byte);
    else if (u->chr && u->chr->write)
        u->chr->write(u->chr->opaque, &byte, 1);
    /* The byte leaves at once: the holding register is empty again. */
    u->lsr |= LSR_THRE | LSR_TEMT;
    u->thr_ipending = true;
}

static uint8_t uart_read_reg(struct uart16550 *u, unsigned reg)
{
    switch (reg) {
    case RBR_THR_DLL:
        if (u->lcr & LCR_DLAB)
            return (uint8_t)u->divisor;
        return rx_pop(u);
    case IER_DLM:
        return (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
    case IIR_FCR: {
        uint8_t iir = uart_iir(u);
        if (iir == IIR_THRI)
            u->thr_ipending = false;  /* reading the THRI cause acknowledges it */
        return iir | ((u->fcr & FCR_FE) ? 0xc0 : 0);
    }
    case LCR: return u->lcr;
    case MCR: return u->mcr;
    case LSR: {
        uint8_t v = u->lsr;
        u->lsr &= (uint8_t)~(LSR_OE | LSR_BI);
        return v;
    }
    case MSR: {
        uint8_t v = u->msr;
        if (u->mcr & MCR_LOOP)  /* loopback mirrors DTR/RTS/OUT1/OUT2 */
            v = (uint8_t)(((u->mcr & 0x0c) << 4) | ((u->mcr & 0x02) << 3) | ((u->mcr & 0x01) << 5));
        u->msr &= 0xf0;
        return v;
    }
    default: return u->scr;
    }
}

static void uart_write_reg(struct uart16550 *u, unsigned reg, uint8_t v)
{
    switch (reg) {
    case RBR_THR_DLL:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0xff00) | v);
        } else {
            u->lsr &= (uint8_t)~(LSR_THRE | LSR_TEMT);
            u->thr_ipending = false;
            transmit(u, v);
        }
        break;
    case IER_DLM:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0xff) | (v << 8));
        } else {
            uint8_t old = u->ier;
            u->ier = v & 0x0f;
            /* Linux's THRE test relies on THRI firing on each 0->1 edge. */
            if ((u->ier & IER_THRI) && !(old & IER_THRI) && (u->lsr & LSR_THRE))
                u->thr_ipending = true;
            if (!(u->ier & IER_THRI))
                u->thr_ipending = false;
        }
        break;
    case IIR_FCR:
        if ((v ^ u->fcr) & FCR_FE)
            v |= FCR_CLEAR_RX | FCR_CLEAR_TX;
        if (v & FCR_CLEAR_RX) {
            u->rx_head = u->rx_count = 0;
            u->lsr &= (uint8_t)~(LSR_DR | LSR_BI);
        }
        if (v & FCR_CLEAR_TX) {
            u->lsr |= LSR_THRE | LSR_TEMT;
            u->thr_ipending = true;
        }
        u->fcr = v & 0xc9;
        break;
    case LCR: u->lcr = v; break;
    case MCR: u->mcr = v & 0x1f; break;
    case SCR: u->scr = v; break;
    default: break; /* LSR and MSR are read-only */
    }
}

/* QEMU's serial-mm accepts any width and accesses the addressed byte. */
static bool uart_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct uart16550 *u = dev;
    (void)size;
    if (offset >= 8)
        return false;
    *value = uart_read_reg(u, (unsigned)offset);
    uart_update_irq(u);
    return true;
}

static bool uart_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct uart16550 *u = dev;
    (void)size;
    if (offset >= 8)
        return false;
    uart_write_reg(u, (unsigned)offset, (uint8_t)value);
    uart_update_irq(u);
    return true;
}

const struct mmio_ops uart16550_ops = { uart_read, uart_write };

void uart16550_add_fdt(const struct uart16550 *u, void *fdt, const char *soc)
{
    int n = fdt_node_fmt(fdt, soc, "serial@%llx", u->base);
    fdt_prop_u32(fdt, n, "interrupts", u->irq);
    fdt_prop_u32(fdt, n, "interrupt-parent", u->plic_phandle);
    fdt_prop_u32(fdt, n, "clock-frequency", 3686400);
    fdt_prop_reg(fdt, n, u->base, UART_SIZE);
    fdt_prop_str(fdt, n, "compatible", "ns16550a");
}
