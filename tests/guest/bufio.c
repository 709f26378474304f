/* bufio: buffered stdio on files - fopen modes, fprintf/fputs/fwrite of a
 * 1 MiB file in odd-sized chunks, fseek/ftell/rewind, fread, fgets, ungetc,
 * fscanf, setvbuf (unbuffered and line buffered), append mode, and a
 * checksum of everything read back. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long fnv(const unsigned char *p, size_t n, unsigned long h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211UL;
    return h;
}

int main(void)
{
    FILE *f = fopen("big.bin", "wb");
    if (!f) {
        printf("fopen failed\n");
        return 1;
    }
    unsigned char chunk[997];
    size_t total = 0;
    unsigned long h = 14695981039346656037UL;
    unsigned int x = 12345;
    while (total < (1u << 20)) {
        size_t n = sizeof chunk;
        if (total + n > (1u << 20))
            n = (1u << 20) - total;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            chunk[i] = (unsigned char)(x >> 16);
        }
        h = fnv(chunk, n, h);
        if (fwrite(chunk, 1, n, f) != n) {
            printf("fwrite failed\n");
            return 1;
        }
        total += n;
    }
    printf("wrote %zu bytes, ftell=%ld\n", total, ftell(f));
    fclose(f);
    printf("write checksum %016lx\n", h);

    f = fopen("big.bin", "rb");
    unsigned long h2 = 14695981039346656037UL;
    size_t got = 0, n;
    unsigned char rbuf[4096 + 13];
    while ((n = fread(rbuf, 1, sizeof rbuf, f)) > 0) {
        h2 = fnv(rbuf, n, h2);
        got += n;
    }
    printf("read %zu bytes, feof=%d ferror=%d, checksums match: %s\n", got, feof(f) != 0, ferror(f) != 0,
           h == h2 ? "yes" : "no");
    fseek(f, 1000, SEEK_SET);
    printf("ftell after fseek(1000)=%ld\n", ftell(f));
    int c1 = fgetc(f);
    fseek(f, -1, SEEK_CUR);
    int c2 = fgetc(f);
    printf("fgetc twice at 1000 equal: %s\n", c1 == c2 ? "yes" : "no");
    fseek(f, -10, SEEK_END);
    printf("ftell after fseek(-10, END)=%ld\n", ftell(f));
    rewind(f);
    printf("ftell after rewind=%ld\n", ftell(f));
    fclose(f);
    remove("big.bin");

    /* Text formatting and parsing. */
    f = fopen("text.txt", "w");
    for (int i = 0; i < 5; i++)
        fprintf(f, "line %d: value=%d name=item%02d %.3f\n", i, i * i * 7, i, i / 3.0);
    fputs("no newline at end", f);
    fclose(f);

    f = fopen("text.txt", "r");
    char line[128];
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        printf("fgets: %s%s", line, strchr(line, '\n') ? "" : "<EOF>\n");
    }
    printf("lines=%d\n", lines);
    rewind(f);
    int a, b;
    char name[32];
    double d;
    int matched = fscanf(f, "line %d: value=%d name=%31s %lf", &a, &b, name, &d);
    printf("fscanf matched %d: %d %d %s %.3f\n", matched, a, b, name, d);
    int c = fgetc(f);
    ungetc('Z', f);
    printf("fgetc=%d, after ungetc fgetc=%c\n", c, fgetc(f));
    fclose(f);

    /* Append mode. */
    f = fopen("text.txt", "a");
    fputs("\nappended\n", f);
    fclose(f);
    f = fopen("text.txt", "r");
    fseek(f, 0, SEEK_END);
    printf("size after append=%ld\n", ftell(f));
    fclose(f);

    /* "r+" overwrite in the middle. */
    f = fopen("text.txt", "r+");
    fseek(f, 5, SEEK_SET);
    fputs("X", f);
    fseek(f, 0, SEEK_SET);
    if (fgets(line, sizeof line, f))
        printf("after r+ overwrite: %s", line);
    fclose(f);

    /* setvbuf variants. */
    f = fopen("vbuf.txt", "w");
    setvbuf(f, NULL, _IONBF, 0);
    for (int i = 0; i < 100; i++)
        fputc('a' + i % 26, f);
    fclose(f);
    f = fopen("vbuf.txt", "a");
    static char mybuf[64];
    setvbuf(f, mybuf, _IOLBF, sizeof mybuf);
    fputs("line buffered\n", f);
    fclose(f);
    f = fopen("vbuf.txt", "r");
    fseek(f, 0, SEEK_END);
    printf("vbuf.txt size=%ld\n", ftell(f));
    fclose(f);

    errno = 0;
    f = fopen("missing/file", "r");
    printf("fopen(missing/file) NULL: %s errno=%s\n", f == NULL ? "yes" : "no", strerrorname_np(errno));

    remove("text.txt");
    remove("vbuf.txt");
    return 0;
}
