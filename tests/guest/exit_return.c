/* exit_return: main returns 3; buffered stdout must still be flushed by the
 * normal exit path. */
#include <stdio.h>

int main(void)
{
    printf("returning 3 from main\n");
    fprintf(stderr, "stderr before returning\n");
    return 3;
}
