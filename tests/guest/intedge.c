/* intedge: integer edge cases as defined by RISC-V - division and remainder
 * by zero (x/0 = -1, x%0 = x) and overflow (INT64_MIN/-1) for div/divu/rem/
 * remu and the 32-bit W forms, shift amounts masked to 6/5 bits, sign
 * extension of W results, high multiplies (mulh/mulhu/mulhsu) checked
 * against __int128, unsigned wrap-around, 128-bit multiply/divide/printing,
 * and bit-counting builtins. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RR(op, a, b)                                                                                                   \
    ({                                                                                                                 \
        int64_t _r;                                                                                                    \
        __asm__ volatile(op " %0, %1, %2" : "=r"(_r) : "r"((int64_t)(a)), "r"((int64_t)(b)));                          \
        _r;                                                                                                            \
    })

static void print_u128(const char *label, unsigned __int128 v)
{
    char buf[64];
    int i = 63;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    printf("%s%s\n", label, buf + i);
}

static void print_i128(const char *label, __int128 v)
{
    if (v < 0) {
        char l[64];
        snprintf(l, sizeof l, "%s-", label);
        print_u128(l, -(unsigned __int128)v);
    } else {
        print_u128(label, (unsigned __int128)v);
    }
}

int main(void)
{
    static volatile int64_t vals[] = {0, 1, -1, 7, -7, 1000000007, INT64_MAX, INT64_MIN, (int64_t)0x80000000,
                                      (int64_t)0xffffffff, (int64_t)0x123456789abcdef0};
    const int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        int64_t a = vals[i];
        printf("a=%" PRId64 ": a/0 div=%" PRId64 " divu=%" PRId64 " rem=%" PRId64 " remu=%" PRId64 " divw=%" PRId64
               " divuw=%" PRId64 " remw=%" PRId64 " remuw=%" PRId64 "\n",
               a, RR("div", a, 0), RR("divu", a, 0), RR("rem", a, 0), RR("remu", a, 0), RR("divw", a, 0),
               RR("divuw", a, 0), RR("remw", a, 0), RR("remuw", a, 0));
    }
    printf("INT64_MIN / -1: div=%" PRId64 " rem=%" PRId64 "\n", RR("div", INT64_MIN, -1), RR("rem", INT64_MIN, -1));
    printf("INT32_MIN / -1: divw=%" PRId64 " remw=%" PRId64 "\n", RR("divw", INT32_MIN, -1), RR("remw", INT32_MIN, -1));
    printf("-7 / 2: div=%" PRId64 " rem=%" PRId64 " divu=%" PRIu64 " remu=%" PRIu64 "\n", RR("div", -7, 2),
           RR("rem", -7, 2), (uint64_t)RR("divu", -7, 2), (uint64_t)RR("remu", -7, 2));

    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j += 3) {
            int64_t a = vals[i], b = vals[j];
            int64_t h = RR("mulh", a, b), hu = RR("mulhu", a, b), hsu = RR("mulhsu", a, b);
            int64_t eh = (int64_t)(((__int128)a * (__int128)b) >> 64);
            int64_t ehu = (int64_t)(((unsigned __int128)(uint64_t)a * (unsigned __int128)(uint64_t)b) >> 64);
            int64_t ehsu = (int64_t)(((__int128)a * (__int128)(unsigned __int128)(uint64_t)b) >> 64);
            printf("mul hi %" PRIx64 " x %" PRIx64 ": mulh=%" PRIx64 " mulhu=%" PRIx64 " mulhsu=%" PRIx64 " lo=%" PRIx64
                   " mulw=%" PRIx64 " %s\n",
                   (uint64_t)a, (uint64_t)b, (uint64_t)h, (uint64_t)hu, (uint64_t)hsu, (uint64_t)RR("mul", a, b),
                   (uint64_t)RR("mulw", a, b), (h == eh && hu == ehu && hsu == ehsu) ? "ok" : "MISMATCH");
        }
    }

    int64_t x = 0x0123456789abcdefLL;
    for (int s = 0; s < 130; s += 13)
        printf("shift %3d: sll=%016" PRIx64 " srl=%016" PRIx64 " sra=%016" PRIx64 " sllw=%016" PRIx64
               " srlw=%016" PRIx64 " sraw=%016" PRIx64 "\n",
               s, (uint64_t)RR("sll", x, s), (uint64_t)RR("srl", -x, s), (uint64_t)RR("sra", -x, s),
               (uint64_t)RR("sllw", x, s), (uint64_t)RR("srlw", -x, s), (uint64_t)RR("sraw", -x, s));
    printf("addw overflow: %" PRId64 ", subw: %" PRId64 ", addw sign-extends: %016" PRIx64 "\n",
           RR("addw", INT32_MAX, 1), RR("subw", INT32_MIN, 1), (uint64_t)RR("addw", 0x7fffffff, 0x7fffffff));
    printf("slt/sltu: %" PRId64 " %" PRId64 "\n", RR("slt", -1, 1), RR("sltu", -1, 1));

    volatile uint32_t u32 = UINT32_MAX;
    volatile uint64_t u64 = UINT64_MAX;
    volatile uint8_t u8 = 250;
    volatile uint16_t u16 = 65535;
    printf("unsigned wrap: u32+1=%" PRIu32 " u64+1=%" PRIu64 " u8+10=%u u16+1=%u 0u-1=%u\n", (uint32_t)(u32 + 1),
           (uint64_t)(u64 + 1), (unsigned)(uint8_t)(u8 + 10), (unsigned)(uint16_t)(u16 + 1), 0u - 1u);
    volatile int64_t big = 300;
    printf("narrowing: (int8_t)300=%d (int16_t)-70000=%d (uint32_t)-1=%" PRIu32 " (int32_t)0x89abcdef12=%d\n",
           (int8_t)big, (int16_t)(big * -233 - 100), (uint32_t)(big - 301), (int32_t)(big * 0 + 0x89abcdef12LL));

    volatile unsigned __int128 p = (unsigned __int128)UINT64_MAX * UINT64_MAX;
    print_u128("UINT64_MAX^2 = ", p);
    volatile __int128 q = (__int128)INT64_MIN * 3 - 12345;
    print_i128("INT64_MIN*3-12345 = ", q);
    unsigned __int128 fact = 1;
    for (int i = 1; i <= 34; i++)
        fact *= i;
    print_u128("34! = ", fact);
    print_u128("34! / 10^20 = ", fact / ((unsigned __int128)10000000000ULL * 10000000000ULL));
    print_u128("34! % 1000000007 = ", fact % 1000000007);
    print_i128("(-34!/2) / 7 = ", -(__int128)(fact / 2) / 7);
    print_i128("(-34!/2) % 7 = ", -(__int128)(fact / 2) % 7);
    unsigned __int128 m = ~(unsigned __int128)0;
    print_u128("2^128-1 = ", m);

    volatile uint64_t bits[] = {1, 0x80000000ULL, 0xf0f0f0f0f0f0f0f0ULL, UINT64_MAX, 0x0000010000000000ULL};
    for (int i = 0; i < 5; i++) {
        uint64_t v = bits[i];
        printf("bits %016" PRIx64 ": clz=%d ctz=%d popcount=%d parity=%d bswap=%016" PRIx64 "\n", v,
               __builtin_clzll(v), __builtin_ctzll(v), __builtin_popcountll(v), __builtin_parityll(v),
               (uint64_t)__builtin_bswap64(v));
    }
    int ovf;
    int res;
    ovf = __builtin_add_overflow(INT_MAX, (int)bits[0], &res);
    printf("__builtin_add_overflow(INT_MAX, 1) = %d (wrapped %d)\n", ovf, res);
    long lres;
    ovf = __builtin_mul_overflow((long)bits[3] >> 1, 3L, &lres);
    printf("__builtin_mul_overflow(INT64_MAX, 3) = %d\n", ovf);
    return 0;
}
