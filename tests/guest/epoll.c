#define _GNU_SOURCE
/* epoll: level-triggered, EPOLLET and EPOLLONESHOT items, EPOLL_CTL_MOD/DEL and
 * their errors, eventfd/timerfd/pipe items, nested instances, threads waking
 * each other through an epoll instance, and signals ending epoll_pwait. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int ep, efd, p[2];

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static int cmp(const void *a, const void *b) {
    const struct epoll_event *x = a, *y = b;
    return x->data.u64 < y->data.u64 ? -1 : x->data.u64 > y->data.u64;
}

/* Waits and prints the events sorted by their data (Linux orders them by the
 * time they became ready). */
static void wait_show(const char *what, int fd, int timeout) {
    struct epoll_event ev[8];
    int n = epoll_wait(fd, ev, 8, timeout);
    printf("%s: %d", what, n);
    if (n < 0) printf(" %s", strerror(errno));
    if (n > 0) qsort(ev, (size_t)n, sizeof ev[0], cmp);
    for (int i = 0; i < n; i++) printf(" {%llu %#x}", (unsigned long long)ev[i].data.u64, ev[i].events);
    printf("\n");
}

static int add(int epfd, int fd, uint32_t events, uint64_t data) {
    struct epoll_event e = {.events = events, .data.u64 = data};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e);
}

static void err(const char *what, int r) { printf("%s: %d %s\n", what, r, r < 0 ? strerror(errno) : "ok"); }

static void *waiter(void *arg) {
    (void)arg;
    struct epoll_event ev;
    int n = epoll_wait(ep, &ev, 1, -1);
    uint64_t v = 0;
    read(efd, &v, sizeof v);
    printf("thread woke: %d data %llu counter %llu\n", n, (unsigned long long)ev.data.u64, (unsigned long long)v);
    write(p[1], "r", 1);
    return NULL;
}

static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }

int main(void) {
    ep = epoll_create1(EPOLL_CLOEXEC);
    printf("cloexec: %d\n", (fcntl(ep, F_GETFD) & FD_CLOEXEC) != 0);
    err("epoll_create1 bad flags", epoll_create1(1));
    pipe(p);
    err("add pipe (level)", add(ep, p[0], EPOLLIN, 1));
    wait_show("empty", ep, 0);
    write(p[1], "a", 1);
    wait_show("readable", ep, 0);
    wait_show("still readable (level)", ep, 0);

    int q[2];
    pipe(q);
    err("add pipe (edge)", add(ep, q[0], EPOLLIN | EPOLLET, 2));
    write(q[1], "b", 1);
    wait_show("edge: first", ep, 0);
    wait_show("edge: no new data", ep, 0);
    write(q[1], "c", 1);
    wait_show("edge: new data", ep, 0);

    int o[2];
    pipe(o);
    err("add pipe (oneshot)", add(ep, o[0], EPOLLIN | EPOLLONESHOT, 3));
    write(o[1], "d", 1);
    wait_show("oneshot: first", ep, 0);
    wait_show("oneshot: disarmed", ep, 0);
    struct epoll_event e = {.events = EPOLLIN, .data.u64 = 33};
    err("mod re-arms", epoll_ctl(ep, EPOLL_CTL_MOD, o[0], &e));
    wait_show("oneshot: re-armed", ep, 0);

    err("add twice", add(ep, p[0], EPOLLIN, 1));
    e.data.u64 = 9;
    err("mod missing", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &e));
    err("del missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    err("add itself", add(ep, ep, EPOLLIN, 0));
    err("add closed fd", add(ep, 77, EPOLLIN, 0));
    err("bad op", epoll_ctl(ep, 9, p[0], &e));
    err("not an epoll fd", add(p[0], q[0], EPOLLIN, 0));
    int file = open("epoll.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    err("regular file", add(ep, file, EPOLLIN, 0));
    close(file);
    unlink("epoll.tmp");
    struct epoll_event ev[2];
    err("maxevents 0", epoll_wait(ep, ev, 0, 0));

    err("del level pipe", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
    err("del edge pipe", epoll_ctl(ep, EPOLL_CTL_DEL, q[0], NULL));
    wait_show("after deletes", ep, 0);
    err("del oneshot pipe", epoll_ctl(ep, EPOLL_CTL_DEL, o[0], NULL));
    char buf[16];
    read(p[0], buf, sizeof buf);

    /* Write ends, hang-ups. */
    err("add write end", add(ep, q[1], EPOLLOUT, 4));
    wait_show("writable", ep, 0);
    close(q[0]);
    wait_show("reader gone", ep, 0);
    close(q[1]);
    wait_show("closed fds leave the set", ep, 0);
    err("add read end", add(ep, o[0], EPOLLIN, 5));
    read(o[0], buf, sizeof buf);
    close(o[1]);
    wait_show("writer gone", ep, 0);
    err("del", epoll_ctl(ep, EPOLL_CTL_DEL, o[0], NULL));
    close(o[0]);

    /* eventfd and timerfd items; several ready at once. */
    efd = eventfd(0, EFD_NONBLOCK);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    err("add eventfd", add(ep, efd, EPOLLIN, 6));
    err("add timerfd", add(ep, tfd, EPOLLIN, 7));
    wait_show("nothing yet", ep, 0);
    struct itimerspec its = {{0, 0}, {0, 30000000}};
    timerfd_settime(tfd, 0, &its, NULL);
    wait_show("timer fires", ep, -1);
    uint64_t v;
    printf("timer read: %zd %llu\n", read(tfd, &v, sizeof v), (unsigned long long)v);
    v = 5;
    write(efd, &v, sizeof v);
    its.it_value.tv_nsec = 1000000;
    timerfd_settime(tfd, 0, &its, NULL);
    nap(20);
    wait_show("both", ep, 0);
    read(tfd, &v, sizeof v);
    read(efd, &v, sizeof v);
    wait_show("both read", ep, 0);

    /* Nested instances. */
    int outer = epoll_create1(0);
    err("add inner", add(outer, ep, EPOLLIN, 8));
    err("loop", add(ep, outer, EPOLLIN, 0));
    wait_show("outer idle", outer, 0);
    v = 1;
    write(efd, &v, sizeof v);
    wait_show("outer sees inner", outer, 0);
    read(efd, &v, sizeof v);
    close(outer);

    /* A thread waits on the instance; the main thread wakes it and waits for the
     * reply on a pipe. */
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    nap(20);
    v = 42;
    write(efd, &v, sizeof v);
    int reply = epoll_create1(0);
    add(reply, p[0], EPOLLIN, 10);
    wait_show("main woke", reply, -1);
    pthread_join(t, NULL);
    read(p[0], buf, sizeof buf);

    /* epoll_pwait: a pending signal its mask unblocks ends the wait. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigemptyset(&empty);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    errno = 0;
    int r = epoll_pwait(reply, ev, 2, -1, &empty);
    printf("epoll_pwait: %d %s, handler got %d\n", r, strerror(errno), got);
    r = epoll_pwait(reply, ev, 2, 10, &block);
    printf("epoll_pwait timeout: %d\n", r);
    return 0;
}
