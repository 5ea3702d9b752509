/* IPI ping-pong through the ACLINT SSWI (0x2f00000 + 4 * hart; QEMU needs
 * -M virt,aclint=on): a write of 1 raises the hart's supervisor software
 * interrupt, mip.SSIP, which M-mode clears through mip. Not delegated
 * (mideleg = 0), so it is polled with WFI (mie.SSIE) and taken in M-mode
 * with mcause 1; see common/ipi_pingpong.h.
 * smp-test: machine=virt,aclint=on */
#include "smp.h"

#define IPI_NAME "ipi_sswi"
#define IPI_MIE MIP_SSIP
#define IPI_CAUSE ((1ull << 63) | 1)

static inline void ipi_send(unsigned h)
{
    fence();
    mmio_write32(SSWI_BASE + 4 * h, 1);
}
static inline void ipi_clear(void) { clear_csr(mip, MIP_SSIP); }
static inline int ipi_pending(void) { return (read_csr(mip) & MIP_SSIP) != 0; }

#include "ipi_pingpong.h"
