// The terminal: isatty on the standard streams, tcgetattr, and /dev/tty (the
// controlling terminal: written to, then read from). Under the e2e runners
// there is no terminal (isatty 0, /dev/tty ENXIO); tests/stdin.rs runs it in
// a pseudo-terminal made by script(1).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct termios t;
    printf("isatty: %d %d, tcgetattr: %d\n", isatty(0), isatty(1), tcgetattr(0, &t));
    int fd = open("/dev/tty", O_RDWR);
    if (fd < 0) {
        printf("/dev/tty: %s\n", strerror(errno));
        return 0;
    }
    if (write(fd, "asking the terminal\n", 20) != 20)
        printf("write failed: %s\n", strerror(errno));
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    printf("the terminal said: %.*s", n > 0 ? (int)n : 0, buf);
    return 0;
}
