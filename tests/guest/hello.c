/* hello: the smallest smoke test - one line on stdout through stdio and one
 * through a raw write(2), exit status 0. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    static const char raw[] = "hello from write(2)\n";
    if (write(1, raw, strlen(raw)) != (ssize_t)strlen(raw))
        return 1;
    printf("hello, world\n");
    return 0;
}
