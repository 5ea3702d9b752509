/* For gdb_test.py's code_write test: a hot loop that only ends once gdb
 * rewrites the `li a0, 1` at `patch` into `li a0, 2` while the loop is
 * stopped. The loop keeps running its old decoded (and compiled) code
 * unless the write reaches the code caches. */
        .text
        .globl _start
_start:
        li s0, 0
loop:   addi s0, s0, 1
        .globl patch
patch:  li a0, 1
        li t0, 2
        beq a0, t0, done
        j loop
        .globl done
done:   nop
1:      wfi
        j 1b
