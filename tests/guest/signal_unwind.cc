// signal_unwind: the unwinder walks through signal frames. backtrace() inside a
// handler reaches main through the sigreturn trampoline (libgcc recognises its
// `li a7, 139; ecall` bytes and reads the saved registers from the ucontext), and
// a C++ exception thrown from a SIGSEGV handler unwinds through the signal frame
// and the faulting function to a catch in its caller (the faulting store must be
// allowed to throw: -fnon-call-exceptions, set by the pragma for this file).
#pragma GCC optimize("non-call-exceptions")
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdexcept>

static volatile int reached_main;

static void on_usr1(int)
{
    void *b[64];
    int n = backtrace(b, 64);
    // At least: the handler, the trampoline, raise's callers, deep x4, main.
    printf("backtrace from handler: more than 6 frames: %s\n", n > 6 ? "yes" : "no");
}

static void on_segv(int)
{
    throw std::runtime_error("thrown from the SIGSEGV handler");
}

__attribute__((noinline)) static void deep(int n)
{
    if (n)
        deep(n - 1);
    else
        raise(SIGUSR1);
    __asm__ volatile("");
}

__attribute__((noipa)) void store(volatile int *p)
{
    *p = 1;
}

__attribute__((noinline)) static int fault(volatile int *p)
{
    try {
        store(p);
    } catch (const std::exception &e) {
        printf("caught: %s\n", e.what());
        return 1;
    }
    return 0;
}

int main()
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGUSR1, on_usr1);
    deep(3);
    signal(SIGSEGV, on_segv);
    static volatile long low = 8;
    printf("fault() returned %d\n", fault((volatile int *)low));
    // Leaving a handler by throwing skips rt_sigreturn: its mask stays in force.
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("SIGSEGV still blocked after throwing out: %d\n", sigismember(&cur, SIGSEGV));
    return 0;
}
