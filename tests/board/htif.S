/* The HTIF convention of the RISC-V ISA test suites, run with
 * `-bios none -kernel htif.elf`: console output through a proxied write()
 * system call and through the character device, then an exit through
 * tohost with status EXIT_CODE ((code << 1) | 1; 1 means pass). */
        .section .text.start
        .globl _start
_start:
        /* write(1, msg, len) as a proxied system call */
        la t0, magic_mem
        li t1, 64
        sd t1, 0(t0)
        li t1, 1
        sd t1, 8(t0)
        la t1, msg
        sd t1, 16(t0)
        la t1, msg_end
        la t2, msg
        sub t1, t1, t2
        sd t1, 24(t0)
        call request
        /* the character device: device 1, command 1 */
        li t0, (1 << 56) | (1 << 48) | '!'
        call request_t0
        li t0, (1 << 56) | (1 << 48) | '\n'
        call request_t0
        li t0, (EXIT_CODE << 1) | 1
        la t1, tohost
        sd t0, 0(t1)
1:      j 1b

/* request: tohost = &magic_mem; request_t0: tohost = t0. Waits for the
 * host's answer in fromhost, then clears it. */
request:
        la t0, magic_mem
request_t0:
        la t1, tohost
        sd t0, 0(t1)
        la t2, fromhost
1:      ld t3, 0(t2)
        beqz t3, 1b
        sd zero, 0(t2)
        ret

        .section .rodata
msg:    .ascii "htif: hello through a proxied write"
msg_end:

        .data
        .align 6
        .globl tohost, fromhost
tohost:   .dword 0
        .align 6
fromhost: .dword 0
        .align 3
magic_mem: .dword 0, 0, 0, 0
