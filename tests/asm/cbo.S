/* Zicbom, Zicboz as Linux user programs see them: cbo.zero zeroes the 64-byte block
 * holding the address; cbo.clean and cbo.flush change nothing visible; cbo.inval is
 * illegal (Linux leaves senvcfg.CBIE clear); cbo.* on unmapped memory faults.
 * oracle: none (qemu 7.2's user mode raises SIGILL for every cbo.*) */
#include "check.h"
START
    la s0, block
    li t0, -1
    li t1, 0
1:  add t2, s0, t1          /* fill 192 bytes: the block before, the block, after */
    sd t0, -64(t2)
    addi t1, t1, 8
    li t2, 192
    blt t1, t2, 1b

    CASE(1)
    addi a0, s0, 37         /* an address inside the block */
    cbo.zero (a0)
    ld a1, 0(s0)
    EXPECT(a1, 0)
    ld a1, 56(s0)
    EXPECT(a1, 0)
    CASE(2)                 /* the neighbours are untouched */
    ld a1, -8(s0)
    EXPECT(a1, -1)
    ld a1, 64(s0)
    EXPECT(a1, -1)
    CASE(3)
    li t0, 0x1122334455667788
    sd t0, 8(s0)
    cbo.clean (s0)
    cbo.flush (s0)
    ld a1, 8(s0)
    EXPECT(a1, 0x1122334455667788)

    CASE(4)
    CATCH(4)                /* SIGILL */
    cbo.inval (s0)
    EXPECT(s11, 4)
    ld a1, 8(s0)
    EXPECT(a1, 0x1122334455667788)

    CASE(5)
    CATCH(11)               /* SIGSEGV */
    li a0, 64
    cbo.zero (a0)
    EXPECT(s11, 11)
    CASE(6)
    li s11, 0
    cbo.flush (a0)
    EXPECT(s11, 11)
    CASE(7)                 /* a read-only block */
    li s11, 0
    la a0, ro
    cbo.zero (a0)
    EXPECT(s11, 11)
    ld a1, 0(a0)
    EXPECT(a1, 0x55)
    DONE
    .data
    .balign 64
    .zero 64
block:
    .zero 128
    .section .rodata
    .balign 64
ro: .dword 0x55
