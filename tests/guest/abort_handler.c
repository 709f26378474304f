/* abort_handler: abort() with a SIGABRT handler. A handler that longjmps out
 * keeps the process alive; one that returns makes abort() reset SIGABRT to the
 * default action and raise it again: death by SIGABRT (status 134). Also checks
 * that abort() unblocks SIGABRT before raising it. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf env;
static volatile int calls, escape;

static void on_abrt(int sig)
{
    calls++;
    printf("SIGABRT handler call %d\n", calls);
    if (escape)
        longjmp(env, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_abrt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);

    sigset_t abrt;
    sigemptyset(&abrt);
    sigaddset(&abrt, SIGABRT);
    sigprocmask(SIG_BLOCK, &abrt, NULL);
    escape = 1;
    if (setjmp(env) == 0)
        abort();
    printf("escaped from abort with longjmp, handler calls %d\n", calls);

    escape = 0;
    puts("abort with a returning handler");
    abort();
}
