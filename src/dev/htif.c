#include <stdio.h>

#include "dev/htif.h"

enum { SYS_WRITE = 64 };

static void reply(struct htif *h, uint64_t value)
{
    uint64_t zero = 0;
    bus_write_ram(h->bus, h->tohost, &zero, 8);
    if (h->fromhost)
        bus_write_ram(h->bus, h->fromhost, &value, 8);
}

/* A proxied system call; only write(fd, buf, len) to the console is served. */
static void syscall_request(struct htif *h, uint64_t magic_mem)
{
    uint64_t args[4];
    if (!bus_read_ram(h->bus, magic_mem, args, sizeof(args)))
        return;
    int64_t ret = -1;
    if (args[0] == SYS_WRITE && (args[1] == 1 || args[1] == 2)) {
        uint8_t buf[256];
        uint64_t done = 0;
        while (done < args[3]) {
            uint64_t n = args[3] - done < sizeof(buf) ? args[3] - done : sizeof(buf);
            if (!bus_read_ram(h->bus, args[2] + done, buf, n))
                break;
            h->chr->write(h->chr->opaque, buf, n);
            done += n;
        }
        ret = (int64_t)done;
    }
    bus_write_ram(h->bus, magic_mem, &ret, sizeof(ret));
}

void htif_poll(struct htif *h)
{
    uint64_t cmd;
    if (!h->enabled || !bus_read_ram(h->bus, h->tohost, &cmd, 8) || cmd == 0)
        return;
    unsigned device = (unsigned)(cmd >> 56), command = (unsigned)(cmd >> 48) & 0xff;
    uint64_t payload = cmd & ((1ULL << 48) - 1);
    if (device == 0 && command == 0) {
        if (payload & 1) {
            int status = (int)(payload >> 1);
            if (status)
                fprintf(stderr, "FAIL test %d\n", status);
            h->exit(h->opaque, status);
            reply(h, 1);
            return;
        }
        syscall_request(h, payload);
        reply(h, 1);
    } else if (device == 1 && command == 1) {
        uint8_t c = (uint8_t)payload;
        h->chr->write(h->chr->opaque, &c, 1);
        reply(h, (1ULL << 56) | (1ULL << 48));
    } else {
        reply(h, 0);
    }
}
