/* exit_call: exit(77) from a nested function; atexit handlers run in reverse
 * registration order, __attribute__((constructor/destructor)) functions run
 * around main, and unflushed stdout is flushed at exit. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor)) static void ctor(void)
{
    printf("constructor runs before main\n");
}

__attribute__((destructor)) static void dtor(void)
{
    printf("destructor runs at exit\n");
}

static void first(void) { printf("atexit handler registered first\n"); }
static void second(void) { printf("atexit handler registered second\n"); }

static volatile int really_exit = 1;

static int leave(int depth)
{
    if (depth <= 0) {
        printf("calling exit(77) at depth %d\n", depth);
        if (really_exit)
            exit(77);
        return 0;
    }
    printf("descending, %d to go\n", depth);
    return leave(depth - 1) + 1;
}

int main(void)
{
    printf("main starts\n");
    atexit(first);
    atexit(second);
    int r = leave(5);
    printf("not reached: %d\n", r);
    return 0;
}
