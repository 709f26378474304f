/* Misaligned loads and stores work (Linux emulates them for user programs), also
 * across a page boundary; misaligned AMOs and LR/SC raise SIGBUS.
 * oracle: qemu */
#include "check.h"
START
    la s0, page_end
    CASE(1)
    li t0, 0x0807060504030201
    sd t0, -3(s0)           /* straddles the page boundary */
    ld a0, -3(s0)
    EXPECT(a0, 0x0807060504030201)
    lw a0, -1(s0)
    EXPECT(a0, 0x06050403)
    lhu a0, -4(s0)
    EXPECT(a0, 0x0100)
    CASE(2)
    lh a0, -2(s0)
    EXPECT(a0, 0x0302)
    lwu a0, -3(s0)
    EXPECT(a0, 0x04030201)
    CASE(3)
    CATCH(7)                /* SIGBUS */
    addi a1, s0, 1
    amoadd.w a0, t0, (a1)
    EXPECT(s11, 7)
    li s11, 0
    lr.d a0, (a1)
    EXPECT(s11, 7)
    DONE
    .data
    .balign 4096
    .zero 4096
page_end:
    .zero 4096
