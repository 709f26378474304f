/* Zcb: compressed byte/halfword loads and stores, the unary forms and c.mul.
 * binutils 2.40 does not know Zcb, so the 16-bit words are spelled here from the
 * Zcb specification's encoding tables (register fields hold x8..x15 as 0..7).
 * oracle: none (qemu 7.2 has no Zcb) */
#include "check.h"
#define R(x) ((x) - 8)
#define C_LBU(rd, rs1, u)  .half 0x8000 | R(rs1) << 7 | ((u) & 1) << 6 | ((u) >> 1 & 1) << 5 | R(rd) << 2
#define C_LHU(rd, rs1, u)  .half 0x8400 | R(rs1) << 7 | ((u) >> 1 & 1) << 5 | R(rd) << 2
#define C_LH(rd, rs1, u)   .half 0x8440 | R(rs1) << 7 | ((u) >> 1 & 1) << 5 | R(rd) << 2
#define C_SB(rs2, rs1, u)  .half 0x8800 | R(rs1) << 7 | ((u) & 1) << 6 | ((u) >> 1 & 1) << 5 | R(rs2) << 2
#define C_SH(rs2, rs1, u)  .half 0x8c00 | R(rs1) << 7 | ((u) >> 1 & 1) << 5 | R(rs2) << 2
#define C_UNARY(f, rd)     .half 0x9c61 | R(rd) << 7 | (f) << 2
#define C_ZEXT_B(rd) C_UNARY(0, rd)
#define C_SEXT_B(rd) C_UNARY(1, rd)
#define C_ZEXT_H(rd) C_UNARY(2, rd)
#define C_SEXT_H(rd) C_UNARY(3, rd)
#define C_ZEXT_W(rd) C_UNARY(4, rd)
#define C_NOT(rd)    C_UNARY(5, rd)
#define C_MUL(rd, rs2)     .half 0x9c41 | R(rd) << 7 | R(rs2) << 2
START
    la s0, bytes            /* x8 */
    CASE(1)
    C_LBU(10, 8, 0)         /* c.lbu a0, 0(s0) */
    EXPECT(a0, 0x81)
    CASE(2)
    C_LBU(10, 8, 3)
    EXPECT(a0, 0xf4)
    CASE(3)
    C_LHU(10, 8, 2)         /* c.lhu a0, 2(s0) */
    EXPECT(a0, 0xf4e3)
    CASE(4)
    C_LH(10, 8, 2)          /* c.lh a0, 2(s0) */
    EXPECT(a0, -0x0b1d)
    CASE(5)
    C_LH(10, 8, 0)
    EXPECT(a0, 0x7281)
    CASE(6)
    li a1, 0x1234567855
    C_SB(11, 8, 1)          /* c.sb a1, 1(s0) */
    lbu a0, 1(s0)
    EXPECT(a0, 0x55)
    lbu a0, 2(s0)
    EXPECT(a0, 0xe3)
    CASE(7)
    li a1, -2
    C_SH(11, 8, 2)          /* c.sh a1, 2(s0) */
    ld a0, 0(s0)
    EXPECT(a0, 0x08070605fffe5581)
    CASE(8)
    li a0, -1
    C_ZEXT_B(10)
    EXPECT(a0, 0xff)
    CASE(9)
    li a0, 0x180
    C_SEXT_B(10)
    EXPECT(a0, -0x80)
    CASE(10)
    li a0, 0x7f
    C_SEXT_B(10)
    EXPECT(a0, 0x7f)
    CASE(11)
    li a0, -3
    C_ZEXT_H(10)
    EXPECT(a0, 0xfffd)
    CASE(12)
    li a0, 0x18000
    C_SEXT_H(10)
    EXPECT(a0, -0x8000)
    CASE(13)
    li a0, -5
    C_ZEXT_W(10)
    EXPECT(a0, 0xfffffffb)
    CASE(14)
    li a5, 0x00ff00ff00ff00ff
    C_NOT(15)
    EXPECT(a5, 0xff00ff00ff00ff00)
    CASE(15)
    li a0, 0x100000001
    li a1, -3
    C_MUL(10, 11)           /* c.mul a0, a1: the low 64 bits */
    EXPECT(a0, -0x300000003)
    CASE(16)
    li s1, 0x4000000000000000
    li a2, 4
    C_MUL(12, 9)            /* c.mul a2, s1 */
    EXPECT(a2, 0)
    DONE
    .data
bytes: .byte 0x81, 0x72, 0xe3, 0xf4, 0x05, 0x06, 0x07, 0x08
