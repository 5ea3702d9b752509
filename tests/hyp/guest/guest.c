/* A bare-metal guest that checks what rivet-hv gives a zone: entry state,
 * the SBI calls, the virtual PLIC through trapped MMIO (32-bit and
 * compressed forms), the timer, IPIs and a passed-through UART interrupt;
 * first it reboots its zone once (SBI SRST).
 * Prints "ok <what>" or "FAIL <what>", then shuts down.
 * Built with -DFAULT it instead touches an address its zone does not map,
 * with -DFAULT_VIRT it reads hstatus: the hypervisor must report either. */
#include <stdint.h>
#include <stdbool.h>

struct sbiret { long error, value; };
static struct sbiret sbi(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1, unsigned long a2)
{
    register unsigned long r0 __asm__("a0") = a0, r1 __asm__("a1") = a1, r2 __asm__("a2") = a2;
    register unsigned long r6 __asm__("a6") = fid, r7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
    return (struct sbiret){ (long)r0, (long)r1 };
}
/* Whole lines through DBCN (so zones on other harts do not interleave
 * inside a line), each starting with "guest<zone>: ". */
static char line[160];
static unsigned line_len;
static char zone_digit = '?';
static void putc_(char c)
{
    if (line_len == 0) {
        static const char pre[] = "guest";
        for (unsigned i = 0; pre[i]; i++)
            line[line_len++] = pre[i];
        line[line_len++] = zone_digit;
        line[line_len++] = ':';
        line[line_len++] = ' ';
    }
    if (line_len < sizeof line)
        line[line_len++] = c;
    if (c == '\n') {
        sbi(0x4442434E, 0, line_len, (unsigned long)line, 0);
        line_len = 0;
    }
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v) { puts_("0x"); for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[v >> i & 15]); }

static int failures;
static void check(bool ok, const char *what, uint64_t got)
{
    puts_(ok ? "ok " : "FAIL ");
    puts_(what);
    if (!ok) { puts_(" (got "); puthex(got); puts_(")"); failures++; }
    puts_("\n");
}

#define csrr(c) ({ unsigned long v_; __asm__ volatile("csrr %0, " #c : "=r"(v_)); v_; })
#define csrs(c, v) __asm__ volatile("csrs " #c ", %0" :: "r"((unsigned long)(v)))
#define csrc(c, v) __asm__ volatile("csrc " #c ", %0" :: "r"((unsigned long)(v)))

#define PLIC 0x0c000000ul
#define UART 0x10000000ul
static volatile unsigned long irq_seen[16];
static volatile uint32_t claimed;

void guest_trap(void)
{
    unsigned long cause = csrr(scause);
    if ((long)cause >= 0) {
        puts_("FAIL unexpected exception "); puthex(cause); puts_(" at "); puthex(csrr(sepc)); puts_("\n");
        sbi(0x53525354, 0, 0, 1, 0);
    }
    cause &= 15;
    irq_seen[cause]++;
    if (cause == 5)                 /* timer: push the deadline away */
        sbi(0x54494D45, 0, ~0ul, 0, 0);
    else if (cause == 1)
        csrc(sip, 2);
    else if (cause == 9) {
        uint32_t id = *(volatile uint32_t *)(PLIC + 0x201004);   /* claim, context 1 */
        claimed = id;
        *(volatile uint8_t *)(UART + 1) = 0;                     /* IER: no more THRE interrupts */
        *(volatile uint32_t *)(PLIC + 0x201004) = id;            /* complete */
    }
}

static void wait_irq(int cause, int n)
{
    for (long i = 0; i < 50000000 && irq_seen[cause] < (unsigned long)n; i++)
        __asm__ volatile("wfi");
}

