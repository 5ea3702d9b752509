/* Shared definitions for rivet's bare-metal SMP tests (tests/smp/NAME.c).
 *
 * Each test defines   int smp_main(unsigned hart, unsigned nharts);
 * which every hart runs once all harts have checked in (hart 0 counts them
 * in the device tree's /cpus). A test passes when every hart's smp_main
 * returns 0; hart 0 then writes PASS to the SiFive test finisher, or the
 * first non-zero code it saw (its own first, then by hart number) as FAIL.
 * A check in the middle of a protocol ends the test at once, from any hart,
 * with CHECK, FAIL or finish (returning early would leave others waiting).
 *
 * Waiting: WAIT(cond) spins a little, then sleeps in WFI (mie.MSIE is set
 * on every hart, mstatus.MIE is clear) and rechecks after every wake-up;
 * whoever makes a condition true calls kick(hart) (or kick_all) after it,
 * which sends that hart a CLINT MSIP. So a waiting hart costs nothing when
 * the harts share one host thread, and spinning keeps threaded runs tight.
 * MSIPs may arrive late or twice: tests that count interrupts use sequence
 * numbers, never the bare number of MSIPs. */
#ifndef RIVET_SMP_H
#define RIVET_SMP_H

#define SMP_MAX_HARTS   64
#define SMP_STACK_SHIFT 14              /* 16 KiB per hart */

#define UART_BASE       0x10000000
#define FINISHER_BASE   0x100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define CLINT_BASE      0x2000000       /* MSIP at +4*hart, mtime at +0xbff8 */
#define SSWI_BASE       0x2f00000       /* ACLINT SSWI (-M virt,aclint=on) */
#define PLIC_BASE       0xc000000

#define MIP_SSIP        (1 << 1)
#define MIP_MSIP        (1 << 3)
#define MIP_MTIP        (1 << 7)
#define MIP_SEIP        (1 << 9)
#define MIP_MEIP        (1 << 11)
#define MSTATUS_MIE     (1 << 3)

#ifndef __ASSEMBLER__
#include <stdint.h>

#ifndef SMP_SPIN
#define SMP_SPIN 2000                   /* polls before WAIT falls back to WFI */
#endif

int smp_main(unsigned hart, unsigned nharts);
/* Called on every trap with mstatus.MIE clear; the default fails the test. */
void smp_trap(uint64_t cause, uint64_t epc, uint64_t tval);

extern volatile uint64_t smp_release;
extern unsigned smp_nharts;

#define read_csr(csr) ({ uint64_t __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v)); __v; })
#define write_csr(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"((uint64_t)(val)) : "memory")
#define set_csr(csr, val) __asm__ volatile("csrs " #csr ", %0" ::"rK"((uint64_t)(val)) : "memory")
#define clear_csr(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"rK"((uint64_t)(val)) : "memory")

#define fence()      __asm__ volatile("fence iorw, iorw" ::: "memory")
#define fence_ww()   __asm__ volatile("fence w, w" ::: "memory")
#define fence_rr()   __asm__ volatile("fence r, r" ::: "memory")
#define fence_rwrw() __asm__ volatile("fence rw, rw" ::: "memory")
#define fence_i()    __asm__ volatile("fence.i" ::: "memory")
#define wfi()        __asm__ volatile("wfi" ::: "memory")
#define barrier()    __asm__ volatile("" ::: "memory")

#define LOAD(x)      (*(volatile __typeof__(x) *)&(x))
#define STORE(x, v)  (*(volatile __typeof__(x) *)&(x) = (v))

static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline void mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }

static inline uint64_t mtime(void) { return *(volatile uint64_t *)(CLINT_BASE + 0xbff8); }

/* amoadd.w / amoadd.d / amoor.d returning the old value. */
static inline uint32_t amoadd_w(volatile uint32_t *p, uint32_t v)
{
    uint32_t old;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}
static inline uint64_t amoadd_d(volatile uint64_t *p, uint64_t v)
{
    uint64_t old;
    __asm__ volatile("amoadd.d %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}
static inline uint64_t amoadd_d_aqrl(volatile uint64_t *p, uint64_t v)
{
    uint64_t old;
    __asm__ volatile("amoadd.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
    return old;
}

/* Sends hart h a machine software interrupt (after ordering every earlier
 * access before it). */
static inline void kick(unsigned h)
{
    fence();
    mmio_write32(CLINT_BASE + 4 * h, 1);
}
static inline void msip_clear(unsigned h) { mmio_write32(CLINT_BASE + 4 * h, 0); }
void kick_all(unsigned self);           /* kick every hart but self */

#define WAIT(cond)                                                      \
    do {                                                                \
        unsigned __spin = 0;                                            \
        while (!(cond)) {                                               \
            if (__spin < SMP_SPIN) { __spin++; continue; }              \
            msip_clear(read_csr(mhartid));                              \
            fence();                                                    \
            if (cond)                                                   \
                break;                                                  \
            wfi();                                                      \
        }                                                               \
        fence_rwrw();                                                   \
    } while (0)

/* All nharts harts meet; returns after every hart has arrived. */
void smp_barrier(void);

void finish(int code) __attribute__((noreturn));

/* Console: a lock keeps lines from different harts whole. */
void print_lock(void);
void print_unlock(void);
void puts_nl(const char *s);           /* the string, unlocked */
void put_str(const char *s);           /* unlocked pieces, inside print_lock */
void put_dec(uint64_t v);
void put_hex(uint64_t v);
/* printf-lite, one locked call: %d %u %x (int), %ld %lu %lx (long), %s. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints and ends the test at once with status n: for failures in the middle
 * of a protocol, where returning would leave the other harts waiting. */
#define FAIL(n, ...)                                                    \
    do {                                                                \
        say(__VA_ARGS__);                                               \
        finish(n);                                                      \
    } while (0)

#define CHECK(n, cond)                                                  \
    do {                                                                \
        if (!(cond)) {                                                  \
            say("FAIL check %d on hart %lu: %s\n", (int)(n),             \
                read_csr(mhartid), #cond);                              \
            finish(n);                                                  \
        }                                                               \
    } while (0)

#endif
#endif
