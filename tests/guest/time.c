/* time: clocks and calendar - CLOCK_MONOTONIC never goes backwards and
 * advances across a nanosleep of 10 ms by at least 10 ms, CLOCK_REALTIME /
 * gettimeofday / time agree and are after 2020, CLOCK_PROCESS_CPUTIME_ID
 * advances with work, clock_getres is sane; gmtime/timegm of fixed epochs,
 * strftime in the C locale, and localtime under a POSIX TZ string. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double ts_diff(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

int main(void)
{
    struct timespec prev, now;
    clock_gettime(CLOCK_MONOTONIC, &prev);
    int backwards = 0;
    for (int i = 0; i < 10000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec < prev.tv_sec || (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec))
            backwards++;
        prev = now;
    }
    printf("monotonic went backwards: %d times in 10000 reads\n", backwards);
    printf("tv_nsec in range: %s\n", now.tv_nsec >= 0 && now.tv_nsec < 1000000000 ? "yes" : "no");

    struct timespec before, after, req = {0, 10 * 1000 * 1000}, rem;
    clock_gettime(CLOCK_MONOTONIC, &before);
    int r = nanosleep(&req, &rem);
    clock_gettime(CLOCK_MONOTONIC, &after);
    double slept = ts_diff(before, after);
    printf("nanosleep(10 ms) returned %d, elapsed >= 10 ms: %s, < 5 s: %s\n", r, slept >= 0.010 ? "yes" : "no",
           slept < 5 ? "yes" : "no");
    clock_gettime(CLOCK_MONOTONIC, &before);
    req.tv_nsec = 5 * 1000 * 1000;
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &after);
    printf("clock_nanosleep(5 ms) returned %d, elapsed >= 5 ms: %s\n", r, ts_diff(before, after) >= 0.005 ? "yes" : "no");
    usleep(2000);
    printf("usleep returned\n");

    struct timespec rt;
    struct timeval tv;
    clock_gettime(CLOCK_REALTIME, &rt);
    gettimeofday(&tv, NULL);
    time_t t = time(NULL);
    printf("realtime after 2020-01-01: %s\n", rt.tv_sec > 1577836800 ? "yes" : "no");
    printf("gettimeofday within 2 s of realtime: %s, usec in range: %s\n",
           labs((long)(tv.tv_sec - rt.tv_sec)) <= 2 ? "yes" : "no", tv.tv_usec >= 0 && tv.tv_usec < 1000000 ? "yes" : "no");
    printf("time() within 2 s of realtime: %s\n", labs((long)(t - rt.tv_sec)) <= 2 ? "yes" : "no");

    struct timespec res;
    printf("clock_getres(MONOTONIC) ok: %s\n",
           clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000
               ? "yes"
               : "no");

    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 2000000; i++)
        spin += i;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    printf("process cpu time advanced: %s\n", ts_diff(c0, c1) > 0 ? "yes" : "no");
    printf("clock() non-negative: %s\n", clock() >= 0 ? "yes" : "no");

    const time_t epochs[] = {0, 86399, 951782400 /* 2000-02-29 */, 1700000000, 2147483647, 2147483648LL, -1,
                             4102444800LL /* 2100-01-01 */};
    for (int i = 0; i < 8; i++) {
        struct tm tm;
        char out[128];
        gmtime_r(&epochs[i], &tm);
        strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S %a %A %b %B %j %U %W %u %w %y %e %p %I %D %T %%", &tm);
        time_t back = timegm(&tm);
        printf("%lld -> %s | yday=%d wday=%d | timegm round trip: %s\n", (long long)epochs[i], out, tm.tm_yday,
               tm.tm_wday, back == epochs[i] ? "yes" : "no");
    }
    struct tm tm = {0};
    tm.tm_year = 124;
    tm.tm_mon = 1;
    tm.tm_mday = 29;
    tm.tm_hour = 12;
    tm.tm_min = 34;
    tm.tm_sec = 56;
    printf("timegm(2024-02-29 12:34:56) = %lld\n", (long long)timegm(&tm));
    char out[64];
    strftime(out, sizeof out, "%c", &tm);
    printf("strftime %%c: %s\n", out);
    printf("asctime: %s", asctime(&tm));

    /* A POSIX TZ string needs no zoneinfo files. */
    setenv("TZ", "XYZ-3", 1);
    tzset();
    time_t fixed = 1700000000;
    struct tm lt;
    localtime_r(&fixed, &lt);
    strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S %Z %z", &lt);
    printf("localtime with TZ=XYZ-3: %s, mktime round trip: %s\n", out, mktime(&lt) == fixed ? "yes" : "no");
    return 0;
}
