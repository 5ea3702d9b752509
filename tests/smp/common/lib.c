/* Start-up, synchronisation and console for the bare-metal SMP tests; see
 * smp.h. crt.S calls smp_boot on hart 0 and smp_secondary on the others. */
#include <stdarg.h>
#include "smp.h"

volatile uint64_t smp_release __attribute__((section(".data"))) = 0;
unsigned smp_nharts __attribute__((section(".data"))) = 1;

static volatile uint64_t checked_in, done;
static volatile int results[SMP_MAX_HARTS];
static volatile uint64_t bar_count, bar_gen;
static volatile uint32_t print_word;

void finish(int code)
{
    fence();
    mmio_write32(FINISHER_BASE, code == 0 ? FINISHER_PASS
                 : (((uint32_t)code << 16) | FINISHER_FAIL));
    for (;;)
        wfi();
}

/* ---- device tree: count the cpu@N nodes under /cpus ---------------------- */
static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int name_is(const char *s, const char *prefix, int whole)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return !whole || *s == 0 || *s == '@';
}

static unsigned fdt_count_cpus(const uint8_t *fdt)
{
    if (!fdt || be32(fdt) != 0xd00dfeed)
        return 0;
    const uint8_t *p = fdt + be32(fdt + 8), *end = p + be32(fdt + 36);
    int depth = 0, in_cpus = 0;
    unsigned n = 0;
    while (p < end) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == 1) {                 /* FDT_BEGIN_NODE */
            const char *name = (const char *)p;
            depth++;
            if (depth == 2 && name_is(name, "cpus", 1))
                in_cpus = 1;
            else if (depth == 3 && in_cpus && name_is(name, "cpu@", 0))
                n++;
            unsigned len = 0;
            while (name[len])
                len++;
            p += (len + 4) & ~3u;
        } else if (tok == 2) {          /* FDT_END_NODE */
            if (depth == 2)
                in_cpus = 0;
            depth--;
        } else if (tok == 3) {          /* FDT_PROP */
            p += 8 + ((be32(p) + 3) & ~3u);
        } else if (tok == 4) {          /* FDT_NOP */
        } else {
            break;                      /* FDT_END or garbage */
        }
    }
    return n;
}

/* ---- start-up --------------------------------------------------------------- */
void kick_all(unsigned self)
{
    for (unsigned h = 0; h < smp_nharts; h++)
        if (h != self)
            kick(h);
}

void smp_boot(unsigned hart, const void *dtb) __attribute__((noreturn));
void smp_boot(unsigned hart, const void *dtb)
{
    (void)hart;
#ifdef SMP_NHARTS
    unsigned n = SMP_NHARTS;
    (void)dtb;
#else
    unsigned n = fdt_count_cpus(dtb);
#endif
    if (n == 0 || n > SMP_MAX_HARTS) {
        say("smp: cannot count the harts in the device tree at %lx (got %u)\n",
            (unsigned long)dtb, n);
        finish(250);
    }
    smp_nharts = n;
    fence();
    smp_release = 1;
    kick_all(0);
    write_csr(mie, MIP_MSIP);
    WAIT(checked_in == n - 1);

    int rc = smp_main(0, n);

    WAIT(done == n - 1);
    if (rc != 0)
        finish(rc);
    for (unsigned h = 1; h < n; h++)
        if (results[h] != 0) {
            say("smp: hart %u failed with %d\n", h, results[h]);
            finish(results[h]);
        }
    finish(0);
}

void smp_secondary(unsigned hart)
{
    amoadd_d_aqrl(&checked_in, 1);
    kick(0);
    int rc = smp_main(hart, smp_nharts);
    results[hart] = rc;
    amoadd_d_aqrl(&done, 1);
    kick(0);
}

void smp_barrier(void)
{
    unsigned self = read_csr(mhartid);
    uint64_t gen = bar_gen;
    if (amoadd_d_aqrl(&bar_count, 1) == smp_nharts - 1) {
        bar_count = 0;
        fence_rwrw();
        bar_gen = gen + 1;
        kick_all(self);
    } else {
        WAIT(bar_gen != gen);
    }
}

__attribute__((weak)) void smp_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
    say("unexpected trap on hart %lu: mcause=%lx mepc=%lx mtval=%lx\n",
        read_csr(mhartid), cause, epc, tval);
    finish(255);
}

/* ---- console ---------------------------------------------------------------- */
void print_lock(void)
{
    uint32_t old;
    do {
        while (print_word)
            ;
        __asm__ volatile("amoswap.w.aq %0, %2, (%1)"
                         : "=r"(old) : "r"(&print_word), "r"(1) : "memory");
    } while (old);
}

void print_unlock(void)
{
    __asm__ volatile("amoswap.w.rl zero, zero, (%0)" :: "r"(&print_word) : "memory");
}

static void putc_raw(char c)
{
    while (!(mmio_read8(UART_BASE + 5) & 0x20))
        ;
    mmio_write8(UART_BASE, (uint8_t)c);
}

void put_str(const char *s)
{
    while (*s)
        putc_raw(*s++);
}

void puts_nl(const char *s)
{
    put_str(s);
    putc_raw('\n');
}

void put_dec(uint64_t v)
{
    char buf[24];
    int i = 0;
    do
        buf[i++] = '0' + v % 10;
    while ((v /= 10) != 0);
    while (i > 0)
        putc_raw(buf[--i]);
}

void put_hex(uint64_t v)
{
    int i = 60;
    while (i > 0 && !(v >> i))
        i -= 4;
    for (; i >= 0; i -= 4)
        putc_raw("0123456789abcdef"[(v >> i) & 15]);
}

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_lock();
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            putc_raw(*f);
            continue;
        }
        f++;
        int lng = 0;
        if (*f == 'l') {
            lng = 1;
            f++;
        }
        switch (*f) {
        case 'd': {
            int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0) {
                putc_raw('-');
                v = -v;
            }
            put_dec((uint64_t)v);
            break;
        }
        case 'u':
            put_dec(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned));
            break;
        case 'x':
            put_hex(lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned));
            break;
        case 's':
            put_str(va_arg(ap, const char *));
            break;
        case '%':
            putc_raw('%');
            break;
        default:
            putc_raw('?');
        }
    }
    print_unlock();
    va_end(ap);
}
