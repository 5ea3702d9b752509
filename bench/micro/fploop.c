/* A bare-metal double-precision loop for measuring the FP path alone:
 * complex multiply-adds (fmul, fadd, fsub, fmadd), a division and a square
 * root per step, on values that stay normal, in M-mode with no devices.
 * fcsr starts clear, so the first inexact result sets NX and the rest run
 * with it set, as in any real program.
 * Run: rivet -M virt -bios none -kernel fploop.elf (exits through the
 * SiFive test device when done), after printing the result's bits and
 * fflags on the UART (compare them with QEMU's). */
#include <stdint.h>

void _start(void) __attribute__((section(".text.init"), naked));
void _start(void)
{
    __asm__ volatile("la sp, _stack_top\n"
                     "li t0, 0x2000\n csrs mstatus, t0\n"  /* mstatus.FS = initial */
                     "csrw fcsr, zero\n j main");
}

#define N 256

static double fsqrt(double x)
{
    double r;
    __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}

static double re[N], im[N];

int main(void)
{
    for (int i = 0; i < N; i++) {
        re[i] = 1.0 + i * 0.001;
        im[i] = 0.5 - i * 0.0005;
    }
    double wr = 0.99995, wi = 0.0099998, acc = 0;
    for (int round = 0; round < 60000; round++) {
        for (int i = 0; i < N; i++) {
            double r = re[i] * wr - im[i] * wi;
            double m = re[i] * wi + im[i] * wr;
            re[i] = r;
            im[i] = m;
            acc += r * m;
        }
        acc = fsqrt(acc * acc + 1.0) / (1.0 + round);
    }
    /* The result's bits on the UART, to compare with QEMU's. */
    union { double d; uint64_t u; } bits = { .d = acc };
    volatile uint8_t *uart = (uint8_t *)0x10000000;
    for (int i = 60; i >= 0; i -= 4)
        *uart = "0123456789abcdef"[(bits.u >> i) & 15];
    *uart = '\n';
    uint32_t fflags;
    __asm__ volatile("frflags %0" : "=r"(fflags));
    *uart = "0123456789abcdef"[fflags & 15];
    *uart = "0123456789abcdef"[fflags >> 4];
    *uart = '\n';
    volatile uint32_t *finisher = (uint32_t *)0x100000;
    *finisher = 0x5555;
    for (;;)
        ;
}
