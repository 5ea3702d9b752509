/* S-mode payload started by OpenSBI (-bios default -kernel payload.elf).
 * It talks to the machine only through SBI, so it tests that rivet runs
 * OpenSBI well enough to provide a working SBI: console, probing, timer
 * (the S timer interrupt must arrive through stvec) and system reset.
 * Each step prints one line; run.sh looks for them. A failed step prints
 * "payload: FAIL ..." and shuts down with a failure reason code, so the
 * run ends instead of hanging. */
#include <stdint.h>

#define EXT_BASE   0x10
#define EXT_TIME   0x54494D45
#define EXT_SRST   0x53525354
#define EXT_DBCN   0x4442434E
#define EXT_LEGACY_PUTCHAR  1
#define EXT_LEGACY_SHUTDOWN 8
#define SIP_STIP (1UL << 5)
#define CSR_STIMECMP 0x14d

struct sbiret { long error; long value; };

static struct sbiret ecall(long ext, long fid, long a0, long a1, long a2)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r6 __asm__("a6") = fid;
    register long r7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
    return (struct sbiret){ r0, r1 };
}

static void putc_legacy(char c) { ecall(EXT_LEGACY_PUTCHAR, 0, c, 0, 0); }

static void puts_(const char *s)
{
    while (*s)
        putc_legacy(*s++);
}

static void puthex(uint64_t v)
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

static void kv(const char *k, uint64_t v)
{
    puts_("payload: ");
    puts_(k);
    puts_(" = ");
    puthex(v);
    puts_("\n");
}

static long probe(long ext) { return ecall(EXT_BASE, 3, ext, 0, 0).value; }

static int have_srst;

static void shutdown(int failed)
{
    if (have_srst)   /* type 0 = shutdown, reason 1 = system failure */
        ecall(EXT_SRST, 0, 0, failed ? 1 : 0, 0);
    ecall(EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

static void fail(const char *why)
{
    puts_("payload: FAIL ");
    puts_(why);
    puts_("\n");
    shutdown(1);
}

static uint64_t rdtime(void)
{
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

static volatile int timer_hits, illegal_hits;
static volatile uint64_t last_cause;

/* Called from s_vector; returns where to resume. */
uint64_t s_trap(uint64_t cause, uint64_t tval, uint64_t epc)
{
    (void)tval;
    last_cause = cause;
    if (cause == 0x8000000000000005UL) {
        timer_hits++;
        /* Stop the interrupt: far-future deadline via SBI (also clears
         * stimecmp-based STIP, since OpenSBI forwards to stimecmp). */
        ecall(EXT_TIME, 0, -1L, 0, 0);
        return epc;
    }
    if (cause == 2) {   /* illegal instruction: a CSR probe */
        illegal_hits++;
        return epc + 4;
    }
    puts_("payload: unexpected trap\n");
    kv("scause", cause);
    kv("sepc", epc);
    fail("unexpected trap");
    return epc;
}

static int wait_timer(int before)
{
    uint64_t end = rdtime() + 20000000;   /* 2 s at 10 MHz */
    while (timer_hits == before && rdtime() < end)
        __asm__ volatile("wfi");
    return timer_hits != before;
}

static uint32_t be32(const volatile uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether `s` occurs in the DT strings+struct blocks: OpenSBI adds a
 * reserved-memory node for its own region before handing the DT over. */
static int dtb_contains(const volatile uint8_t *dtb, const char *s)
{
    uint32_t size = be32(dtb + 4);
    for (uint32_t i = 0; i < size; i++) {
        uint32_t k = 0;
        while (s[k] && i + k < size && dtb[i + k] == (uint8_t)s[k])
            k++;
        if (!s[k])
            return 1;
    }
    return 0;
}

void smain(uint64_t hartid, uint64_t dtb)
{
    puts_("payload: hello from S-mode\n");
    kv("hartid", hartid);
    kv("dtb", dtb);
    const volatile uint8_t *fdt = (const volatile uint8_t *)dtb;
    if (be32(fdt) != 0xd00dfeed)
        fail("bad DTB magic");
    puts_("payload: dtb magic ok\n");
    if (dtb_contains(fdt, "mmode_resv"))
        puts_("payload: dtb has OpenSBI reserved-memory\n");

    struct sbiret r = ecall(EXT_BASE, 0, 0, 0, 0);
    kv("sbi spec version", (uint64_t)r.value);
    if (r.error || r.value < 0x1000000)   /* major >= 1: TIME/SRST exist */
        fail("sbi_get_spec_version");
    kv("sbi impl id", (uint64_t)ecall(EXT_BASE, 1, 0, 0, 0).value);
    long has_time = probe(EXT_TIME), has_dbcn = probe(EXT_DBCN);
    have_srst = probe(EXT_SRST) != 0;
    kv("probe TIME", (uint64_t)has_time);
    kv("probe SRST", (uint64_t)have_srst);
    kv("probe DBCN", (uint64_t)has_dbcn);
    kv("probe legacy putchar", (uint64_t)probe(EXT_LEGACY_PUTCHAR));
    kv("probe nonexistent", (uint64_t)probe(0x0badcafe));
    if (!has_time || !have_srst)
        fail("TIME or SRST missing");
    puts_("payload: legacy console putchar works\n");
    if (has_dbcn) {
        static const char msg[] = "payload: DBCN console write works\n";
        r = ecall(EXT_DBCN, 0, sizeof(msg) - 1, (long)(uintptr_t)msg, 0);
        if (r.error)
            fail("DBCN write");
    }

    /* S timer through SBI TIME set_timer. */
    __asm__ volatile("csrs sie, %0" :: "r"(SIP_STIP));
    __asm__ volatile("csrsi sstatus, 2");
    r = ecall(EXT_TIME, 0, (long)(rdtime() + 100000), 0, 0);   /* 10 ms */
    if (r.error)
        fail("set_timer");
    if (!wait_timer(0))
        fail("no timer interrupt after sbi_set_timer");
    puts_("payload: timer interrupt received (sbi set_timer)\n");

    /* With Sstc, OpenSBI sets menvcfg.STCE and S-mode owns stimecmp. */
    int before = illegal_hits;
    uint64_t cmp = 0;
    __asm__ volatile("csrr %0, 0x14d" : "+r"(cmp));
    if (illegal_hits == before) {
        puts_("payload: stimecmp accessible (Sstc)\n");
        uint64_t when = rdtime() + 100000;
        __asm__ volatile("csrw 0x14d, %0" :: "r"(when));
        if (!wait_timer(1))
            fail("no timer interrupt after stimecmp write");
        puts_("payload: timer interrupt received (stimecmp)\n");
    } else {
        puts_("payload: stimecmp not accessible\n");
    }
    __asm__ volatile("csrci sstatus, 2");

    puts_("payload: shutting down via SRST\n");
    shutdown(0);
}
