#include "boot/fdt.h"
#include "dev/sifive_test.h"

enum { FINISHER_FAIL = 0x3333, FINISHER_PASS = 0x5555, FINISHER_RESET_CODE = 0x7777 };

static bool test_read(void *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    (void)dev; (void)offset;
    if (size < 2 || size > 4)
        return false;
    *value = 0;
    return true;
}

static bool test_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct sifive_test *t = dev;
    if (size < 2 || size > 4)
        return false;
    if (offset != 0) {
        log_msg(t->log, LOG_GUEST_ERROR, "sifive_test: write to offset 0x%llx ignored\n",
                (unsigned long long)offset);
        return true;
    }
    unsigned status = value & 0xffff, code = (value >> 16) & 0xffff;
    switch (status) {
    case FINISHER_PASS:
        t->action(t->opaque, FINISHER_EXIT, (int)code);
        break;
    case FINISHER_FAIL:
        t->action(t->opaque, FINISHER_EXIT, code ? (int)code : 1);
        break;
    case FINISHER_RESET_CODE:
        t->action(t->opaque, FINISHER_RESET, 0);
        break;
    default:
        log_msg(t->log, LOG_GUEST_ERROR, "sifive_test: unknown command 0x%x\n", status);
        break;
    }
    return true;
}

const struct mmio_ops sifive_test_ops = { test_read, test_write };

void sifive_test_add_fdt(const struct sifive_test *t, void *fdt, const char *soc)
{
    int n = fdt_node_fmt(fdt, soc, "test@%llx", t->base);
    fdt_prop_strs(fdt, n, "compatible", "sifive,test1", "sifive,test0", "syscon", NULL);
    fdt_prop_reg(fdt, n, t->base, SIFIVE_TEST_SIZE);
    fdt_prop_u32(fdt, n, "phandle", t->phandle);

    int r = fdt_node(fdt, "/", "reboot");
    fdt_prop_str(fdt, r, "compatible", "syscon-reboot");
    fdt_prop_u32(fdt, r, "regmap", t->phandle);
    fdt_prop_u32(fdt, r, "offset", 0);
    fdt_prop_u32(fdt, r, "value", FINISHER_RESET_CODE);
    int p = fdt_node(fdt, "/", "poweroff");
    fdt_prop_str(fdt, p, "compatible", "syscon-poweroff");
    fdt_prop_u32(fdt, p, "regmap", t->phandle);
    fdt_prop_u32(fdt, p, "offset", 0);
    fdt_prop_u32(fdt, p, "value", FINISHER_PASS);
}
