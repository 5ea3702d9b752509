/* xmc_fencei.c, but a stale value after the racing rewrites, a fence and
 * FENCE.I fails the test, as RISC-V requires.
 * smp-test: skip-qemu (QEMU 7.2 MTTCG can keep a stale translation made while another vCPU rewrote the code; its FENCE.I flushes nothing) */
#define XMC_STRICT 1
#include "xmc_fencei.c"
