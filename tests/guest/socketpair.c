/* poll readiness of a socketpair (a stream each way): idle, after a write, after
 * the peer closed; data both ways; EOF. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *what, int r, struct pollfd *f, int n) {
    printf("%s: %d", what, r);
    for (int i = 0; i < n; i++) printf(" [%d]=%#x", i, f[i].revents);
    printf("\n");
}

int main(void) {
    struct pollfd f[2];
    char buf[16];
    int sv[2];
    int r = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
    printf("socketpair: %d\n", r);
    f[0] = (struct pollfd){sv[0], POLLIN | POLLOUT, 0};
    f[1] = (struct pollfd){sv[1], POLLIN | POLLOUT, 0};
    show("socketpair idle", poll(f, 2, 0), f, 2);
    write(sv[0], "ping", 4);
    show("socketpair after write", poll(f, 2, 0), f, 2);
    memset(buf, 0, sizeof buf);
    printf("read %zd '%s'\n", read(sv[1], buf, sizeof buf), buf);
    write(sv[1], "pong", 4);
    memset(buf, 0, sizeof buf);
    printf("read %zd '%s'\n", read(sv[0], buf, sizeof buf), buf);
    close(sv[0]);
    f[0] = (struct pollfd){sv[1], POLLIN, 0};
    show("peer closed", poll(f, 1, 0), f, 1);
    printf("read at EOF: %zd\n", read(sv[1], buf, sizeof buf));
    return 0;
}
