/* stdio: reads stdin line by line with fgets (including a line longer than
 * the buffer and a last line without newline), parses numbers with sscanf,
 * and writes to stdout and stderr interleaved with explicit fflush; EOF and
 * feof are reported at the end. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[32];
    int n = 0, pieces = 0;
    long sum = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        pieces++;
        size_t len = strlen(buf);
        int complete = len > 0 && buf[len - 1] == '\n';
        if (complete)
            buf[--len] = '\0';
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        printf("piece %d (%zu chars%s): [%s]\n", pieces, len, complete ? ", end of line" : "", buf);
        long v;
        if (sscanf(buf, "NUM %ld", &v) == 1) {
            sum += v;
            fprintf(stderr, "stderr: number %ld, running sum %ld\n", v, sum);
        }
        if (complete)
            n++;
        fflush(stdout);
        fflush(stderr);
    }
    printf("complete lines: %d, pieces: %d, sum: %ld\n", n, pieces, sum);
    printf("feof(stdin)=%d ferror(stdin)=%d getchar()==EOF: %s\n", feof(stdin) != 0, ferror(stdin) != 0,
           getchar() == EOF ? "yes" : "no");
    fprintf(stderr, "stderr: done\n");
    fputs("stdout: done\n", stdout);
    return 0;
}
