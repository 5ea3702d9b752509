/* Linux's kernel log, read out of guest memory: the printk ring buffer of
 * 5.10 to 6.x (kernel/printk/printk_ringbuffer.h), found through the `prb`
 * symbol. The layout is the 64-bit one:
 *
 *   printk_ringbuffer: desc_ring { u32 count_bits; descs*; infos*; head_id;
 *                      tail_id; [last_finalized_id, 5.18+] }, text_data_ring
 *                      { u32 size_bits; data*; head_lpos; tail_lpos }, fail
 *   prb_desc (24 bytes): state_var (state in the top 2 bits), begin, next lpos
 *   printk_info (88 bytes): u64 seq, u64 ts_nsec, u16 text_len, ...
 *   a data block: unsigned long id, then the text
 *
 * Nothing is trusted: every pointer read may be garbage in a kernel that
 * died early, so every size is bounded. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/symbols.h"
#include "diag/klog.h"
#include "diag/memread.h"
#include "mem/bus.h"

#define DESC_SIZE 24
#define INFO_SIZE 88
#define STATE_COMMITTED 1
#define STATE_FINALIZED 2
#define MAX_RECORDS 8192
#define MAX_TEXT (1u << 20)

/* Where the fields are: the 64-bit layout of 5.10-6.x, or what the
 * kernel's VMCOREINFO says. */
struct layout {
    unsigned data_ring;         /* OFFSET(printk_ringbuffer.text_data_ring), or 0: guess */
    unsigned desc_size, desc_lpos;
    unsigned info_size, info_ts, info_len;
};

static const struct layout layout_6x = { 0, DESC_SIZE, 8, INFO_SIZE, 8, 16 };

struct ring {
    unsigned count_bits, size_bits;
    uint64_t descs, infos, head_id, tail_id, data;
};

struct reader {
    struct bus *b;
    uint64_t satp;
    const struct kmap *km;
    struct layout L;
};

static bool rd(const struct reader *r, uint64_t va, void *buf, size_t len)
{
    return diag_read_virt(r->b, r->satp, r->km, va, buf, len);
}

/* RISC-V Linux keeps every kernel address in the upper half; with the MMU
 * still off, a pointer is physical and must at least lead to memory. */
static bool plausible_ptr(const struct reader *r, uint64_t p)
{
    uint8_t byte;
    return (p >> 63 || !(r->satp >> 60)) && rd(r, p, &byte, 1);
}

/* The text_data_ring sits after desc_ring, whose size grew by one long in
 * 5.18 (last_finalized_id): take the offset whose fields look right. */
static bool read_ring(const struct reader *r, uint64_t prb, struct ring *g)
{
    uint8_t raw[96];
    if (!rd(r, prb, raw, sizeof(raw)))
        return false;
    g->count_bits = ld32(raw);
    g->descs = ld64(raw + 8);
    g->infos = ld64(raw + 16);
    g->head_id = ld64(raw + 24);
    g->tail_id = ld64(raw + 32);
    unsigned data_ring_at[] = { 48, 40 };
    if (r->L.data_ring && r->L.data_ring <= sizeof(raw) - 16)
        data_ring_at[0] = data_ring_at[1] = r->L.data_ring;  /* known, not guessed */
    for (unsigned i = 0; i < 2; i++) {
        const uint8_t *d = raw + data_ring_at[i];
        g->size_bits = ld32(d);
        g->data = ld64(d + 8);
        if (g->size_bits >= 8 && g->size_bits <= 30 && plausible_ptr(r, g->data))
            return g->count_bits >= 2 && g->count_bits <= 24 && plausible_ptr(r, g->descs) &&
                   plausible_ptr(r, g->infos);
    }
    return false;
}

/* The text of one data block: [begin, next) in logical positions; a block
 * that would wrap is stored whole at the start of the ring. */
static bool read_text(const struct reader *r, const struct ring *g, uint64_t begin,
                      uint64_t next, unsigned text_len, char *out)
{
    uint64_t size = 1ULL << g->size_bits;
    if ((begin & 1) || (next & 1) || next <= begin || next - begin > size)
        return false;  /* FAILED_LPOS / NO_LPOS: a record without text */
    uint64_t off = begin & (size - 1);
    if ((begin >> g->size_bits) != (next >> g->size_bits))
        off = 0;
    uint64_t room = ((begin >> g->size_bits) != (next >> g->size_bits) ? (next & (size - 1))
                                                                      : next - begin);
    if (room < 8)
        return false;
    if (text_len > room - 8)
        text_len = (unsigned)(room - 8);
    return rd(r, g->data + off + 8, out, text_len);
}

static void append(struct klog *k, const char *s, size_t n)
{
    if (k->len + n + 1 > k->cap) {
        size_t cap = (k->cap ? k->cap * 2 : 65536) + n;
        char *t = realloc(k->text, cap);
        if (!t)
            return;
        k->text = t;
        k->cap = cap;
    }
    memcpy(k->text + k->len, s, n);
    k->len += n;
    k->text[k->len] = 0;
}

