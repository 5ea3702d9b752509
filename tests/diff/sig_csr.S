/* CSR behaviour that the spec pins down: csrrw/csrrs/csrrc/...i return the
 * old value and write only when they should; fcsr = frm:fflags aliasing;
 * mstatus.FS/SD tracking; the S-mode views sstatus/sie/sip of the M-mode
 * registers; WARL legalisation of mepc/sepc/mtvec/satp; scratch registers.
 * Fields whose legal values are implementation choices (misa, counters,
 * H-extension bits, ASID width, medeleg's optional bits) are masked out. */
#include "sig.h"

#define S_BITS 0x222            /* SSIP/SSIE, STIP/STIE, SEIP/SEIE */
#define M_BITS 0xaaa            /* all six M and S interrupt-enable bits */

        .text
        .globl test_main
test_main:
        CASE 1          /* csr instruction forms on mscratch */
        li s1, 0x0123456789abcdef
        csrw mscratch, s1
        li t0, 0xff00ff00ff00ff00
        csrrw s2, mscratch, t0
        SHOW "csr.rw_old", s2
        li t0, 0x0f
        csrrs s2, mscratch, t0
        SHOW "csr.rs_old", s2
        li t0, 0xf000000000000001
        csrrc s2, mscratch, t0
        SHOW "csr.rc_old", s2
        csrrwi s2, mscratch, 0x15
        SHOW "csr.rwi_old", s2
        csrrsi s2, mscratch, 0x0a
        SHOW "csr.rsi_old", s2
        csrrci s2, mscratch, 0x03
        SHOW "csr.rci_old", s2
        csrr s2, mscratch
        SHOW "csr.final", s2
        csrrs s2, mscratch, zero        /* rs1 = x0: no write */
        csrrc s2, mscratch, zero
        csrrsi s2, mscratch, 0
        SHOW "csr.nowrite", s2
        li t0, -1
        csrw sscratch, t0
        SHOW_CSR "csr.sscratch", sscratch
        SHOW_CSR "csr.mhartid", mhartid

        CASE 2          /* fcsr, frm and fflags */
        li t0, 0xffffffff
        fscsr s2, t0                    /* upper bits are not stored */
        SHOW_CSR "fcsr.all_ones", fcsr
        SHOW_CSR "fcsr.frm", frm
        SHOW_CSR "fcsr.fflags", fflags
        fsrmi s2, 2
        SHOW "fcsr.fsrmi_old", s2
        SHOW_CSR "fcsr.after_fsrmi", fcsr
        fsflagsi s2, 0x05
        SHOW "fcsr.fsflagsi_old", s2
        SHOW_CSR "fcsr.after_fsflagsi", fcsr
        li t0, 0x1ff
        csrw fflags, t0
        csrw frm, t0
        SHOW_CSR "fcsr.masked_writes", fcsr
        fscsr zero
        li t0, 1
        fcvt.d.l f1, t0
        fmv.d.x f2, zero
        fdiv.d f3, f1, f2               /* divide by zero: DZ */
        SHOW_CSR "fcsr.dz", fflags
        fsqrt.d f3, f3
        fmv.d.x f4, t0                  /* tiny subnormal */
        fmul.d f4, f4, f4               /* underflow + inexact */
        SHOW_CSR "fcsr.uf_nx", fflags
        li t0, -1
        fcvt.d.l f5, t0
        fsqrt.d f5, f5                  /* invalid */
        SHOW_CSR "fcsr.nv", fflags
        fmv.x.d s2, f5
        SHOW "fcsr.nv_result", s2

        CASE 3          /* mstatus.FS and SD follow FP state changes */
        li t0, MSTATUS_FS
        csrc mstatus, t0
        li t0, 1 << 13                  /* Initial */
        csrs mstatus, t0
        csrr s2, mstatus
        srli s3, s2, 63
        SHOW "fs.initial.sd", s3
        fadd.d f1, f1, f1               /* writes an FP register */
        csrr s2, mstatus
        srli s3, s2, 13
        andi s3, s3, 3
        SHOW "fs.after_write", s3
        srli s3, s2, 63
        SHOW "fs.after_write.sd", s3
        li t0, MSTATUS_FS
        csrc mstatus, t0
        li t0, 2 << 13                  /* Clean */
        csrs mstatus, t0
        fsflags zero                    /* writes fcsr */
        csrr s2, mstatus
        srli s3, s2, 13
        andi s3, s3, 3
        SHOW "fs.after_fsflags", s3
        li t0, MSTATUS_FS
        csrs mstatus, t0
        SHOW_CSR_MASKED "fs.sstatus_view", sstatus, MSTATUS_FS

        CASE 4          /* sstatus is a view of mstatus */
        li t0, MSTATUS_SHOWN
        csrc mstatus, t0
        li t0, MSTATUS_FS
        csrs mstatus, t0
        li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TVM
        csrs sstatus, t0                /* M-only bits must be ignored */
        SHOW_CSR_MASKED "sstatus.set", sstatus, MSTATUS_SHOWN
        SHOW_CSR_MASKED "sstatus.mstatus", mstatus, MSTATUS_SHOWN
        li t0, MSTATUS_SIE | MSTATUS_SUM
        csrc sstatus, t0
        SHOW_CSR_MASKED "sstatus.clear", mstatus, MSTATUS_SHOWN
        li t0, MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TW | MSTATUS_TSR | MSTATUS_TVM
        csrs mstatus, t0
        SHOW_CSR_MASKED "mstatus.m_bits", mstatus, MSTATUS_SHOWN
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, PRV_S << 11
        csrs mstatus, t0
        SHOW_CSR_MASKED "mstatus.mpp_s", mstatus, MSTATUS_MPP
        li t0, MSTATUS_SHOWN
        csrc mstatus, t0
        li t0, MSTATUS_FS
        csrs mstatus, t0

        CASE 5          /* mie/mip/mideleg and their S views */
        li t0, M_BITS
        csrw mie, t0
        SHOW_CSR_MASKED "intr.mie", mie, M_BITS
        SHOW_CSR_MASKED "intr.sie_nodeleg", sie, M_BITS
        li t0, S_BITS
        csrw mideleg, t0
        SHOW_CSR_MASKED "intr.mideleg", mideleg, S_BITS
        SHOW_CSR_MASKED "intr.sie_deleg", sie, M_BITS
        csrw sie, zero
        SHOW_CSR_MASKED "intr.mie_after_sie0", mie, M_BITS
        csrs mip, 2                     /* SSIP is writable in mip ... */
        SHOW_CSR_MASKED "intr.sip_ssip", sip, S_BITS
        csrc sip, 2                     /* ... and through sip when delegated */
        SHOW_CSR_MASKED "intr.mip_after_sip", mip, S_BITS
        csrw mie, zero
        csrw mideleg, zero
        li t0, (1 << 0) | (1 << 3) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
        csrw medeleg, t0
        SHOW_CSR_MASKED "intr.medeleg", medeleg, 0xb3ff
        csrw medeleg, zero

        CASE 6          /* WARL registers */
        /* bit 1 of mepc/sepc is writable with C (IALIGN = 16); bit 0 is
         * not written here: QEMU 7.2 keeps it, where the spec says it
         * reads as zero */
        li t0, -2
        csrw mepc, t0
        SHOW_CSR "warl.mepc", mepc
        li t0, 0x123456789abcdef2
        csrw sepc, t0
        SHOW_CSR "warl.sepc", sepc
        li t0, 0x80001235
        csrw mtval, t0
        SHOW_CSR "warl.mtval", mtval
        li t0, 0xffffffff80001235
        csrw stval, t0
        SHOW_CSR "warl.stval", stval
        li t0, 0x8000000000000007
        csrw mcause, t0
        SHOW_CSR "warl.mcause_irq", mcause
        li t0, 13
        csrw scause, t0
        SHOW_CSR "warl.scause", scause
        csrr s1, mtvec
        la t0, aligned_page
        ori t0, t0, 1
        csrw mtvec, t0                  /* vectored */
        csrr s2, mtvec
        la t0, aligned_page
        sub s2, s2, t0
        SHOW "warl.mtvec_vectored", s2
        csrw mtvec, s1
        csrr s1, stvec
        la t0, aligned_page
        csrw stvec, t0
        csrr s2, stvec
        sub s2, s2, t0
        SHOW "warl.stvec", s2
        csrw stvec, s1
        /* satp: Sv39 is accepted; an unsupported mode (7) leaves satp as
         * it was; the PPN field holds any page number we give it */
        la t0, aligned_page
        srli t0, t0, 12
        li t1, 8 << 60
        or t0, t0, t1
        csrw satp, t0
        csrr s2, satp
        srli s2, s2, 60
        SHOW "warl.satp_sv39_mode", s2
        csrr s2, satp
        li t0, (1 << 44) - 1
        and s2, s2, t0
        la t0, aligned_page
        srli t0, t0, 12
        sub s2, s2, t0
        SHOW "warl.satp_sv39_ppn", s2
        li t0, 7 << 60
        csrw satp, t0
        csrr s2, satp
        srli s2, s2, 60
        SHOW "warl.satp_mode7", s2
        csrw satp, zero
        SHOW_CSR "warl.satp_bare", satp
        j sig_done

        .data
        .balign 4096
aligned_page:   .space 64
