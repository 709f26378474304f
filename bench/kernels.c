/* Compute kernels for `make bench`: integer loops, memory copies, floating point.
 * Usage: kernels <name> <n>; prints a checksum so every engine must do the work. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t sieve(int n) {
    char *comp = calloc(n + 1, 1);
    uint64_t count = 0;
    for (int rep = 0; rep < 10; rep++) {
        memset(comp, 0, n + 1);
        count = 0;
        for (int i = 2; i <= n; i++) {
            if (comp[i]) continue;
            count += i;
            for (int64_t j = (int64_t)i * i; j <= n; j += i) comp[j] = 1; /* not long: 32 bits on wasm32 */
        }
    }
    free(comp);
    return count;
}

static uint64_t crc32_loop(int n) {
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint8_t buf[4096];
    for (int i = 0; i < 4096; i++) buf[i] = (uint8_t)(i * 131 + 7);
    uint32_t crc = 0xffffffffu;
    for (int r = 0; r < n; r++)
        for (int i = 0; i < 4096; i++) crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}

static uint64_t memcopy(int n) {
    size_t size = 1 << 20;
    uint8_t *a = malloc(size), *b = malloc(size);
    for (size_t i = 0; i < size; i++) a[i] = (uint8_t)i;
    uint64_t sum = 0;
    for (int r = 0; r < n; r++) {
        memcpy(b, a, size);
        a[r % size] ^= b[(r * 7) % size];
        sum += b[r % size];
    }
    free(a);
    free(b);
    return sum;
}

static uint64_t matmul(int n) {
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n), *c = calloc(n * n, sizeof(double));
    for (int i = 0; i < n * n; i++) {
        a[i] = (i % 17) * 0.25 + 1.0;
        b[i] = (i % 13) * 0.5 - 2.0;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double x = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j];
        }
    double s = 0;
    for (int i = 0; i < n * n; i++) s += c[i];
    free(a);
    free(b);
    free(c);
    return (uint64_t)(int64_t)s;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: kernels sieve|crc32|memcopy|matmul N\n");
        return 2;
    }
    int n = atoi(argv[2]);
    uint64_t r;
    if (!strcmp(argv[1], "sieve")) r = sieve(n);
    else if (!strcmp(argv[1], "crc32")) r = crc32_loop(n);
    else if (!strcmp(argv[1], "memcopy")) r = memcopy(n);
    else if (!strcmp(argv[1], "matmul")) r = matmul(n);
    else return 2;
    printf("%s %d -> %llu\n", argv[1], n, (unsigned long long)r);
    return 0;
}
