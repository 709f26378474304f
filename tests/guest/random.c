/* random: kernel randomness - getrandom (blocking and GRND_NONBLOCK) returns
 * the requested count and non-constant data, getentropy up to 256 bytes
 * (257 fails with EIO), reading /dev/urandom, and arc4random_uniform bounds.
 * Only properties are printed, never the random values. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    unsigned char a[32] = {0}, b[32] = {0};
    ssize_t n = getrandom(a, sizeof a, 0);
    printf("getrandom returned %zd bytes, not all zero: %s\n", n, all_zero(a, sizeof a) ? "no" : "yes");
    n = getrandom(b, sizeof b, GRND_NONBLOCK);
    printf("getrandom(GRND_NONBLOCK) returned %zd bytes, differs from first: %s\n", n,
           memcmp(a, b, sizeof a) ? "yes" : "no");
    unsigned char big[4096];
    n = getrandom(big, sizeof big, 0);
    int counts[256] = {0};
    for (int i = 0; i < 4096; i++)
        counts[big[i]]++;
    int distinct = 0;
    for (int i = 0; i < 256; i++)
        distinct += counts[i] > 0;
    printf("getrandom(4096) returned %zd, more than 200 distinct byte values: %s\n", n, distinct > 200 ? "yes" : "no");
    printf("getrandom(0 bytes) = %zd\n", getrandom(a, 0, 0));

    unsigned char e[300] = {0};
    printf("getentropy(256) = %d, not all zero: %s\n", getentropy(e, 256), all_zero(e, 256) ? "no" : "yes");
    errno = 0;
    int r = getentropy(e, 257);
    printf("getentropy(257) = %d errno=%s\n", r, r ? strerrorname_np(errno) : "0");

    int fd = open("/dev/urandom", O_RDONLY);
    printf("open(/dev/urandom) ok: %s\n", fd >= 0 ? "yes" : "no");
    if (fd >= 0) {
        unsigned char u[64] = {0};
        n = read(fd, u, sizeof u);
        printf("read(/dev/urandom, 64) = %zd, not all zero: %s\n", n, all_zero(u, sizeof u) ? "no" : "yes");
        close(fd);
    }

    int in_range = 1;
    for (int i = 0; i < 1000; i++)
        if (arc4random_uniform(10) >= 10)
            in_range = 0;
    printf("arc4random_uniform(10) always < 10: %s\n", in_range ? "yes" : "no");
    unsigned int x = arc4random(), y = arc4random(), z = arc4random();
    printf("three arc4random values not all equal: %s\n", (x == y && y == z) ? "no" : "yes");
    return 0;
}
