/* Instruction fetch across a page end: an S-mode loop (through Sv39) whose
 * 32-bit add starts in the last halfword of one page and ends in the next.
 * Run: rivet -M virt -bios none -kernel straddle.elf */
#include "smode.h"

__asm__(".pushsection .text.straddle, \"ax\"\n"
        ".option push\n"
        ".balign 4096\n"
        ".skip 4088\n"
        ".globl straddle_loop\n"
        "straddle_loop:\n"
        ".option norvc\n"
        "addi a0, a0, -1\n"        /* page offset 4088 */
        ".option rvc\n"
        "c.nop\n"                  /* 4092 */
        ".option norvc\n"
        "addi a3, a3, 1\n"         /* 4094: across the page end */
        "bnez a0, straddle_loop\n" /* in the next page */
        "ret\n"
        ".option pop\n"
        ".popsection\n");

static void smain(void)
{
    uint64_t n;
    __asm__ volatile("li a3, 0\n li a0, 4000000\n call straddle_loop\n mv %0, a3"
                     : "=r"(n) :: "a0", "a1", "a2", "a3", "ra", "memory");
    finish_with(n != 4000000);
}
