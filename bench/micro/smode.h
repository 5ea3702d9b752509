/* Shared by the S-mode micro-benchmarks (ptwalk, lrsc, straddle): the
 * M-mode start builds an Sv39 page table (RAM at 0x80000000 and the low
 * gigabyte with the SiFive test device identity-mapped by gigapages, and a
 * window at 0x40000000 of WINDOW_PAGES 4 KiB pages cycling over 16
 * physical pages), opens PMP to S-mode and enters smain() in S-mode. */
#include <stdint.h>

#ifndef WINDOW_PAGES
#define WINDOW_PAGES 512
#endif
#define WINDOW 0x40000000UL
#define PTE_V 1
#define PTE_R 2
#define PTE_W 4
#define PTE_X 8
#define PTE_A 64
#define PTE_D 128

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[(WINDOW_PAGES + 511) / 512][512] __attribute__((aligned(4096)));
static uint8_t backing[16][4096] __attribute__((aligned(4096)));

static void smain(void);

void _start(void) __attribute__((section(".text.init"), naked));
void _start(void)
{
    __asm__ volatile("la sp, _stack_top\n j mmain");
}

static uint64_t table(const void *t) { return ((uint64_t)(uintptr_t)t >> 12) << 10 | PTE_V; }

/* Exit through the SiFive test device: pass, or fail with `code`. */
static void finish_with(uint32_t code)
{
    *(volatile uint32_t *)0x100000 = code ? code << 16 | 0x3333 : 0x5555;
    for (;;)
        ;
}

static void finish(void)
{
    *(volatile uint32_t *)0x100000 = 0x5555;
    for (;;)
        ;
}

void mmain(void)
{
    const uint64_t rwx = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    root[0] = (0x0UL >> 12) << 10 | rwx;            /* devices */
    root[2] = (0x80000000UL >> 12) << 10 | rwx;     /* RAM */
    root[WINDOW >> 30] = table(l1);
    for (unsigned i = 0; i < WINDOW_PAGES; i++) {
        if (i % 512 == 0)
            l1[i / 512] = table(l0[i / 512]);
        l0[i / 512][i % 512] = ((uint64_t)(uintptr_t)backing[i % 16] >> 12) << 10 | rwx;
    }
    uint64_t satp = 8UL << 60 | (uint64_t)(uintptr_t)root >> 12;
    __asm__ volatile("csrw pmpaddr0, %0\n csrw pmpcfg0, %1\n"
                     "csrw satp, %2\n sfence.vma\n"
                     "csrw mepc, %3\n csrs mstatus, %4\n csrc mstatus, %5\n mret"
                     :: "r"(~0UL >> 10), "r"(0x1fUL), "r"(satp), "r"(smain),
                        "r"(1UL << 11), "r"(1UL << 12) : "memory");
    finish();
}
