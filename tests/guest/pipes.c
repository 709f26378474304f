#define _GNU_SOURCE
/* Pipes between threads: a writer thread streams 1 MiB through a pipe (more than
 * the pipe holds, so both sides wait on each other), EOF after the write end
 * closes, O_NONBLOCK gives EAGAIN, writing with no reader gives EPIPE + SIGPIPE,
 * dup'ed write ends keep the pipe open. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fds[2];

static void *writer(void *arg) {
    (void)arg;
    static unsigned char chunk[4096];
    for (int i = 0; i < 256; i++) {
        memset(chunk, i, sizeof chunk);
        size_t off = 0;
        while (off < sizeof chunk) {
            ssize_t n = write(fds[1], chunk + off, sizeof chunk - off);
            if (n < 0) return (void *)1;
            off += (size_t)n;
        }
    }
    close(fds[1]);
    return NULL;
}

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int sig) { got_sigpipe = sig; }

int main(void) {
    if (pipe(fds) != 0) return 1;
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    unsigned long total = 0, sum = 0;
    unsigned char buf[3000];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        total += (unsigned long)n;
        for (ssize_t i = 0; i < n; i++) sum += buf[i];
    }
    void *r;
    pthread_join(t, &r);
    printf("read %lu bytes, checksum %lu, last read %zd, writer %s\n", total, sum, n, r ? "failed" : "ok");
    close(fds[0]);

    int p2[2];
    pipe2(p2, O_NONBLOCK | O_CLOEXEC);
    errno = 0;
    n = read(p2[0], buf, 10);
    printf("nonblocking empty read: %zd %s\n", n, errno == EAGAIN ? "EAGAIN" : "other");
    printf("cloexec set: %s\n", (fcntl(p2[0], F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    int extra = dup(p2[1]);
    close(p2[1]);
    write(extra, "hi", 2);
    close(extra);
    n = read(p2[0], buf, 10);
    printf("after dup'ed end wrote and closed: read %zd, then %zd\n", n, read(p2[0], buf, 10));
    close(p2[0]);

    int p3[2];
    pipe(p3);
    close(p3[0]);
    signal(SIGPIPE, on_sigpipe);
    errno = 0;
    n = write(p3[1], "x", 1);
    printf("write without reader: %zd %s, SIGPIPE caught: %s\n", n, errno == EPIPE ? "EPIPE" : "other",
           got_sigpipe == SIGPIPE ? "yes" : "no");
    return 0;
}
