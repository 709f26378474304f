/* A: LR/SC reservation rules and AMOs of both widths (32-bit results are
 * sign-extended; the memory outside the word is untouched).
 * oracle: qemu */
#include "check.h"
START
    la s0, cell
    CASE(1)                 /* lr/sc pair succeeds, sc writes 0 */
    lr.d a0, (s0)
    EXPECT(a0, 0x1122334480000000)
    li a1, 5
    sc.d a2, a1, (s0)
    EXPECT(a2, 0)
    ld a0, 0(s0)
    EXPECT(a0, 5)
    CASE(2)                 /* a second sc without a new lr fails and writes nothing */
    li a1, 6
    sc.d a2, a1, (s0)
    bnez a2, 1f
    li gp, 2
    j fail
1:  ld a0, 0(s0)
    EXPECT(a0, 5)
    CASE(3)                 /* 32-bit: lr.w sign-extends */
    li t0, 0x80000000
    sw t0, 8(s0)
    addi s1, s0, 8
    lr.w a0, (s1)
    EXPECT(a0, -0x80000000)
    sc.w a2, zero, (s1)
    EXPECT(a2, 0)
    CASE(4)                 /* AMOs return the old value */
    li t0, -1
    sd t0, 16(s0)
    addi s2, s0, 16
    li a1, 1
    amoadd.w a0, a1, (s2)
    EXPECT(a0, -1)
    ld a0, 16(s0)
    EXPECT(a0, 0xffffffff00000000)
    amoadd.d a0, a1, (s2)
    EXPECT(a0, 0xffffffff00000000)
    CASE(5)
    li t0, 0x80000000
    sw t0, 0(s2)
    li a1, 1
    amomin.w a0, a1, (s2)
    EXPECT(a0, -0x80000000)
    lw a0, 0(s2)
    EXPECT(a0, -0x80000000)
    amominu.w a0, a1, (s2)
    lw a0, 0(s2)
    EXPECT(a0, 1)
    amomax.w a0, t0, (s2)
    lw a0, 0(s2)
    EXPECT(a0, 1)
    amomaxu.w a0, t0, (s2)
    lw a0, 0(s2)
    EXPECT(a0, -0x80000000)
    CASE(6)
    li t0, 0xf0f0
    sd t0, 0(s2)
    li a1, 0xff00
    amoand.d.aqrl a0, a1, (s2)
    EXPECT(a0, 0xf0f0)
    amoor.d a0, a1, (s2)
    EXPECT(a0, 0xf000)
    amoxor.d a0, a1, (s2)
    EXPECT(a0, 0xff00)
    li a1, 77
    amoswap.d a0, a1, (s2)
    EXPECT(a0, 0)
    ld a0, 0(s2)
    EXPECT(a0, 77)
    DONE
    .data
    .balign 8
cell: .dword 0x1122334480000000, 0, 0
