/* IPI ping-pong through CLINT MSIP (0x2000000 + 4 * hart): machine software
 * interrupts, polled with WFI and taken in M-mode; see
 * common/ipi_pingpong.h. */
#include "smp.h"

#define IPI_NAME "ipi_msip"
#define IPI_MIE MIP_MSIP
#define IPI_CAUSE ((1ull << 63) | 3)

static inline void ipi_send(unsigned h) { kick(h); }
static inline void ipi_clear(void) { msip_clear(read_csr(mhartid)); }
static inline int ipi_pending(void) { return (read_csr(mip) & MIP_MSIP) != 0; }

#include "ipi_pingpong.h"
