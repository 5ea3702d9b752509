/* rivet-hv: entry from OpenSBI, the trap vector, and the switch into a guest.
 * OpenSBI starts us in HS-mode with a0 = hart id, a1 = host DTB. */
#define HYP_STACK 16384
#define MAX_HARTS 8
#define VCPU_SEPC 256
#define VCPU_SSTATUS 264
#define VCPU_HSTATUS 272

    .section .text.entry
    .globl _start
_start:
    /* Only the first hart here boots the hypervisor. OpenSBI 1.1's HSM
     * hart_start marks a hart START_PENDING before it stores the start
     * address, so a hart we start may now and then come here, to the
     * payload's address, instead of _secondary: send it there. */
    la      t0, boot_lottery
    li      t1, 1
    amoswap.w.aqrl t1, t1, (t0)
    bnez    t1, _secondary
    csrw    sie, zero
    csrw    sscratch, zero          /* 0 = "trapped from the hypervisor itself" */
    la      t0, trap_vector
    csrw    stvec, t0
    /* the boot hart: clear .bss, then its stack is stacks[hart id] */
    la      t0, _bss_start
    la      t1, _bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  li      t0, MAX_HARTS           /* a boot hart beyond MAX_HARTS gets the spare */
    mv      t2, a0                  /* stack, so that hyp_main can say so */
    bltu    a0, t0, 3f
    mv      t2, t0
3:  la      sp, stacks
    addi    t0, t2, 1
    li      t1, HYP_STACK
    mul     t0, t0, t1
    add     sp, sp, t0
    call    hyp_main
hang:
    wfi
    j       hang

/* Secondary harts, started through SBI HSM: a0 = hart id. */
    .globl _secondary
_secondary:
    csrw    sie, zero
    csrw    sscratch, zero
    la      t0, trap_vector
    csrw    stvec, t0
    li      t0, MAX_HARTS
    bgeu    a0, t0, hang
    la      sp, stacks
    addi    t0, a0, 1
    li      t1, HYP_STACK
    mul     t0, t0, t1
    add     sp, sp, t0
    call    hyp_secondary
    j       hang

/* Every trap comes here. From a guest, sscratch holds its struct vcpu; from
 * the hypervisor itself sscratch is 0. */
    .balign 4
trap_vector:
    csrrw   sp, sscratch, sp
    beqz    sp, hyp_trap
    sd      x1, 8(sp)
    sd      x3, 24(sp)
    sd      x4, 32(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x8, 64(sp)
    sd      x9, 72(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x18, 144(sp)
    sd      x19, 152(sp)
    sd      x20, 160(sp)
    sd      x21, 168(sp)
    sd      x22, 176(sp)
    sd      x23, 184(sp)
    sd      x24, 192(sp)
    sd      x25, 200(sp)
    sd      x26, 208(sp)
    sd      x27, 216(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    csrrw   t0, sscratch, zero      /* the guest's sp; sscratch = 0 while we run */
    sd      t0, 16(sp)
    csrr    t0, sepc
    sd      t0, VCPU_SEPC(sp)
    csrr    t0, sstatus
    sd      t0, VCPU_SSTATUS(sp)
    csrr    t0, 0x600               /* hstatus */
    sd      t0, VCPU_HSTATUS(sp)
    mv      a0, sp
    ld      sp, 0(sp)               /* this hart's hypervisor stack */
    call    vcpu_trap               /* returns the vcpu to resume */

/* vcpu_enter(struct vcpu *v): load the guest's state and sret into it. */
    .globl vcpu_enter
vcpu_enter:
    ld      t0, VCPU_SEPC(a0)
    csrw    sepc, t0
    ld      t0, VCPU_SSTATUS(a0)
    csrw    sstatus, t0
    ld      t0, VCPU_HSTATUS(a0)
    csrw    0x600, t0
    csrw    sscratch, a0
    ld      x1, 8(a0)
    ld      x2, 16(a0)
    ld      x3, 24(a0)
    ld      x4, 32(a0)
    ld      x5, 40(a0)
    ld      x6, 48(a0)
    ld      x7, 56(a0)
    ld      x8, 64(a0)
    ld      x9, 72(a0)
    ld      x11, 88(a0)
    ld      x12, 96(a0)
    ld      x13, 104(a0)
    ld      x14, 112(a0)
    ld      x15, 120(a0)
    ld      x16, 128(a0)
    ld      x17, 136(a0)
    ld      x18, 144(a0)
    ld      x19, 152(a0)
    ld      x20, 160(a0)
    ld      x21, 168(a0)
    ld      x22, 176(a0)
    ld      x23, 184(a0)
    ld      x24, 192(a0)
    ld      x25, 200(a0)
    ld      x26, 208(a0)
    ld      x27, 216(a0)
    ld      x28, 224(a0)
    ld      x29, 232(a0)
    ld      x30, 240(a0)
    ld      x31, 248(a0)
    ld      x10, 80(a0)
    sret

/* A trap taken in HS-mode: a fault the hypervisor expected (reading a guest
 * instruction) or a bug. Frame: x1..x31 at 8..248, sepc at 256. */
hyp_trap:
    csrrw   sp, sscratch, sp        /* back to our own sp; sscratch = 0 again */
    addi    sp, sp, -272
    sd      x1, 8(sp)
    sd      x5, 40(sp)
    sd      x6, 48(sp)
    sd      x7, 56(sp)
    sd      x10, 80(sp)
    sd      x11, 88(sp)
    sd      x12, 96(sp)
    sd      x13, 104(sp)
    sd      x14, 112(sp)
    sd      x15, 120(sp)
    sd      x16, 128(sp)
    sd      x17, 136(sp)
    sd      x28, 224(sp)
    sd      x29, 232(sp)
    sd      x30, 240(sp)
    sd      x31, 248(sp)
    csrr    t0, sepc
    sd      t0, 256(sp)
    mv      a0, sp
    call    hyp_trap_c
    ld      t0, 256(sp)
    csrw    sepc, t0
    ld      x1, 8(sp)
    ld      x5, 40(sp)
    ld      x6, 48(sp)
    ld      x7, 56(sp)
    ld      x10, 80(sp)
    ld      x11, 88(sp)
    ld      x12, 96(sp)
    ld      x13, 104(sp)
    ld      x14, 112(sp)
    ld      x15, 120(sp)
    ld      x16, 128(sp)
    ld      x17, 136(sp)
    ld      x28, 224(sp)
    ld      x29, 232(sp)
    ld      x30, 240(sp)
    ld      x31, 248(sp)
    addi    sp, sp, 272
    sret

/* hlvx_hu(addr): read a halfword of guest code as the guest would execute
 * it (VS-stage then G-stage). A fault lands in hyp_trap_c, which resumes at
 * hlvx_fault with a0 = -1. */
    .globl hlvx_hu, hlvx_insn, hlvx_fault
hlvx_hu:
    mv      t0, a0
hlvx_insn:
    .insn r 0x73, 0x4, 0x32, a0, t0, x3     /* hlvx.hu a0, (t0) */
    ret
hlvx_fault:
    li      a0, -1
    ret

    .globl hfence_gvma_all, hfence_vvma_all
hfence_gvma_all:
    .insn r 0x73, 0x0, 0x31, x0, x0, x0     /* hfence.gvma zero, zero */
    ret
hfence_vvma_all:
    .insn r 0x73, 0x0, 0x11, x0, x0, x0     /* hfence.vvma zero, zero */
    ret

    .data
    .balign 4
boot_lottery:
    .word   0

    .bss
    .balign 16
    .globl stacks
stacks:
    .space HYP_STACK * (MAX_HARTS + 1)
