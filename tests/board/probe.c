/* M-mode board probe, entered straight from the MROM reset vector
 * (-bios probe.elf). It prints what it finds in a line-per-fact format so
 * that the output of rivet and of QEMU can be compared line by line.
 *
 * Lines starting with '~' are implementation-specific (IDs, rivet-only
 * address space) and are skipped by the comparison; run.sh checks the
 * rivet-only ones against fixed expectations instead. Every other line
 * must be identical on both emulators. Values that depend on timing are
 * reduced to yes/no facts so they can stay in the compared set.
 * Run it with -m 128M: "past-ram" addresses assume RAM ends at 0x88000000. */
#include "bm.h"

#define MIP_MSIP (1UL << 3)
#define MIP_MTIP (1UL << 7)
#define MIP_SEIP (1UL << 9)
#define MIP_MEIP (1UL << 11)
#define MTIME    (CLINT + 0xbff8)
#define MTIMECMP (CLINT + 0x4000)
#define PLIC_PRIO(i)      (PLIC + 4 * (i))
#define PLIC_PENDING      (PLIC + 0x1000)
#define PLIC_ENABLE(c)    (PLIC + 0x2000 + 0x80 * (c))
#define PLIC_THRESHOLD(c) (PLIC + 0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c)     (PLIC + 0x200004 + 0x1000 * (c))
#define UART_IRQ 10

static const char *yes(int b) { return b ? "yes" : "no"; }

static void fact(const char *name, const char *v)
{
    puts_(name);
    putc_('=');
    puts_(v);
    putc_('\n');
}

/* "<prefix><kind><bits> <what> <addr>: ok [value=..]" or the trap it took. */
static void report_access(const char *prefix, const char *kind, int size, const char *what,
                          uintptr_t a, int show, uint64_t v)
{
    puts_(prefix);
    puts_(kind);
    putdec((uint64_t)size * 8);
    putc_(' ');
    puts_(what);
    putc_(' ');
    puthex(a);
    if (trap_info.count) {
        puts_(": fault mcause=");
        puthex(trap_info.cause);
        puts_(" mtval=");
        puthex(trap_info.tval);
    } else {
        puts_(": ok");
        if (show) {
            puts_(" value=");
            puthex(v);
        }
    }
    putc_('\n');
}

/* One load of `size` bytes; reports either the value or the trap. The
 * handler in crt.S skips the instruction, so `v` keeps its sentinel. */
