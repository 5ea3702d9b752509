/* Malformed virtqueues against the virtio-rng device in the highest slot
 * (0x10008000), in M-mode: each bad ring must leave the device with
 * DEVICE_NEEDS_RESET set (and rivet running); a reset makes it work again.
 * Works with the legacy (Version 1) and the modern (Version 2) transport.
 * Prints "case NAME: ok" or "case NAME: FAIL ..." per case, then exits
 * through the SiFive test device. Built with tests/board's crt.S. */
#include "bm.h"

#define VIRTIO 0x10008000UL
#define RAM_HOLE 0x40000000UL    /* nothing there: not RAM */
#define DESC 0x80100000UL
#define AVAIL 0x80100080UL        /* right after 8 descriptors (legacy layout) */
#define USED 0x80101000UL         /* next 4 KiB boundary */
#define INDIRECT 0x80102000UL
#define BUF 0x80103000UL
#define NUM 8

enum {
    VERSION = 0x004, DEVICE_ID = 0x008, DEV_FEATURES = 0x010, DEV_FEATURES_SEL = 0x014,
    DRV_FEATURES = 0x020, DRV_FEATURES_SEL = 0x024, PAGE_SIZE = 0x028, QUEUE_SEL = 0x030,
    QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c, QUEUE_PFN = 0x040,
    QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, STATUS = 0x070, DESC_LO = 0x080, DESC_HI = 0x084,
    AVAIL_LO = 0x090, AVAIL_HI = 0x094, USED_LO = 0x0a0, USED_HI = 0x0a4,
};
enum { F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4 };
enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8, S_NEEDS_RESET = 0x40 };

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };

static volatile struct desc *const desc = (volatile struct desc *)DESC;
static volatile struct desc *const itab = (volatile struct desc *)INDIRECT;
static volatile uint16_t *const avail = (volatile uint16_t *)AVAIL;
static volatile uint16_t *const used = (volatile uint16_t *)USED;
static int modern, failures;

static uint32_t reg(unsigned off) { return rd32(VIRTIO + off); }
static void set(unsigned off, uint32_t v) { wr32(VIRTIO + off, v); }
static void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }

static void clear_rings(void)
{
    for (unsigned i = 0; i < 0x4000 / 8; i++)
        wr64(DESC + 8 * i, 0);
}

/* Reset and bring the device up with queue 0 of `num` entries at DESC. */
static void setup(uint32_t num, uint64_t desc_addr)
{
    set(STATUS, 0);
    clear_rings();
    set(STATUS, S_ACK | S_DRIVER);
    if (modern) {
        set(DRV_FEATURES_SEL, 0);
        set(DRV_FEATURES, 0);
        set(DRV_FEATURES_SEL, 1);
        set(DRV_FEATURES, 1);  /* VERSION_1 */
        set(STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    } else {
        set(PAGE_SIZE, 4096);
        set(DRV_FEATURES, 0);
    }
    set(QUEUE_SEL, 0);
    set(QUEUE_NUM, num);
    if (modern) {
        set(DESC_LO, (uint32_t)desc_addr);
        set(DESC_HI, (uint32_t)(desc_addr >> 32));
        set(AVAIL_LO, (uint32_t)AVAIL);
        set(AVAIL_HI, 0);
        set(USED_LO, (uint32_t)USED);
        set(USED_HI, 0);
        set(QUEUE_READY, 1);
    } else {
        set(QUEUE_ALIGN, 4096);
        set(QUEUE_PFN, (uint32_t)(desc_addr >> 12));
    }
    set(STATUS, reg(STATUS) | S_DRIVER_OK);
}

/* Offer head `head` with avail idx `idx` and kick. */
static void kick(uint16_t head, uint16_t idx)
{
    avail[2] = head;
    fence();
    avail[1] = idx;
    fence();
    set(QUEUE_NOTIFY, 0);
}

static void report(const char *name, int ok, const char *why)
{
    puts_("case ");
    puts_(name);
    if (ok) {
        puts_(": ok\n");
        return;
    }
    failures++;
    puts_(": FAIL ");
    puts_(why);
    puts_(" status=");
    puthex(reg(STATUS));
    puts_(" used.idx=");
    puthex(used[1]);
    putc_('\n');
}

static void expect_broken(const char *name)
{
    report(name, (reg(STATUS) & S_NEEDS_RESET) && used[1] == 0, "no DEVICE_NEEDS_RESET");
}

static void mkdesc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    desc[i].addr = addr;
    desc[i].len = len;
    desc[i].flags = flags;
    desc[i].next = next;
}

