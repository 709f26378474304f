/* setjmp: non-local jumps - setjmp/longjmp from nested calls, longjmp(env, 0)
 * returning 1, volatile locals and callee-saved integer and floating-point
 * values surviving the jump, jumping out of a qsort comparator, and
 * sigsetjmp/siglongjmp with a saved signal mask. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf env;
static sigjmp_buf senv;
static int calls;

static volatile int really_jump = 1;

static void deep(int n, int value)
{
    calls++;
    if (n == 0) {
        if (really_jump)
            longjmp(env, value);
        return;
    }
    deep(n - 1, value);
    printf("not reached\n");
}

static jmp_buf cmp_env;
static int compares;

static int cmp_escape(const void *a, const void *b)
{
    if (++compares == 10)
        longjmp(cmp_env, 42);
    return *(const int *)a - *(const int *)b;
}

__attribute__((noinline)) static double work(double x)
{
    return x * 1.5 + 0.25;
}

int main(void)
{
    volatile int counter = 0;
    int r = setjmp(env);
    printf("setjmp returned %d (counter=%d)\n", r, counter);
    if (counter < 3) {
        counter++;
        deep(counter * 10, counter * 100);
    }
    printf("after loop: counter=%d, deep calls=%d\n", counter, calls);

    r = setjmp(env);
    if (r == 0)
        longjmp(env, 0);
    printf("longjmp(env, 0) makes setjmp return %d\n", r);

    /* Values held in registers across the call must be restored. */
    volatile double acc = 1.0;
    double keep = work(acc);
    long ikeep = (long)keep * 1000 + 7;
    if (setjmp(env) == 0) {
        acc = work(acc) + keep;
        deep(3, 5);
    }
    printf("after jump: acc=%g keep=%g ikeep=%ld\n", acc, keep, ikeep);

    int arr[100];
    for (int i = 0; i < 100; i++)
        arr[i] = (i * 37) % 100;
    if ((r = setjmp(cmp_env)) == 0) {
        qsort(arr, 100, sizeof arr[0], cmp_escape);
        printf("qsort finished (unexpected)\n");
    } else {
        printf("escaped from qsort comparator with %d after %d compares\n", r, compares);
    }

    sigset_t set, old;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    if ((r = sigsetjmp(senv, 1)) == 0) {
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigprocmask(SIG_BLOCK, NULL, &old);
        printf("SIGUSR1 blocked before siglongjmp: %s\n", sigismember(&old, SIGUSR1) ? "yes" : "no");
        siglongjmp(senv, 9);
    }
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("sigsetjmp returned %d, SIGUSR1 blocked after restore: %s\n", r, sigismember(&old, SIGUSR1) ? "yes" : "no");
    return 0;
}
