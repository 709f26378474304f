#define _GNU_SOURCE
/* signal_segv: synchronous signals delivered to handlers. SIGSEGV for an unmapped
 * address (SEGV_MAPERR), a write to a read-only page and a read of a PROT_NONE
 * page (SEGV_ACCERR), a jump to a non-executable page; recovery by siglongjmp, or
 * by fixing the mapping with mprotect and returning (the faulting instruction runs
 * again). SIGILL (ILL_ILLOPC, si_addr = the instruction) and SIGTRAP from ebreak
 * (TRAP_BRKPT), skipped by advancing the pc in the ucontext. SIGBUS (BUS_ADRALN)
 * for a misaligned AMO. Last, a fault while SIGSEGV is blocked kills the process
 * even though a handler is installed (status 139). */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int got_sig, got_code, fix_mapping;
static void *volatile got_addr;
static void *volatile got_pc;
static void *volatile page;
static long pagesize;
/* Small addresses in page 0, through a variable so the compiler cannot see them. */
static volatile uintptr_t low_addr = 16;

extern char ill_insn[], brk_insn[];

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    got_pc = (void *)uc->uc_mcontext.__gregs[REG_PC];
    if (sig == SIGILL || sig == SIGTRAP) {
        uc->uc_mcontext.__gregs[REG_PC] += 4; /* skip the 4-byte instruction */
        return;
    }
    if (fix_mapping) {
        fix_mapping = 0;
        mprotect(page, pagesize, PROT_READ | PROT_WRITE);
        return; /* the store runs again and succeeds */
    }
    siglongjmp(env, 1);
}

static void report(const char *what, int sig, int code, void *addr)
{
    printf("%s: signal %d (want %d) code %d (want %d) si_addr matches: %s\n", what, got_sig,
           sig, got_code, code, got_addr == addr ? "yes" : "no");
    got_sig = got_code = 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pagesize = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);

    /* Unmapped: a read just past a freshly unmapped page. */
    char *p = mmap(NULL, 2 * pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + pagesize, pagesize);
    volatile char *bad = p + pagesize + 12;
    if (sigsetjmp(env, 1) == 0) {
        (void)*bad;
        puts("unmapped read: no fault?");
    }
    report("unmapped read", SIGSEGV, SEGV_MAPERR, (void *)bad);

    if (sigsetjmp(env, 1) == 0) {
        *(volatile int *)low_addr = 1;
        puts("null write: no fault?");
    }
    report("null write", SIGSEGV, SEGV_MAPERR, (void *)16);

    /* Read-only page: write faults with SEGV_ACCERR. */
    page = p;
    strcpy(p, "hello");
    mprotect(p, pagesize, PROT_READ);
    if (sigsetjmp(env, 1) == 0) {
        p[100] = 'x';
        puts("read-only write: no fault?");
    }
    report("read-only write", SIGSEGV, SEGV_ACCERR, p + 100);
    printf("page still reads %s\n", p);

    /* PROT_NONE read. */
    mprotect(p, pagesize, PROT_NONE);
    if (sigsetjmp(env, 1) == 0) {
        (void)*(volatile char *)(p + 8);
        puts("PROT_NONE read: no fault?");
    }
    report("PROT_NONE read", SIGSEGV, SEGV_ACCERR, p + 8);

    /* Fix the mapping in the handler and return: the store is redone. */
    mprotect(p, pagesize, PROT_READ);
    fix_mapping = 1;
    ((volatile char *)p)[0] = 'J';
    report("fixed by mprotect", SIGSEGV, SEGV_ACCERR, p);
    printf("page now reads %s\n", p);

    /* Jump to a page without execute permission. */
    if (sigsetjmp(env, 1) == 0) {
        void (*fn)(void) = (void (*)(void))(p + 64);
        fn();
        puts("exec of data: no fault?");
    }
    report("exec of data page", SIGSEGV, SEGV_ACCERR, p + 64);
    printf("saved pc is the target: %s\n", got_pc == p + 64 ? "yes" : "no");

    /* Illegal instruction: the handler skips it. */
    __asm__ volatile(".globl ill_insn\nill_insn: .word 0" ::: "memory");
    printf("saved pc is the instruction: %s\n", got_pc == ill_insn ? "yes" : "no");
    report("illegal instruction", SIGILL, ILL_ILLOPC, ill_insn);

    /* ebreak (4-byte form): SIGTRAP. */
    __asm__ volatile(".option push\n.option norvc\n.globl brk_insn\nbrk_insn: ebreak\n"
                     ".option pop" ::: "memory");
    report("ebreak", SIGTRAP, TRAP_BRKPT, brk_insn);

    /* Misaligned AMO: SIGBUS. */
    static int64_t words[2];
    volatile char *mis = (char *)words + 2;
    if (sigsetjmp(env, 1) == 0) {
        int old;
        __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(mis), "r"(1) : "memory");
        puts("misaligned amo: no fault?");
    }
    report("misaligned amo", SIGBUS, BUS_ADRALN, (void *)mis);

    /* A fault while SIGSEGV is blocked is fatal, handler or not. */
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    sigprocmask(SIG_BLOCK, &segv, NULL);
    puts("faulting with SIGSEGV blocked");
    *(volatile int *)(low_addr - 8) = 1;
    puts("not reached");
    return 0;
}
