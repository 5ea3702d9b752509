/* Shared helpers for the M-mode board programs (probe, finisher, reboot). */
#ifndef BOARD_BM_H
#define BOARD_BM_H
#include <stdint.h>

#define UART0     0x10000000UL
#define TEST_DEV  0x100000UL
#define CLINT     0x2000000UL
#define PLIC      0xc000000UL
#define RTC       0x101000UL

struct boot_regs {
    uint64_t a0, a1, a2, t0, other_gprs, mtvec, mstatus, mip, mie, satp;
};
extern struct boot_regs boot_regs;
extern volatile struct trap_info { uint64_t count, cause, tval; } trap_info;

static inline uint8_t  rd8(uintptr_t a)  { return *(volatile uint8_t *)a; }
static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline uint64_t rd64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void wr8(uintptr_t a, uint8_t v)   { *(volatile uint8_t *)a = v; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" :: "r"((uint64_t)(val)))

static inline void putc_(char c)
{
    while (!(rd8(UART0 + 5) & 0x20))
        ;
    wr8(UART0, (uint8_t)c);
}

static inline void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

static inline void puthex(uint64_t v)
{
    char buf[19];
    int i = 18;
    buf[i] = 0;
    do {
        buf[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    buf[--i] = 'x';
    buf[--i] = '0';
    puts_(buf + i);
}

static inline void putdec(uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_(buf + i);
}

/* "name=0x..\n" */
static inline void kv(const char *name, uint64_t v)
{
    puts_(name);
    putc_('=');
    puthex(v);
    putc_('\n');
}

static inline void finish(uint32_t code)
{
    wr32(TEST_DEV, code);
    for (;;)
        __asm__ volatile("wfi");
}
#endif
