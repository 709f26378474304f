/* M: the edge values of multiply and divide (division by zero and signed overflow
 * never trap; results as the ISA's table defines).
 * oracle: qemu */
#include "check.h"
#define MIN64 0x8000000000000000
START
    li s0, MIN64
    li s1, -1
    CASE(1)
    div a0, s0, s1
    EXPECT(a0, MIN64)
    rem a0, s0, s1
    EXPECT(a0, 0)
    CASE(2)
    li a1, 7
    div a0, a1, zero
    EXPECT(a0, -1)
    divu a0, a1, zero
    EXPECT(a0, -1)
    rem a0, a1, zero
    EXPECT(a0, 7)
    remu a0, a1, zero
    EXPECT(a0, 7)
    CASE(3)
    li a1, -7
    li a2, 2
    div a0, a1, a2
    EXPECT(a0, -3)
    rem a0, a1, a2
    EXPECT(a0, -1)
    divu a0, a1, a2
    EXPECT(a0, 0x7ffffffffffffffc)
    CASE(4)                 /* 32-bit forms: operands are the low words, results sign-extended */
    li a1, 0x80000000
    li a2, -1
    divw a0, a1, a2
    EXPECT(a0, -0x80000000)
    remw a0, a1, a2
    EXPECT(a0, 0)
    divuw a0, a1, zero
    EXPECT(a0, -1)
    remuw a0, a1, zero
    EXPECT(a0, -0x80000000)
    li a1, 0x1fffffff9
    li a2, 2
    divw a0, a1, a2
    EXPECT(a0, -3)
    divuw a0, a1, a2
    EXPECT(a0, 0x7ffffffc)
    CASE(5)                 /* high halves */
    mulh a0, s0, s0
    EXPECT(a0, 0x4000000000000000)
    mulhu a0, s1, s1
    EXPECT(a0, -2)
    mulhsu a0, s1, s1
    EXPECT(a0, -1)
    mulhsu a0, s0, s1
    EXPECT(a0, MIN64)
    mul a0, s0, s1
    EXPECT(a0, MIN64)
    CASE(6)
    li a1, 0x123456789
    li a2, 0x10
    mulw a0, a1, a2
    EXPECT(a0, 0x34567890)
    DONE
