// UDP over loopback: sendto/recvfrom with sender addresses, MSG_PEEK,
// truncation (MSG_TRUNC in and out), sendmsg/recvmsg with several iovecs,
// connected UDP, readiness, and the errors of unconnected sockets. No port
// numbers are printed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void check(const char *what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s: %ld\n", what, r);
}

static int bound_socket(struct sockaddr_in *addr) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0)
        printf("bind: %s\n", strerrorname_np(errno));
    socklen_t len = sizeof *addr;
    getsockname(s, (struct sockaddr *)addr, &len);
    return s;
}

int main(void) {
    struct sockaddr_in a1, a2, from;
    int s1 = bound_socket(&a1);
    int s2 = bound_socket(&a2);
    int v = -1;
    socklen_t vlen = sizeof v;
    getsockopt(s1, SOL_SOCKET, SO_TYPE, &v, &vlen);
    printf("SO_TYPE: %d\n", v);
    printf("distinct ports: %d\n", a1.sin_port != a2.sin_port && a1.sin_port && a2.sin_port);

    check("recv MSG_DONTWAIT empty", recv(s1, &v, sizeof v, MSG_DONTWAIT));
    struct pollfd p = {.fd = s1, .events = POLLIN | POLLOUT};
    check("poll empty", poll(&p, 1, 0));
    printf("revents empty: %#x\n", p.revents);

    check("sendto", sendto(s2, "hello", 5, 0, (struct sockaddr *)&a1, sizeof a1));
    p.events = POLLIN;
    check("poll data", poll(&p, 1, 5000));
    printf("revents data: %#x\n", p.revents);
    char buf[64] = {0};
    socklen_t flen = sizeof from;
    check("recvfrom", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("got %s from %s len=%u right-port=%d\n", buf, inet_ntoa(from.sin_addr), flen,
           from.sin_port == a2.sin_port);

    // Peek leaves the datagram for the next receive.
    sendto(s2, "peek!", 5, 0, (struct sockaddr *)&a1, sizeof a1);
    memset(buf, 0, sizeof buf);
    check("recv MSG_PEEK", recv(s1, buf, 3, MSG_PEEK));
    printf("peeked: %s\n", buf);
    memset(buf, 0, sizeof buf);
    flen = sizeof from;
    check("recvfrom after peek", recvfrom(s1, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("got %s right-port=%d\n", buf, from.sin_port == a2.sin_port);

    // A short buffer drops the rest of the datagram; MSG_TRUNC tells its size.
    sendto(s2, "0123456789", 10, 0, (struct sockaddr *)&a1, sizeof a1);
    sendto(s2, "abcdefghij", 10, 0, (struct sockaddr *)&a1, sizeof a1);
    memset(buf, 0, sizeof buf);
    check("recv short", recv(s1, buf, 4, 0));
    printf("short: %s\n", buf);
    memset(buf, 0, sizeof buf);
    check("recv MSG_TRUNC", recv(s1, buf, 4, MSG_TRUNC));
    printf("truncated: %s\n", buf);

    // Scatter and gather.
    struct iovec out[2] = {{"ab", 2}, {"cde", 3}};
    struct msghdr m = {.msg_name = &a1, .msg_namelen = sizeof a1, .msg_iov = out, .msg_iovlen = 2};
    check("sendmsg", sendmsg(s2, &m, 0));
    char x[1], y[2], z[8] = {0};
    struct iovec in[3] = {{x, 1}, {y, 2}, {z, sizeof z}};
    struct msghdr r = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = in, .msg_iovlen = 3};
    memset(&from, 0, sizeof from);
    check("recvmsg", recvmsg(s1, &r, 0));
    printf("parts: %.1s %.2s %s namelen=%u flags=%#x right-port=%d\n", x, y, z, r.msg_namelen,
           r.msg_flags, from.sin_port == a2.sin_port);
    sendto(s2, "0123456789", 10, 0, (struct sockaddr *)&a1, sizeof a1);
    struct iovec one = {z, 4};
    struct msghdr t = {.msg_iov = &one, .msg_iovlen = 1};
    check("recvmsg truncated", recvmsg(s1, &t, 0));
    printf("msg_flags MSG_TRUNC: %d\n", (t.msg_flags & MSG_TRUNC) != 0);

    // Connected UDP: send without an address, peer name known.
    check("send unconnected", send(s1, "x", 1, 0));
    socklen_t plen = sizeof from;
    check("getpeername unconnected", getpeername(s1, (struct sockaddr *)&from, &plen));
    check("connect", connect(s2, (struct sockaddr *)&a1, sizeof a1));
    plen = sizeof from;
    check("getpeername", getpeername(s2, (struct sockaddr *)&from, &plen));
    printf("peer right-port=%d\n", from.sin_port == a1.sin_port);
    check("send connected", send(s2, "conn", 4, 0));
    check("write connected", write(s2, "wr", 2));
    memset(buf, 0, sizeof buf);
    check("read", read(s1, buf, sizeof buf));
    printf("read: %s\n", buf);
    memset(buf, 0, sizeof buf);
    check("recv", recv(s1, buf, sizeof buf, 0));
    printf("recv: %s\n", buf);

    // Empty datagrams are datagrams too.
    check("sendto empty", sendto(s1, "", 0, 0, (struct sockaddr *)&a2, sizeof a2));
    check("recv empty", recv(s2, buf, sizeof buf, 0));

    check("sendto bad address length", sendto(s1, "x", 1, 0, (struct sockaddr *)&a2, 3));
    check("sendto bad address", sendto(s1, "x", 1, 0, (struct sockaddr *)8, sizeof a2));
    check("listen on UDP", listen(s1, 1));
    check("shutdown unconnected", shutdown(s1, SHUT_RDWR));
    close(s1);
    close(s2);
    return 0;
}
