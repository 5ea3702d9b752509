/* rivet-hv: traps from guests, one case per cause (interrupts first), and
 * MMIO emulation: the faulting access is decoded from htinst, or from the
 * guest's instruction read with HLVX when htinst is zero. */
#include "zone.h"
#include "csr.h"
#include "sbi.h"

extern unsigned long hlvx_hu(unsigned long addr);
extern char hlvx_insn[], hlvx_fault[];

static const char *cause_name(unsigned long c)
{
    static const char *names[] = {
        [0] = "instruction address misaligned", [1] = "instruction access fault",
        [2] = "illegal instruction", [3] = "breakpoint", [4] = "load address misaligned",
        [5] = "load access fault", [6] = "store/AMO address misaligned", [7] = "store/AMO access fault",
        [8] = "ecall from U", [9] = "ecall from HS", [10] = "ecall from VS", [12] = "instruction page fault",
        [13] = "load page fault", [15] = "store/AMO page fault", [20] = "instruction guest-page fault",
        [21] = "load guest-page fault", [22] = "virtual instruction", [23] = "store/AMO guest-page fault",
    };
    return c < ARRAY_SIZE(names) && names[c] ? names[c] : "unknown cause";
}

/* The guest instruction at pc, through the guest's own translation. */
bool read_guest_insn(unsigned long pc, uint32_t *insn, int *len)
{
    unsigned long lo = hlvx_hu(pc);
    if (lo == ~0ul)
        return false;
    if ((lo & 3) != 3) {
        *insn = (uint32_t)lo;
        *len = 2;
        return true;
    }
    unsigned long hi = hlvx_hu(pc + 2);
    if (hi == ~0ul)
        return false;
    *insn = (uint32_t)(lo | hi << 16);
    *len = 4;
    return true;
}

/* A trap in the hypervisor itself. */
struct hyp_frame { unsigned long x[32]; unsigned long sepc; };
bool probing_h;

void hyp_trap_c(struct hyp_frame *f)
{
    unsigned long cause = csr_read(CSR_SCAUSE);
    if (f->sepc == (unsigned long)hlvx_insn) {
        f->sepc = (unsigned long)hlvx_fault;
        return;
    }
    if (probing_h && cause == EXC_ILLEGAL_INST)
        panic("hypervisor CSRs are illegal here: this hart has no H extension (QEMU: -cpu rv64,h=true)");
    panic("trap in the hypervisor: cause %lu (%s), sepc 0x%lx, stval 0x%lx", cause,
          cause & CAUSE_INTERRUPT ? "interrupt" : cause_name(cause), f->sepc, csr_read(CSR_STVAL));
}

/* ---- MMIO emulation -------------------------------------------------- */

struct access { bool write; int width; bool sign; int reg; int len; };

static bool decode(uint32_t insn, int len, struct access *a)
{
    a->len = len;
    if (len == 4) {
        uint32_t op = insn & 0x7f, f3 = insn >> 12 & 7;
        if (op == 0x03 && f3 != 7) {            /* lb lh lw ld lbu lhu lwu */
            a->write = false;
            a->width = 1 << (f3 & 3);
            a->sign = f3 < 4;
            a->reg = insn >> 7 & 31;
            return true;
        }
        if (op == 0x23 && f3 < 4) {             /* sb sh sw sd */
            a->write = true;
            a->width = 1 << f3;
            a->reg = insn >> 20 & 31;
            return true;
        }
        return false;
    }
    uint32_t q = insn & 3, f3 = insn >> 13 & 7;
    a->sign = true;
    if (q == 0 && (f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7)) {   /* c.lw c.ld c.sw c.sd */
        a->write = f3 >= 6;
        a->width = f3 & 1 ? 8 : 4;
        a->reg = 8 + (insn >> 2 & 7);
        return true;
    }
    if (q == 2 && (f3 == 2 || f3 == 3)) {       /* c.lwsp c.ldsp */
        a->write = false;
        a->width = f3 == 3 ? 8 : 4;
        a->reg = insn >> 7 & 31;
        return a->reg != 0;
    }
    if (q == 2 && (f3 == 6 || f3 == 7)) {       /* c.swsp c.sdsp */
        a->write = true;
        a->width = f3 == 7 ? 8 : 4;
        a->reg = insn >> 2 & 31;
        return true;
    }
    return false;
}

static bool mmio_emulate(struct vcpu *v, uint64_t gpa)
{
    struct zone *z = v->zone;
    uint32_t insn = (uint32_t)csr_read(CSR_HTINST);
    int len;
    struct access a;
    bool from_htinst = insn & 1;
    if (insn & 1) {
        /* a transformed instruction: bit 1 clear means the original was compressed */
        len = insn & 2 ? 4 : 2;
        insn |= 2;
        if (!decode(insn, 4, &a))
            return false;
        a.len = len;
    } else if (insn == 0) {
        if (!read_guest_insn(v->sepc, &insn, &len) || !decode(insn, len, &a))
            return false;
    } else {
        return false;   /* a pseudoinstruction: the fault came from a VS-stage table walk */
    }
    uint64_t val = a.write && a.reg ? REG(v, a.reg) : 0;
    if (a.width < 8)
        val &= (1ul << (8 * a.width)) - 1;
    bool ok = false;
    if (gpa >= z->vplic.base && gpa < z->vplic.base + z->vplic.size)
        ok = vplic_access(v, gpa - z->vplic.base, a.width, a.write, &val);
    else if (z->cfg->scratch_gpa && gpa - z->cfg->scratch_gpa <= 4096u - a.width && !(gpa & (a.width - 1))) {
        uint8_t *p = z->scratch + (gpa - z->cfg->scratch_gpa);
        if (a.write)
            memcpy(p, &val, (size_t)a.width);
        else
            memcpy(&val, p, (size_t)a.width);
        ok = true;
    }
    if (!ok)
        return false;
    if (!a.write && a.reg) {
        if (a.width < 8 && a.sign && (val >> (8 * a.width - 1) & 1))
            val |= ~0ul << (8 * a.width);
        REG(v, a.reg) = val;
    }
    v->sepc += (unsigned long)a.len;
    __atomic_fetch_add(from_htinst ? &z->stats.mmio_htinst : &z->stats.mmio_hlvx, 1, __ATOMIC_RELAXED);
    return true;
}

