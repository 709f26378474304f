/* The program tests/gdb.rs debugs with gdb-multiarch through `mvvm -g`.
 * The test refers to the marked lines and to the values here; keep them in step.
 * With the argument "fault" it dereferences a null pointer; with "loop" it spins
 * until a debugger clears x. */
#include <stdio.h>

volatile int x = 1;
char buf[16] = "hello";
int *volatile null_pointer;

double __attribute__((noinline)) half(double v)
{
    return v / 2; /* LINE_HALF */
}

int __attribute__((noinline)) func(int a, int b)
{
    int r = a * b + x; /* LINE_FUNC */
    buf[5] = '!';      /* LINE_NEXT */
    return r;
}

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] == 'f')
        *null_pointer = 1; /* LINE_FAULT */
    if (argc > 1 && argv[1][0] == 'l')
        while (x)
            ;
    int v = func(6, 7);
    double h = half(5.0);
    printf("v=%d x=%d buf=%s h=%g\n", v, x, buf, h);
    return v + x;
}
