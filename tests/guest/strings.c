/* strings: string and conversion functions - strtol/strtoul/strtoll with
 * bases, overflow (ERANGE) and end pointers; strtod/strtof on decimal, hex,
 * inf/nan and out-of-range input; snprintf truncation and integer formats;
 * memmove with overlap in both directions, memcpy/memset/memcmp/memchr;
 * strcmp/strncmp/strcasecmp signs; strchr/strrchr/strstr/strspn/strtok_r;
 * strdup/strndup; atoi. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Truncation is what this program tests. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wstringop-truncation"

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void show_strtol(const char *s, int base)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, base);
    int e = errno;
    printf("strtol(\"%s\", %d) = %ld, consumed %ld, errno=%s\n", s, base, v, (long)(end - s),
           e ? strerrorname_np(e) : "0");
}

static void show_strtoul(const char *s, int base)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, base);
    int e = errno;
    printf("strtoul(\"%s\", %d) = %lu, consumed %ld, errno=%s\n", s, base, v, (long)(end - s),
           e ? strerrorname_np(e) : "0");
}

static void show_strtod(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    int e = errno;
    printf("strtod(\"%s\") = %.17g (%a), consumed %ld, errno=%s\n", s, v, v, (long)(end - s),
           e ? strerrorname_np(e) : "0");
}

int main(void)
{
    show_strtol("12345", 10);
    show_strtol("  -42xyz", 10);
    show_strtol("0x1F", 16);
    show_strtol("0x1F", 0);
    show_strtol("0777", 0);
    show_strtol("z", 36);
    show_strtol("101101", 2);
    show_strtol("9223372036854775807", 10);
    show_strtol("9223372036854775808", 10);
    show_strtol("-9223372036854775809", 10);
    show_strtol("", 10);
    show_strtol("+", 10);
    show_strtoul("18446744073709551615", 10);
    show_strtoul("18446744073709551616", 10);
    show_strtoul("-1", 10);
    printf("strtoll(\"-123456789012\") = %lld\n", strtoll("-123456789012", NULL, 10));
    printf("atoi(\"  77 bottles\") = %d, atol(\"-5\") = %ld\n", atoi("  77 bottles"), atol("-5"));

    show_strtod("3.14159");
    show_strtod("  -12.5e-3xyz");
    show_strtod("0x1p-1074");
    show_strtod("0x1.fffffffffffffp1023");
    show_strtod("1e310");
    show_strtod("1e-330");
    show_strtod("inf");
    show_strtod("-Infinity");
    show_strtod("nan");
    show_strtod("nan(123)");
    show_strtod(".5");
    show_strtod("1.");
    show_strtod("e5");
    show_strtod("0.1000000000000000055511151231257827021181583404541015625");
    show_strtod("2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324");
    float f = strtof("1.17549435e-38", NULL);
    printf("strtof(FLT_MIN) = %a\n", (double)f);

    char buf[16];
    int n = snprintf(buf, sizeof buf, "%s-%d-%s", "abcdefgh", 123456, "tail");
    printf("snprintf wants %d, got [%s] (%zu)\n", n, buf, strlen(buf));
    n = snprintf(NULL, 0, "%d", INT_MIN);
    printf("snprintf(NULL, 0, INT_MIN) = %d\n", n);
    printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%x] [%X] [%#x] [%o] [%#o] [%c] [%%]\n", 42, 42, 42, 42, 42, 255, 255, 255,
           8, 8, 'A');
    printf("[%hhd] [%hd] [%lld] [%llu] [%zu] [%jd] [%td]\n", (signed char)200, (short)70000, LLONG_MIN, ULLONG_MAX,
           (size_t)SIZE_MAX, INTMAX_MIN, (ptrdiff_t)-1);
    printf("[%*d] [%-*s] [%.3s] [%.*s] [%10.3s]\n", 6, 7, 6, "ab", "abcdef", 2, "xyz", "hello");
    printf("[%s] [%ls]\n", "", L"wide");

    char m[32] = "0123456789abcdefghij";
    memmove(m + 2, m, 10);
    printf("memmove forward overlap:  %s\n", m);
    strcpy(m, "0123456789abcdefghij");
    memmove(m, m + 3, 10);
    printf("memmove backward overlap: %s\n", m);
    char big[1000], big2[1000];
    for (int i = 0; i < 1000; i++)
        big[i] = (char)(i * 7);
    memcpy(big2, big, sizeof big);
    printf("memcpy 1000 equal: %s\n", memcmp(big, big2, sizeof big) == 0 ? "yes" : "no");
    memmove(big + 1, big, 999);
    printf("memmove 999 by one: %s\n", memcmp(big + 1, big2, 999) == 0 ? "yes" : "no");
    memset(big, 0xAB, 333);
    printf("memset: %02x %02x\n", (unsigned char)big[332], (unsigned char)big[333]);
    const char *abc = "abcdef";
    printf("memchr finds 'e' at %ld, memchr('z') is NULL: %s\n", (long)((const char *)memchr(abc, 'e', 6) - abc),
           memchr(abc, 'z', 6) ? "no" : "yes");
    const char *hay = "the quick brown fox jumps over the lazy dog";
    printf("strchr('q') offset %ld, strrchr('o') offset %ld, strstr(\"the lazy\") offset %ld\n",
           (long)(strchr(hay, 'q') - hay), (long)(strrchr(hay, 'o') - hay), (long)(strstr(hay, "the lazy") - hay));
    printf("strstr(\"cat\") is NULL: %s\n", strstr(hay, "cat") ? "no" : "yes");
    printf("strspn=%zu strcspn=%zu\n", strspn(hay, "the "), strcspn(hay, "xyz"));
    printf("strcmp signs: %d %d %d %d\n", sign(strcmp("abc", "abd")), sign(strcmp("abc", "abc")),
           sign(strcmp("b", "abc")), sign(strcmp("abc", "ab")));
    printf("strcmp high bytes: %d, memcmp high bytes: %d\n", sign(strcmp("\xff", "a")), sign(memcmp("\x80", "\x7f", 1)));
    printf("strncmp: %d %d, strcasecmp: %d %d\n", sign(strncmp("abcX", "abcY", 3)), sign(strncmp("abcX", "abcY", 4)),
           sign(strcasecmp("HeLLo", "hello")), sign(strncasecmp("ABC", "abd", 3)));
    char tok[] = "alpha, beta,,gamma ,delta";
    char *save;
    printf("tokens:");
    for (char *t = strtok_r(tok, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        printf(" <%s>", t);
    printf("\n");
    char *d = strdup(hay);
    char *dn = strndup(hay, 9);
    printf("strdup equal: %s, strndup: [%s]\n", strcmp(d, hay) == 0 ? "yes" : "no", dn);
    free(d);
    free(dn);
    char longs[5000];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    printf("strlen of 4999 x's: %zu, strnlen(.., 100) = %zu\n", strlen(longs), strnlen(longs, 100));
    char cat[64] = "con";
    strcat(cat, "cat");
    strncat(cat, "enation!!!", 7);
    printf("strcat/strncat: %s\n", cat);
    return 0;
}
