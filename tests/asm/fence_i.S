/* Self-modifying code: stores over instructions that already ran, then fence.i,
 * must run the new instructions, also inside a hot loop and for compressed ones.
 * oracle: qemu */
#include "check.h"
START
    CASE(1)                 /* a function called 100 times, then rewritten */
    li s0, 0
    li s1, 100
1:  jal get
    add s0, s0, a0
    addi s1, s1, -1
    bnez s1, 1b
    EXPECT(s0, 100)
    la t0, get
    lw t1, li_a0_42
    sw t1, 0(t0)
    fence.i
    jal get
    EXPECT(a0, 42)

    CASE(2)                 /* the loop rewrites its own body at iteration 100 */
    li s0, 0
    li s1, 0
    la s2, body
    lw s3, li_a0_7
2:  fence.i
    jal body
    add s0, s0, a0
    addi s1, s1, 1
    li t0, 100
    bne s1, t0, 3f
    sw s3, 0(s2)
3:  li t0, 200
    blt s1, t0, 2b
    EXPECT(s0, 800)         /* 100 * 1 + 100 * 7 */

    CASE(3)                 /* a 16-bit store over a compressed instruction */
    jal small
    EXPECT(a0, 1)
    la t0, small
    lh t1, c_li_a0_5
    sh t1, 0(t0)
    fence.i
    jal small
    EXPECT(a0, 5)
    DONE

    /* Code the test rewrites lives in a writable and executable section. */
    .section .rwx, "awx"
    .option push
    .option norvc
get:
    li a0, 1
    ret
body:
    li a0, 1
    ret
li_a0_42:
    li a0, 42
li_a0_7:
    li a0, 7
    .option pop
small:
    c.li a0, 1
    ret
c_li_a0_5:
    c.li a0, 5
