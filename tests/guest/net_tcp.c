// TCP over loopback: a listener on 127.0.0.1 port 0, a server thread echoing
// upper-cased messages, socket options, MSG_PEEK/MSG_WAITALL/MSG_DONTWAIT,
// poll and epoll readiness, shutdown and EOF, EPIPE with SIGPIPE, non-blocking
// accept and connect, and a refused connection. Only the main thread prints
// (the server's results are printed after it is joined), and no port numbers,
// so the output does not depend on scheduling or on the host.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { sigpipes++; }

static void check(const char *what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s: %ld\n", what, r);
}

static int getint(int fd, int level, int name) {
    int v = -1;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) < 0)
        return -errno;
    return v;
}

static int setint(int fd, int level, int name, int v) {
    return setsockopt(fd, level, name, &v, sizeof v);
}

static struct sockaddr_in loopback(unsigned short port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// What the server thread saw, printed by main after the join.
static char server_log[1024];

static void slog(const char *s) { strncat(server_log, s, sizeof server_log - strlen(server_log) - 1); }

static void *server(void *arg) {
    int ls = *(int *)arg;
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int c = accept4(ls, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
    if (c < 0) {
        slog("accept failed\n");
        return NULL;
    }
    char line[128];
    snprintf(line, sizeof line, "server: accepted len=%u family=%d peer=%s cloexec=%d\n", len,
             peer.sin_family, inet_ntoa(peer.sin_addr), (fcntl(c, F_GETFD) & FD_CLOEXEC) != 0);
    slog(line);
    char buf[256];
    for (;;) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) {
            snprintf(line, sizeof line, "server: recv %zd (end)\n", n);
            slog(line);
            break;
        }
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] -= 32;
        if (write(c, buf, n) != n)
            slog("server: short write\n");
    }
    close(c);
    return NULL;
}

// Reads exactly n bytes (TCP may split them).
static void read_all(int fd, char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            printf("read_all: %zd\n", r);
            return;
        }
        got += r;
    }
    buf[n] = 0;
}

