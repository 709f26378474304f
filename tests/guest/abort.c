/* abort: prints (flushed) output then calls abort(); the runner must report
 * death by SIGABRT (status 134) and print the "uncaught target signal 6"
 * line. Unflushed stdio output is lost, as on Linux. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("about to abort\n");
    fprintf(stderr, "stderr line before abort\n");
    fflush(stdout);
    printf("this buffered line is never flushed\n");
    abort();
}
