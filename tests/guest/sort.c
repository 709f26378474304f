/* sort: qsort of 100k pseudo-random integers, of strings and of structs with
 * a multi-key comparator; bsearch hits and misses; sortedness checks and a
 * checksum of the result. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct rec {
    int key;
    char name[12];
    double weight;
};

/* Total order: key descending, then name, then weight. */
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return y->key - x->key;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return (x->weight > y->weight) - (x->weight < y->weight);
}

static uint32_t state = 2463534242u;

static uint32_t next(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

int main(void)
{
    enum { N = 100000 };
    int *v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++)
        v[i] = (int)(next() % 1000000) - 500000;
    qsort(v, N, sizeof *v, cmp_int);
    int sorted = 1;
    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        if (i && v[i - 1] > v[i])
            sorted = 0;
        h = h * 1000003 + (uint32_t)v[i];
    }
    printf("ints sorted: %s, min=%d max=%d median=%d hash=%016llx\n", sorted ? "yes" : "no", v[0], v[N - 1],
           v[N / 2], (unsigned long long)h);
    int found = 0, missed = 0;
    for (int probe = -500000; probe < 500000; probe += 997) {
        if (bsearch(&probe, v, N, sizeof *v, cmp_int))
            found++;
        else
            missed++;
    }
    printf("bsearch: %d found, %d missed\n", found, missed);
    int key = v[12345];
    int *hit = bsearch(&key, v, N, sizeof *v, cmp_int);
    printf("bsearch for an existing value finds an equal element: %s\n", hit && *hit == key ? "yes" : "no");
    free(v);

    const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "Apple", "cherry", "date", "", "apricot",
                           "zucchini", "grape", "apple pie", "Banana"};
    const int nw = sizeof words / sizeof words[0];
    char *w[sizeof words / sizeof words[0]];
    memcpy(w, words, sizeof w);
    qsort(w, nw, sizeof w[0], cmp_str);
    printf("words:");
    for (int i = 0; i < nw; i++)
        printf(" [%s]", w[i]);
    printf("\n");
    const char *needle = "fig";
    char **pos = bsearch(&needle, w, nw, sizeof w[0], cmp_str);
    printf("bsearch(fig) at index %ld\n", pos ? (long)(pos - w) : -1L);
    needle = "mango";
    printf("bsearch(mango) found: %s\n", bsearch(&needle, w, nw, sizeof w[0], cmp_str) ? "yes" : "no");

    enum { M = 5000 };
    struct rec *r = malloc(M * sizeof *r);
    for (int i = 0; i < M; i++) {
        r[i].key = (int)(next() % 50);
        snprintf(r[i].name, sizeof r[i].name, "n%u", next() % 300);
        r[i].weight = (next() % 10000) / 100.0;
    }
    qsort(r, M, sizeof *r, cmp_rec);
    int ok = 1;
    for (int i = 1; i < M; i++)
        if (cmp_rec(&r[i - 1], &r[i]) > 0)
            ok = 0;
    printf("records sorted: %s; first: %d %s %.2f; last: %d %s %.2f\n", ok ? "yes" : "no", r[0].key, r[0].name,
           r[0].weight, r[M - 1].key, r[M - 1].name, r[M - 1].weight);
    for (int i = 0; i < M; i += 625)
        printf("  r[%d] = %d %s %.2f\n", i, r[i].key, r[i].name, r[i].weight);
    free(r);

    /* Small arrays and already-sorted input. */
    int tiny[] = {3, 1, 2};
    qsort(tiny, 3, sizeof tiny[0], cmp_int);
    int same[64];
    for (int i = 0; i < 64; i++)
        same[i] = i / 8;
    qsort(same, 64, sizeof same[0], cmp_int);
    printf("tiny: %d %d %d; same[63]=%d; qsort of 0 elements ok\n", tiny[0], tiny[1], tiny[2], same[63]);
    qsort(tiny, 0, sizeof tiny[0], cmp_int);
    return 0;
}
