/* Sv48 address translation (the checks of sv39.S, plus 512 GiB pages and
 * the 48-bit canonical-address rule). The body is in mmu.inc. */
#define LEVELS    4
#define SATP_MODE SATP_MODE_SV48
#include "mmu.inc"