/* MMIO emulation with every width, on the hypervisor's test page. */
static void mmio_widths(void)
{
    volatile uint8_t *b = (volatile uint8_t *)0x30000000;
    volatile uint64_t *d = (volatile uint64_t *)b;
    *d = 0x8182838485868788ull;
    check(*d == 0x8182838485868788ull, "MMIO: sd/ld", *d);
    int64_t s;
    uint64_t u;
    __asm__ volatile("lb %0, 0(%1)" : "=r"(s) : "r"(b) : "memory");
    check(s == (int8_t)0x88, "MMIO: lb sign-extends", (uint64_t)s);
    __asm__ volatile("lbu %0, 1(%1)" : "=r"(u) : "r"(b) : "memory");
    check(u == 0x87, "MMIO: lbu zero-extends", u);
    __asm__ volatile("lh %0, 2(%1)" : "=r"(s) : "r"(b) : "memory");
    check(s == (int16_t)0x8586, "MMIO: lh sign-extends", (uint64_t)s);
    __asm__ volatile("lhu %0, 6(%1)" : "=r"(u) : "r"(b) : "memory");
    check(u == 0x8182, "MMIO: lhu zero-extends", u);
    __asm__ volatile("lw %0, 4(%1)" : "=r"(s) : "r"(b) : "memory");
    check(s == (int32_t)0x81828384, "MMIO: lw sign-extends", (uint64_t)s);
    __asm__ volatile("lwu %0, 4(%1)" : "=r"(u) : "r"(b) : "memory");
    check(u == 0x81828384, "MMIO: lwu zero-extends", u);
    __asm__ volatile("li t0, 0x11\n sb t0, 0(%0)\n li t0, 0x2233\n sh t0, 2(%0)\n"
                     "li t0, 0x44556677\n sw t0, 4(%0)" :: "r"(b) : "t0", "memory");
    check(*d == 0x4455667722338711ull, "MMIO: ld after sb/sh/sw at each offset", *d);
    register uint64_t v __asm__("a4");
    register volatile uint8_t *p __asm__("a5") = b + 8;
    __asm__ volatile("li a3, -2\n c.sd a3, 8(%1)\n c.ld %0, 8(%1)" : "=r"(v) : "r"(p) : "a3", "memory");
    check(v == (uint64_t)-2, "MMIO: c.sd/c.ld", v);
    __asm__ volatile("li a3, -3\n c.sw a3, 0(%1)\n c.lw %0, 0(%1)" : "=r"(v) : "r"(p) : "a3", "memory");
    check(v == (uint64_t)-3, "MMIO: c.sw/c.lw sign-extends", v);
    /* sp-relative forms: point sp at the page for a moment */
    __asm__ volatile("mv t1, sp\n mv sp, %1\n li t0, 0x5a\n c.sdsp t0, 16(sp)\n c.ldsp %0, 16(sp)\n mv sp, t1"
                     : "=&r"(u) : "r"(b) : "t0", "t1", "memory");
    check(u == 0x5a, "MMIO: c.sdsp/c.ldsp", u);
    __asm__ volatile("mv t1, sp\n mv sp, %1\n li t0, -7\n c.swsp t0, 24(sp)\n c.lwsp %0, 24(sp)\n mv sp, t1"
                     : "=&r"(s) : "r"(b) : "t0", "t1", "memory");
    check(s == -7, "MMIO: c.swsp/c.lwsp", (uint64_t)s);
}

/* Does the device tree (totalsize at offset 4, big-endian) contain s? */
static const char *dt_find(unsigned long dtb, const char *s)
{
    const uint8_t *p = (const uint8_t *)dtb;
    uint32_t size = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    for (uint32_t i = 0; i < size; i++) {
        uint32_t k = 0;
        while (s[k] && p[i + k] == (uint8_t)s[k])
            k++;
        if (!s[k])
            return (const char *)p + i + k;
    }
    return 0;
}

