/* A RISC-V "plugin": freestanding functions that examples/plugin-host calls through
 * mvvm:vm/machine. Built with -nostdlib -mno-relax (no gp set-up is needed, since the
 * host calls the functions directly, without running _start). */

long fib(long n)
{
    long a = 0, b = 1;
    while (n-- > 0) {
        long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

/* Writes "hello from RISC-V, <n>" to buf (at most len bytes); returns its length. */
long greet(char *buf, long len, long n)
{
    const char *prefix = "hello from RISC-V, ";
    long i = 0;
    while (*prefix && i < len)
        buf[i++] = *prefix++;
    char digits[24];
    int d = 0;
    do {
        digits[d++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    while (d > 0 && i < len)
        buf[i++] = digits[--d];
    return i;
}

/* A call into the host: system call 1000, which Linux does not define and the
 * host intercepts, answers with the value of setting `key`. */
static long host_setting(long key)
{
    register long a0 __asm__("a0") = key;
    register long a7 __asm__("a7") = 1000;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

/* The sum of the host's settings 1..n. */
long sum_settings(long n)
{
    long sum = 0;
    for (long k = 1; k <= n; k++)
        sum += host_setting(k);
    return sum;
}

/* Never returns: the host stops it with an instruction budget. */
void spin(void)
{
    for (;;)
        __asm__ volatile("");
}

/* Run as a program, the plugin exits with fib(10). */
void _start(void)
{
    register long a0 __asm__("a0") = fib(10);
    register long a7 __asm__("a7") = 93; /* exit */
    __asm__ volatile("ecall" : : "r"(a0), "r"(a7));
    for (;;)
        ;
}
