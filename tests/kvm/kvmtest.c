/* kvmtest: a minimal KVM client for RISC-V Linux (6.1 API), run inside a
 * guest that has the H extension (tests/kvm/run.py). It creates a VM with
 * one memory slot and one vcpu, copies a small guest program into it and
 * checks, exit by exit, that KVM reports what the guest did:
 *
 *   mmio-write   sd to an address outside the slot -> KVM_EXIT_MMIO, is_write,
 *                address, length 8, data
 *   mmio-read    lw from such an address -> KVM_EXIT_MMIO, !is_write, length 4;
 *                the value we answer reaches the guest, which sends it back
 *                in the next SBI call
 *   sbi-putchar  legacy console putchar (a7=1), which KVM 6.1 forwards to user
 *                space -> KVM_EXIT_RISCV_SBI, extension 1, function (a6), a0
 *   sbi-forward  an experimental-range extension (0x08000000..0x08ffffff),
 *                forwarded with a6 and a0..a5; the ret[0]/ret[1] we set come
 *                back in the guest's a0/a1
 *   vs-timer     the guest takes VS timer interrupts (SBI TIME set_timer, every
 *                TICK_DIV'th of a second): TICKS_BUSY of them interrupt a busy
 *                loop, the rest wake it from WFI; each must arrive as scause =
 *                interrupt 5 (supervisor timer, as VS mode sees it) and
 *                the total time must be at least TICKS periods
 *   shutdown     SBI SRST shutdown -> KVM_EXIT_SYSTEM_EVENT (SHUTDOWN)
 *
 * Output: "kvmtest: PASS <check>: ..." / "kvmtest: FAIL <check>: ..." lines,
 * then "kvmtest: done, N passed, M failed". Exit status 0 only if all passed;
 * 2 when /dev/kvm is missing (the line says so).
 *
 * Build: riscv64-linux-gnu-gcc -static -O2 -o kvmtest kvmtest.c
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define GUEST_BASE   0x80000000UL  /* the memory slot's guest-physical base */
#define GUEST_SIZE   0x100000UL    /* 1 MiB */
#define MMIO_ADDR    0x10001000UL  /* outside every slot */
#define MMIO_WVAL    0x1122334455667788UL
/* What we answer to the guest's lw. Bit 31 clear: Linux 6.1's
 * kvm_riscv_vcpu_mmio_return() shifts an unsigned long, so it zero-extends
 * lw/lh/lb results; with bit 31 clear both readings agree. */
#define MMIO_RVAL    0x6abcdef1U
#define EXT_TEST     0x0800004bUL  /* an experimental SBI extension: forwarded */
#define FWD_RET1     0x5a5a5a5a5a5aUL
#define TICK_DIV     100           /* timer period: 1/100 s */
#define TICKS_BUSY   5             /* ticks interrupting the busy loop */
#define TICKS        10            /* total ticks (the rest wake up WFI) */

#define S_(x) #x
#define S(x) S_(x)

/* The guest: runs in VS mode with translation off, entered at its first
 * byte with a0 = hart id, a1 = timer ticks per period. Position independent
 * (lla only), no memory accesses except the MMIO ones. */