void guest_main(unsigned long hartid, unsigned long dtb)
{
    bool is_dt = *(volatile uint32_t *)dtb == 0xedfe0dd0;
    const char *model = is_dt ? dt_find(dtb, "rivet-hv,zone") : 0;
    if (model)
        zone_digit = *model;
    bool uart = is_dt && dt_find(dtb, "ns16550a") != 0;
    puts_("hello from VS-mode\n");
    check(hartid == 0, "a0 is hart 0", hartid);
    check(*(volatile uint32_t *)dtb == 0xedfe0dd0, "a1 points at a device tree", dtb);
    check(csrr(satp) == 0, "satp (vsatp) is 0", csrr(satp));
#ifdef FAULT_VIRT
    puts_("reading hstatus, which VS-mode may not\n");
    unsigned long hs;
    __asm__ volatile("csrr %0, 0x600" : "=r"(hs));
    puts_("FAIL the read returned\n");
    sbi(0x53525354, 0, 0, 1, 0);
#endif
#ifdef FAULT
    puts_("touching 0x20000000, which the zone does not map\n");
    (void)*(volatile uint32_t *)0x20000000;
    puts_("FAIL the access returned\n");
    sbi(0x53525354, 0, 0, 1, 0);
#endif
    /* Reboot once (SBI SRST): the zone comes back with fresh images, and
     * this word of RAM, outside them, says it already happened. */
    volatile uint64_t *marker = (volatile uint64_t *)0x90100000;
    if (*marker != 0x7265626f6f746564ull) {                 /* "rebooted" */
        *marker = 0x7265626f6f746564ull;
        puts_("rebooting (SBI SRST cold reboot)\n");
        sbi(0x53525354, 0, 1, 0, 0);
        puts_("FAIL the reboot returned\n");
    }
    *marker = 0;
    check(true, "back after the reboot", 0);

    /* SBI base */
    struct sbiret r = sbi(0x10, 0, 0, 0, 0);
    check(r.error == 0 && r.value >= (2l << 24), "SBI spec version >= 2.0", r.value);
    static const unsigned long exts[] = { 0x54494D45, 0x735049, 0x52464E43, 0x48534D, 0x53525354, 0x4442434E };
    bool all = true;
    for (unsigned i = 0; i < 6; i++)
        all &= sbi(0x10, 3, exts[i], 0, 0).value == 1;
    check(all, "probe: TIME IPI RFENCE HSM SRST DBCN", 0);
    check(sbi(0x10, 3, 0x12345678, 0, 0).value == 0, "probe: unknown extension is 0", 0);
    check(sbi(0x12345678, 0, 0, 0, 0).error == -2, "unknown extension: not supported", 0);
    /* DBCN */
    static const char msg[] = "dbcn write\n";
    r = sbi(0x4442434E, 0, sizeof msg - 1, (unsigned long)msg, 0);
    check(r.error == 0 && r.value == sizeof msg - 1, "DBCN write returns the byte count", r.value);
    /* HSM */
    check(sbi(0x48534D, 2, 0, 0, 0).value == 0, "HSM: vhart 0 is started", 0);
    check(sbi(0x48534D, 2, 7, 0, 0).error == -3, "HSM: vhart 7 is an invalid parameter", 0);
    /* RFENCE on self */
    check(sbi(0x52464E43, 0, 1, 0, 0).error == 0, "RFENCE fence.i on self", 0);
    check(sbi(0x52464E43, 1, 1, 0, 0).error == 0, "RFENCE sfence.vma on self", 0);

    /* virtual PLIC: 32-bit and compressed accesses, read back */
    volatile uint32_t *prio10 = (volatile uint32_t *)(PLIC + 4 * 10);
    *prio10 = 5;
    check(*prio10 == 5, "vPLIC priority write/read (sw/lw)", *prio10);
    register uint64_t v __asm__("a4");
    register volatile uint32_t *p __asm__("a5") = prio10;
    __asm__ volatile("li a3, 3\n c.sw a3, 0(%1)\n c.lw %0, 0(%1)" : "=r"(v) : "r"(p) : "a3", "memory");
    check(v == 3, "vPLIC priority through c.sw/c.lw", v);
    *prio10 = 9;
    check(*prio10 == 1, "vPLIC priority keeps 3 bits (9 -> 1)", *prio10);
    volatile uint32_t *thr = (volatile uint32_t *)(PLIC + 0x201000);
    *thr = 2;
    check(*thr == 2, "vPLIC threshold", *thr);
    *thr = 0;
    check(*(volatile uint32_t *)(PLIC + 0x201004) == 0, "vPLIC claim with nothing pending is 0", 0);
    volatile uint32_t *en = (volatile uint32_t *)(PLIC + 0x2080);
    *en = 1u << 10 | 1u << 0;
    check(*en == 1u << 10, "vPLIC enable (source 0 stays off)", *en);
    check(*(volatile uint32_t *)(PLIC + 0x2000) == 0, "vPLIC M context reads 0", 0);
    *en = 1u << 31 | 1u << 10;
    int64_t sv;
    __asm__ volatile("lw %0, 0(%1)" : "=r"(sv) : "r"(PLIC + 0x2080) : "memory");
    check(sv == (int32_t)(1u << 31 | 1u << 10), "lw sign-extends", (uint64_t)sv);
    *en = 1u << 10;

    if (is_dt && dt_find(dtb, "rivet-hv,test-mmio"))
        mmio_widths();

    /* timer through SBI TIME */
    csrs(sie, 1ul << 5);
    csrs(sstatus, 2);
    unsigned long t0 = csrr(time);
    sbi(0x54494D45, 0, t0 + 100000, 0, 0);      /* 10 ms at 10 MHz */
    wait_irq(5, 1);
    unsigned long dt = csrr(time) - t0;
    check(irq_seen[5] == 1 && dt >= 100000, "timer interrupt after the deadline", dt);

    /* IPI to self */
    csrs(sie, 1ul << 1);
    check(sbi(0x735049, 0, 1, 0, 0).error == 0, "IPI send to self", 0);
    wait_irq(1, 1);
    check(irq_seen[1] == 1, "software interrupt arrived", irq_seen[1]);

    if (!uart) {
        puts_("no UART in this zone: skipping the interrupt tests\n");
        goto done;
    }
    /* the passed-through UART's THRE interrupt, through the virtual PLIC:
     * first held back by the threshold (pending, not delivered), then by
     * priority 0, then let through */
    *prio10 = 2;
    *thr = 2;
    csrs(sie, 1ul << 9);
    *(volatile uint8_t *)(UART + 1) = 2;        /* IER: transmitter empty */
    for (volatile int i = 0; i < 200000; i++)
        ;
    check(irq_seen[9] == 0, "threshold 2 holds back a priority-2 source", irq_seen[9]);
    check(*(volatile uint32_t *)(PLIC + 0x1000) == 1u << 10, "...which shows in the pending bits",
          *(volatile uint32_t *)(PLIC + 0x1000));
    *prio10 = 0;
    *thr = 0;
    for (volatile int i = 0; i < 200000; i++)
        ;
    check(irq_seen[9] == 0, "priority 0 never interrupts", irq_seen[9]);
    *prio10 = 1;
    wait_irq(9, 1);
    check(irq_seen[9] >= 1 && claimed == 10, "UART interrupt claimed as source 10", claimed);
    /* The handler turned the UART's interrupt off and completed it. QEMU's
     * PLIC may have latched one more while it was claimed (it sets pending
     * on every raise); after that, nothing more may arrive. */
    for (volatile int i = 0; i < 100000; i++)
        ;
    unsigned long n = irq_seen[9];
    for (volatile int i = 0; i < 400000; i++)
        ;
    check(n <= 2 && irq_seen[9] == n, "...and not again once off and completed", irq_seen[9]);

done:
    puts_(failures ? "FAILED\n" : "all passed\n");
    sbi(0x53525354, 0, 0, failures ? 1 : 0, 0);
    puts_("FAIL shutdown returned\n");
}