/* A good request: 16 random bytes into BUF, directly or through an indirect table. */
static void good(const char *name, int indirect)
{
    setup(NUM, DESC);
    for (unsigned i = 0; i < 16; i++)
        wr8(BUF + i, 0);
    if (indirect) {
        itab[0].addr = BUF;
        itab[0].len = 16;
        itab[0].flags = F_WRITE;
        mkdesc(0, INDIRECT, 16, F_INDIRECT, 0);
    } else {
        mkdesc(0, BUF, 16, F_WRITE, 0);
    }
    kick(0, 1);
    uint32_t len = rd32(USED + 8);
    uint64_t bytes = rd64(BUF) | rd64(BUF + 8);
    report(name, used[1] == 1 && len == 16 && bytes && !(reg(STATUS) & S_NEEDS_RESET),
           "request not served");
}

static void bad_chain(const char *name, void (*build)(void), uint16_t head, uint16_t idx)
{
    setup(NUM, DESC);
    build();
    kick(head, idx);
    expect_broken(name);
}

static void b_outside_ram(void) { mkdesc(0, RAM_HOLE, 16, F_WRITE, 0); }
static void b_loop(void) { mkdesc(0, BUF, 8, F_WRITE | F_NEXT, 1); mkdesc(1, BUF + 8, 8, F_WRITE | F_NEXT, 0); }
static void b_direction(void) { mkdesc(0, BUF, 8, F_WRITE | F_NEXT, 1); mkdesc(1, BUF + 8, 8, 0, 0); }
static void b_zero_len(void) { mkdesc(0, BUF, 0, F_WRITE, 0); }
static void b_next_range(void) { mkdesc(0, BUF, 8, F_WRITE | F_NEXT, 100); }
static void b_good_desc(void) { mkdesc(0, BUF, 16, F_WRITE, 0); }
static void b_ind_len(void) { mkdesc(0, INDIRECT, 10, F_INDIRECT, 0); }
static void b_ind_nested(void)
{
    itab[0].addr = INDIRECT + 64;
    itab[0].len = 16;
    itab[0].flags = F_INDIRECT;
    mkdesc(0, INDIRECT, 16, F_INDIRECT, 0);
}
static void b_ind_loop(void)
{
    itab[0].addr = BUF;
    itab[0].len = 8;
    itab[0].flags = F_WRITE | F_NEXT;
    itab[0].next = 0;
    mkdesc(0, INDIRECT, 16, F_INDIRECT, 0);
}
static void b_ind_outside(void) { mkdesc(0, RAM_HOLE, 32, F_INDIRECT, 0); }

static void bad_setup(const char *name, uint32_t num, uint64_t desc_addr)
{
    setup(num, desc_addr);
    report(name, reg(STATUS) & S_NEEDS_RESET, "no DEVICE_NEEDS_RESET");
}

int main(void)
{
    if (reg(0) != 0x74726976 || reg(DEVICE_ID) != 4) {
        puts_("no virtio-rng at 0x10008000\n");
        finish(0x13333);
    }
    modern = reg(VERSION) == 2;
    puts_(modern ? "transport: modern\n" : "transport: legacy\n");
    good("good", 0);
    good("good-indirect", 1);
    bad_chain("buffer-outside-ram", b_outside_ram, 0, 1);
    bad_chain("loop", b_loop, 0, 1);
    bad_chain("readable-after-writable", b_direction, 0, 1);
    bad_chain("zero-length", b_zero_len, 0, 1);
    bad_chain("next-out-of-range", b_next_range, 0, 1);
    bad_chain("head-out-of-range", b_good_desc, NUM + 1, 1);
    bad_chain("avail-index-jump", b_good_desc, 0, 100);
    bad_chain("indirect-bad-length", b_ind_len, 0, 1);
    bad_chain("indirect-nested", b_ind_nested, 0, 1);
    bad_chain("indirect-loop", b_ind_loop, 0, 1);
    bad_chain("indirect-outside-ram", b_ind_outside, 0, 1);
    bad_setup("size-not-power-of-two", 6, DESC);
    bad_setup("ring-outside-ram", NUM, modern ? RAM_HOLE : 0xfffff000UL);
    good("good-after-resets", 0);
    finish(failures ? 0x13333 : 0x5555);
    return 0;
}