extern const unsigned char guest_start[], guest_end[];
__asm__(
    "    .pushsection .rodata.guest, \"a\"\n"
    "    .balign 4\n"
    "    .globl guest_start, guest_end\n"
    "guest_start:\n"
    "    mv    s5, a1\n"                      /* timer period */
    /* MMIO: an 8-byte store, then a 4-byte load */
    "    li    t0, " S(MMIO_ADDR) "\n"
    "    li    t1, " S(MMIO_WVAL) "\n"
    "    sd    t1, 0(t0)\n"
    "    lw    s1, 16(t0)\n"
    /* legacy SBI console putchar: a7 = 1, a0 = 'K' */
    "    li    a7, 1\n"
    "    li    a6, 0\n"
    "    li    a0, 'K'\n"
    "    ecall\n"
    /* experimental extension, function 1: a0 = the MMIO value read,
       a1..a5 = 0x101..0x105; the answer comes back in a0/a1 */
    "    li    a7, " S(EXT_TEST) "\n"
    "    li    a6, 1\n"
    "    mv    a0, s1\n"
    "    li    a1, 0x101\n"
    "    li    a2, 0x102\n"
    "    li    a3, 0x103\n"
    "    li    a4, 0x104\n"
    "    li    a5, 0x105\n"
    "    ecall\n"
    /* function 2 echoes back what the previous call returned */
    "    li    a7, " S(EXT_TEST) "\n"
    "    li    a6, 2\n"
    "    ecall\n"
    /* VS timer: stvec, sie.STIE, first deadline, sstatus.SIE */
    "    lla   t0, 9f\n"
    "    csrw  stvec, t0\n"
    "    li    s2, 0\n"                       /* ticks taken */
    "    li    s3, 0\n"                       /* busy-loop iterations */
    "    li    s7, 0\n"                       /* last scause */
    "    li    s8, 0\n"                       /* ticks seen by the busy loop */
    "    rdtime s4\n"
    "    li    t0, 0x20\n"
    "    csrs  sie, t0\n"
    "    add   a0, s4, s5\n"
    "    li    a7, 0x54494d45\n"              /* TIME */
    "    li    a6, 0\n"                       /* set_timer */
    "    ecall\n"
    "    csrsi sstatus, 2\n"
    "1:  addi  s3, s3, 1\n"
    "    li    t0, " S(TICKS_BUSY) "\n"
    "    blt   s2, t0, 1b\n"
    "    mv    s8, s2\n"
    "    rdtime s9\n"
    "    sub   s9, s9, s4\n"
    "2:  wfi\n"
    "    li    t0, " S(TICKS) "\n"
    "    blt   s2, t0, 2b\n"
    "    csrci sstatus, 2\n"
    "    rdtime s6\n"
    "    sub   s6, s6, s4\n"
    /* function 3: a0 = ticks, a1 = busy ticks, a2 = busy iterations,
       a3 = elapsed time, a4 = last scause, a5 = time when the busy loop
       ended */
    "    li    a7, " S(EXT_TEST) "\n"
    "    li    a6, 3\n"
    "    mv    a0, s2\n"
    "    mv    a1, s8\n"
    "    mv    a2, s3\n"
    "    mv    a3, s6\n"
    "    mv    a4, s7\n"
    "    mv    a5, s9\n"
    "    ecall\n"
    /* SRST shutdown */
    "    li    a7, 0x53525354\n"
    "    li    a6, 0\n"
    "    li    a0, 0\n"
    "    li    a1, 0\n"
    "    ecall\n"
    "3:  j     3b\n"
    /* trap handler: count timer interrupts, re-arm until TICKS */
    "    .balign 4\n"
    "9:  csrr  s7, scause\n"
    "    li    t0, 0x8000000000000005\n"
    "    bne   s7, t0, 8f\n"
    "    addi  s2, s2, 1\n"
    "    li    a0, -1\n"
    "    li    t0, " S(TICKS) "\n"
    "    bge   s2, t0, 7f\n"
    "    rdtime a0\n"
    "    add   a0, a0, s5\n"
    "7:  li    a7, 0x54494d45\n"
    "    li    a6, 0\n"
    "    ecall\n"
    "    sret\n"
    /* anything else: function 0xbad with scause, sepc, stval */
    "8:  li    a7, " S(EXT_TEST) "\n"
    "    li    a6, 0xbad\n"
    "    mv    a0, s7\n"
    "    csrr  a1, sepc\n"
    "    csrr  a2, stval\n"
    "    ecall\n"
    "    j     8b\n"
    "guest_end:\n"
    "    .popsection\n");

static int passed, failed;

static void result(int ok, const char *check, const char *fmt, ...)
{
    va_list ap;
    printf("kvmtest: %s %s: ", ok ? "PASS" : "FAIL", check);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (ok)
        passed++;
    else
        failed++;
}

static void finish(void)
{
    printf("kvmtest: done, %d passed, %d failed\n", passed, failed);
    exit(failed ? 1 : 0);
}

