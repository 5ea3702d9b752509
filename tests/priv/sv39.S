/* Sv39 address translation from S- and U-mode: 4 KiB, 2 MiB and 1 GiB
 * pages, misaligned superpages, permission and U/SUM/MXR rules, reserved
 * encodings, canonical addresses, sfence.vma by address and by ASID, and
 * satp.MODE = Bare. The body is in mmu.inc. */
#define LEVELS    3
#define SATP_MODE SATP_MODE_SV39
#include "mmu.inc"
