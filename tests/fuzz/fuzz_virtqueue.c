/* Virtqueues as a hostile guest writes them: the input is 16 bytes of
 * queue setup (size, where the three rings are, event index on or off)
 * and then the contents of a small guest RAM holding the rings, indirect
 * tables and buffers. The device side pops every chain it is offered,
 * reads and writes its buffers and returns it, as virtio-rng and
 * virtio-blk do. Invariant: each pop ends in a chain, an empty ring or
 * VQ_BROKEN (DEVICE_NEEDS_RESET), in bounded time, touching only guest
 * RAM (ASan). */
#include <string.h>

#include "dev/virtqueue.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (64 * 1024)
#define MAX_POPS 300         /* more than a ring holds: the index check must stop us */

static struct bus bus;
static struct log quiet;
static struct vq_elem elem;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (!bus_init(&bus, RAM_BASE, RAM_SIZE, 0x1000, 0xf000, &quiet))
        return 1;
    return 0;
}

static uint64_t addr_of(const uint8_t *p)
{
    /* Mostly inside RAM; the top bit of the offset puts it just outside. */
    uint32_t off = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (off & 0x800000) ? RAM_BASE + RAM_SIZE - 64 + (off & 0x7f) : RAM_BASE + (off % RAM_SIZE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 16)
        return 0;
    uint8_t *ram = bus_ram_ptr(&bus, RAM_BASE, RAM_SIZE);
    memset(ram, 0, RAM_SIZE);
    memcpy(ram, data + 16, size - 16 < RAM_SIZE ? size - 16 : RAM_SIZE);
    struct virtq q = { .bus = &bus };
    q.num = (uint32_t)data[0] | (uint32_t)data[1] << 8;
    q.desc = addr_of(data + 2);
    q.avail = addr_of(data + 5);
    q.used = addr_of(data + 8);
    if (!vq_setup(&q, &bus, data[11] & 1))
        return 0;
    static const uint8_t pattern[64] = { 0xa5 };
    for (int i = 0; i < MAX_POPS; i++) {
        int r = vq_pop(&q, &elem);
        if (r != VQ_GOT)
            break;
        uint8_t hdr[16];
        vq_read(&bus, &elem, 0, hdr, sizeof(hdr));
        size_t n = vq_write(&bus, &elem, data[12], pattern, sizeof(pattern));
        vq_push(&q, &elem, (uint32_t)n);
        vq_should_notify(&q);
    }
    return 0;
}
