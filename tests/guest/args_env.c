/* args_env: checks argc/argv passing (including an empty argument and
 * arguments with spaces and UTF-8) and the environment block: every
 * variable is printed sorted, PWD is compared with getcwd() instead of being
 * printed, and getenv/setenv/unsetenv behave. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    printf("argv[0] basename=%s absolute=%s\n", base, argv[0][0] == '/' ? "yes" : "no");
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is NULL: %s\n", argv[argc] == NULL ? "yes" : "no");

    size_t n = 0;
    while (environ[n])
        n++;
    printf("environment has %zu variables\n", n);
    char **sorted = malloc((n + 1) * sizeof *sorted);
    if (!sorted)
        return 1;
    memcpy(sorted, environ, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_str);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "?");
    for (size_t i = 0; i < n; i++) {
        if (strncmp(sorted[i], "PWD=", 4) == 0)
            printf("  PWD=<%s>\n", strcmp(sorted[i] + 4, cwd) == 0 ? "equals getcwd()" : "DIFFERS from getcwd()");
        else
            printf("  %s\n", sorted[i]);
    }
    free(sorted);

    const char *t = getenv("MVVM_TEST");
    printf("getenv(MVVM_TEST)=%s\n", t ? t : "(null)");
    t = getenv("LANG");
    printf("getenv(LANG)=%s\n", t ? t : "(null)");
    t = getenv("HOME");
    printf("getenv(HOME)=%s\n", t ? t : "(null)");
    t = getenv("MVVM_DOES_NOT_EXIST");
    printf("getenv(MVVM_DOES_NOT_EXIST)=%s\n", t ? t : "(null)");
    setenv("MVVM_NEW", "fresh value", 1);
    setenv("MVVM_NEW", "ignored", 0);
    t = getenv("MVVM_NEW");
    printf("after setenv: MVVM_NEW=%s\n", t ? t : "(null)");
    unsetenv("MVVM_NEW");
    t = getenv("MVVM_NEW");
    printf("after unsetenv: MVVM_NEW=%s\n", t ? t : "(null)");
    return 0;
}
