/* posix_timer: timer_create with SIGEV_SIGNAL (siginfo carries SI_TIMER and the
 * sigev value), SIGEV_NONE polled with timer_gettime, a periodic timer counted
 * by a handler, absolute CLOCK_MONOTONIC expiry, overruns while the signal is
 * blocked, SIGEV_THREAD (glibc's helper thread), deletion and errors. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t fired, code_ok, value;

static void on_alarm(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    fired++;
    code_ok = si->si_code == SI_TIMER;
    value = si->si_value.sival_int;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int thread_calls;

static void on_thread(union sigval v) {
    pthread_mutex_lock(&lock);
    thread_calls += v.sival_int;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static void result(const char *what, int r) {
    printf("%s: %s\n", what, r == 0 ? "ok" : strerror(errno));
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 2, &sa, NULL);

    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 2;
    ev.sigev_value.sival_int = 42;
    timer_t t;
    result("timer_create", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec its = {{0, 0}, {0, 20 * 1000 * 1000}};
    result("timer_settime 20ms", timer_settime(t, 0, &its, NULL));
    while (!fired)
        pause();
    printf("fired %d, SI_TIMER %d, value %d\n", fired, code_ok, value);
    struct itimerspec cur;
    timer_gettime(t, &cur);
    printf("disarmed after one shot: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    /* Periodic: 5 expiries of 10 ms. */
    fired = 0;
    its.it_interval.tv_nsec = its.it_value.tv_nsec = 10 * 1000 * 1000;
    timer_settime(t, 0, &its, NULL);
    while (fired < 5)
        pause();
    struct itimerspec off = {{0, 0}, {0, 0}};
    timer_settime(t, 0, &off, &cur);
    printf("periodic: at least 5 (%d), interval kept %d\n", fired >= 5,
           cur.it_interval.tv_nsec == 10 * 1000 * 1000);

    /* Overruns: block the signal over several periods. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    its.it_interval.tv_nsec = its.it_value.tv_nsec = 5 * 1000 * 1000;
    timer_settime(t, 0, &its, NULL);
    struct timespec nap = {0, 60 * 1000 * 1000};
    nanosleep(&nap, NULL);
    fired = 0;
    int got;
    siginfo_t si;
    got = sigwaitinfo(&set, &si);
    printf("sigwaitinfo: signal ok %d, overrun > 0 %d, getoverrun > 0 %d\n",
           got == SIGRTMIN + 2, si.si_overrun > 0, timer_getoverrun(t) > 0);
    timer_settime(t, 0, &off, NULL);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    /* Absolute expiry on CLOCK_MONOTONIC. */
    fired = 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct itimerspec abs = {{0, 0}, {now.tv_sec, now.tv_nsec + 15 * 1000 * 1000}};
    if (abs.it_value.tv_nsec >= 1000000000) {
        abs.it_value.tv_sec++;
        abs.it_value.tv_nsec -= 1000000000;
    }
    timer_settime(t, TIMER_ABSTIME, &abs, NULL);
    while (!fired)
        pause();
    printf("absolute: fired %d\n", fired);
    result("timer_delete", timer_delete(t));
    result("timer_delete again", timer_delete(t));

    /* SIGEV_NONE: nothing is sent; the time left still runs down. */
    ev.sigev_notify = SIGEV_NONE;
    timer_t quiet;
    timer_create(CLOCK_REALTIME, &ev, &quiet);
    its.it_interval.tv_nsec = 0;
    its.it_value.tv_sec = 5;
    its.it_value.tv_nsec = 0;
    timer_settime(quiet, 0, &its, NULL);
    timer_gettime(quiet, &cur);
    printf("SIGEV_NONE armed: %d\n", cur.it_value.tv_sec <= 5 && (cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0));
    timer_delete(quiet);

    /* SIGEV_THREAD: glibc runs the function on its own thread. */
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread;
    ev.sigev_value.sival_int = 1;
    timer_t threaded;
    result("timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &ev, &threaded));
    its.it_value.tv_sec = 0;
    its.it_value.tv_nsec = 10 * 1000 * 1000;
    timer_settime(threaded, 0, &its, NULL);
    pthread_mutex_lock(&lock);
    while (thread_calls == 0)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    printf("SIGEV_THREAD calls: %d\n", thread_calls);
    timer_delete(threaded);

    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    result("bad signal", timer_create(CLOCK_MONOTONIC, &ev, &t));
    result("bad clock", timer_create(12345, NULL, &t));
    return 0;
}
