/* alarm: SIGALRM from alarm() and setitimer(ITIMER_REAL). A busy loop is
 * interrupted by the handler; nanosleep, sleep, pause and sigsuspend are cut
 * short (EINTR, time left reported); a periodic timer fires repeatedly and
 * getitimer reports it; alarm(0) cancels and returns the seconds left; an
 * unhandled SIGALRM ends the process with status 142. Only coarse facts are
 * printed, so timing noise cannot change the output. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    alarms++;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct timespec t0;

    /* Busy loop until the handler runs. */
    struct itimerval it = {.it_value = {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long spins = 0;
    while (!alarms)
        spins++;
    printf("busy loop interrupted: alarms %d, took under 5 s: %d\n", alarms,
           since(&t0) < 5.0);

    /* nanosleep cut short. */
    alarms = 0;
    it.it_value.tv_usec = 100000;
    setitimer(ITIMER_REAL, &it, NULL);
    struct timespec req = {10, 0}, rem = {0, 0};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = nanosleep(&req, &rem);
    printf("nanosleep: %d EINTR %d alarms %d, remaining between 5 and 10 s: %d, "
           "slept under 5 s: %d\n",
           r, r == -1 && errno == EINTR, alarms, rem.tv_sec >= 5 && rem.tv_sec < 10,
           since(&t0) < 5.0);

    /* sleep() returns the seconds left. */
    alarms = 0;
    alarm(1);
    unsigned left = sleep(30);
    printf("sleep(30) with alarm(1): left between 20 and 29: %d, alarms %d\n",
           left >= 20 && left <= 29, alarms);

    /* pause() returns -1/EINTR after the handler. */
    alarms = 0;
    it.it_value.tv_usec = 20000;
    setitimer(ITIMER_REAL, &it, NULL);
    r = pause();
    printf("pause: %d EINTR %d alarms %d\n", r, r == -1 && errno == EINTR, alarms);

    /* sigsuspend with SIGALRM blocked outside. */
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, NULL);
    alarms = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    r = sigsuspend(&none);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("sigsuspend: %d EINTR %d alarms %d, ALRM blocked again %d\n", r,
           r == -1 && errno == EINTR, alarms, sigismember(&cur, SIGALRM));
    sigprocmask(SIG_UNBLOCK, &block, NULL);

    /* Periodic timer. */
    alarms = 0;
    struct itimerval per = {.it_interval = {0, 10000}, .it_value = {0, 10000}};
    setitimer(ITIMER_REAL, &per, NULL);
    struct itimerval now;
    getitimer(ITIMER_REAL, &now);
    printf("getitimer: interval %ld us, value within it %d\n", (long)now.it_interval.tv_usec,
           now.it_value.tv_sec == 0 && now.it_value.tv_usec <= 10000);
    while (alarms < 5) {
        struct timespec nap = {1, 0};
        nanosleep(&nap, NULL);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &now);
    printf("periodic: at least 5 alarms %d, old interval %ld us\n", alarms >= 5,
           (long)now.it_interval.tv_usec);

    /* alarm(0) cancels and reports the seconds left. */
    alarm(100);
    unsigned prev = alarm(0);
    printf("alarm(0) after alarm(100): %u in [99, 100]: %d\n", prev >= 99 ? 100 : prev,
           prev >= 99 && prev <= 100);
    getitimer(ITIMER_REAL, &now);
    printf("disarmed: %d\n", now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0);

    /* Default action: terminate with status 142. */
    signal(SIGALRM, SIG_DFL);
    alarm(1);
    puts("waiting for the default SIGALRM");
    for (;;)
        pause();
}