static void die(const char *what)
{
    result(0, "setup", "%s: %s", what, strerror(errno));
    finish();
}

static int vcpu_fd;
static struct kvm_run *run;

static uint64_t core_reg_id(unsigned long idx)
{
    return KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE | idx;
}

static void set_reg(uint64_t id, uint64_t val)
{
    struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };
    if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &r) < 0)
        die("KVM_SET_ONE_REG");
}

static uint64_t get_reg(uint64_t id)
{
    uint64_t val = 0;
    struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };
    if (ioctl(vcpu_fd, KVM_GET_ONE_REG, &r) < 0)
        die("KVM_GET_ONE_REG");
    return val;
}

static void on_alarm(int sig) { (void)sig; }

static const char *exit_name(unsigned r)
{
    switch (r) {
    case KVM_EXIT_MMIO: return "MMIO";
    case KVM_EXIT_RISCV_SBI: return "RISCV_SBI";
    case KVM_EXIT_SYSTEM_EVENT: return "SYSTEM_EVENT";
    case KVM_EXIT_INTR: return "INTR";
    case KVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
    case KVM_EXIT_FAIL_ENTRY: return "FAIL_ENTRY";
    case KVM_EXIT_RISCV_CSR: return "RISCV_CSR";
    default: return "other";
    }
}

/* One KVM_RUN; the wall-clock alarm (seconds) turns a hung guest into an
 * EINTR. Returns the exit reason, or -1 after reporting a failure. After a
 * wrong or missing exit the guest is out of step with the checks, so
 * expect_exit ends the run there. */
static int run_vcpu(const char *check, unsigned seconds)
{
    alarm(seconds);
    int rc = ioctl(vcpu_fd, KVM_RUN, 0);
    int err = errno;
    alarm(0);
    if (rc < 0) {
        uint64_t pc = get_reg(core_reg_id(KVM_REG_RISCV_CORE_REG(regs.pc)));
        if (err == EINTR)
            result(0, check, "KVM_RUN did not return within %us (guest pc %#lx)", seconds,
                   (unsigned long)pc);
        else
            result(0, check, "KVM_RUN: %s (guest pc %#lx)", strerror(err), (unsigned long)pc);
        return -1;
    }
    if (run->exit_reason == KVM_EXIT_RISCV_SBI && run->riscv_sbi.extension_id == EXT_TEST &&
        run->riscv_sbi.function_id == 0xbad) {
        result(0, check, "guest took an unexpected trap: scause %#lx sepc %#lx stval %#lx",
               run->riscv_sbi.args[0], run->riscv_sbi.args[1], run->riscv_sbi.args[2]);
        return -1;
    }
    return run->exit_reason;
}

