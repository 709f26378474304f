/* recursion: deep call stacks - a non-tail recursive function 100k frames
 * deep, mutual recursion 100k frames deep, a recursion with a 1 KiB frame
 * 2000 deep, and Ackermann(2, n) / naive Fibonacci for call-heavy code. */
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) static unsigned long depth(unsigned long n)
{
    volatile unsigned long local = n * 2654435761UL;
    if (n == 0)
        return local;
    unsigned long r = depth(n - 1);
    return (r ^ (local + n)) * 3;
}

__attribute__((noinline)) static int is_odd(unsigned n);

__attribute__((noinline)) static int is_even(unsigned n)
{
    volatile unsigned m = n;
    if (m == 0)
        return 1;
    int r = is_odd(m - 1);
    return r + (int)(m & 0);
}

__attribute__((noinline)) static int is_odd(unsigned n)
{
    volatile unsigned m = n;
    if (m == 0)
        return 0;
    int r = is_even(m - 1);
    return r + (int)(m & 0);
}

__attribute__((noinline)) static unsigned big_frame(int n)
{
    volatile unsigned char buf[1024];
    memset((void *)buf, n & 0xff, sizeof buf);
    if (n == 0)
        return buf[17];
    return big_frame(n - 1) + buf[1000];
}

static unsigned long ack(unsigned long m, unsigned long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static unsigned long fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    printf("depth(100000) = %lu\n", depth(100000));
    printf("is_even(100000) = %d, is_odd(100001) = %d\n", is_even(100000), is_odd(100001));
    printf("big_frame(2000) = %u\n", big_frame(2000));
    printf("ack(2, 2000) = %lu\n", ack(2, 2000));
    printf("fib(27) = %lu\n", fib(27));
    return 0;
}
