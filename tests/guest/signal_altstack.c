/* signal_altstack: sigaltstack + SA_ONSTACK. A handler with SA_ONSTACK runs on
 * the alternate stack (its locals lie inside it, uc_stack describes it,
 * sigaltstack reports SS_ONSTACK and refuses changes with EPERM); one without
 * runs on the normal stack; a nested SA_ONSTACK handler stays on the alternate
 * stack below the first; a stack overflow is caught by a SIGSEGV handler on the
 * alternate stack; SS_DISABLE turns it off; bad sizes/flags are refused. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static char *alt;
static size_t alt_size;
static volatile int on_alt_usr1, on_alt_usr2, nested_below, query_flags, change_errno,
    uc_ok, on_alt_segv;
static uintptr_t usr1_local;
static sigjmp_buf env;

static int in_alt(const void *p)
{
    return (uintptr_t)p >= (uintptr_t)alt && (uintptr_t)p < (uintptr_t)alt + alt_size;
}

static void usr2(int sig)
{
    volatile int local;
    on_alt_usr2 = in_alt((const void *)&local);
    nested_below = usr1_local && (uintptr_t)&local < usr1_local;
}

static void usr1(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    volatile int local;
    usr1_local = (uintptr_t)&local;
    on_alt_usr1 = in_alt((const void *)&local);
    uc_ok = uc->uc_stack.ss_sp == alt && uc->uc_stack.ss_size == alt_size;
    stack_t cur;
    sigaltstack(NULL, &cur);
    query_flags = cur.ss_flags;
    stack_t other = {.ss_sp = alt, .ss_size = alt_size / 2, .ss_flags = 0};
    change_errno = sigaltstack(&other, NULL) == 0 ? 0 : errno;
    raise(SIGUSR2);
}

static void segv(int sig)
{
    volatile int local;
    on_alt_segv = in_alt((const void *)&local);
    siglongjmp(env, 1);
}

static volatile int depth_limit = 1 << 30; /* never reached: the stack ends first */

static int recurse(int n)
{
    volatile char buf[1024];
    if (n > depth_limit)
        return 0;
    buf[0] = (char)n;
    buf[1023] = (char)n;
    return recurse(n + 1) + buf[0] + buf[1023];
}

static void set(int sig, void (*h)(int), void (*sh)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (sh) {
        sa.sa_sigaction = sh;
        flags |= SA_SIGINFO;
    } else {
        sa.sa_handler = h;
    }
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    stack_t st, old;
    sigaltstack(NULL, &old);
    printf("initially: flags SS_DISABLE %d size %zu\n", old.ss_flags == SS_DISABLE,
           old.ss_size);

    alt_size = 4 * SIGSTKSZ;
    alt = malloc(alt_size);
    st.ss_sp = alt;
    st.ss_size = alt_size;
    st.ss_flags = 0;
    printf("sigaltstack: %d\n", sigaltstack(&st, NULL));
    sigaltstack(NULL, &old);
    printf("query: sp matches %d size matches %d flags %d\n", old.ss_sp == alt,
           old.ss_size == alt_size, old.ss_flags);

    set(SIGUSR1, NULL, usr1, SA_ONSTACK);
    set(SIGUSR2, usr2, NULL, 0);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler on alt stack %d, uc_stack ok %d, flags in handler "
           "SS_ONSTACK %d, change refused EPERM %d\n",
           on_alt_usr1, uc_ok, query_flags == SS_ONSTACK, change_errno == EPERM);
    printf("nested handler without SA_ONSTACK: on alt stack %d, below the first %d\n",
           on_alt_usr2, nested_below);

    usr1_local = 0;
    raise(SIGUSR2);
    printf("plain handler from main: on alt stack %d\n", on_alt_usr2);

    set(SIGUSR2, usr2, NULL, SA_ONSTACK);
    raise(SIGUSR2);
    printf("SA_ONSTACK handler from main: on alt stack %d\n", on_alt_usr2);

    sigaltstack(NULL, &old);
    printf("after handlers: flags %d\n", old.ss_flags);

    set(SIGSEGV, segv, NULL, SA_ONSTACK);
    if (sigsetjmp(env, 1) == 0) {
        recurse(0);
        puts("no overflow?");
    }
    printf("stack overflow caught on the alternate stack: %s\n", on_alt_segv ? "yes" : "no");

    st.ss_flags = SS_DISABLE;
    printf("disable: %d\n", sigaltstack(&st, NULL));
    sigaltstack(NULL, &old);
    printf("query: flags SS_DISABLE %d\n", old.ss_flags == SS_DISABLE);
    raise(SIGUSR2);
    printf("SA_ONSTACK handler, no alt stack: on alt stack %d\n", on_alt_usr2);

    st.ss_flags = 0;
    st.ss_size = 512;
    int r = sigaltstack(&st, NULL);
    printf("tiny stack: %d ENOMEM %d\n", r, r == -1 && errno == ENOMEM);
    st.ss_size = alt_size;
    st.ss_flags = 0x40;
    r = sigaltstack(&st, NULL);
    printf("bad flags: %d EINVAL %d\n", r, r == -1 && errno == EINVAL);
    return 0;
}
