/* The RISC-V program behind examples/http-edge: one run per HTTP request, with the
 * request body on stdin and the first path segment as argv[1]. Its stdout is the
 * response body; a non-zero exit status makes the response an error. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* All of stdin, NUL-terminated. */
static char *slurp(size_t *len)
{
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - 1 - n, stdin)) > 0) {
        n += got;
        if (n == cap - 1)
            buf = realloc(buf, cap *= 2);
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    size_t len;
    char *in = slurp(&len);
    if (!in)
        return 2;
    if (!strcmp(cmd, "upper")) {
        for (size_t i = 0; i < len; i++)
            putchar(toupper((unsigned char)in[i]));
    } else if (!strcmp(cmd, "wc")) {
        size_t lines = 0, words = 0;
        int inword = 0;
        for (size_t i = 0; i < len; i++) {
            lines += in[i] == '\n';
            words += !inword && !isspace((unsigned char)in[i]);
            inword = !isspace((unsigned char)in[i]);
        }
        printf("%zu %zu %zu\n", lines, words, len);
    } else if (!strcmp(cmd, "sort")) {
        /* Lines, sorted: in[] becomes NUL-separated strings. */
        size_t n = 0, cap = 64;
        char **lines = malloc(cap * sizeof *lines);
        for (char *p = in, *end = in + len; lines && p < end;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (n == cap)
                lines = realloc(lines, (cap *= 2) * sizeof *lines);
            if (!lines)
                return 2;
            lines[n++] = p;
            if (!nl)
                break;
            *nl = '\0';
            p = nl + 1;
        }
        qsort(lines, n, sizeof *lines, by_string);
        for (size_t i = 0; i < n; i++)
            puts(lines[i]);
    } else if (!strcmp(cmd, "spin")) {
        for (volatile unsigned long i = 0;; i++)
            ;
    } else {
        fprintf(stderr, "unknown command '%s' (try upper, wc, sort)\n", cmd);
        return 1;
    }
    return 0;
}
