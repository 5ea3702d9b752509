/* Guests that never give the emulator back: each prints "hostile: ready"
 * and then loops without end in one of the shapes below (chosen with
 * -DSHAPE=n).  hostile.sh signals the emulator and requires it to exit
 * within a second with the terminal restored. */
#include "bm.h"

#define SHAPE_MTVEC_ILLEGAL  1   /* mtvec at an illegal instruction */
#define SHAPE_MTVEC_UNMAPPED 2   /* mtvec at unmapped space (0x0) */
#define SHAPE_SPIN           3   /* j . */
#define SHAPE_WFI            4   /* wfi with every interrupt off */
#define SHAPE_CHATTY         5   /* prints lines for ever */

int main(void)
{
    puts_("hostile: ready\n");
#if SHAPE == SHAPE_MTVEC_ILLEGAL
    __asm__ volatile("la t0, 1f\n"
                     "csrw mtvec, t0\n"
                     "1: .word 0\n");            /* illegal: traps to itself */
#elif SHAPE == SHAPE_MTVEC_UNMAPPED
    __asm__ volatile("csrw mtvec, zero\n"
                     "ecall\n");                 /* fetch fault at 0, for ever */
#elif SHAPE == SHAPE_SPIN
    __asm__ volatile("1: j 1b\n");
#elif SHAPE == SHAPE_WFI
    __asm__ volatile("csrw mie, zero\n"
                     "csrci mstatus, 8\n"
                     "1: wfi\n"
                     "j 1b\n");
#elif SHAPE == SHAPE_CHATTY
    for (uint64_t n = 0;; n++) {
        puts_("hostile: chatter ");
        putdec(n);
        puts_(" ................................................................\n");
    }
#else
#error "SHAPE?"
#endif
    for (;;)
        ;
}
