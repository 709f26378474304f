/* malloc: heap stress - 300k pseudo-random malloc/calloc/realloc/free
 * operations over sizes from 1 byte to 512 KiB (crossing the mmap threshold),
 * content verification on every free and realloc, alignment properties of
 * malloc/posix_memalign/aligned_alloc, and a final checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 2048

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t pick_size(void)
{
    uint64_t r = next();
    switch (r % 16) {
    case 0:
        return 1 + (r >> 8) % (512 * 1024); /* large, often mmapped */
    case 1:
    case 2:
        return 1 + (r >> 8) % 16384;
    default:
        return 1 + (r >> 8) % 256;
    }
}

struct slot {
    unsigned char *p;
    size_t size;
    unsigned char tag;
};

static struct slot slots[SLOTS];
static long bad;

/* Pattern positions for a block of `size` bytes: every byte of the first and
 * last 64, and every 61st byte in between (cheap but catches overlaps). */
static size_t step(size_t i, size_t size)
{
    return (i < 64 || i + 64 >= size) ? 1 : 61;
}

static void fill(struct slot *s)
{
    for (size_t i = 0; i < s->size; i += step(i, s->size))
        s->p[i] = (unsigned char)(s->tag + i);
}

/* Checks the pattern written for a block of `size` bytes, up to `upto`. */
static int verify(const struct slot *s, size_t size, size_t upto)
{
    for (size_t i = 0; i < upto; i += step(i, size))
        if (s->p[i] != (unsigned char)(s->tag + i))
            return 0;
    return 1;
}

int main(void)
{
    uint64_t checksum = 0;
    long mallocs = 0, frees = 0, reallocs = 0, callocs = 0;
    for (long op = 0; op < 300000; op++) {
        struct slot *s = &slots[next() % SLOTS];
        uint64_t kind = next() % 10;
        if (s->p == NULL) {
            s->size = pick_size();
            s->tag = (unsigned char)next();
            if (kind == 0) {
                s->p = calloc(1, s->size);
                callocs++;
                if (s->p)
                    for (size_t i = 0; i < s->size; i += 97)
                        if (s->p[i] != 0)
                            bad++;
            } else {
                s->p = malloc(s->size);
                mallocs++;
            }
            if (!s->p) {
                printf("allocation of %zu failed\n", s->size);
                return 1;
            }
            if (((uintptr_t)s->p & 15) != 0)
                bad++;
            fill(s);
        } else if (kind < 3) {
            size_t nsize = pick_size();
            size_t keep = nsize < s->size ? nsize : s->size;
            unsigned char *np = realloc(s->p, nsize);
            reallocs++;
            if (!np) {
                printf("realloc to %zu failed\n", nsize);
                return 1;
            }
            s->p = np;
            if (!verify(s, s->size, keep))
                bad++;
            s->size = nsize;
            fill(s);
        } else {
            if (!verify(s, s->size, s->size))
                bad++;
            checksum = checksum * 31 + s->size + s->p[0] + s->p[s->size - 1];
            free(s->p);
            frees++;
            s->p = NULL;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].p) {
            if (!verify(&slots[i], slots[i].size, slots[i].size))
                bad++;
            checksum = checksum * 31 + slots[i].size;
            free(slots[i].p);
            frees++;
        }
    }
    printf("mallocs=%ld callocs=%ld reallocs=%ld frees=%ld\n", mallocs, callocs, reallocs, frees);
    printf("checksum=%016llx\n", (unsigned long long)checksum);
    printf("corrupted or misaligned blocks: %ld\n", bad);

    int aligned_ok = 1;
    for (size_t align = 16; align <= 65536; align *= 4) {
        void *p = NULL;
        if (posix_memalign(&p, align, 1000) != 0 || ((uintptr_t)p % align) != 0)
            aligned_ok = 0;
        free(p);
        p = aligned_alloc(align, align * 2);
        if (!p || ((uintptr_t)p % align) != 0)
            aligned_ok = 0;
        free(p);
    }
    printf("posix_memalign/aligned_alloc alignment ok: %s\n", aligned_ok ? "yes" : "no");

    /* Growing a single buffer by realloc keeps the prefix. */
    char *str = NULL;
    size_t len = 0;
    for (int i = 0; i < 20000; i++) {
        char piece[16];
        int k = snprintf(piece, sizeof piece, "%d,", i);
        str = realloc(str, len + k + 1);
        memcpy(str + len, piece, k + 1);
        len += k;
    }
    unsigned long h = 5381;
    for (size_t i = 0; i < len; i++)
        h = h * 33 + (unsigned char)str[i];
    printf("grown string length=%zu hash=%lx starts=%.12s\n", len, h, str);
    free(str);
    printf("free(NULL) is fine\n");
    free(NULL);
    return bad != 0;
}
