/* fenv: floating-point environment - results of divisions, sqrt,
 * conversions and rint under each rounding mode set with fesetround (and
 * printf output under that mode), exception flags raised by inexact,
 * divide-by-zero, invalid, overflow and underflow operations, and RISC-V
 * saturating float-to-integer conversions (fcvt) for NaN and out-of-range. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static const char *mode_name(int m)
{
    switch (m) {
    case FE_TONEAREST:
        return "FE_TONEAREST";
    case FE_DOWNWARD:
        return "FE_DOWNWARD";
    case FE_UPWARD:
        return "FE_UPWARD";
    case FE_TOWARDZERO:
        return "FE_TOWARDZERO";
    }
    return "?";
}

static void print_flags(const char *what)
{
    printf("%-22s flags:%s%s%s%s%s\n", what, fetestexcept(FE_INEXACT) ? " INEXACT" : "",
           fetestexcept(FE_DIVBYZERO) ? " DIVBYZERO" : "", fetestexcept(FE_INVALID) ? " INVALID" : "",
           fetestexcept(FE_OVERFLOW) ? " OVERFLOW" : "", fetestexcept(FE_UNDERFLOW) ? " UNDERFLOW" : "");
}

static long fcvt_l_d(double x)
{
    long r;
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(r) : "f"(x));
    return r;
}

static int fcvt_w_d(double x)
{
    long r;
    __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(r) : "f"(x));
    return (int)r;
}

static unsigned long fcvt_lu_d(double x)
{
    unsigned long r;
    __asm__ volatile("fcvt.lu.d %0, %1, rtz" : "=r"(r) : "f"(x));
    return r;
}

int main(void)
{
    static volatile double one = 1.0, two = 2.0, three = 3.0, mone = -1.0, big = 1e308, tiny = 1e-308, zero = 0.0;
    static volatile float fone = 1.0f, fthree = 3.0f;
    static volatile double halves[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.6, -2.6};
    const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    for (int i = 0; i < 4; i++) {
        if (fesetround(modes[i]) != 0) {
            printf("fesetround(%s) failed\n", mode_name(modes[i]));
            continue;
        }
        printf("== %s (fegetround matches: %s)\n", mode_name(modes[i]), fegetround() == modes[i] ? "yes" : "no");
        printf("  1/3   = %a\n", one / three);
        printf("  -1/3  = %a\n", mone / three);
        printf("  2/3   = %a\n", two / three);
        printf("  1f/3f = %a\n", (double)(fone / fthree));
        printf("  -1f/3f= %a\n", (double)(-fone / fthree));
        printf("  sqrt2 = %a\n", sqrt(two));
        printf("  big*10= %a\n", big * 10.0);
        printf("  tiny/3e10 = %a\n", tiny / 3e10);
        printf("  (float)(1/3) = %a\n", (double)(float)(one / three));
        printf("  1/3 with %%.20f = %.20f, %%.3g of 2/3 = %.3g\n", one / three, two / three);
        printf("  rint/lrint:");
        for (int k = 0; k < 8; k++)
            printf(" %g->%g/%ld", halves[k], rint(halves[k]), lrint(halves[k]));
        printf("\n");
    }
    fesetround(FE_TONEAREST);

    feclearexcept(FE_ALL_EXCEPT);
    print_flags("after feclearexcept");
    volatile double r = one / three;
    print_flags("1/3");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / zero;
    print_flags("1/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;
    print_flags("0/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(mone);
    print_flags("sqrt(-1)");
    feclearexcept(FE_ALL_EXCEPT);
    r = big * big;
    print_flags("1e308*1e308");
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny * tiny;
    print_flags("1e-308*1e-308");
    feclearexcept(FE_ALL_EXCEPT);
    r = two * three;
    print_flags("2*3 (exact)");
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    print_flags("feraiseexcept");
    fenv_t env;
    fegetenv(&env);
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(FE_UPWARD);
    fesetenv(&env);
    print_flags("after fesetenv");
    printf("rounding after fesetenv: %s\n", mode_name(fegetround()));
    feclearexcept(FE_ALL_EXCEPT);
    (void)r;

    static volatile double conv[] = {0.0, -0.9, 2.99, -2.99, 3e9, -3e9, 1e19, -1e19, 1e30, -1e30, INFINITY, -INFINITY, NAN};
    for (int i = 0; i < 13; i++) {
        double x = conv[i];
        feclearexcept(FE_ALL_EXCEPT);
        long l = fcvt_l_d(x);
        int w = fcvt_w_d(x);
        unsigned long lu = fcvt_lu_d(x);
        printf("fcvt %-6g: l=%ld w=%d lu=%lu invalid=%d\n", x, l, w, lu, fetestexcept(FE_INVALID) != 0);
    }
    return 0;
}
