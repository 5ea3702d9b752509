/* Sv57 address translation (the checks of sv39.S, plus 512 GiB and
 * 256 TiB pages and the 57-bit canonical-address rule). QEMU 7.2 supports
 * Sv57 in its default rv64 CPU (it has no sv57=on property). The body is in
 * mmu.inc. */
#define LEVELS    5
#define SATP_MODE SATP_MODE_SV57
#include "mmu.inc"
