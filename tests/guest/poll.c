#define _GNU_SOURCE
/* poll/ppoll/select on pipes and files: readiness, timeouts, POLLHUP on a
 * closed write end, POLLERR on a closed read end, POLLNVAL, a thread waking a
 * poller, and signals ending a wait with EINTR. (Sockets: socketpair.c and
 * unix_sock.c; this program stays free of them because tests/snapshot.rs
 * pauses it, and snapshots refuse AF_UNIX sockets.) */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int p[2];

static void nap(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void *late_writer(void *arg) {
    (void)arg;
    nap(30);
    write(p[1], "x", 1);
    return NULL;
}

static volatile sig_atomic_t got;
static void on_signal(int sig) { got = sig; }

static void show(const char *what, int r, struct pollfd *f, int n) {
    printf("%s: %d", what, r);
    if (r < 0) printf(" %s", strerror(errno));
    for (int i = 0; i < n; i++) printf(" [%d]=%#x", i, f[i].revents);
    printf("\n");
}

int main(void) {
    pipe(p);
    struct pollfd f[4] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    show("empty pipe", poll(f, 2, 0), f, 2);
    write(p[1], "ab", 2);
    show("after write", poll(f, 2, 0), f, 2);
    f[0].events = POLLIN | POLLOUT;
    show("read end asked for POLLOUT too", poll(f, 1, 0), f, 1);
    f[0].events = POLLIN;
    char buf[16];
    read(p[0], buf, sizeof buf);
    show("drained, 40 ms timeout", poll(f, 1, 40), f, 1);

    /* A thread makes the pipe readable while poll waits without a timeout. */
    pthread_t t;
    pthread_create(&t, NULL, late_writer, NULL);
    show("woken by thread", poll(f, 1, -1), f, 1);
    pthread_join(t, NULL);
    read(p[0], buf, sizeof buf);

    /* ppoll with a timeout that passes. */
    struct timespec ts = {0, 20000000};
    show("ppoll timeout", ppoll(f, 1, &ts, NULL), f, 1);

    /* Hang-up and errors. */
    write(p[1], "z", 1);
    close(p[1]);
    show("data + writer closed", poll(f, 1, 0), f, 1);
    read(p[0], buf, sizeof buf);
    show("writer closed", poll(f, 1, 0), f, 1);
    close(p[0]);
    pipe(p);
    close(p[0]);
    f[0] = (struct pollfd){p[1], POLLOUT, 0};
    show("reader closed", poll(f, 1, 0), f, 1);
    close(p[1]);

    /* Bad and negative descriptors. */
    f[0] = (struct pollfd){p[1], POLLIN, 0};
    f[1] = (struct pollfd){-1, POLLIN, 0x55};
    f[2] = (struct pollfd){1, POLLOUT, 0};
    show("closed fd, negative fd, stdout", poll(f, 3, 0), f, 3);

    /* A regular file is always ready. */
    int file = open("poll.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    f[0] = (struct pollfd){file, POLLIN | POLLOUT | POLLPRI, 0};
    show("regular file", poll(f, 1, 0), f, 1);

    /* select. */
    pipe(p);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    FD_SET(file, &rd);
    int maxfd = (p[1] > file ? p[1] : file) + 1;
    struct timeval tv = {0, 0};
    int r = select(maxfd, &rd, &wr, NULL, &tv);
    printf("select: %d read pipe %d read file %d write pipe %d\n", r, FD_ISSET(p[0], &rd),
           FD_ISSET(file, &rd), FD_ISSET(p[1], &wr));
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv = (struct timeval){0, 30000};
    r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    printf("select timeout: %d set %d\n", r, FD_ISSET(p[0], &rd));
    pthread_create(&t, NULL, late_writer, NULL);
    FD_SET(p[0], &rd);
    r = select(p[0] + 1, &rd, NULL, NULL, NULL);
    printf("select woken by thread: %d set %d\n", r, FD_ISSET(p[0], &rd));
    pthread_join(t, NULL);
    read(p[0], buf, sizeof buf);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    FD_SET(40, &rd);
    tv = (struct timeval){0, 0};
    errno = 0;
    r = select(41, &rd, NULL, NULL, &tv);
    printf("select with a closed fd: %d %s\n", r, strerror(errno));
    struct timespec zero = {0, 0};
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    r = pselect(p[0] + 1, &rd, NULL, NULL, &zero, NULL);
    printf("pselect empty: %d\n", r);

    /* Signals: a pending blocked signal ends ppoll once its mask lets it through. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, empty, old;
    sigemptyset(&block);
    sigemptyset(&empty);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    f[0] = (struct pollfd){p[0], POLLIN, 0};
    errno = 0;
    r = ppoll(f, 1, NULL, &empty);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("ppoll with unblocking mask: %d %s, handler got %d, USR1 blocked again %d\n", r,
           strerror(errno), got, sigismember(&now, SIGUSR1));
    got = 0;
    raise(SIGUSR1);
    ts = (struct timespec){0, 10000000};
    r = ppoll(f, 1, &ts, &block);
    printf("ppoll with blocking mask: %d, handler got %d\n", r, got);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("after unblocking: handler got %d\n", got);

    /* An interval timer's signal interrupts a wait with no timeout. */
    got = 0;
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    errno = 0;
    r = poll(f, 1, -1);
    printf("poll interrupted: %d %s, handler got %d\n", r, strerror(errno), got);
    got = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    errno = 0;
    r = select(p[0] + 1, &rd, NULL, NULL, NULL);
    printf("select interrupted: %d %s, handler got %d\n", r, strerror(errno), got);

    unlink("poll.tmp");
    return 0;
}
