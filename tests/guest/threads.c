/* pthreads: create/join, mutex-protected counters, condition variables
 * (producer/consumer), a barrier, thread-local storage, pthread_once, detached
 * threads finishing before exit, per-thread tids, timed waits that time out. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define N 8
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value;
static pid_t tids[N];

static void *adder(void *arg) {
    long id = (long)arg;
    tls_value = (int)id * 10;
    tids[id] = (pid_t)syscall(SYS_gettid);
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 5000 == 0) sched_yield();
    }
    return (void *)(long)(tls_value + 1);
}

/* A bounded queue with two condition variables. */
static int queue[4], qhead, qlen;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static long consumed_sum;

static void *producer(void *arg) {
    (void)arg;
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&lock);
        while (qlen == 4) pthread_cond_wait(&not_full, &lock);
        queue[(qhead + qlen++) % 4] = i;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void *consumer(void *arg) {
    (void)arg;
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&lock);
        while (qlen == 0) pthread_cond_wait(&not_empty, &lock);
        consumed_sum += queue[qhead];
        qhead = (qhead + 1) % 4;
        qlen--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static pthread_barrier_t barrier;
static int arrived;
static void *barrier_worker(void *arg) {
    (void)arg;
    __atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
    int r = pthread_barrier_wait(&barrier);
    return (void *)(long)(r == PTHREAD_BARRIER_SERIAL_THREAD);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void init_once(void) { once_runs++; }
static void *once_worker(void *arg) {
    (void)arg;
    pthread_once(&once, init_once);
    return NULL;
}

static volatile int detached_done;
static void *detached(void *arg) {
    (void)arg;
    detached_done = 1;
    return NULL;
}

int main(void) {
    pthread_t t[N];
    long sum = 0;
    for (long i = 0; i < N; i++) pthread_create(&t[i], NULL, adder, (void *)i);
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (long)r;
    }
    printf("counter = %ld (expected %d)\n", counter, N * 20000);
    printf("sum of thread results = %ld\n", sum);
    int distinct = 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < i; j++) distinct &= tids[i] != tids[j];
    printf("thread ids distinct and not the pid: %s\n",
           distinct && tids[0] != getpid() ? "yes" : "no");

    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("consumed sum = %ld (expected %d)\n", consumed_sum, 1000 * 1001 / 2);

    pthread_barrier_init(&barrier, NULL, 5);
    pthread_t b[4];
    for (int i = 0; i < 4; i++) pthread_create(&b[i], NULL, barrier_worker, NULL);
    int serial = pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(b[i], &r);
        serial += (long)r;
    }
    printf("barrier: %d arrived, %d serial thread\n", arrived, serial);

    pthread_t o[4];
    for (int i = 0; i < 4; i++) pthread_create(&o[i], NULL, once_worker, NULL);
    for (int i = 0; i < 4; i++) pthread_join(o[i], NULL);
    printf("pthread_once ran %d time(s)\n", once_runs);

    pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&m2);
    int r = pthread_cond_timedwait(&cv, &m2, &ts);
    pthread_mutex_unlock(&m2);
    printf("timed wait: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "other");

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t d;
    pthread_create(&d, &attr, detached, NULL);
    while (!detached_done) sched_yield();
    printf("detached thread ran: yes\n");
    return 0;
}