static int expect_exit(const char *check, unsigned reason, unsigned seconds)
{
    int r = run_vcpu(check, seconds);
    if (r < 0)
        finish();
    if ((unsigned)r != reason) {
        uint64_t pc = get_reg(core_reg_id(KVM_REG_RISCV_CORE_REG(regs.pc)));
        result(0, check, "exit reason %d (%s), expected %u (%s); guest pc %#lx", r,
               exit_name(r), reason, exit_name(reason), (unsigned long)pc);
        if (r == KVM_EXIT_RISCV_SBI)
            printf("kvmtest:   sbi ext %#lx fn %#lx a0 %#lx\n", run->riscv_sbi.extension_id,
                   run->riscv_sbi.function_id, run->riscv_sbi.args[0]);
        if (r == KVM_EXIT_MMIO)
            printf("kvmtest:   mmio addr %#llx len %u write %u\n",
                   (unsigned long long)run->mmio.phys_addr, run->mmio.len, run->mmio.is_write);
        finish();
    }
    return 1;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: KVM_RUN returns EINTR */
    sigaction(SIGALRM, &sa, NULL);

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) {
        printf("kvmtest: FAIL no /dev/kvm: %s (kernel without CONFIG_KVM, or a CPU "
               "without the H extension: see the kernel's \"kvm [1]:\" line)\n",
               strerror(errno));
        printf("kvmtest: done, 0 passed, 1 failed\n");
        return 2;
    }
    int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) {
        result(0, "setup", "KVM_GET_API_VERSION is %d, expected %d", api, KVM_API_VERSION);
        return 1;
    }
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0)
        die("KVM_CREATE_VM");

    unsigned char *mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        die("mmap guest memory");
    size_t code_len = guest_end - guest_start;
    memcpy(mem, guest_start, code_len);
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = GUEST_BASE, .memory_size = GUEST_SIZE,
        .userspace_addr = (uint64_t)(uintptr_t)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        die("KVM_SET_USER_MEMORY_REGION");

    vcpu_fd = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu_fd < 0)
        die("KVM_CREATE_VCPU");
    int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < (int)sizeof(*run))
        die("KVM_GET_VCPU_MMAP_SIZE");
    run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
    if (run == MAP_FAILED)
        die("mmap kvm_run");

    uint64_t isa = get_reg(KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CONFIG |
                           KVM_REG_RISCV_CONFIG_REG(isa));
    uint64_t freq = get_reg(KVM_REG_RISCV | KVM_REG_SIZE_U64 | KVM_REG_RISCV_TIMER |
                            KVM_REG_RISCV_TIMER_REG(frequency));
    uint64_t mode = get_reg(core_reg_id(KVM_REG_RISCV_CORE_REG(mode)));
    char letters[27] = "", *p = letters;
    for (int i = 0; i < 26; i++)
        if (isa & (1UL << i))
            *p++ = 'a' + i;
    *p = 0;
    int ok = freq != 0 && mode == KVM_RISCV_MODE_S;
    result(ok, "vcpu", "created: guest isa %s, timer %lu Hz, mode %s, %zu bytes of guest code "
           "at %#lx", letters, (unsigned long)freq, mode == KVM_RISCV_MODE_S ? "S" : "U",
           code_len, GUEST_BASE);
    if (!ok || freq < TICK_DIV)
        goto out;

    set_reg(core_reg_id(KVM_REG_RISCV_CORE_REG(regs.pc)), GUEST_BASE);
    set_reg(core_reg_id(KVM_REG_RISCV_CORE_REG(regs.a0)), 0);
    set_reg(core_reg_id(KVM_REG_RISCV_CORE_REG(regs.a1)), freq / TICK_DIV);

    /* 1. the MMIO store */
    if (expect_exit("mmio-write", KVM_EXIT_MMIO, 20)) {
        uint64_t data = 0;
        memcpy(&data, run->mmio.data, sizeof data);
        ok = run->mmio.is_write && run->mmio.phys_addr == MMIO_ADDR && run->mmio.len == 8 &&
             data == MMIO_WVAL;
        result(ok, "mmio-write", "KVM_EXIT_MMIO addr %#llx len %u is_write %u data %#llx "
               "(expected %#lx, 8, 1, %#lx)", (unsigned long long)run->mmio.phys_addr,
               run->mmio.len, run->mmio.is_write, (unsigned long long)data, MMIO_ADDR, MMIO_WVAL);
    }
    /* 2. the MMIO load: we answer MMIO_RVAL */
    if (expect_exit("mmio-read", KVM_EXIT_MMIO, 20)) {
        ok = !run->mmio.is_write && run->mmio.phys_addr == MMIO_ADDR + 16 && run->mmio.len == 4;
        result(ok, "mmio-read", "KVM_EXIT_MMIO addr %#llx len %u is_write %u (expected %#lx, 4, "
               "0); answering %#x", (unsigned long long)run->mmio.phys_addr, run->mmio.len,
               run->mmio.is_write, MMIO_ADDR + 16, MMIO_RVAL);
        uint32_t v = MMIO_RVAL;
        memcpy(run->mmio.data, &v, 4);
    }
    /* 3. legacy console putchar */
    if (expect_exit("sbi-putchar", KVM_EXIT_RISCV_SBI, 20)) {
        ok = run->riscv_sbi.extension_id == 1 && run->riscv_sbi.function_id == 0 &&
             run->riscv_sbi.args[0] == 'K';
        result(ok, "sbi-putchar", "KVM_EXIT_RISCV_SBI ext %#lx fn %#lx a0 %#lx '%c' (expected "
               "0x1, 0, 0x4b 'K')", run->riscv_sbi.extension_id, run->riscv_sbi.function_id,
               run->riscv_sbi.args[0], (int)(run->riscv_sbi.args[0] & 0x7f));
        run->riscv_sbi.ret[0] = 0;
        run->riscv_sbi.ret[1] = 0;
    }
    /* 4. experimental extension, function 1: six arguments, two results */
    if (expect_exit("sbi-forward", KVM_EXIT_RISCV_SBI, 20)) {
        unsigned long *a = run->riscv_sbi.args;
        unsigned long want0 = MMIO_RVAL;
        ok = run->riscv_sbi.extension_id == EXT_TEST && run->riscv_sbi.function_id == 1 &&
             a[0] == want0 && a[1] == 0x101 && a[2] == 0x102 && a[3] == 0x103 &&
             a[4] == 0x104 && a[5] == 0x105;
        result(ok, "sbi-forward", "KVM_EXIT_RISCV_SBI ext %#lx fn %#lx args %#lx %#lx %#lx %#lx "
               "%#lx %#lx (expected %#lx, 1, the MMIO value %#lx, 0x101..0x105)",
               run->riscv_sbi.extension_id, run->riscv_sbi.function_id, a[0], a[1], a[2], a[3],
               a[4], a[5], EXT_TEST, want0);
        run->riscv_sbi.ret[0] = 0;
        run->riscv_sbi.ret[1] = FWD_RET1;
    }
    /* 5. function 2 shows what the guest got back in a0/a1 */
    if (expect_exit("sbi-return", KVM_EXIT_RISCV_SBI, 20)) {
        ok = run->riscv_sbi.extension_id == EXT_TEST && run->riscv_sbi.function_id == 2 &&
             run->riscv_sbi.args[0] == 0 && run->riscv_sbi.args[1] == FWD_RET1;
        result(ok, "sbi-return", "the guest's a0/a1 after the forwarded call: %#lx %#lx "
               "(expected 0, %#lx)", run->riscv_sbi.args[0], run->riscv_sbi.args[1], FWD_RET1);
        run->riscv_sbi.ret[0] = 0;
        run->riscv_sbi.ret[1] = 0;
    }
    /* 6. the VS timer: TICKS interrupts, then a report */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (expect_exit("vs-timer", KVM_EXIT_RISCV_SBI, 60)) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        unsigned long *a = run->riscv_sbi.args;
        unsigned long period = freq / TICK_DIV;
        ok = run->riscv_sbi.extension_id == EXT_TEST && run->riscv_sbi.function_id == 3 &&
             a[0] == TICKS && a[1] >= TICKS_BUSY && a[1] < TICKS && a[2] > 0 &&
             a[4] == 0x8000000000000005UL && a[5] >= a[1] * period && a[3] > a[5] &&
             a[3] - a[5] >= (TICKS - a[1]) * period;
        result(ok, "vs-timer", "%lu timer interrupts (expected %d), %lu during a busy loop of %lu "
               "iterations and the rest waking WFI, scause %#lx (expected 0x8000000000000005); "
               "%.3fs of guest time for %d periods of %.3fs: %.3fs busy, %.3fs in WFI "
               "(%.3fs of wall time)", a[0], TICKS, a[1], a[2], a[4], (double)a[3] / freq,
               TICKS, (double)period / freq, (double)a[5] / freq, (double)(a[3] - a[5]) / freq,
               wall);
        run->riscv_sbi.ret[0] = 0;
        run->riscv_sbi.ret[1] = 0;
    }
    /* 7. SRST shutdown */
    if (expect_exit("shutdown", KVM_EXIT_SYSTEM_EVENT, 20)) {
        ok = run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
        result(ok, "shutdown", "KVM_EXIT_SYSTEM_EVENT type %u (expected %u, shutdown)",
               run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
    }
out:
    finish();
    return 0;
}