/* One record, as dmesg prints it: "[    1.234567] text". */
static void read_record(const struct reader *r, const struct ring *g, uint64_t id,
                        struct klog *k)
{
    uint64_t idx = id & ((1ULL << g->count_bits) - 1);
    const struct layout *L = &r->L;
    uint8_t desc[DESC_SIZE], info[INFO_SIZE];
    if (!rd(r, g->descs + idx * L->desc_size, desc, sizeof(desc)) ||
        !rd(r, g->infos + idx * L->info_size, info, sizeof(info)))
        return;
    uint64_t sv = ld64(desc);
    unsigned state = (unsigned)(sv >> 62);
    if ((sv & ~(3ULL << 62)) != (id & ~(3ULL << 62)) ||
        (state != STATE_COMMITTED && state != STATE_FINALIZED))
        return;
    static char text[65536];
    unsigned len = ld16(info + L->info_len);
    if (!read_text(r, g, ld64(desc + L->desc_lpos), ld64(desc + L->desc_lpos + 8), len, text))
        len = 0;
    uint64_t ts = ld64(info + L->info_ts);
    char head[40];
    int n = snprintf(head, sizeof(head), "[%5llu.%06llu] ", (unsigned long long)(ts / 1000000000),
                     (unsigned long long)(ts % 1000000000 / 1000));
    append(k, head, (size_t)n);
    for (unsigned i = 0; i < len; i++)  /* one line per record, however it was written */
        if (text[i] == '\n' || text[i] == 0)
            text[i] = ' ';
    append(k, text, len);
    append(k, "\n", 1);
    k->records++;
}

/* ---- VMCOREINFO --------------------------------------------------------------------- */

/* "KEY=value" in the VMCOREINFO text (decimal, or hex for SYMBOL). */
static bool vmci_value(const char *text, size_t len, const char *key, int base, uint64_t *v)
{
    size_t kl = strlen(key);
    for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), key, kl)); p += kl) {
        if (p == text || p[-1] == '\n') {
            *v = strtoull(p + kl, NULL, base);
            return true;
        }
    }
    return false;
}

static unsigned vmci_or(const char *text, size_t len, const char *key, unsigned dflt)
{
    uint64_t v;
    return vmci_value(text, len, key, 10, &v) && v < 4096 ? (unsigned)v : dflt;
}

/* Without symbols: a kernel built with VMCOREINFO (CONFIG_CRASH_CORE) keeps
 * a page of "SYMBOL(prb)=...", "OFFSET(...)=..." lines in its memory, for
 * crash dumps. Look for it in RAM, and take the ring's address and layout. */
static bool from_vmcoreinfo(struct bus *b, uint64_t *prb_sym, struct layout *L)
{
    static const char key[] = "SYMBOL(prb)=";
    const char *ram = (const char *)b->ram.host, *p = ram, *end = ram + b->ram.size;
    while ((p = memmem(p, (size_t)(end - p), key, sizeof(key) - 1)) && p != ram && p[-1] != '\n')
        p++;
    if (!p)
        return false;
    const char *text = p - 2048 > ram ? p - 2048 : ram;  /* the note is at most a page */
    size_t len = (size_t)((p + 2048 < end ? p + 2048 : end) - text);
    vmci_value(text, len, key, 16, prb_sym);
    L->data_ring = vmci_or(text, len, "OFFSET(printk_ringbuffer.text_data_ring)=", 0);
    L->desc_size = vmci_or(text, len, "SIZE(prb_desc)=", DESC_SIZE);
    L->desc_lpos = vmci_or(text, len, "OFFSET(prb_desc.text_blk_lpos)=", 8);
    L->info_size = vmci_or(text, len, "SIZE(printk_info)=", INFO_SIZE);
    L->info_ts = vmci_or(text, len, "OFFSET(printk_info.ts_nsec)=", 8);
    L->info_len = vmci_or(text, len, "OFFSET(printk_info.text_len)=", 16);
    /* The reads below take DESC_SIZE and INFO_SIZE bytes at these offsets. */
    return L->desc_lpos + 16 <= DESC_SIZE && L->info_ts + 8 <= INFO_SIZE &&
           L->info_len + 2 <= INFO_SIZE;
}

bool klog_read(struct bus *b, uint64_t satp, const struct kmap *km, const struct symtab *syms,
               struct klog *k)
{
    memset(k, 0, sizeof(*k));
    struct reader r = { b, satp, km, layout_6x };
    uint64_t prb_sym, prb;
    struct ring g;
    if (syms && symtab_find(syms, "prb", &prb_sym)) {
        k->source = "found through the kernel's symbols";
    } else if (from_vmcoreinfo(b, &prb_sym, &r.L)) {
        k->source = "found through VMCOREINFO";
    } else {
        k->error = "no kernel symbols (give a vmlinux, or -M virt,symbols=System.map) and no "
                   "VMCOREINFO in memory";
        return false;
    }
    if (!rd(&r, prb_sym, &prb, 8) || !read_ring(&r, prb, &g)) {
        k->error = "the printk ring buffer is not readable yet (the kernel stopped before it "
                   "was set up, or its memory is not mapped)";
        return false;
    }
    uint64_t mask = ~(3ULL << 62);
    uint64_t head = g.head_id & mask, tail = g.tail_id & mask;
    uint64_t n = (head - tail) & mask;
    if (n >= MAX_RECORDS)
        tail = (head - MAX_RECORDS + 1) & mask;
    for (uint64_t id = tail;; id = (id + 1) & mask) {
        read_record(&r, &g, id, k);
        if (id == head || k->len > MAX_TEXT)
            break;
    }
    return true;
}

void klog_free(struct klog *k)
{
    free(k->text);
    memset(k, 0, sizeof(*k));
}
