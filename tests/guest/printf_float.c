/* printf_float: floating-point formatting - %f %e %g %a (with widths,
 * precisions and flags) for ordinary values, ties, huge and tiny values,
 * subnormals, +-inf, nan, -0.0; float subnormals; 128-bit long double
 * (software quad on riscv64) with %Lf %Le %Lg %La; and strtod round trips. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    static const double values[] = {
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 0.125, 1.0 / 3.0, 2.0 / 3.0, 123456789.123456789,
        1e21, 1e22, 1e100, 1e300, 1e-5, 1e-300, 2.2250738585072014e-308, /* DBL_MIN */
        2.225073858507201e-308, /* largest subnormal */ 4.9406564584124654e-324, /* smallest subnormal */
        1.7976931348623157e308, /* DBL_MAX */ 3.141592653589793, 2.718281828459045, 9.999999999999999e22,
        0.000123456, 999999.5, 1e15 + 0.3, 5e-324 * 3,
    };
    const size_t n = sizeof values / sizeof values[0];
    for (size_t i = 0; i < n; i++) {
        double v = values[i];
        printf("[%zu] %%f=%f %%e=%e %%g=%g %%a=%a\n", i, v, v, v, v);
        printf("     %%.0f=%.0f %%.3e=%.3e %%.17g=%.17g %%.20f=%.20f\n", v, v, v, v);
        printf("     %%12.4f=[%12.4f] %%-14g=[%-14g] %%+.2e=%+.2e %%#g=%#g %% .1f=[% .1f] %%013.3f=%013.3f\n", v, v, v,
               v, v, v);
    }
    /* The full expansion of the smallest subnormal. */
    printf("%.1074f\n", 4.9406564584124654e-324);

    const double specials[] = {INFINITY, -INFINITY, NAN, -NAN};
    for (int i = 0; i < 4; i++) {
        double v = specials[i];
        printf("special: %f %e %g %a %F %E %G %A [%8.3f] [%-8f] sign=%d\n", v, v, v, v, v, v, v, v, v, v,
               signbit(v) != 0);
    }

    const float fv[] = {1.0f, 0.1f, FLT_MAX, FLT_MIN, 1e-45f, 1.17549421e-38f, 16777217.0f, -3.75f};
    for (int i = 0; i < 8; i++)
        printf("float %.9g %a %e\n", fv[i], fv[i], fv[i]);

    const long double lv[] = {1.0L, 0.1L, 1.0L / 3.0L, 1e4000L, LDBL_MIN, LDBL_MAX, -2.5L, 6.47517511943802511092443895822764655e-4966L};
    for (int i = 0; i < 8; i++)
        printf("long double %.36Lg | %La | %Le | %.40Lf\n", lv[i], lv[i], lv[i], lv[i]);
    long double third = 1.0L / 3.0L;
    long double x = third * 3.0L - 1.0L;
    printf("long double (1/3)*3-1 = %Lg, sqrtl(2) = %.34Lf\n", x, sqrtl(2.0L));

    /* Round trips through strtod. */
    int round_trip_ok = 1;
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", values[i]);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &values[i], sizeof back) != 0) {
            printf("round trip failed for %s\n", buf);
            round_trip_ok = 0;
        }
        snprintf(buf, sizeof buf, "%a", values[i]);
        back = strtod(buf, NULL);
        if (memcmp(&back, &values[i], sizeof back) != 0) {
            printf("hex round trip failed for %s\n", buf);
            round_trip_ok = 0;
        }
    }
    printf("round trips ok: %s\n", round_trip_ok ? "yes" : "no");
    printf("strtod(\"0x1.8p+1\")=%g strtod(\"1e-400\")=%g strtod(\"-0\")=%g\n", strtod("0x1.8p+1", NULL),
           strtod("1e-400", NULL), strtod("-0", NULL));
    return 0;
}
