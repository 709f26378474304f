// Polling standard input: a poll with a timeout, then one without, then a read.
// Under the e2e runners stdin is /dev/null (readable at once, end of file);
// tests/stdin.rs runs it with a pipe it writes to only after the first line,
// so that the first poll times out.
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct pollfd p = {.fd = 0, .events = POLLIN};
    int r = poll(&p, 1, 300);
    printf("poll with timeout: %d%s\n", r, r > 0 && (p.revents & POLLIN) ? " POLLIN" : "");
    p.revents = 0;
    r = poll(&p, 1, -1);
    printf("poll: %d%s\n", r, r > 0 && (p.revents & POLLIN) ? " POLLIN" : "");
    char buf[64];
    ssize_t n = read(0, buf, sizeof buf);
    printf("read: %.*s\n", n > 0 ? (int)n : 0, buf);
    return 0;
}
