/* math: libm results printed bit-exactly (%.17g and %a) - trig, inverse
 * trig, exp/log families, pow, sqrt/cbrt, fma, rounding functions (floor,
 * ceil, trunc, round, lround, llround, rint, nearbyint), fmod/remainder,
 * hypot, hyperbolics, erf/tgamma/lgamma, frexp/ldexp/modf, fmin/fmax with
 * NaN and signed zeros, nextafter, classification, and float versions. */
#include <float.h>
#include <math.h>
#include <stdio.h>

#define P1(fn, x) printf("%-10s(%-24.17g) = %-26.17g %a\n", #fn, (double)(x), (double)fn(x), (double)fn(x))
#define P2(fn, x, y)                                                                                            \
    printf("%-10s(%.17g, %.17g) = %.17g %a\n", #fn, (double)(x), (double)(y), (double)fn(x, y), (double)fn(x, y))

int main(void)
{
    /* volatile so nothing is folded at compile time. */
    static volatile double in[] = {0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 3.141592653589793, 10.0, -7.25, 1e-310, 100.5, 1e10};
    const int n = sizeof in / sizeof in[0];
    for (int i = 0; i < n; i++) {
        double x = in[i];
        printf("-- x = %.17g\n", x);
        P1(sin, x);
        P1(cos, x);
        P1(tan, x);
        P1(atan, x);
        P1(exp, x);
        P1(exp2, x);
        P1(expm1, x);
        P1(sqrt, x);
        P1(cbrt, x);
        P1(floor, x);
        P1(ceil, x);
        P1(trunc, x);
        P1(round, x);
        P1(rint, x);
        P1(nearbyint, x);
        P1(sinh, x);
        P1(tanh, x);
        P1(erf, x);
        P1(fabs, x);
        if (x > 0) {
            P1(log, x);
            P1(log2, x);
            P1(log10, x);
            P1(log1p, x);
            P1(tgamma, x);
            P1(lgamma, x);
            P1(cosh, x);
        }
        if (x >= -1 && x <= 1) {
            P1(asin, x);
            P1(acos, x);
        }
        printf("lround=%ld llround=%lld lrint=%ld\n", lround(x), llround(x), lrint(x));
    }
    static volatile double a[] = {2.0, -3.5, 0.1, 1e300, 7.0, -0.0};
    static volatile double b[] = {10.0, 2.0, 0.3, 1e10, -2.0, 5.0};
    for (int i = 0; i < 6; i++) {
        double x = a[i], y = b[i];
        printf("-- x = %.17g, y = %.17g\n", x, y);
        P2(pow, x, y);
        P2(fmod, x, y);
        P2(remainder, x, y);
        P2(hypot, x, y);
        P2(atan2, x, y);
        P2(copysign, x, y);
        P2(fmin, x, y);
        P2(fmax, x, y);
        P2(fdim, x, y);
        P2(nextafter, x, y);
        printf("fma(x, y, 1/3) = %.17g %a\n", fma(x, y, 1.0 / 3.0), fma(x, y, 1.0 / 3.0));
    }
    volatile double nanv = NAN, zero = 0.0, nzero = -0.0, one = 1.0;
    printf("fmin(nan, 1)=%g fmax(1, nan)=%g fmin(-0, 0)=%g fmax(-0, 0)=%g fmin(0, -0)=%g\n", fmin(nanv, one),
           fmax(one, nanv), fmin(nzero, zero), fmax(nzero, zero), fmin(zero, nzero));
    printf("sqrt(-1)=%g log(0)=%g log(-1)=%g pow(0,-1)=%g pow(-8, 1.0/3)=%g exp(1000)=%g exp(-1000)=%g\n",
           sqrt(-one), log(zero), log(-one), pow(zero, -one), pow(-8.0 * one, 1.0 / 3), exp(1000 * one),
           exp(-1000 * one));
    /* fma is exact: this differs from x*y+z. */
    volatile double fx = 1.0 + 0x1p-30, fy = 1.0 - 0x1p-30, fz = -1.0;
    printf("fma exact: %a vs mul+add: %a\n", fma(fx, fy, fz), fx * fy + fz);
    int e;
    double m = frexp(1234.5678 * one, &e);
    printf("frexp(1234.5678) = %.17g * 2^%d, ldexp back = %.17g\n", m, e, ldexp(m, e));
    double ip;
    double fp = modf(-3.75 * one, &ip);
    printf("modf(-3.75) = %g + %g\n", ip, fp);
    printf("fpclassify: nan=%d inf=%d zero=%d subnormal=%d normal=%d\n", fpclassify(nanv) == FP_NAN,
           fpclassify(INFINITY * one) == FP_INFINITE, fpclassify(zero) == FP_ZERO,
           fpclassify(1e-310 * one) == FP_SUBNORMAL, fpclassify(one) == FP_NORMAL);
    printf("isnan=%d isinf=%d signbit(-0)=%d\n", isnan(nanv), isinf(-INFINITY * one) != 0, signbit(nzero) != 0);
    volatile float f = 0.7f, g = 3.0f;
    printf("sinf=%a cosf=%a expf=%a logf=%a sqrtf=%a powf=%a fmaf=%a\n", sinf(f), cosf(f), expf(f), logf(f),
           sqrtf(f), powf(f, g), fmaf(f, g, -2.1f));
    printf("float arithmetic: %a %a %a\n", f * g, f / g, f + g);
    return 0;
}
