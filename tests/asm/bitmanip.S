/* Zba, Zbb, Zbs, Zbc, Zbkb, Zbkx at their edge values. ctzw of a word whose low
 * half is zero, which qemu 7.2 gets wrong, is tested in zicond.S.
 * oracle: qemu */
#include "check.h"
START
    li s0, -1
    li s1, 0x8000000000000000
    CASE(1)                 /* Zba */
    li a1, 0xffffffff80000001
    add.uw a0, a1, zero
    EXPECT(a0, 0x80000001)
    sh3add.uw a0, a1, s0
    EXPECT(a0, 0x80000001 * 8 - 1)
    slli.uw a0, a1, 63
    EXPECT(a0, 0x8000000000000000)
    sh1add a0, s1, s1
    EXPECT(a0, 0x8000000000000000)
    CASE(2)                 /* counts */
    clz a0, zero
    EXPECT(a0, 64)
    clz a0, s0
    EXPECT(a0, 0)
    clzw a0, s1
    EXPECT(a0, 32)
    ctz a0, zero
    EXPECT(a0, 64)
    ctz a0, s1
    EXPECT(a0, 63)
    li a1, 0x80000000
    ctzw a0, a1
    EXPECT(a0, 31)
    cpop a0, s0
    EXPECT(a0, 64)
    cpopw a0, s1
    EXPECT(a0, 0)
    CASE(3)                 /* min/max signed and unsigned */
    min a0, s1, zero
    EXPECT(a0, 0x8000000000000000)
    minu a0, s1, zero
    EXPECT(a0, 0)
    max a0, s0, zero
    EXPECT(a0, 0)
    maxu a0, s0, zero
    EXPECT(a0, -1)
    CASE(4)                 /* sign/zero extension, byte ops */
    li a1, 0x1234567890abcd80
    sext.b a0, a1
    EXPECT(a0, -128)
    sext.h a0, a1
    EXPECT(a0, 0xffffffffffffcd80)
    zext.h a0, a1
    EXPECT(a0, 0xcd80)
    rev8 a0, a1
    EXPECT(a0, 0x80cdab9078563412)
    li a1, 0x0001000000ff0010
    orc.b a0, a1
    EXPECT(a0, 0x00ff000000ff00ff)
    CASE(5)                 /* rotates: amounts use the low 6 (or 5) bits */
    li a1, 0x8000000000000001
    rori a0, a1, 1
    EXPECT(a0, 0xc000000000000000)
    li a2, 65
    rol a0, a1, a2
    EXPECT(a0, 3)
    li a1, 0x80000001
    roriw a0, a1, 1
    EXPECT(a0, 0xffffffffc0000000)
    li a2, 33
    rolw a0, a1, a2
    EXPECT(a0, 3)
    CASE(6)                 /* single bits */
    li a2, 127              /* index 63 */
    bset a0, zero, a2
    EXPECT(a0, 0x8000000000000000)
    bclri a0, s0, 0
    EXPECT(a0, -2)
    bexti a0, s1, 63
    EXPECT(a0, 1)
    binvi a0, s1, 63
    EXPECT(a0, 0)
    CASE(7)                 /* carry-less multiply */
    clmul a0, s0, s0
    EXPECT(a0, 0x5555555555555555)
    clmulh a0, s0, s0
    EXPECT(a0, 0x5555555555555555)
    clmulr a0, s0, s0
    EXPECT(a0, 0xaaaaaaaaaaaaaaaa)
    CASE(8)                 /* Zbkb, Zbkx */
    li a1, 0x1111111122222222
    li a2, 0x3333333344444444
    pack a0, a1, a2
    EXPECT(a0, 0x4444444422222222)
    packh a0, a1, a2
    EXPECT(a0, 0x4422)
    packw a0, a1, a2
    EXPECT(a0, 0x44442222)
    li a1, 0x0000000000008001
    brev8 a0, a1
    EXPECT(a0, 0x0000000000000180)
    li a1, 0xfedcba9876543210
    li a2, 0x0123456789abcdef
    xperm4 a0, a1, a2
    EXPECT(a0, 0x0123456789abcdef)
    li a2, 0x0001020304050607
    xperm8 a0, a1, a2
    EXPECT(a0, 0x1032547698badcfe)
    DONE
