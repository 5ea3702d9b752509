/* Shared definitions for rivet's bare-metal ISA tests (assembly and C).
 *
 * A test ends through the SiFive test finisher at 0x100000: PASS exits the
 * emulator with status 0, FAIL(n) with status n, so the exit status names the
 * failing check. Output goes to the 16550 UART at 0x10000000. */
#ifndef RIVET_TEST_H
#define RIVET_TEST_H

#define UART_BASE     0x10000000
#define FINISHER_BASE 0x100000
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

#ifdef __ASSEMBLER__

/* Clobbers t5, t6. */
#define TEST_PASS                 \
        li t5, FINISHER_PASS;     \
        li t6, FINISHER_BASE;     \
        sw t5, 0(t6);             \
99:     j 99b

#define TEST_FAIL_CODE(reg)       \
        slli reg, reg, 16;        \
        li t6, FINISHER_FAIL;     \
        or reg, reg, t6;          \
        li t6, FINISHER_BASE;     \
        sw reg, 0(t6);            \
98:     j 98b

/* CHECK(n, reg, value): fail with status n unless reg == value. Clobbers t6. */
#define CHECK(n, reg, value)      \
        li t6, value;             \
        beq reg, t6, 97f;         \
        li a0, n;                 \
        j test_fail;              \
97:

/* CHECK_REG(n, reg, expected_reg): fail with status n unless the two agree. */
#define CHECK_REG(n, reg, ereg)   \
        beq reg, ereg, 96f;       \
        li a0, n;                 \
        j test_fail;              \
96:

#else /* C */

#include <stdint.h>

static inline void finish(int code)
{
    volatile uint32_t *fin = (volatile uint32_t *)FINISHER_BASE;
    *fin = code == 0 ? FINISHER_PASS : (((uint32_t)code << 16) | FINISHER_FAIL);
    for (;;)
        ;
}

static inline void uart_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
    while (!(uart[5] & 0x20))
        ;
    uart[0] = (uint8_t)c;
}

static inline void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

static inline void uart_puthex(uint64_t v)
{
    for (int i = 60; i >= 0; i -= 4)
        uart_putc("0123456789abcdef"[(v >> i) & 15]);
}

#define read_csr(csr) ({ uint64_t __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v)); __v; })
#define write_csr(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"((uint64_t)(val)))

/* Fail with status n (and say where) unless cond holds. */
#define CHECK(n, cond)                                                  \
    do {                                                                \
        if (!(cond)) {                                                  \
            uart_puts("FAIL check " #n ": " #cond "\n");                \
            finish(n);                                                  \
        }                                                               \
    } while (0)

#endif
#endif
