// Addresses: getaddrinfo for numeric hosts and for "localhost" (glibc reads
// /etc/hosts), getnameinfo, inet_pton/inet_ntop, and TCP over IPv6 loopback
// with IPV6_V6ONLY.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *host, const char *service, int family, int flags) {
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_STREAM, .ai_flags = flags};
    struct addrinfo *res;
    int r = getaddrinfo(host, service, &hints, &res);
    if (r != 0) {
        printf("getaddrinfo %s: %s\n", host, gai_strerror(r));
        return;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        char text[INET6_ADDRSTRLEN];
        unsigned port;
        if (ai->ai_family == AF_INET) {
            struct sockaddr_in *sa = (struct sockaddr_in *)ai->ai_addr;
            inet_ntop(AF_INET, &sa->sin_addr, text, sizeof text);
            port = ntohs(sa->sin_port);
        } else {
            struct sockaddr_in6 *sa = (struct sockaddr_in6 *)ai->ai_addr;
            inet_ntop(AF_INET6, &sa->sin6_addr, text, sizeof text);
            port = ntohs(sa->sin6_port);
        }
        printf("%s: family=%d type=%d proto=%d len=%u %s port %u\n", host, ai->ai_family,
               ai->ai_socktype, ai->ai_protocol, ai->ai_addrlen, text, port);
    }
    freeaddrinfo(res);
}

int main(void) {
    show("127.0.0.1", "80", AF_UNSPEC, AI_NUMERICHOST | AI_NUMERICSERV);
    show("::1", "8080", AF_INET6, AI_NUMERICHOST);
    show("localhost", "443", AF_INET, 0);
    show("not-an-address", "1", AF_UNSPEC, AI_NUMERICHOST);

    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(22)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    char host[64], serv[16];
    int r = getnameinfo((struct sockaddr *)&sa, sizeof sa, host, sizeof host, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV);
    printf("getnameinfo: %d %s %s\n", r, host, serv);

    const char *v6[] = {"::1", "fe80::1:2", "2001:db8::ff00:42:8329", "::ffff:10.1.2.3"};
    for (int i = 0; i < 4; i++) {
        struct in6_addr a;
        char text[INET6_ADDRSTRLEN];
        printf("inet_pton %s: %d", v6[i], inet_pton(AF_INET6, v6[i], &a));
        printf(" -> %s\n", inet_ntop(AF_INET6, &a, text, sizeof text));
    }

    // TCP over ::1 in one thread: a listener, a connect, accept, a byte each way.
    int ls = socket(AF_INET6, SOCK_STREAM, 0);
    int on = 1;
    printf("IPV6_V6ONLY: %d\n", setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on));
    int v = -1;
    socklen_t vlen = sizeof v;
    getsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &v, &vlen);
    printf("IPV6_V6ONLY read back: %d\n", v);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    if (bind(ls, (struct sockaddr *)&a6, sizeof a6) < 0) {
        printf("bind ::1: %s\n", strerrorname_np(errno));
        return 0;
    }
    listen(ls, 1);
    socklen_t len = sizeof a6;
    getsockname(ls, (struct sockaddr *)&a6, &len);
    char text[INET6_ADDRSTRLEN];
    printf("bound: len=%u family=%d %s\n", len, a6.sin6_family,
           inet_ntop(AF_INET6, &a6.sin6_addr, text, sizeof text));
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    printf("connect: %d\n", connect(c, (struct sockaddr *)&a6, sizeof a6));
    struct sockaddr_in6 peer;
    len = sizeof peer;
    int s = accept(ls, (struct sockaddr *)&peer, &len);
    printf("accept: %d len=%u %s\n", s >= 0, len,
           inet_ntop(AF_INET6, &peer.sin6_addr, text, sizeof text));
    char b = 0;
    printf("exchange: %zd %zd", write(c, "Q", 1), read(s, &b, 1));
    printf(" %c", b);
    printf(" %zd %zd %c\n", write(s, "R", 1), read(c, &b, 1), b);
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    printf("connect v4 address on v6 socket: %d %s\n",
           connect(socket(AF_INET6, SOCK_STREAM, 0), (struct sockaddr *)&v4, sizeof v4),
           strerrorname_np(errno));
    close(c);
    close(s);
    close(ls);
    return 0;
}