/* ---- faults the hypervisor cannot handle ----------------------------- */

/* A few words on what the guest instruction does. */
static void describe(uint32_t insn, int len, char *buf, size_t n)
{
    struct access a;
    if (decode(insn, len, &a))
        snprintf(buf, n, "%s%s of %d bytes %s x%d", len == 2 ? "compressed " : "", a.write ? "store" : "load",
                 a.width, a.write ? "from" : "into", a.reg);
    else if (len == 4 && (insn & 0x7f) == 0x73 && (insn >> 12 & 7) != 0 && (insn >> 12 & 7) != 4)
        snprintf(buf, n, "access to CSR 0x%03x", insn >> 20);
    else if (insn == 0x10500073)
        snprintf(buf, n, "wfi");
    else if (len == 4 && (insn & 0x7f) == 0x73)
        snprintf(buf, n, "a system instruction (funct7 0x%02x)", insn >> 25);
    else if (len == 4 && (insn & 0x7f) == 0x2f)
        snprintf(buf, n, "an atomic memory operation");
    else
        snprintf(buf, n, "opcode 0x%02x", insn & (len == 4 ? 0x7f : 0xe003));
}

void guest_fault(struct vcpu *v, const char *what)
{
    struct zone *z = v->zone;
    unsigned long cause = csr_read(CSR_SCAUSE), htval = csr_read(CSR_HTVAL), stval = csr_read(CSR_STVAL);
    uint32_t insn;
    int len;
    LOG("zone %d (%s), vhart %d on hart %d: %s\n", z->id, z->cfg->name, v->id, v->phart, what);
    LOG("  cause %lu (%s), from %s-mode\n", cause, cause_name(cause), v->sstatus & SSTATUS_SPP ? "VS" : "VU");
    uint64_t off;
    const char *sym = symbol_of(z, v->sepc, &off);
    if (sym)
        LOG("  sepc 0x%lx (%s+0x%lx), stval 0x%lx\n", v->sepc, sym, off, stval);
    else
        LOG("  sepc 0x%lx (%s), stval 0x%lx\n", v->sepc, z->sym_count ? "no symbol" : "no guest symbols", stval);
    if (cause == EXC_INST_GUEST_PF || cause == EXC_LOAD_GUEST_PF || cause == EXC_STORE_GUEST_PF)
        LOG("  htval 0x%lx (guest-physical 0x%lx), htinst 0x%lx\n", htval, htval << 2 | (stval & 3),
            csr_read(CSR_HTINST));
    else
        LOG("  htval 0x%lx, htinst 0x%lx\n", htval, csr_read(CSR_HTINST));
    char what_insn[64];
    if (read_guest_insn(v->sepc, &insn, &len)) {
        describe(insn, len, what_insn, sizeof what_insn);
        LOG("  instruction at sepc: %0*x (%s)\n", len * 2, insn, what_insn);
    }
    else
        LOG("  instruction at sepc: unreadable (the guest's own translation faults)\n");
    zone_stop(z, v, "unhandled guest trap");
}

static void guest_page_fault(struct vcpu *v, unsigned long cause)
{
    uint64_t gpa = csr_read(CSR_HTVAL) << 2 | (csr_read(CSR_STVAL) & 3);
    if (cause != EXC_INST_GUEST_PF && mmio_emulate(v, gpa))
        return;
    guest_fault(v, "guest-physical address not mapped in the zone, nor emulated");
}

/* Called by start.S with the guest's registers saved; returns the vcpu to resume. */
struct vcpu *vcpu_trap(struct vcpu *v)
{
    unsigned long cause = csr_read(CSR_SCAUSE);
    if (cause & CAUSE_INTERRUPT) {
        switch (cause & ~CAUSE_INTERRUPT) {
        case IRQ_S_EXT:
            plic_handle_host_irq(v->phart);
            break;
        case IRQ_S_TIMER:
            vtimer_host_irq(v);
            break;
        case IRQ_S_SOFT:
            vcpu_handle_requests(v);
            break;
        default:
            LOG("hart %d: unexpected interrupt %lu\n", v->phart, cause & ~CAUSE_INTERRUPT);
        }
    } else {
        switch (cause) {
        case EXC_ECALL_VS:
            __atomic_fetch_add(&v->zone->stats.sbi, 1, __ATOMIC_RELAXED);
            vsbi_handle(v);
            break;
        case EXC_LOAD_GUEST_PF:
        case EXC_STORE_GUEST_PF:
        case EXC_INST_GUEST_PF:
            guest_page_fault(v, cause);
            break;
        case EXC_VIRTUAL_INST:
            guest_fault(v, "virtual instruction (a CSR or instruction the zone may not use)");
            break;
        default:
            guest_fault(v, "trap not delegated to the guest");
        }
    }
    if (v->zone->state == ZONE_REBOOTING && v->hsm_state == SBI_HSM_STARTED)
        __atomic_store_n(&v->hsm_state, SBI_HSM_STOPPED, __ATOMIC_RELEASE);   /* another vhart reboots it */
    if (v->zone->state != ZONE_RUNNING || v->hsm_state != SBI_HSM_STARTED)
        hart_wait(v);   /* the zone or this vhart stopped */
    return v;
}
