#include "test.h"
        .text
        .globl test_main
test_main:
        li a1, 5
        addi a1, a1, 3
        CHECK(2, a1, 8)
        li a0, 0
        ret
