/* bigalloc: large memory - malloc of 64 MiB touched page by page, anonymous
 * mmap/munmap of 16 MiB (zero-filled, partial munmap, mprotect, mremap
 * growth), brk/sbrk growth and shrink, and ENOMEM for an absurd request. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MiB (1024UL * 1024UL)

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    printf("page size: %ld\n", page);

    size_t big = 64 * MiB;
    unsigned char *p = malloc(big);
    printf("malloc(64 MiB) succeeded: %s\n", p ? "yes" : "no");
    if (!p)
        return 1;
    for (size_t i = 0; i < big; i += 4096)
        p[i] = (unsigned char)(i >> 12);
    unsigned long sum = 0;
    for (size_t i = 0; i < big; i += 4096)
        sum += p[i];
    printf("sum of touched bytes: %lu\n", sum);
    memset(p, 0x5a, big);
    unsigned long count = 0;
    for (size_t i = 0; i < big; i += 511)
        count += p[i] == 0x5a;
    printf("memset verified samples: %lu\n", count);
    free(p);

    size_t msz = 16 * MiB;
    unsigned char *m = mmap(NULL, msz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap(16 MiB) succeeded: %s, page aligned: %s\n", m != MAP_FAILED ? "yes" : "no",
           ((uintptr_t)m % page) == 0 ? "yes" : "no");
    if (m == MAP_FAILED)
        return 1;
    int all_zero = 1;
    for (size_t i = 0; i < msz; i += 1024)
        if (m[i] != 0)
            all_zero = 0;
    printf("fresh mapping reads as zero: %s\n", all_zero ? "yes" : "no");
    for (size_t i = 0; i < msz; i += 4096)
        m[i] = 1;
    /* Unmap a hole in the middle, then the rest. */
    printf("munmap middle 1 MiB: %d\n", munmap(m + 4 * MiB, MiB));
    printf("first and last page still usable: %s\n", (m[0] == 1 && m[msz - 4096] == 1) ? "yes" : "no");
    printf("mprotect first MiB read-only: %d\n", mprotect(m, MiB, PROT_READ));
    printf("read after mprotect: %d\n", m[4096]);
    printf("munmap low part: %d\n", munmap(m, 4 * MiB));
    printf("munmap high part: %d\n", munmap(m + 5 * MiB, msz - 5 * MiB));

    /* mremap growth keeps contents. */
    unsigned char *r = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t i = 0; i < MiB; i += 4096)
        r[i] = (unsigned char)(i / 4096);
    unsigned char *r2 = mremap(r, MiB, 8 * MiB, MREMAP_MAYMOVE);
    printf("mremap to 8 MiB succeeded: %s\n", r2 != MAP_FAILED ? "yes" : "no");
    if (r2 != MAP_FAILED) {
        int same = 1;
        for (size_t i = 0; i < MiB; i += 4096)
            if (r2[i] != (unsigned char)(i / 4096))
                same = 0;
        printf("contents kept: %s, new tail zero: %s\n", same ? "yes" : "no", r2[8 * MiB - 1] == 0 ? "yes" : "no");
        munmap(r2, 8 * MiB);
    }

    /* Many small mappings. */
    void *maps[256];
    int ok = 1;
    for (int i = 0; i < 256; i++) {
        maps[i] = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (maps[i] == MAP_FAILED)
            ok = 0;
        else
            memset(maps[i], i, 8192);
    }
    for (int i = 0; i < 256; i++)
        if (maps[i] != MAP_FAILED) {
            if (((unsigned char *)maps[i])[8191] != (unsigned char)i)
                ok = 0;
            munmap(maps[i], 8192);
        }
    printf("256 small mappings ok: %s\n", ok ? "yes" : "no");

    /* brk/sbrk. */
    char *b0 = sbrk(0);
    char *b1 = sbrk(4 * MiB);
    char *b2 = sbrk(0);
    printf("sbrk(4 MiB) returned old break: %s, break moved by 4 MiB: %s\n", b1 == b0 ? "yes" : "no",
           (size_t)(b2 - b0) == 4 * MiB ? "yes" : "no");
    memset(b1, 0x77, 4 * MiB);
    printf("new brk memory writable: %s\n", b1[4 * MiB - 1] == 0x77 ? "yes" : "no");
    sbrk(-(long)(4 * MiB));
    printf("break back at start: %s\n", sbrk(0) == b0 ? "yes" : "no");

    /* Absurd requests fail cleanly. */
    errno = 0;
    void *huge = malloc(1UL << 62);
    printf("malloc(2^62) returned NULL: %s, errno=%s\n", huge == NULL ? "yes" : "no", strerrorname_np(errno));
    void *hm = mmap(NULL, 1UL << 62, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap(2^62) failed: %s, errno=%s\n", hm == MAP_FAILED ? "yes" : "no", strerrorname_np(errno));
    char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("munmap(unaligned) fails: %s, errno=%s\n", munmap(pg + 1, 4096) == -1 ? "yes" : "no",
           strerrorname_np(errno));
    printf("munmap(aligned) works: %s\n", munmap(pg, 8192) == 0 ? "yes" : "no");
    return 0;
}
