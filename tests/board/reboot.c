/* Reset through the SiFive test finisher (0x7777). A reset restarts the
 * hart at 0x1000, resets the devices and re-copies every loaded image
 * (program, DTB) but leaves the rest of RAM alone, as QEMU does. Boot 1
 * leaves marks in all of those places and resets; boot 2 reports what
 * survived and exits with 0x5555. With -no-reboot only boot 1 runs. */
#include "bm.h"

/* Outside the loaded image, so it survives the reset. */
#define STATE ((volatile struct state *)0x80100000UL)
#define STATE_MAGIC 0x52425430u
struct state { uint32_t magic, boots; uint64_t mtime; uint8_t seed[32]; };

/* Part of the image: must be back to its initial value after a reset. */
static volatile uint32_t image_var = 0x1234abcd;

static uint32_t be32(uintptr_t a)
{
    const volatile uint8_t *p = (const volatile uint8_t *)a;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Address of /chosen/rng-seed's value (found by name anywhere), or 0. */
static uintptr_t find_rng_seed(uintptr_t dtb)
{
    uintptr_t p = dtb + be32(dtb + 8), strings = dtb + be32(dtb + 12);
    for (;;) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == 1) {                       /* BEGIN_NODE: skip the name */
            while (*(volatile char *)p)
                p++;
            p = (p + 4) & ~3UL;
        } else if (tok == 3) {                /* PROP */
            uint32_t len = be32(p), name = be32(p + 4);
            const char *n = (const char *)(strings + name), *want = "rng-seed";
            int i = 0;
            while (n[i] && n[i] == want[i])
                i++;
            if (!n[i] && !want[i] && len == 32)
                return p + 8;
            p = (p + 8 + len + 3) & ~3UL;
        } else if (tok == 2 || tok == 4) {
            continue;
        } else {
            return 0;
        }
    }
}

int main(void)
{
    volatile struct state *st = STATE;
    uint32_t boots = st->magic == STATE_MAGIC ? st->boots + 1 : 1;
    st->magic = STATE_MAGIC;
    st->boots = boots;
    uintptr_t dtb = boot_regs.a1;
    uintptr_t seed = find_rng_seed(dtb);

    puts_("reboot: boot ");
    putdec(boots);
    putc_('\n');
    if (boots == 1) {
        kv("reboot: image_var", image_var);
        image_var = 0xdead;
        for (int i = 0; i < 32; i++)
            st->seed[i] = seed ? *(volatile uint8_t *)(seed + i) : 0;
        wr8(UART0 + 7, 0x5a);                  /* scratch */
        wr32(PLIC + 4 * 10, 5);                /* priority[10] */
        wr64(CLINT + 0x4000, ~0UL);            /* mtimecmp */
        wr32(CLINT, 1);                        /* msip */
        wr32(dtb, 0);                          /* DTB magic */
        st->mtime = rd64(CLINT + 0xbff8);
        puts_("reboot: requesting reset\n");
        finish(0x7777);
    }
    if (boots != 2) {
        puts_("reboot: FAIL unexpected boot count\n");
        finish((1u << 16) | 0x3333);
    }
    int changed = 0;
    for (int i = 0; i < 32; i++)
        changed |= seed && st->seed[i] != *(volatile uint8_t *)(seed + i);
    uint64_t mtime = rd64(CLINT + 0xbff8);
    kv("reboot: pc at entry (t0)", boot_regs.t0);
    /* QEMU 7.2 does not reset the CLINT timer (mtime keeps running,
     * mtimecmp keeps its value, so MTIP is not pending at entry); 10.x
     * resets mtime and mtimecmp to 0 (spec §4.2), which rivet follows. */
    kv("~reboot: mip at entry", boot_regs.mip);
    kv("reboot: image_var after reset", image_var);
    kv("reboot: dtb magic after reset", be32(dtb));
    puts_(seed ? "reboot: rng-seed found\n" : "reboot: rng-seed missing\n");
    puts_(changed ? "reboot: rng-seed changed\n" : "reboot: rng-seed unchanged\n");
    kv("reboot: uart scr after reset", rd8(UART0 + 7));
    kv("reboot: plic priority[10] after reset", rd32(PLIC + 4 * 10));
    kv("reboot: msip after reset", rd32(CLINT));
    kv("~reboot: mtimecmp after reset", rd64(CLINT + 0x4000));
    puts_(mtime < st->mtime ? "~reboot: mtime restarted\n" : "~reboot: mtime kept running\n");
    puts_("== done\n");
    finish(0x5555);
    return 0;
}
