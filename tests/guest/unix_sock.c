#define _GNU_SOURCE
/* AF_UNIX sockets: a named stream server and a forked client (SO_PEERCRED,
 * addresses, EOF), abstract names and autobind, datagrams with the sender's
 * address, seqpacket boundaries, SCM_RIGHTS passing a pipe end and a file to
 * another process (MSG_CMSG_CLOEXEC, MSG_CTRUNC), socket options, poll
 * readiness, EPIPE/SIGPIPE, and the ECONNREFUSED/EADDRINUSE/ENOENT/EAGAIN
 * answers. Paths live in a fresh directory under /tmp; no pids or paths are
 * printed, only whether they are what Linux gives. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/report.h"

static char dir[64];
static volatile sig_atomic_t pipes;

static void on_pipe(int sig) {
    (void)sig;
    pipes++;
}

static socklen_t path_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", dir, name);
    return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    /* The abstract namespace is the whole kernel's: the temporary directory's
     * name keeps parallel runs apart. */
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "%s/%s", dir, name);
    return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

static int listener(int type, struct sockaddr_un *a, socklen_t len) {
    int s = socket(AF_UNIX, type, 0);
    if (bind(s, (struct sockaddr *)a, len) != 0 || listen(s, 4) != 0)
        printf("listener: %s\n", strerror(errno));
    return s;
}

static void show_poll(const char *what, int fd, short events) {
    struct pollfd p = {fd, events, 0};
    int r = poll(&p, 1, 0);
    printf("poll %s: %d %#x\n", what, r, p.revents);
}

static void named_stream(void) {
    struct sockaddr_un a;
    socklen_t alen = path_addr(&a, "server");
    int srv = listener(SOCK_STREAM, &a, alen);
    struct stat st;
    result("stat socket path", stat(a.sun_path, &st));
    printf("S_ISSOCK: %d\n", S_ISSOCK(st.st_mode));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    result("bind taken path", bind(other, (struct sockaddr *)&a, alen));
    close(other);

    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        int ok = connect(c, (struct sockaddr *)&a, alen) == 0;
        struct ucred cr;
        socklen_t len = sizeof cr;
        ok &= getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0;
        ok &= cr.pid == getppid() && cr.uid == getuid() && cr.gid == getgid() && len == sizeof cr;
        struct sockaddr_un peer;
        len = sizeof peer;
        ok &= getpeername(c, (struct sockaddr *)&peer, &len) == 0;
        ok &= len == alen && strcmp(peer.sun_path, a.sun_path) == 0;
        ok &= send(c, "hello", 5, 0) == 5;
        char buf[16] = {0};
        ok &= recv(c, buf, 5, MSG_WAITALL) == 5 && memcmp(buf, "world", 5) == 0;
        /* Wait until the server looked at its end, then hang up. */
        char x;
        ok &= read(ready[0], &x, 1) == 1;
        close(c);
        _exit(ok ? 0 : 1);
    }
    struct pollfd pf = {srv, POLLIN, 0};
    int pr = poll(&pf, 1, -1);
    printf("poll waiting for the client: %d %#x\n", pr, pf.revents);
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    int conn = accept(srv, (struct sockaddr *)&peer, &plen);
    printf("accept: %s, peer address length %u\n", conn >= 0 ? "ok" : strerror(errno), plen);
    struct ucred cr;
    socklen_t len = sizeof cr;
    getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cr, &len);
    printf("SO_PEERCRED: pid is the child's %d, uid %d, gid %d\n", cr.pid == child,
           cr.uid == getuid(), cr.gid == getgid());
    struct sockaddr_un me;
    len = sizeof me;
    getsockname(conn, (struct sockaddr *)&me, &len);
    printf("accepted socket's name is the server's: %d (length %d)\n",
           strcmp(me.sun_path, a.sun_path) == 0, len == alen);
    char buf[16] = {0};
    ssize_t n = recv(conn, buf, sizeof buf, 0);
    printf("server got %zd '%s'\n", n, buf);
    send(conn, "world", 5, 0);
    write(ready[1], "x", 1);
    n = recv(conn, buf, sizeof buf, 0);
    printf("after the client closed: %zd\n", n);
    show_poll("closed peer", conn, POLLIN | POLLOUT);
    int status;
    waitpid(child, &status, 0);
    printf("client: exit %d\n", WEXITSTATUS(status));
    close(conn);
    close(ready[0]);
    close(ready[1]);

    /* The name outlives the socket: refused, then gone with the file. */
    close(srv);
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    result("connect after the server closed", connect(c, (struct sockaddr *)&a, alen));
    result("unlink socket path", unlink(a.sun_path));
    result("connect after unlink", connect(c, (struct sockaddr *)&a, alen));
    struct sockaddr_un f;
    socklen_t flen = path_addr(&f, "plain");
    close(open(f.sun_path, O_CREAT | O_WRONLY, 0600));
    result("connect to a plain file", connect(c, (struct sockaddr *)&f, flen));
    unlink(f.sun_path);
    close(c);
}

