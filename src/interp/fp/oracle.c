/* Reference oracle for the `fp` tests: runs each requested RISC-V F/D
 * instruction on the (emulated) hardware and prints the result register
 * and fflags. Built with riscv64-linux-gnu-gcc -static, run under
 * qemu-riscv64. Input lines: "op rm a b c" (op, rm decimal; a, b, c hex
 * register values). Output lines: "result fflags" in hex. The op numbers
 * are the OPS table index; tests.rs mirrors it. */
#include <stdint.h>
#include <stdio.h>

typedef uint64_t (*op_fn)(uint64_t, uint64_t, uint64_t);

#define BIN(fn, mvin, insn, mvout)                                            \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                   \
        uint64_t r;                                                            \
        (void)c;                                                               \
        __asm__ volatile(mvin " ft0, %1\n\t" mvin " ft1, %2\n\t" insn          \
                         " ft2, ft0, ft1\n\t" mvout " %0, ft2"                 \
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");   \
        return r;                                                              \
    }
#define UN(fn, mvin, insn, mvout)                                             \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                   \
        uint64_t r;                                                            \
        (void)b; (void)c;                                                      \
        __asm__ volatile(mvin " ft0, %1\n\t" insn " ft2, ft0\n\t" mvout        \
                         " %0, ft2" : "=r"(r) : "r"(a) : "ft0", "ft2");       \
        return r;                                                              \
    }
#define TER(fn, mvin, insn, mvout)                                            \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                   \
        uint64_t r;                                                            \
        __asm__ volatile(mvin " ft0, %1\n\t" mvin " ft1, %2\n\t" mvin          \
                         " ft2, %3\n\t" insn " ft3, ft0, ft1, ft2\n\t" mvout   \
                         " %0, ft3" : "=r"(r) : "r"(a), "r"(b), "r"(c)         \
                         : "ft0", "ft1", "ft2", "ft3");                        \
        return r;                                                              \
    }
/* float compare/classify/convert to integer register */
#define CMP(fn, mvin, insn)                                                   \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                   \
        uint64_t r;                                                            \
        (void)c;                                                               \
        __asm__ volatile(mvin " ft0, %1\n\t" mvin " ft1, %2\n\t" insn          \
                         " %0, ft0, ft1" : "=r"(r) : "r"(a), "r"(b)            \
                         : "ft0", "ft1");                                      \
        return r;                                                              \
    }
#define TOX(fn, mvin, insn)                                                   \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                   \
        uint64_t r;                                                            \
        (void)b; (void)c;                                                      \
        __asm__ volatile(mvin " ft0, %1\n\t" insn " %0, ft0" : "=r"(r)         \
                         : "r"(a) : "ft0");                                    \
        return r;                                                              \
    }
#define FROMX(fn, insn, mvout)                                                \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c) {                   \
        uint64_t r;                                                            \
        (void)b; (void)c;                                                      \
        __asm__ volatile(insn " ft0, %1\n\t" mvout " %0, ft0" : "=r"(r)        \
                         : "r"(a) : "ft0");                                    \
        return r;                                                              \
    }

#define FORMAT(P, MVIN, MVOUT)                                                \
    BIN(P##_add, MVIN, "fadd." #P, MVOUT)                                      \
    BIN(P##_sub, MVIN, "fsub." #P, MVOUT)                                      \
    BIN(P##_mul, MVIN, "fmul." #P, MVOUT)                                      \
    BIN(P##_div, MVIN, "fdiv." #P, MVOUT)                                      \
    UN(P##_sqrt, MVIN, "fsqrt." #P, MVOUT)                                     \
    TER(P##_madd, MVIN, "fmadd." #P, MVOUT)                                    \
    TER(P##_msub, MVIN, "fmsub." #P, MVOUT)                                    \
    TER(P##_nmsub, MVIN, "fnmsub." #P, MVOUT)                                  \
    TER(P##_nmadd, MVIN, "fnmadd." #P, MVOUT)                                  \
    BIN(P##_min, MVIN, "fmin." #P, MVOUT)                                      \
    BIN(P##_max, MVIN, "fmax." #P, MVOUT)                                      \
    CMP(P##_eq, MVIN, "feq." #P)                                               \
    CMP(P##_lt, MVIN, "flt." #P)                                               \
    CMP(P##_le, MVIN, "fle." #P)                                               \
    TOX(P##_class, MVIN, "fclass." #P)                                         \
    TOX(P##_cvt_w, MVIN, "fcvt.w." #P)                                         \
    TOX(P##_cvt_wu, MVIN, "fcvt.wu." #P)                                       \
    TOX(P##_cvt_l, MVIN, "fcvt.l." #P)                                         \
    TOX(P##_cvt_lu, MVIN, "fcvt.lu." #P)                                       \
    FROMX(P##_from_w, "fcvt." #P ".w", MVOUT)                                  \
    FROMX(P##_from_wu, "fcvt." #P ".wu", MVOUT)                                \
    FROMX(P##_from_l, "fcvt." #P ".l", MVOUT)                                  \
    FROMX(P##_from_lu, "fcvt." #P ".lu", MVOUT)

FORMAT(s, "fmv.w.x", "fmv.x.w")
FORMAT(d, "fmv.d.x", "fmv.x.d")
UN(s_to_d, "fmv.w.x", "fcvt.d.s", "fmv.x.d")
UN(d_to_s, "fmv.d.x", "fcvt.s.d", "fmv.x.w")

#define ROW(P)                                                                \
    P##_add, P##_sub, P##_mul, P##_div, P##_sqrt, P##_madd, P##_msub,          \
        P##_nmsub, P##_nmadd, P##_min, P##_max, P##_eq, P##_lt, P##_le,        \
        P##_class, P##_cvt_w, P##_cvt_wu, P##_cvt_l, P##_cvt_lu, P##_from_w,   \
        P##_from_wu, P##_from_l, P##_from_lu

static const op_fn OPS[] = {ROW(s), s_to_d, ROW(d), d_to_s};
#define NOPS (sizeof OPS / sizeof OPS[0])

int main(void) {
    unsigned op, rm;
    unsigned long long a, b, c;
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    while (scanf("%u %u %llx %llx %llx", &op, &rm, &a, &b, &c) == 5) {
        uint64_t r, fl;
        if (op >= NOPS || rm > 4)
            return 2;
        __asm__ volatile("fsrm %0\n\tfsflags x0" : : "r"((uint64_t)rm));
        r = OPS[op](a, b, c);
        __asm__ volatile("frflags %0" : "=r"(fl));
        printf("%llx %llx\n", (unsigned long long)r, (unsigned long long)fl);
    }
    return 0;
}
