// Processes: fork, exit statuses, wait4/waitpid/waitid (WNOHANG, ECHILD),
// children killed by signals, memory isolation, pipes between processes (EOF
// when every write end is closed), SIGCHLD, getppid, process groups, sessions,
// vfork. No pids are printed; the order is forced by waits and pipes.
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld_count;
static volatile sig_atomic_t chld_code;
static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig) {
    (void)sig;
    usr1_count++;
}

static void on_chld(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    chld_count++;
    chld_code = info->si_code;
}

static pid_t spawn_exit(int code) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(code);
    return pid;
}

// A child that exits with the byte it reads from a new pipe (99 at EOF); `go`
// is the pipe, whose write end stays with the caller.
static pid_t spawn_reader(int go[2]) {
    if (pipe(go) != 0)
        exit(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(go[1]);
        char x;
        _exit(read(go[0], &x, 1) == 1 ? x : 99);
    }
    close(go[0]);
    return pid;
}

static void describe(const char *what, int st) {
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d%s\n", what, WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
    else
        printf("%s: status %#x\n", what, st);
}

static int global = 1;
// Unmapped; volatile so that the compiler does not see the fault coming.
static volatile uintptr_t bad_addr = 8;

int main(void) {
    int st;
    int codes[] = {0, 1, 42, 255, 256 + 7};
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pid_t pid = spawn_exit(codes[i]);
        pid_t got = waitpid(pid, &st, 0);
        printf("exit(%d): same pid %d, ", codes[i], got == pid);
        describe("child", st);
    }

    // Memory: the child's writes stay in the child.
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    int local = 10;
    char *heap = malloc(64);
    strcpy(heap, "parent heap");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        global = 2;
        local = 20;
        strcpy(heap, "child heap");
        char msg[100];
        int n = snprintf(msg, sizeof msg, "child sees global=%d local=%d heap=%s ppid_ok=%d",
                         global, local, heap, getppid() != getpid());
        write(fds[1], msg, n);
        _exit(0);
    }
    close(fds[1]);
    char buf[200];
    int total = 0, n;
    while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    close(fds[0]);
    printf("%s\n", buf);
    waitpid(pid, &st, 0);
    printf("parent sees global=%d local=%d heap=%s\n", global, local, heap);

    // getppid in the child is the parent's pid.
    pid_t me = getpid();
    if (pipe(fds) != 0)
        return 1;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char c = getppid() == me ? 'y' : 'n';
        write(fds[1], &c, 1);
        _exit(0);
    }
    char c = '?';
    read(fds[0], &c, 1);
    printf("getppid is the parent: %c\n", c);
    waitpid(pid, &st, 0);
    close(fds[0]);
    close(fds[1]);

    // WNOHANG while the child waits for us, then a blocking wait.
    int go[2];
    pid = spawn_reader(go);
    printf("WNOHANG while running: %d\n", (int)waitpid(pid, &st, WNOHANG));
    write(go[1], "\x05", 1);
    close(go[1]);
    printf("blocking wait: same pid %d, ", waitpid(pid, &st, 0) == pid);
    describe("child", st);

    // Killed by signals: its own fault, and a kill from the parent while it
    // blocks in read.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        *(volatile int *)bad_addr = 1;
        _exit(0);
    }
    waitpid(pid, &st, 0);
    describe("faulting child", st);
    pid = spawn_reader(go);
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    describe("terminated child", st);
    close(go[1]);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        for (volatile unsigned long i = 0;; i++) {
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    describe("busy child killed", st);
    // Children waiting for a signal from their parent.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    describe("pausing child", st);
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigemptyset(&none);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    signal(SIGUSR1, on_usr1);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int r = sigsuspend(&none);
        _exit(r == -1 && errno == EINTR && usr1_count == 1 ? 12 : 13);
    }
    kill(pid, SIGUSR1);
    waitpid(pid, &st, 0);
    describe("sigsuspending child", st);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    signal(SIGUSR1, SIG_DFL);
    pid = spawn_exit(0);
    usleep(1000);
    printf("kill(0) to an unwaited child: %d\n", kill(pid, 0));
    waitpid(pid, &st, 0);

    // Several children, reaped in any order with wait().
    int sum = 0;
    for (int i = 1; i <= 4; i++)
        spawn_exit(i * 10);
    for (int i = 0; i < 4; i++) {
        if (wait(&st) < 0)
            printf("wait failed\n");
        sum += WEXITSTATUS(st);
    }
    printf("four children, statuses sum %d\n", sum);
    errno = 0;
    printf("no children: wait %d, ECHILD %d\n", (int)wait(&st), errno == ECHILD);
    errno = 0;
    printf("waitpid of a non-child: %d, ECHILD %d\n", (int)waitpid(1, &st, WNOHANG), errno == ECHILD);

    // waitid.
    pid = spawn_exit(33);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    printf("waitid WNOWAIT: %d signo %d code %d status %d same pid %d\n", r, si.si_signo,
           si.si_code, si.si_status, si.si_pid == pid);
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    printf("waitid: %d code %d status %d same pid %d\n", r, si.si_code, si.si_status,
           si.si_pid == pid);
    errno = 0;
    printf("waitid again: %d ECHILD %d\n", waitid(P_ALL, 0, &si, WEXITED), errno == ECHILD);

    // SIGCHLD: default is to ignore it; a handler sees each child's end.
    pid = spawn_exit(3);
    waitpid(pid, &st, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    pid = spawn_exit(4);
    waitpid(pid, &st, 0);
    printf("SIGCHLD handler ran %d time(s), code %d, child exited %d\n", (int)chld_count,
           (int)chld_code, WEXITSTATUS(st));
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        *(volatile int *)bad_addr = 1;
    waitpid(pid, &st, 0);
    printf("SIGCHLD after a fault: %d time(s), code %d\n", (int)chld_count, (int)chld_code);
    signal(SIGCHLD, SIG_DFL);

    // Process groups and sessions.
    int ready[2];
    if (pipe(ready) != 0 || pipe(go) != 0)
        return 1;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(go[1]);
        char ok = setpgid(0, 0) == 0 && getpgid(0) == getpid() && getpgrp() == getpid() ? 'y' : 'n';
        write(ready[1], &ok, 1);
        char x;
        read(go[0], &x, 1);
        _exit(0);
    }
    close(go[0]);
    read(ready[0], &c, 1);
    printf("child leads its own group: %c, parent sees it: %d, parent's group unchanged: %d\n", c,
           getpgid(pid) == pid, getpgrp() != pid);
    kill(-pid, SIGUSR1);
    waitpid(pid, &st, 0);
    describe("group signalled", st);
    close(go[1]);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pid_t sid = setsid();
        char two[2];
        two[0] = sid == getpid() && getsid(0) == getpid() && getpgrp() == getpid() ? 'y' : 'n';
        errno = 0;
        two[1] = setsid() < 0 && errno == EPERM ? 'y' : 'n';
        write(ready[1], two, 2);
        _exit(0);
    }
    char two[2];
    read(ready[0], two, 2);
    waitpid(pid, &st, 0);
    printf("setsid in a child: %c, twice fails: %c\n", two[0], two[1]);
    errno = 0;
    printf("setpgid of a stranger: %d ESRCH %d\n", setpgid(1, 0), errno == ESRCH);

    // Grandchildren: a child forks and waits for its own child.
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0)
            _exit(6);
        int gs;
        waitpid(g, &gs, 0);
        _exit(WEXITSTATUS(gs) + 1);
    }
    waitpid(pid, &st, 0);
    describe("child of a child", st);

    // vfork: the parent waits until the child has exited.
    fflush(stdout);
    pid = vfork();
    if (pid == 0)
        _exit(8);
    waitpid(pid, &st, 0);
    describe("vfork child", st);
    return 0;
}