static void abstract_and_autobind(void) {
    struct sockaddr_un a;
    socklen_t alen = abstract_addr(&a, "abstract");
    int srv = listener(SOCK_STREAM, &a, alen);
    int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    result("connect abstract", connect(c, (struct sockaddr *)&a, alen));
    show_poll("listener with a pending connection", srv, POLLIN);
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    int conn = accept4(srv, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    printf("accept4: %d, cloexec %d\n", conn >= 0, fcntl(conn, F_GETFD) & FD_CLOEXEC);
    struct sockaddr_un me;
    socklen_t len = sizeof me;
    getsockname(srv, (struct sockaddr *)&me, &len);
    printf("abstract name: length matches %d, leading NUL %d, same bytes %d\n", len == alen,
           me.sun_path[0] == 0, memcmp(&me, &a, alen) == 0);
    int dup_name = socket(AF_UNIX, SOCK_STREAM, 0);
    result("bind taken abstract name", bind(dup_name, (struct sockaddr *)&a, alen));
    close(dup_name);
    show_poll("fresh connection", conn, POLLIN | POLLOUT);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = conn};
    epoll_ctl(ep, EPOLL_CTL_ADD, conn, &ev);
    printf("epoll before data: %d\n", epoll_wait(ep, &ev, 1, 0));
    write(c, "pi", 2);
    printf("epoll after data: %d", epoll_wait(ep, &ev, 1, 0));
    printf(", again: %d", epoll_wait(ep, &ev, 1, 0));
    write(c, "ng", 2);
    printf(", after more data: %d\n", epoll_wait(ep, &ev, 1, 0));
    close(ep);
    show_poll("data waiting", conn, POLLIN | POLLOUT);
    result("shutdown SHUT_WR", shutdown(c, SHUT_WR));
    char buf[8];
    printf("read %zd\n", read(conn, buf, sizeof buf));
    printf("read after peer's SHUT_WR: %zd\n", read(conn, buf, sizeof buf));
    printf("write back: %zd\n", write(conn, "pong", 4));
    printf("peer reads: %zd\n", read(c, buf, sizeof buf));
    close(conn);
    close(c);
    close(srv);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    result("connect to a closed abstract name", connect(c, (struct sockaddr *)&a, alen));
    show_poll("unconnected stream socket", c, POLLIN | POLLOUT);

    /* Autobind: bind with just the family picks an abstract name. */
    struct sockaddr_un au = {.sun_family = AF_UNIX};
    result("autobind", bind(c, (struct sockaddr *)&au, sizeof(sa_family_t)));
    len = sizeof me;
    getsockname(c, (struct sockaddr *)&me, &len);
    printf("autobound name: length %u, leading NUL %d\n", len, me.sun_path[0] == 0);
    close(c);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    len = sizeof me;
    getsockname(c, (struct sockaddr *)&me, &len);
    printf("unbound name: length %u\n", len);
    result("getpeername unconnected", getpeername(c, (struct sockaddr *)&me, &len));
    close(c);
}