static void try_load_v(const char *prefix, const char *what, uintptr_t a, int size, int show)
{
    uint64_t v = 0x5a5a5a5a5a5a5a5aUL;
    trap_info.count = 0;
    switch (size) {
    case 1: __asm__ volatile("lbu %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
    case 2: __asm__ volatile("lhu %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
    case 4: __asm__ volatile("lwu %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
    default: __asm__ volatile("ld %0, 0(%1)" : "+r"(v) : "r"(a) : "memory"); break;
    }
    report_access(prefix, "load", size, what, a, show, v);
}

static void try_load(const char *prefix, const char *what, uintptr_t a, int size)
{
    try_load_v(prefix, what, a, size, 1);
}

static void try_store(const char *what, uintptr_t a, int size, uint64_t v)
{
    trap_info.count = 0;
    switch (size) {
    case 1: __asm__ volatile("sb %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
    case 2: __asm__ volatile("sh %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
    case 4: __asm__ volatile("sw %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
    default: __asm__ volatile("sd %0, 0(%1)" :: "r"(v), "r"(a) : "memory"); break;
    }
    report_access("", "store", size, what, a, 0, 0);
}

static void try_fetch(const char *what, uintptr_t a)
{
    trap_info.count = 0;
    /* The handler resumes at ra for a fetch fault. */
    __asm__ volatile("jalr ra, 0(%0)" :: "r"(a) : "ra", "memory");
    puts_("fetch ");
    puts_(what);
    putc_(' ');
    puthex(a);
    if (trap_info.count) {
        puts_(": fault mcause=");
        puthex(trap_info.cause);
        puts_(" mtval=");
        puthex(trap_info.tval);
    } else {
        puts_(": no fault");
    }
    putc_('\n');
}

/* Byte-wise: there is no libgcc to provide __bswapsi2. */
static uint32_t be32(uintptr_t a)
{
    const volatile uint8_t *p = (const volatile uint8_t *)a;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(uintptr_t a)
{
    return (uint64_t)be32(a) << 32 | be32(a + 4);
}

static uint64_t rdtime(void)
{
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

/* Wait for an interrupt to be taken, bounded by mtime so that a missing
 * interrupt gives "no" instead of a hang. */
static int wait_trap(uint64_t ticks)
{
    /* Spin rather than WFI: the handler turns mie off, so an interrupt
     * taken between the test and a WFI would leave nothing to wake it. */
    uint64_t end = rd64(MTIME) + ticks;
    while (!trap_info.count && rd64(MTIME) < end)
        __asm__ volatile("nop");
    return trap_info.count != 0;
}

int main(void)
{
    /* UART registers as reset left them: read before the first print. */
    uint8_t u_ier = rd8(UART0 + 1), u_iir = rd8(UART0 + 2), u_lcr = rd8(UART0 + 3);
    uint8_t u_mcr = rd8(UART0 + 4), u_lsr = rd8(UART0 + 5), u_msr = rd8(UART0 + 6);
    uint8_t u_scr = rd8(UART0 + 7);
    wr8(UART0 + 3, 0x80);
    uint8_t u_dll = rd8(UART0 + 0), u_dlm = rd8(UART0 + 1);
    wr8(UART0 + 3, 0x00);
    const struct boot_regs r = boot_regs;

    puts_("== entry\n");
    kv("a0", r.a0);
    kv("a1", r.a1);
    kv("a2", r.a2);
    kv("t0", r.t0);
    kv("other-gprs-or", r.other_gprs);
    kv("mtvec", r.mtvec);
    kv("mstatus", r.mstatus);
    kv("mip", r.mip);
    kv("mie", r.mie);
    kv("satp", r.satp);
    kv("mhartid", csr_read(mhartid));
    kv("mvendorid", csr_read(mvendorid));
    /* rivet implements RV64IMAFDCSU, QEMU adds H; QEMU 7.2 reports its
     * version as marchid/mimpid. */
    kv("~misa", csr_read(misa));
    kv("~marchid", csr_read(marchid));
    kv("~mimpid", csr_read(mimpid));

    puts_("== mrom\n");
    for (int i = 0; i < 10; i++) {
        puts_("mrom[");
        puthex(0x1000 + 4 * i);
        puts_("]=");
        puthex(rd32(0x1000 + 4 * i));
        putc_('\n');
    }
    static const char *const finfo[6] = { "magic", "version", "next_addr", "next_mode",
                                          "options", "boot_hart" };
    for (int i = 0; i < 6; i++) {
        puts_("fw_dynamic_info.");
        kv(finfo[i], rd64(0x1028 + 8 * i));
    }
    kv("mrom[0x1058]", rd32(0x1058));
    kv("mrom[0xfffc]", rd32(0xfffc));
    try_store("mrom", 0x1000, 4, 0);
    kv("mrom[0x1000] after write", rd32(0x1000));
    try_load("", "past-mrom", 0x10000, 4);

    puts_("== dtb\n");
    uintptr_t dtb = r.a1;
    kv("dtb.magic", be32(dtb));
    kv("dtb.version", be32(dtb + 20));
    kv("dtb.last_comp_version", be32(dtb + 24));
    kv("dtb.boot_cpuid_phys", be32(dtb + 28));
    uintptr_t rsv = dtb + be32(dtb + 16);
    kv("dtb.memrsv[0].address", be64(rsv));
    kv("dtb.memrsv[0].size", be64(rsv + 8));
    fact("dtb.struct-after-rsvmap", yes(be32(dtb + 8) >= be32(dtb + 16) + 16));

    puts_("== uart\n");
    kv("uart.ier", u_ier);
    kv("uart.iir", u_iir);
    kv("uart.lcr", u_lcr);
    kv("uart.mcr", u_mcr);
    kv("uart.lsr", u_lsr);
    kv("uart.msr", u_msr);
    kv("uart.scr", u_scr);
    kv("uart.dll", u_dll);
    kv("uart.dlm", u_dlm);
    wr8(UART0 + 7, 0xa5);
    kv("uart.scr after write 0xa5", rd8(UART0 + 7));
    wr8(UART0 + 7, 0);
    kv("uart.lsr after output", rd8(UART0 + 5));
    kv("uart.iir after output, ier=0", rd8(UART0 + 2));
    /* Any width from 1 to 8 is accepted at offsets 0-7, and only the low
     * byte is the register (spec §4.1); offsets 8-0xff are not decoded. */
    try_load("", "uart-lsr", UART0 + 5, 1);
    try_load("", "uart-mcr", UART0 + 4, 4);
    try_load("", "uart-iir", UART0 + 2, 2);
    try_load("", "uart-rbr", UART0, 8);
    try_load("", "uart+8", UART0 + 8, 1);
    try_load("", "uart+0xff", UART0 + 0xff, 1);
    try_store("uart+8", UART0 + 8, 1, 0);

    puts_("== clint\n");
    uint64_t m1 = rd64(MTIME);
    uint64_t t = rdtime();
    for (volatile int i = 0; i < 20000; i++)
        ;
    uint64_t m2 = rd64(MTIME);
    fact("mtime advances", yes(m2 > m1));
    fact("rdtime between mtime reads", yes(m1 <= t && t <= m2));
    uint64_t lo = rd32(MTIME), hi = rd32(MTIME + 4);
    fact("mtime 32-bit halves", yes(((hi << 32) | lo) >= m2));
    kv("mtimecmp at reset", rd64(MTIMECMP));
    fact("mip.MTIP at reset", yes(r.mip & MIP_MTIP));
    wr64(MTIMECMP, ~0UL);
    fact("mip.MTIP after mtimecmp=max", yes(csr_read(mip) & MIP_MTIP));
    wr64(MTIMECMP, 0);
    fact("mip.MTIP after mtimecmp=0", yes(csr_read(mip) & MIP_MTIP));
    /* Far enough ahead that a descheduled host thread cannot reach it. */
    wr64(MTIMECMP, rd64(MTIME) + 1000000000);   /* 100 s */
    fact("mip.MTIP before deadline", yes(csr_read(mip) & MIP_MTIP));
    wr64(MTIMECMP, rd64(MTIME) + 20000);        /* 2 ms */
    uint64_t end = rd64(MTIME) + 10000000;  /* give up after 1 s */
    while (!(csr_read(mip) & MIP_MTIP) && rd64(MTIME) < end)
        ;
    fact("mip.MTIP after deadline", yes(csr_read(mip) & MIP_MTIP));
    wr32(MTIMECMP + 4, 0xffffffff);
    kv("mtimecmp hi after 32-bit write", rd32(MTIMECMP + 4));
    fact("mip.MTIP after 32-bit hi write", yes(csr_read(mip) & MIP_MTIP));
    /* A real timer interrupt, taken through mtvec. */
    trap_info.count = 0;
    wr64(MTIMECMP, rd64(MTIME) + 1000);
    csr_write(mie, MIP_MTIP);
    __asm__ volatile("csrsi mstatus, 8");
    int got = wait_trap(10000000);
    __asm__ volatile("csrci mstatus, 8");
    fact("timer interrupt taken", yes(got));
    kv("timer interrupt mcause", trap_info.cause);
    wr64(MTIMECMP, ~0UL);
    kv("msip at reset", rd32(CLINT));
    wr32(CLINT, 1);
    kv("msip after write 1", rd32(CLINT));
    fact("mip.MSIP after msip=1", yes(csr_read(mip) & MIP_MSIP));
    trap_info.count = 0;
    csr_write(mie, MIP_MSIP);
    __asm__ volatile("csrsi mstatus, 8");
    got = wait_trap(10000000);
    __asm__ volatile("csrci mstatus, 8");
    fact("software interrupt taken", yes(got));
    kv("software interrupt mcause", trap_info.cause);
    wr32(CLINT, 0);
    kv("msip after write 0", rd32(CLINT));
    fact("mip.MSIP after msip=0", yes(csr_read(mip) & MIP_MSIP));
    try_load("", "clint+0xc000", CLINT + 0xc000, 4);
    try_load("", "clint+0xfffc", CLINT + 0xfffc, 4);
    try_load_v("", "clint-mtime", MTIME, 8, 0);

    puts_("== plic\n");
    wr32(PLIC_PRIO(1), 0xffffffff);
    kv("plic.priority[1] after 0xffffffff", rd32(PLIC_PRIO(1)));
    wr32(PLIC_PRIO(1), 9);
    kv("plic.priority[1] after 9", rd32(PLIC_PRIO(1)));
    wr32(PLIC_PRIO(1), 0);
    wr32(PLIC_PRIO(95), 5);
    kv("plic.priority[95] after 5", rd32(PLIC_PRIO(95)));
    wr32(PLIC_PRIO(95), 0);
    wr32(PLIC_ENABLE(0) + 4, 0xffffffff);
    kv("plic.enable[ctx0][1] after 0xffffffff", rd32(PLIC_ENABLE(0) + 4));
    wr32(PLIC_ENABLE(0) + 4, 0);
    kv("plic.enable[ctx0][1] after 0", rd32(PLIC_ENABLE(0) + 4));
    wr32(PLIC_ENABLE(1) + 8, 0x80000001);
    kv("plic.enable[ctx1][2] after 0x80000001", rd32(PLIC_ENABLE(1) + 8));
    wr32(PLIC_ENABLE(1) + 8, 0);
    wr32(PLIC_THRESHOLD(0), 0xffffffff);
    kv("plic.threshold[ctx0] after 0xffffffff", rd32(PLIC_THRESHOLD(0)));
    wr32(PLIC_THRESHOLD(0), 0);
    wr32(PLIC_THRESHOLD(1), 3);
    kv("plic.threshold[ctx1] after 3", rd32(PLIC_THRESHOLD(1)));
    wr32(PLIC_THRESHOLD(1), 0);
    kv("plic.pending[0] idle", rd32(PLIC_PENDING));
    kv("plic.claim[ctx0] idle", rd32(PLIC_CLAIM(0)));
    try_load("", "plic-prio1", PLIC_PRIO(1), 1);
    try_load("", "plic-prio1", PLIC_PRIO(1), 2);
    try_load("", "plic-prio2", PLIC_PRIO(2), 8);
    try_store("plic-prio1", PLIC_PRIO(1), 1, 1);

    /* UART THRE interrupt through the PLIC. Results are collected first and
     * printed with IER back at 0, because printing itself re-arms THRI. */
    uint64_t v[16];
    wr32(PLIC_PRIO(UART_IRQ), 1);
    wr32(PLIC_ENABLE(0), 1u << UART_IRQ);
    wr32(PLIC_THRESHOLD(0), 0);
    v[0] = rd32(PLIC_PENDING);
    wr8(UART0 + 1, 0x02);                       /* IER.THRI */
    v[1] = rd32(PLIC_PENDING);
    v[2] = csr_read(mip) & (MIP_MEIP | MIP_SEIP);
    wr32(PLIC_THRESHOLD(0), 1);
    v[3] = csr_read(mip) & MIP_MEIP;
    wr32(PLIC_THRESHOLD(0), 0);
    v[4] = csr_read(mip) & MIP_MEIP;
    v[5] = rd32(PLIC_CLAIM(0));
    v[6] = rd32(PLIC_PENDING);
    v[7] = csr_read(mip) & MIP_MEIP;
    v[8] = rd32(PLIC_CLAIM(0));
    v[9] = rd8(UART0 + 2);                      /* IIR: THRI, and clears it */
    v[10] = rd8(UART0 + 2);
    wr32(PLIC_CLAIM(0), UART_IRQ);              /* complete, line now low */
    v[11] = rd32(PLIC_PENDING);
    v[12] = csr_read(mip) & MIP_MEIP;
    wr8(UART0 + 1, 0x00);
    kv("plic.pending[0] before ier", v[0]);
    kv("plic.pending[0] after ier=thri", v[1]);
    kv("mip.MEIP|SEIP after ier=thri (ctx0 enabled)", v[2]);
    kv("mip.MEIP with threshold 1", v[3]);
    kv("mip.MEIP with threshold 0", v[4]);
    kv("plic.claim[ctx0]", v[5]);
    kv("plic.pending[0] after claim", v[6]);
    kv("mip.MEIP after claim", v[7]);
    kv("plic.claim[ctx0] again", v[8]);
    kv("uart.iir with thri pending", v[9]);
    kv("uart.iir after reading it", v[10]);
    kv("plic.pending[0] after complete", v[11]);
    kv("mip.MEIP after complete", v[12]);

    /* Second edge (Linux's THRE test re-enables IER.THRI), now routed to
     * the S-context as well, and claimed from there. */
    wr32(PLIC_ENABLE(1), 1u << UART_IRQ);
    wr8(UART0 + 1, 0x02);
    v[0] = rd32(PLIC_PENDING);
    v[1] = csr_read(mip) & (MIP_MEIP | MIP_SEIP);
    v[2] = rd32(PLIC_CLAIM(1));
    v[3] = csr_read(mip) & (MIP_MEIP | MIP_SEIP);
    v[4] = rd8(UART0 + 2);
    wr8(UART0 + 1, 0x00);
    wr32(PLIC_CLAIM(1), UART_IRQ);
    v[5] = rd32(PLIC_CLAIM(0));
    v[6] = csr_read(mip) & (MIP_MEIP | MIP_SEIP);
    wr32(PLIC_ENABLE(0), 0);
    wr32(PLIC_ENABLE(1), 0);
    wr32(PLIC_PRIO(UART_IRQ), 0);
    kv("plic.pending[0] after second ier=thri", v[0]);
    kv("mip.MEIP|SEIP (both contexts enabled)", v[1]);
    kv("plic.claim[ctx1]", v[2]);
    kv("mip.MEIP|SEIP after ctx1 claim", v[3]);
    kv("uart.iir", v[4]);
    kv("plic.claim[ctx0] after ctx1 complete", v[5]);
    kv("mip.MEIP|SEIP at end", v[6]);

    puts_("== rtc\n");
    uint64_t rlo = rd32(RTC), rhi = rd32(RTC + 4);
    uint64_t ns = (rhi << 32) | rlo;
    fact("rtc after 2020-01-01", yes(ns > 1577836800ULL * 1000000000ULL));
    fact("rtc before 2100-01-01", yes(ns < 4102444800ULL * 1000000000ULL));
    uint64_t rlo2 = rd32(RTC), rhi2 = rd32(RTC + 4);
    fact("rtc monotonic", yes(((rhi2 << 32) | rlo2) >= ns));
    kv("rtc.irq_enabled", rd32(RTC + 0x10));
    kv("rtc.alarm_status", rd32(RTC + 0x18));
    try_load("", "rtc", RTC, 1);
    /* QEMU 7.2 splits an 8-byte read into TIME_LOW + TIME_HIGH; the spec
     * (10.x) says 32-bit only, which rivet follows. */
    try_load_v("~", "rtc", RTC, 8, 0);
    try_load("", "rtc+0x24", RTC + 0x24, 4);

    puts_("== faults\n");
    try_load("", "debug", 0x0, 4);
    try_load("", "ram-misaligned", (uintptr_t)&boot_regs + 1, 8);
    /* QEMU splits a misaligned MMIO access into bytes; rivet raises an
     * address-misaligned exception (both are allowed by the ISA). */
    try_load("~", "uart-misaligned", UART0 + 1, 2);
    try_fetch("debug", 0x0);
    try_load("", "test", TEST_DEV, 4);
    try_load("", "test", TEST_DEV, 1);
    try_load("", "test", TEST_DEV, 8);
    try_store("test", TEST_DEV, 8, 0);
    try_store("test", TEST_DEV, 1, 0);
    try_store("test+4", TEST_DEV + 4, 4, 0x5555);   /* ignored: not offset 0 */
    try_load("", "platform-bus", 0x4000000, 4);
    try_load("", "virtio-mmio", 0x10001000, 4);   /* an empty slot: magic */
    try_load("", "virtio-mmio-id", 0x10001008, 4); /* DeviceID 0 */
    try_load("", "virtio-mmio-config", 0x10001100, 4);
    try_load("", "virtio-mmio-past-window", 0x10001200, 4);  /* QEMU decodes 0x200 */
    try_load("", "virtio-mmio-byte", 0x10001000, 1);          /* read as 0, logged */
    try_load("", "past-ram", 0x88000000, 4);
    try_load("", "past-ram", 0x88000000, 1);
    try_fetch("past-ram", 0x88000000);

    /* Devices QEMU has and rivet does not: QEMU reads them, rivet faults. */
    try_load("~rivet-only ", "pcie-ecam", 0x30000000, 4);
    try_load("~rivet-only ", "fw-cfg", 0x10100000, 1);
    try_load("~rivet-only ", "flash", 0x20000000, 4);

    puts_("== done\n");
    finish(0x5555);
    return 0;
}
