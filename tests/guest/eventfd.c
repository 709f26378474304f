#define _GNU_SOURCE
/* eventfd counters (EFD_SEMAPHORE, EFD_NONBLOCK, overflow), timerfd timers
 * (relative and absolute, both clocks, intervals, expiration counts, gettime),
 * and signalfd reads of blocked pending signals. Only deterministic facts are
 * printed: exact counts where enough time has passed, "at least" otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static int efd;

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void rd(const char *what, int fd) {
    uint64_t v = 0;
    errno = 0;
    ssize_t n = read(fd, &v, sizeof v);
    printf("%s: %zd", what, n);
    if (n < 0) printf(" %s\n", strerror(errno));
    else printf(" value %llu\n", (unsigned long long)v);
}

static void wr(const char *what, int fd, uint64_t v) {
    errno = 0;
    ssize_t n = write(fd, &v, sizeof v);
    printf("%s: %zd %s\n", what, n, n < 0 ? strerror(errno) : "ok");
}

static void *late_writer(void *arg) {
    (void)arg;
    nap(20);
    uint64_t v = 7;
    write(efd, &v, sizeof v);
    return NULL;
}

int main(void) {
    struct timespec start[2];
    clock_gettime(CLOCK_MONOTONIC, &start[0]);
    clock_gettime(CLOCK_REALTIME, &start[1]);
    /* Counters. */
    efd = eventfd(3, 0);
    rd("initial", efd);
    wr("write 5", efd, 5);
    wr("write 7", efd, 7);
    rd("sum", efd);
    pthread_t t;
    pthread_create(&t, NULL, late_writer, NULL);
    rd("blocking read woken by a thread", efd);
    pthread_join(t, NULL);
    char small[4];
    errno = 0;
    printf("short read: %zd %s\n", read(efd, small, 4), strerror(errno));
    close(efd);

    int nb = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    printf("flags: nonblock %d cloexec %d\n", (fcntl(nb, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(nb, F_GETFD) & FD_CLOEXEC) != 0);
    rd("empty nonblocking", nb);
    wr("write all ones", nb, UINT64_MAX);
    wr("write max", nb, UINT64_MAX - 1);
    wr("overflow", nb, 1);
    struct pollfd f = {nb, POLLIN | POLLOUT, 0};
    printf("poll full: %d %#x\n", poll(&f, 1, 0), f.revents);
    rd("read max", nb);
    printf("poll empty: %d %#x\n", poll(&f, 1, 0), f.revents);
    close(nb);

    int sem = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
    rd("semaphore", sem);
    rd("semaphore", sem);
    rd("semaphore", sem);
    rd("semaphore empty", sem);
    close(sem);
    printf("bad flags: %d %s\n", eventfd(0, 0x100), strerror(errno));

    /* Timers. */
    int tm = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {0, 20000000}}, cur;
    timerfd_settime(tm, 0, &its, NULL);
    rd("one-shot (blocking)", tm);
    timerfd_gettime(tm, &cur);
    printf("disarmed after firing: %ld %ld %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec,
           (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);

    its = (struct itimerspec){{0, 10000000}, {0, 10000000}};
    timerfd_settime(tm, 0, &its, NULL);
    timerfd_gettime(tm, &cur);
    printf("interval armed: interval %ld.%09ld, value set %d\n", (long)cur.it_interval.tv_sec,
           cur.it_interval.tv_nsec, cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0);
    nap(65);
    uint64_t v = 0;
    read(tm, &v, sizeof v);
    printf("interval: at least 5 expirations: %d\n", v >= 5);
    read(tm, &v, sizeof v);
    printf("interval: the next read waits for 1 or more: %d\n", v >= 1);
    struct itimerspec old;
    its = (struct itimerspec){{0, 0}, {0, 0}};
    timerfd_settime(tm, 0, &its, &old);
    printf("old interval %ld.%09ld\n", (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
    timerfd_gettime(tm, &cur);
    printf("disarmed: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
    close(tm);

    /* Absolute times on both clocks. */
    int clocks[2] = {CLOCK_MONOTONIC, CLOCK_REALTIME};
    for (int i = 0; i < 2; i++) {
        int fd = timerfd_create(clocks[i], TFD_NONBLOCK);
        struct timespec now;
        clock_gettime(clocks[i], &now);
        its = (struct itimerspec){{0, 0}, now};
        its.it_value.tv_nsec += 30000000;
        if (its.it_value.tv_nsec >= 1000000000) {
            its.it_value.tv_sec++;
            its.it_value.tv_nsec -= 1000000000;
        }
        timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
        rd(i ? "realtime absolute, not yet" : "monotonic absolute, not yet", fd);
        f = (struct pollfd){fd, POLLIN, 0};
        printf("poll until it fires: %d %#x\n", poll(&f, 1, 2000), f.revents);
        rd("absolute one-shot", fd);
        /* A time in the past fires at once. (MVVM's monotonic clock starts near
         * zero, so the past is the start of main, not a fixed time ago.) */
        its = (struct itimerspec){{10, 0}, start[i]};
        timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
        rd("absolute in the past", fd);
        if (clocks[i] == CLOCK_REALTIME) {
            /* 120 ms ago with a 100 ms interval: two expirations. */
            clock_gettime(clocks[i], &now);
            its = (struct itimerspec){{0, 100000000}, {now.tv_sec - 1, now.tv_nsec + 880000000}};
            if (its.it_value.tv_nsec >= 1000000000) {
                its.it_value.tv_sec++;
                its.it_value.tv_nsec -= 1000000000;
            }
            timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
            rd("120 ms ago, 100 ms interval", fd);
        }
        close(fd);
    }
    errno = 0;
    printf("bad clock: %d %s\n", timerfd_create(99, 0), strerror(errno));
    errno = 0;
    printf("settime on an eventfd: %d %s\n", timerfd_settime(efd = eventfd(0, 0), 0, &its, NULL),
           strerror(errno));

    /* signalfd. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
    struct signalfd_siginfo si[4];
    errno = 0;
    printf("nothing pending: %zd %s\n", read(sfd, si, sizeof si), strerror(errno));
    f = (struct pollfd){sfd, POLLIN, 0};
    printf("poll idle: %d\n", poll(&f, 1, 0));
    /* Linux dequeues signals sent to the thread before those sent to the
     * process, and MVVM keeps one pending set: raise both for a stable order. */
    raise(SIGUSR2);
    raise(SIGUSR1);
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 1234});
    printf("poll pending: %d %#x\n", poll(&f, 1, 0), f.revents);
    ssize_t n = read(sfd, si, sizeof si);
    printf("read %zd bytes\n", n);
    for (int i = 0; i < n / (ssize_t)sizeof si[0]; i++)
        printf("  signo %u code %d own pid %d own uid %d int %d\n", si[i].ssi_signo, si[i].ssi_code,
               si[i].ssi_pid == (uint32_t)getpid(), si[i].ssi_uid == getuid(), si[i].ssi_int);
    kill(getpid(), SIGUSR1);
    n = read(sfd, si, sizeof si);
    printf("kill: read %zd bytes, signo %u code %d\n", n, si[0].ssi_signo, si[0].ssi_code);
    errno = 0;
    printf("short buffer: %zd %s\n", read(sfd, si, 10), strerror(errno));
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR2);
    printf("new mask: %d\n", signalfd(sfd, &one, 0) == sfd);
    raise(SIGUSR1);
    raise(SIGUSR2);
    n = read(sfd, si, sizeof si);
    printf("read %zd bytes, signo %u\n", n, si[0].ssi_signo);
    sigset_t pending;
    sigpending(&pending);
    printf("USR1 still pending: %d\n", sigismember(&pending, SIGUSR1));
    return 0;
}