int main(void) {
    signal(SIGPIPE, on_sigpipe);

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    check("socket", ls >= 0 ? 0 : -1);
    printf("cloexec: %d\n", (fcntl(ls, F_GETFD) & FD_CLOEXEC) != 0);
    printf("SO_TYPE: %d\n", getint(ls, SOL_SOCKET, SO_TYPE));
    printf("SO_DOMAIN: %d\n", getint(ls, SOL_SOCKET, SO_DOMAIN));
    printf("SO_PROTOCOL: %d\n", getint(ls, SOL_SOCKET, SO_PROTOCOL));
    printf("SO_REUSEADDR before: %d\n", getint(ls, SOL_SOCKET, SO_REUSEADDR));
    check("setsockopt SO_REUSEADDR", setint(ls, SOL_SOCKET, SO_REUSEADDR, 5));
    printf("SO_REUSEADDR after: %d\n", getint(ls, SOL_SOCKET, SO_REUSEADDR));
    printf("SO_ACCEPTCONN: %d\n", getint(ls, SOL_SOCKET, SO_ACCEPTCONN));
    char c1 = 1;
    check("setsockopt short", setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &c1, 1));
    check("setsockopt unknown", setint(ls, SOL_SOCKET, 9999, 1));

    struct sockaddr_in a = loopback(0);
    check("bind", bind(ls, (struct sockaddr *)&a, sizeof a));
    check("listen", listen(ls, 8));
    printf("SO_ACCEPTCONN listening: %d\n", getint(ls, SOL_SOCKET, SO_ACCEPTCONN));
    struct sockaddr_in bound;
    socklen_t blen = sizeof bound;
    check("getsockname", getsockname(ls, (struct sockaddr *)&bound, &blen));
    printf("bound: len=%u family=%d addr=%s port-set=%d\n", blen, bound.sin_family,
           inet_ntoa(bound.sin_addr), bound.sin_port != 0);
    unsigned short port = ntohs(bound.sin_port);

    // Truncated address: the real length comes back.
    unsigned char small[4] = {0};
    socklen_t slen = sizeof small;
    check("getsockname small", getsockname(ls, (struct sockaddr *)small, &slen));
    printf("small: len=%u family=%d\n", slen, small[0] | small[1] << 8);

    // Non-blocking accept with nobody connecting.
    fcntl(ls, F_SETFL, O_NONBLOCK);
    check("accept nonblocking", accept(ls, NULL, NULL));
    fcntl(ls, F_SETFL, 0);

    pthread_t t;
    pthread_create(&t, NULL, server, &ls);

    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    check("recv unconnected", recv(c, c1 ? &c1 : NULL, 1, 0));
    struct sockaddr_in dst = loopback(port);
    check("connect", connect(c, (struct sockaddr *)&dst, sizeof dst));
    check("connect again", connect(c, (struct sockaddr *)&dst, sizeof dst));
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    check("getpeername", getpeername(c, (struct sockaddr *)&peer, &plen));
    printf("peer: %s same-port=%d\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port) == port);
    struct sockaddr_in me;
    socklen_t mlen = sizeof me;
    getsockname(c, (struct sockaddr *)&me, &mlen);
    printf("client address: %s port-set=%d\n", inet_ntoa(me.sin_addr), me.sin_port != 0);

    check("set TCP_NODELAY", setint(c, IPPROTO_TCP, TCP_NODELAY, 1));
    printf("TCP_NODELAY: %d\n", getint(c, IPPROTO_TCP, TCP_NODELAY) != 0);
    check("set SO_KEEPALIVE", setint(c, SOL_SOCKET, SO_KEEPALIVE, 1));
    printf("SO_KEEPALIVE: %d\n", getint(c, SOL_SOCKET, SO_KEEPALIVE));
    check("set SO_RCVBUF", setint(c, SOL_SOCKET, SO_RCVBUF, 65536));
    printf("SO_RCVBUF >= set: %d\n", getint(c, SOL_SOCKET, SO_RCVBUF) >= 65536);
    check("set SO_SNDBUF", setint(c, SOL_SOCKET, SO_SNDBUF, 65536));
    printf("SO_SNDBUF >= set: %d\n", getint(c, SOL_SOCKET, SO_SNDBUF) >= 65536);
    printf("SO_ERROR: %d\n", getint(c, SOL_SOCKET, SO_ERROR));
    printf("TCP option on level IP: %d\n", getint(c, IPPROTO_TCP, 9999));

    // Nothing to read yet.
    struct pollfd p = {.fd = c, .events = POLLIN | POLLOUT};
    check("poll idle", poll(&p, 1, 0));
    printf("revents idle: %#x\n", p.revents);
    check("recv MSG_DONTWAIT", recv(c, small, 1, MSG_DONTWAIT));

    const char *msgs[] = {"hello", "socket world", "third message"};
    char buf[256];
    for (int i = 0; i < 3; i++) {
        check("send", send(c, msgs[i], strlen(msgs[i]), 0));
        read_all(c, buf, strlen(msgs[i]));
        printf("echo: %s\n", buf);
    }

    // Gathered and scattered through writev/readv.
    struct iovec wv[2] = {{"ab", 2}, {"cd", 2}};
    check("writev", writev(c, wv, 2));
    check("wait for 4", recv(c, buf, 4, MSG_PEEK | MSG_WAITALL));
    char r1[3] = {0}, r2[3] = {0};
    struct iovec rv[2] = {{r1, 2}, {r2, 2}};
    check("readv", readv(c, rv, 2));
    printf("readv: %s %s\n", r1, r2);

    // Peek, then read the same bytes; MSG_WAITALL waits for all of them.
    check("write", write(c, "peekaboo", 8));
    p.events = POLLIN;
    check("poll data", poll(&p, 1, 5000));
    printf("revents data: %#x\n", p.revents);
    ssize_t n = recv(c, buf, 4, MSG_PEEK | MSG_WAITALL);
    printf("peek: %zd %.4s\n", n, buf);
    n = recv(c, buf, 8, MSG_WAITALL);
    printf("read after peek: %zd %.8s\n", n, buf);

    // epoll sees an echo arrive.
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 77};
    check("epoll_ctl", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
    check("epoll idle", epoll_wait(ep, &ev, 1, 0));
    send(c, "ep", 2, 0);
    check("epoll wait", epoll_wait(ep, &ev, 1, 5000));
    printf("epoll event: %#x data=%u\n", ev.events, ev.data.u32);
    read_all(c, buf, 2);
    printf("echo: %s\n", buf);
    close(ep);

    // Half close: the server sees EOF and closes, the client then reads EOF.
    check("shutdown bad", shutdown(c, 7));
    check("shutdown SHUT_WR", shutdown(c, SHUT_WR));
    check("read eof", read(c, buf, sizeof buf));
    p.events = POLLIN;
    poll(&p, 1, 5000);
    printf("revents after eof: %#x\n", p.revents & (POLLIN | POLLRDHUP));
    check("send after SHUT_WR", send(c, "x", 1, 0));
    printf("SIGPIPE: %d\n", (int)sigpipes);
    check("send MSG_NOSIGNAL", send(c, "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE: %d\n", (int)sigpipes);
    pthread_join(t, NULL);
    fputs(server_log, stdout);
    close(c);

    // A non-blocking connect: EINPROGRESS (or at once), then writable.
    int nc = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(nc, (struct sockaddr *)&dst, sizeof dst);
    printf("nonblocking connect started: %d\n", r == 0 || errno == EINPROGRESS);
    p.fd = nc;
    p.events = POLLOUT;
    check("poll connect", poll(&p, 1, 5000));
    printf("revents connected: %#x\n", p.revents & POLLOUT);
    printf("SO_ERROR connected: %d\n", getint(nc, SOL_SOCKET, SO_ERROR));
    int ac = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
    check("accept4 nonblock", ac >= 0 ? 0 : -1);
    printf("accepted nonblocking: %d\n", (fcntl(ac, F_GETFL) & O_NONBLOCK) != 0);
    check("recv empty nonblocking", recv(ac, buf, 1, 0));
    check("send on nonblocking", send(nc, "z", 1, 0));
    p.fd = ac;
    p.events = POLLIN;
    poll(&p, 1, 5000);
    check("recv nonblocking", recv(ac, buf, 1, 0));
    close(nc);
    p.events = POLLIN;
    poll(&p, 1, 5000);
    check("recv after peer close", recv(ac, buf, 1, 0));
    close(ac);
    close(ls);

    // Nobody listens on the port any more.
    int rc = socket(AF_INET, SOCK_STREAM, 0);
    check("connect refused", connect(rc, (struct sockaddr *)&dst, sizeof dst));
    close(rc);

    // Argument errors.
    check("bind bad family", bind(socket(AF_INET, SOCK_STREAM, 0), (struct sockaddr *)&(struct sockaddr_in6){.sin6_family = AF_INET6}, sizeof(struct sockaddr_in6)));
    check("bind short", bind(socket(AF_INET, SOCK_STREAM, 0), (struct sockaddr *)&a, 8));
    check("bind null", bind(socket(AF_INET, SOCK_STREAM, 0), NULL, sizeof a));
    check("getsockname on a file", getsockname(1, (struct sockaddr *)&me, &mlen));
    check("getsockname bad fd", getsockname(99, (struct sockaddr *)&me, &mlen));
    check("socket bad family", socket(12345, SOCK_STREAM, 0));
    check("socket bad protocol", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    check("socket bad type", socket(AF_INET, 15, 0));
    return 0;
}
