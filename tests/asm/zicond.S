/* Zicond, and the cases qemu 7.2 gets wrong elsewhere (ctzw of a word whose low 32
 * bits are zero must be 32).
 * oracle: none (qemu 7.2 has no Zicond and miscounts ctzw) */
#include "check.h"
#define CZERO_EQZ(rd, rs1, rs2) .insn r 0x33, 5, 7, rd, rs1, rs2
#define CZERO_NEZ(rd, rs1, rs2) .insn r 0x33, 7, 7, rd, rs1, rs2
START
    li a1, 1234
    li a2, 0x100000000      /* non-zero in the upper half only */
    CASE(1)
    CZERO_EQZ(a0, a1, zero)
    EXPECT(a0, 0)
    CZERO_EQZ(a0, a1, a2)
    EXPECT(a0, 1234)
    CASE(2)
    CZERO_NEZ(a0, a1, zero)
    EXPECT(a0, 1234)
    CZERO_NEZ(a0, a1, a2)
    EXPECT(a0, 0)
    CASE(3)
    CZERO_EQZ(a1, a1, a1)   /* rd = rs1 = rs2 */
    EXPECT(a1, 1234)
    CASE(4)
    ctzw a0, a2
    EXPECT(a0, 32)
    ctzw a0, zero
    EXPECT(a0, 32)
    DONE
