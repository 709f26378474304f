#define _GNU_SOURCE
/* sysmisc: calls whose answers do not depend on who runs them: positional vector
 * I/O (preadv/pwritev and the v2 forms with offset -1), fallocate growing a file,
 * close_range (closing and marking close-on-exec), readahead and sync_file_range
 * argument checks, mincore on mapped and unmapped memory, scheduling policy
 * bounds and queries, raising niceness, and the personality query. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "support/report.h"

int main(void) {
    int fd = open("sysmisc.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    char a[] = "hello ", b[] = "vector";
    struct iovec out[2] = {{a, 6}, {b, 6}};
    result("pwritev at 4", pwritev(fd, out, 2, 4));
    result("lseek after pwritev", lseek(fd, 0, SEEK_CUR));
    char x[5] = {0}, y[8] = {0};
    struct iovec in[2] = {{x, 4}, {y, 7}};
    result("preadv at 6", preadv(fd, in, 2, 6));
    printf("  [%s][%s]\n", x, y);
    result("pwritev2 at -1", pwritev2(fd, out, 1, -1, 0));
    result("lseek after pwritev2", lseek(fd, 0, SEEK_CUR));
    memset(x, 0, sizeof x);
    result("preadv2 at 4", preadv2(fd, in, 1, 4, 0));
    printf("  [%s]\n", x);
    result("preadv2 bad flags", preadv2(fd, in, 1, 0, 0x1000));

    struct stat st;
    result("fallocate grow", fallocate(fd, 0, 0, 100));
    fstat(fd, &st);
    printf("  size %lld\n", (long long)st.st_size);
    result("fallocate keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 200));
    fstat(fd, &st);
    printf("  size %lld\n", (long long)st.st_size);
    result("fallocate negative", fallocate(fd, 0, -1, 10));
    result("fallocate zero length", fallocate(fd, 0, 0, 0));
    result("readahead file", readahead(fd, 0, 4096));
    int p[2];
    pipe(p);
    result("readahead pipe", readahead(p[0], 0, 4096));
    result("sync_file_range pipe", sync_file_range(p[0], 0, 0, 0));
    result("sync_file_range file", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
    result("sync_file_range bad flags", sync_file_range(fd, 0, 0, 8));
    result("fallocate pipe", fallocate(p[1], 0, 0, 10));

    int d1 = dup2(fd, 50), d2 = dup2(fd, 51), d3 = dup2(fd, 52);
    printf("dups %d %d %d\n", d1, d2, d3);
    result("close_range cloexec 51..52", syscall(SYS_close_range, 51, 52, 4));
    printf("  FD_CLOEXEC of 50 %d, 51 %d, 52 %d\n", fcntl(50, F_GETFD), fcntl(51, F_GETFD),
           fcntl(52, F_GETFD));
    result("close_range 50..60", syscall(SYS_close_range, 50, 60, 0));
    printf("  fcntl(51) %d\n", fcntl(51, F_GETFD));
    result("close_range reversed", syscall(SYS_close_range, 60, 50, 0));
    close(fd);
    unlink("sysmisc.tmp");

    long page = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(mem + 2 * page, page);
    unsigned char vec[3] = {9, 9, 9};
    mem[0] = 1;
    result("mincore mapped", mincore(mem, page, vec));
    printf("  resident %d\n", vec[0] & 1);
    result("mincore unaligned", mincore(mem + 1, page, vec));
    result("mincore unmapped", mincore(mem, 3 * page, vec));

    int policies[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 42};
    for (int i = 0; i < 6; i++)
        printf("policy %d: min %d max %d\n", policies[i], sched_get_priority_min(policies[i]),
               sched_get_priority_max(policies[i]));
    result("sched_getscheduler", sched_getscheduler(0));
    struct sched_param sp = {.sched_priority = 7};
    result("sched_getparam", sched_getparam(0, &sp));
    printf("  priority %d\n", sp.sched_priority);
    struct timespec ts;
    printf("sched_rr_get_interval ok %d\n", sched_rr_get_interval(0, &ts) == 0);
    sp.sched_priority = 0;
    result("sched_setscheduler BATCH", sched_setscheduler(0, SCHED_BATCH, &sp));
    result("sched_getscheduler", sched_getscheduler(0));
    result("sched_setscheduler OTHER", sched_setscheduler(0, SCHED_OTHER, &sp));
    result("sched_setscheduler bad", sched_setscheduler(0, 42, &sp));
    result("sched_getscheduler -1", sched_getscheduler(-1));

    /* The starting niceness is the host's (a niced test run): only raise it. */
    result("setpriority 17", setpriority(PRIO_PROCESS, 0, 17));
    errno = 0;
    result("getpriority", getpriority(PRIO_PROCESS, 0));
    result("nice(1)", nice(1));
    result("nice(5) saturates", nice(5));
    result("getpriority bad which", getpriority(7, 0));
    result("personality query", personality(0xffffffff));
    return 0;
}