static void backlog(void) {
    struct sockaddr_un a;
    socklen_t alen = path_addr(&a, "backlog");
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    bind(srv, (struct sockaddr *)&a, alen);
    result("listen backlog 0", listen(srv, 0));
    result("accept, nobody waiting", accept(srv, NULL, NULL));
    int c1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    result("first connect", connect(c1, (struct sockaddr *)&a, alen));
    result("second connect, backlog full", connect(c2, (struct sockaddr *)&a, alen));
    int conn = accept(srv, NULL, NULL);
    result("connect again when connected", connect(c1, (struct sockaddr *)&a, alen));
    result("second connect after accept", connect(c2, (struct sockaddr *)&a, alen));
    int v;
    socklen_t len = sizeof v;
    getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
    printf("SO_ACCEPTCONN listener %d", v);
    getsockopt(c1, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
    printf(", client %d\n", v);
    getsockopt(c1, SOL_SOCKET, SO_ERROR, &v, &len);
    printf("SO_ERROR %d\n", v);
    char buf[4];
    result("recv nothing, MSG_DONTWAIT", recv(conn, buf, sizeof buf, MSG_DONTWAIT));
    close(conn);
    close(c1);
    close(c2);
    close(srv);
    unlink(a.sun_path);
}

static void datagrams(void) {
    struct sockaddr_un a, b;
    socklen_t alen = path_addr(&a, "dgram-a"), blen = path_addr(&b, "dgram-b");
    int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    result("bind a", bind(sa, (struct sockaddr *)&a, alen));
    result("bind b", bind(sb, (struct sockaddr *)&b, blen));
    result("sendto b", sendto(sa, "one", 3, 0, (struct sockaddr *)&b, blen));
    result("sendto b again", sendto(sa, "two!", 4, 0, (struct sockaddr *)&b, blen));
    result("send, no destination", send(sa, "x", 1, 0));
    show_poll("datagrams waiting", sb, POLLIN | POLLOUT);
    char buf[16] = {0};
    struct sockaddr_un from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    printf("recvfrom %zd '%s', from a: %d, length %d\n", n, buf,
           strcmp(from.sun_path, a.sun_path) == 0, flen == alen);
    struct iovec iov = {buf, 2};
    struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
    n = recvmsg(sb, &mh, 0);
    printf("recvmsg into 2 bytes: %zd, MSG_TRUNC %d\n", n, !!(mh.msg_flags & MSG_TRUNC));
    result("recv, nothing left (MSG_DONTWAIT)", recv(sb, buf, sizeof buf, MSG_DONTWAIT));
    result("connect a to b", connect(sa, (struct sockaddr *)&b, blen));
    result("send on connected", send(sa, "three", 5, 0));
    n = recv(sb, buf, sizeof buf, MSG_PEEK);
    printf("peek %zd\n", n);
    n = recv(sb, buf, sizeof buf, MSG_TRUNC);
    printf("recv MSG_TRUNC %zd\n", n);
    struct sockaddr_un s;
    socklen_t slen = path_addr(&s, "stream");
    int st = listener(SOCK_STREAM, &s, slen);
    result("sendto a stream socket's name", sendto(sb, "x", 1, 0, (struct sockaddr *)&s, slen));
    struct sockaddr_un none;
    socklen_t nlen = path_addr(&none, "nobody");
    result("sendto a missing path", sendto(sb, "x", 1, 0, (struct sockaddr *)&none, nlen));
    int v;
    socklen_t len = sizeof v;
    getsockopt(sb, SOL_SOCKET, SO_TYPE, &v, &len);
    printf("SO_TYPE dgram %d", v);
    getsockopt(st, SOL_SOCKET, SO_TYPE, &v, &len);
    printf(", stream %d\n", v);
    close(sa);
    close(sb);
    close(st);
    unlink(a.sun_path);
    unlink(b.sun_path);
    unlink(s.sun_path);
}

static void seqpacket(void) {
    int sv[2];
    result("socketpair SOCK_SEQPACKET", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    send(sv[0], "abc", 3, 0);
    send(sv[0], "defgh", 5, 0);
    send(sv[0], "ijklmn", 6, 0);
    char buf[16];
    printf("recv %zd", recv(sv[1], buf, sizeof buf, 0));
    printf(", %zd", recv(sv[1], buf, sizeof buf, 0));
    printf(", into 2 bytes %zd", recv(sv[1], buf, 2, 0));
    int v;
    socklen_t len = sizeof v;
    getsockopt(sv[1], SOL_SOCKET, SO_TYPE, &v, &len);
    printf(", SO_TYPE %d\n", v);
    close(sv[0]);
    printf("recv after close: %zd\n", recv(sv[1], buf, sizeof buf, 0));
    close(sv[1]);

    /* A named seqpacket connection keeps boundaries too. */
    struct sockaddr_un a;
    socklen_t alen = path_addr(&a, "seq");
    int srv = listener(SOCK_SEQPACKET, &a, alen);
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    result("connect seqpacket", connect(c, (struct sockaddr *)&a, alen));
    int conn = accept(srv, NULL, NULL);
    send(c, "12", 2, 0);
    send(c, "345", 3, 0);
    printf("seqpacket recv %zd", recv(conn, buf, sizeof buf, 0));
    printf(", %zd\n", recv(conn, buf, sizeof buf, 0));
    int d = socket(AF_UNIX, SOCK_STREAM, 0);
    result("stream connect to a seqpacket name", connect(d, (struct sockaddr *)&a, alen));
    close(d);
    close(conn);
    close(c);
    close(srv);
    unlink(a.sun_path);

    result("socketpair SOCK_STREAM", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    send(sv[0], "abc", 3, 0);
    send(sv[0], "defgh", 5, 0);
    printf("stream recv %zd\n", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    close(sv[1]);
    result("socketpair SOCK_DGRAM", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    send(sv[0], "abc", 3, 0);
    send(sv[0], "defgh", 5, 0);
    printf("dgram pair recv %zd", recv(sv[1], buf, sizeof buf, 0));
    printf(", %zd\n", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    close(sv[1]);
}

/* Sends `n` descriptors with one byte. */
static ssize_t send_fds(int s, const int *fds, int n) {
    char ctl[CMSG_SPACE(sizeof(int) * 4)];
    memset(ctl, 0, sizeof ctl);
    struct iovec iov = {"x", 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = CMSG_SPACE(sizeof(int) * n)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
    return sendmsg(s, &mh, 0);
}

/* Receives descriptors into `fds` (at most `max`); returns how many. */
static int recv_fds(int s, int *fds, int max, size_t ctl_room, int flags, int *msg_flags,
                    size_t *ctl_len) {
    char ctl[256];
    char byte;
    struct iovec iov = {&byte, 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = ctl_room};
    if (recvmsg(s, &mh, flags) < 0)
        return -1;
    *msg_flags = mh.msg_flags;
    *ctl_len = mh.msg_controllen;
    int got = 0;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        int n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (int i = 0; i < n && got < max; i++)
            memcpy(&fds[got++], CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
    }
    return got;
}

static void rights(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int p[2];
    pipe(p);
    write(p[1], "via pipe", 8);
    char path[96];
    snprintf(path, sizeof path, "%s/file", dir);
    int f = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(f, "file data", 9);
    lseek(f, 5, SEEK_SET);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        int fds[4], mf;
        size_t cl;
        int n = recv_fds(sv[1], fds, 4, CMSG_SPACE(sizeof(int) * 2), MSG_CMSG_CLOEXEC, &mf, &cl);
        int ok = n == 2 && !(mf & MSG_CTRUNC);
        char buf[16] = {0};
        ok &= read(fds[0], buf, sizeof buf) == 8 && memcmp(buf, "via pipe", 8) == 0;
        ok &= (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0;
        memset(buf, 0, sizeof buf);
        /* The file's offset is shared with the sender: it reads from 5. */
        ok &= read(fds[1], buf, sizeof buf) == 4 && memcmp(buf, "data", 4) == 0;
        struct stat st;
        ok &= fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode);
        _exit(ok ? 0 : 1);
    }
    close(sv[1]);
    int fds[2] = {p[0], f};
    printf("sendmsg with 2 descriptors: %zd\n", send_fds(sv[0], fds, 2));
    int status;
    waitpid(child, &status, 0);
    printf("receiver: exit %d\n", WEXITSTATUS(status));
    printf("offset after the receiver read: %ld\n", (long)lseek(f, 0, SEEK_CUR));
    close(sv[0]);

    /* A control buffer with room for two of three: the rest is closed (Linux
     * also sets MSG_CTRUNC; qemu-user, which hands the kernel a control buffer
     * twice the size, does not, so it is not shown). */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int three[3] = {p[0], p[1], f};
    printf("sendmsg with 3 descriptors: %zd\n", send_fds(sv[0], three, 3));
    int got[4], mf;
    size_t cl;
    int n = recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int)), 0, &mf, &cl);
    printf("received %d, controllen %zu, cloexec %d\n", n, cl, fcntl(got[0], F_GETFD) & FD_CLOEXEC);
    for (int i = 0; i < n; i++)
        close(got[i]);
    send_fds(sv[0], three, 1);
    n = recv_fds(sv[1], got, 4, 8, 0, &mf, &cl);
    printf("no room at all: received %d, MSG_CTRUNC %d, controllen %zu\n", n, !!(mf & MSG_CTRUNC),
           cl);
    int bad[1] = {999};
    result("sendmsg with a closed descriptor", send_fds(sv[0], bad, 1));
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    close(p[1]);
    close(f);
    unlink(path);
}

static void epipe(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    signal(SIGPIPE, on_pipe);
    result("send MSG_NOSIGNAL to a closed peer", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE so far: %d\n", pipes);
    result("write to a closed peer", write(sv[0], "x", 1));
    printf("SIGPIPE so far: %d\n", pipes);
    char buf[4];
    result("read from a closed peer", read(sv[0], buf, sizeof buf));
    close(sv[0]);

    int one = 1;
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    result("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
    int v = 0;
    socklen_t len = sizeof v;
    getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &len);
    printf("SO_PASSCRED reads %d\n", v);
    close(sv[0]);
    close(sv[1]);
    result("socket(AF_UNIX, 7)", socket(AF_UNIX, 7, 0));
    result("socket(AF_UNIX, SOCK_STREAM, 9)", socket(AF_UNIX, SOCK_STREAM, 9));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    strcpy(dir, "/tmp/unixsockXXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    named_stream();
    abstract_and_autobind();
    backlog();
    datagrams();
    seqpacket();
    rights();
    epipe();
    result("rmdir", rmdir(dir));
    return 0;
}
