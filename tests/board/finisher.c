/* Fails through the SiFive test finisher with code 7: the emulator's exit
 * status must carry the code ((code << 16) | 0x3333). */
#include "bm.h"

int main(void)
{
    puts_("finisher: exiting with code 7\n");
    finish((7u << 16) | 0x3333);
    return 0;
}
