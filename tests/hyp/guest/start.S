/* A bare-metal guest for rivet-hv, in the Linux Image format so that the
 * hypervisor loads it as it loads Linux. Entry: a0 = hart id, a1 = DTB. */
    .section .text.entry
    .globl _start
_start:
    j       real_start              /* code0 */
    .balign 8
    .dword  0                       /* text_offset */
    .dword  _end - _start           /* image_size */
    .dword  0                       /* flags */
    .word   2                       /* version */
    .word   0
    .dword  0
    .ascii  "RISCV\0\0\0"           /* magic */
    .ascii  "RSC\x05"               /* magic2 */
    .word   0
real_start:
    la      sp, stack_top
    la      t0, trap_entry
    csrw    stvec, t0
    call    guest_main
1:  wfi
    j       1b

    .balign 4
trap_entry:
    addi    sp, sp, -128
    sd      ra, 0(sp)
    sd      a0, 8(sp)
    sd      a1, 16(sp)
    sd      a2, 24(sp)
    sd      a3, 32(sp)
    sd      a4, 40(sp)
    sd      a5, 48(sp)
    sd      a6, 56(sp)
    sd      a7, 64(sp)
    sd      t0, 72(sp)
    sd      t1, 80(sp)
    sd      t2, 88(sp)
    sd      t3, 96(sp)
    sd      t4, 104(sp)
    sd      t5, 112(sp)
    sd      t6, 120(sp)
    call    guest_trap
    ld      ra, 0(sp)
    ld      a0, 8(sp)
    ld      a1, 16(sp)
    ld      a2, 24(sp)
    ld      a3, 32(sp)
    ld      a4, 40(sp)
    ld      a5, 48(sp)
    ld      a6, 56(sp)
    ld      a7, 64(sp)
    ld      t0, 72(sp)
    ld      t1, 80(sp)
    ld      t2, 88(sp)
    ld      t3, 96(sp)
    ld      t4, 104(sp)
    ld      t5, 112(sp)
    ld      t6, 120(sp)
    addi    sp, sp, 128
    sret

    .bss
    .balign 16
    .space  16384
stack_top:
