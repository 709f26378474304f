/* Zimop, Zcmop and Zawrs: may-be-operations write zero to rd (mop.r.N, mop.rr.N),
 * compressed ones do nothing, and wrs.nto/wrs.sto just continue.
 * oracle: none (qemu 7.2 has none of them) */
#include "check.h"
#define MOP_R(n, rd, rs1) .word 0x81c04073 | ((n) >> 4 & 1) << 30 | ((n) >> 2 & 3) << 26 | ((n) & 3) << 20 | (rs1) << 15 | (rd) << 7
#define MOP_RR(n, rd, rs1, rs2) .word 0x82004073 | ((n) >> 2 & 1) << 30 | ((n) & 3) << 26 | (rs2) << 20 | (rs1) << 15 | (rd) << 7
#define C_MOP(n) .half 0x6081 | ((n) >> 1) << 8
START
    CASE(1)
    li a0, -1
    li a1, 5
    MOP_R(0, 10, 11)        /* mop.r.0 a0, a1 */
    EXPECT(a0, 0)
    EXPECT(a1, 5)
    CASE(2)
    li a0, -1
    MOP_R(31, 10, 10)
    EXPECT(a0, 0)
    CASE(3)
    li a2, 9
    MOP_RR(7, 12, 10, 11)   /* mop.rr.7 a2, a0, a1 */
    EXPECT(a2, 0)
    CASE(4)
    li ra, 77
    li gp, 4
    C_MOP(1)                /* c.mop.1: no effect, though it sits on ra's encoding */
    C_MOP(15)
    EXPECT(ra, 77)
    CASE(5)
    wrs.nto
    wrs.sto
    li a0, 3
    EXPECT(a0, 3)
    DONE
