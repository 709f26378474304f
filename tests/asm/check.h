/* Shared frame of the hand-written instruction tests (tests/asm.rs builds each
 * file with riscv64-linux-gnu-gcc -nostdlib -static and runs it).
 *
 * A file is a list of cases: CASE(n) puts the case number in gp, the checks that
 * follow compare a register with an expected value and on a mismatch exit with
 * status n. A file that reaches DONE prints "ok" and exits with 0, so an early
 * exit 0 cannot pass for success.
 *
 * Register use: gp = case number, t6 = scratch of the checks, s11 = signal
 * number recorded by the CATCH handler (0 when none arrived). */

#define SYS_write 64
#define SYS_exit 93
#define SYS_rt_sigaction 134

#define CASE(n) li gp, n
/* reg == value, else fail with the current case number. */
#define EXPECT(reg, value) li t6, value; bne reg, t6, fail

/* Installs a handler for signal `sig` that records it in s11 and resumes after the
 * faulting 4-byte instruction. It edits the saved context, which sigreturn
 * restores: uc_mcontext is at offset 176 of the riscv64 ucontext (its FP state is
 * 16-byte aligned) and starts with pc, then x1..x31. */
#define CATCH(sig)                                  \
    li a0, sig;                                     \
    la a1, catch_action;                            \
    li a2, 0;                                       \
    li a3, 8;                                       \
    li a7, SYS_rt_sigaction;                        \
    ecall;                                          \
    li s11, 0

#define START                                       \
    .text;                                          \
    .globl _start;                                  \
_start:

#define DONE                                        \
    li a0, 1;                                       \
    la a1, ok_text;                                 \
    li a2, 3;                                       \
    li a7, SYS_write;                               \
    ecall;                                          \
    li a0, 0;                                       \
    li a7, SYS_exit;                                \
    ecall;                                          \
fail:                                               \
    mv a0, gp;                                      \
    li a7, SYS_exit;                                \
    ecall;                                          \
catch_handler:                                      \
    sd a0, 176 + 27 * 8(a2);                        \
    ld t0, 176(a2);                                 \
    addi t0, t0, 4;                                 \
    sd t0, 176(a2);                                 \
    ret;                                            \
    .section .rodata;                               \
ok_text: .ascii "ok\n";                             \
    .data;                                          \
    .balign 8;                                      \
catch_action: .dword catch_handler, 0, 0
