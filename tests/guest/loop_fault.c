/* loop_fault: tight loops (each compiled as a block that branches to itself) that
 * walk through memory until a page they may not touch: byte stores up into a
 * read-only page, word loads up into an unmapped page, a copy loop whose reads run
 * into a PROT_NONE page, a byte loop walking down into an unmapped page, and a
 * column walk (stride above a page) into a read-only page. Each fault must come at
 * the first inaccessible byte with everything before it done, and the same loops
 * must run again after the protections change (mprotect between two runs). */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static void *volatile got_addr;
static volatile long progress;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    got_addr = si->si_addr;
    siglongjmp(env, 1);
}

static long pagesize;

/* Returns the fault offset from `base`, or -1 without a fault. */
static long fault_offset(char *base)
{
    return got_addr ? (char *)got_addr - base : -1;
}

__attribute__((noinline)) static void fill_up(char *p, long n)
{
    for (progress = 0; progress < n; progress++) p[progress] = (char)progress;
}

__attribute__((noinline)) static uint64_t sum_words(uint64_t *p, long n)
{
    uint64_t s = 0;
    for (long i = 0; i < n; i++) {
        s += p[i];
        progress = i;
    }
    return s;
}

__attribute__((noinline)) static void copy_words(uint64_t *dst, const uint64_t *src, long n)
{
    for (long i = 0; i < n; i++) {
        dst[i] = src[i];
        progress = i;
    }
}

__attribute__((noinline)) static void fill_down(char *p, long n)
{
    for (progress = 0; progress < n; progress++) p[-progress] = 7;
}

__attribute__((noinline)) static void column(char *p, long stride, long n)
{
    for (progress = 0; progress < n; progress++) p[progress * stride] += 1;
}

#define TRY(what, base, call)                                                              \
    do {                                                                                   \
        got_addr = 0;                                                                      \
        if (sigsetjmp(env, 1) == 0) call;                                                  \
        printf("%-22s fault at %ld, progress %ld\n", what, fault_offset((char *)(base)),  \
               (long)progress);                                                            \
    } while (0)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pagesize = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    long ps = pagesize;
    char *m = mmap(NULL, 8 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* pages: 0-2 rw, 3 read-only, 4 unmapped, 5-6 rw, 7 none */
    mprotect(m + 3 * ps, ps, PROT_READ);
    munmap(m + 4 * ps, ps);
    mprotect(m + 7 * ps, ps, PROT_NONE);

    for (int round = 0; round < 2; round++) {
        printf("round %d\n", round);
        TRY("bytes up to r/o", m, fill_up(m + 5, 4 * ps));
        volatile uint64_t s = 0;
        TRY("words up to unmapped", m, s = sum_words((uint64_t *)m, 5 * ps / 8));
        printf("  sum %llu\n", (unsigned long long)s);
        TRY("copy from none", m, copy_words((uint64_t *)(m + 5 * ps), (uint64_t *)(m + 6 * ps), ps / 4));
        TRY("bytes down to unmapped", m, fill_down(m + 6 * ps + 100, 2 * ps));
        TRY("column to r/o", m, column(m + 7, ps + 24, 6));
        /* Open everything up, then close it again for the next round. */
        mprotect(m + 3 * ps, ps, PROT_READ | PROT_WRITE);
        mprotect(m + 7 * ps, ps, PROT_READ | PROT_WRITE);
        TRY("bytes up, all rw", m, fill_up(m + 5, 3 * ps));
        TRY("copy, all rw", m, copy_words((uint64_t *)(m + 5 * ps), (uint64_t *)(m + 6 * ps), ps / 4));
        mprotect(m + 3 * ps, ps, PROT_READ);
        mprotect(m + 7 * ps, ps, PROT_NONE);
    }
    return 0;
}
