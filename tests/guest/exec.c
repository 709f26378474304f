// execve: the program runs itself (found through /proc/self/exe) as a child
// with arguments and an environment, through fork + execve, posix_spawn (vfork
// + execve inside glibc), a #! script, execveat (relative to a directory fd, and
// of an fd with AT_EMPTY_PATH) and clone3 as fork; close-on-exec descriptors, signal
// dispositions across exec, errors (missing file, directory, not an
// executable, a host program), and finally the first process replaces itself.
// qemu-user hands execve to the host kernel, which cannot run riscv64 programs
// without binfmt_misc, so the output is compared with exec.expected.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void on_usr1(int sig) { (void)sig; }

static int child(int argc, char **argv) {
    printf("child:");
    for (int i = 1; i < argc; i++)
        printf(" [%s]", argv[i]);
    const char *v = getenv("EXEC_TEST");
    printf(" EXEC_TEST=%s\n", v ? v : "(unset)");
    if (argc >= 5 && strcmp(argv[2], "fds") == 0) {
        int keep = atoi(argv[3]), gone = atoi(argv[4]);
        printf("child: kept fd open %d, cloexec fd closed %d\n", fcntl(keep, F_GETFD) >= 0,
               fcntl(gone, F_GETFD) < 0 && errno == EBADF);
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        printf("child: handled signal reset to default %d, ", sa.sa_handler == SIG_DFL);
        sigaction(SIGUSR2, NULL, &sa);
        printf("ignored signal still ignored %d\n", sa.sa_handler == SIG_IGN);
    }
    return 3;
}

static void wait_for(pid_t pid, const char *what) {
    int st;
    if (waitpid(pid, &st, 0) != pid)
        printf("%s: waitpid failed\n", what);
    else if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else
        printf("%s: status %#x\n", what, st);
    fflush(stdout);
}

static void try_exec(const char *path, const char *what) {
    char *args[] = {(char *)path, NULL};
    errno = 0;
    int r = execve(path, args, environ);
    printf("execve %s: %d %s\n", what, r, strerror(errno));
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "child") == 0)
        return child(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "final") == 0) {
        printf("final: the first process now runs a new image\n");
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "script-arg") == 0) {
        printf("script interpreter:");
        for (int i = 1; i < argc; i++)
            printf(" [%s]", argv[i]);
        printf("\n");
        return 4;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return 1;
    self[n] = 0;

    // fork + execve with arguments and an environment.
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = {self, "child", "one", "two words", "", NULL};
        char *env[] = {"EXEC_TEST=from execve", NULL};
        execve(self, args, env);
        _exit(127);
    }
    wait_for(pid, "fork+execve");

    // Descriptors and signal dispositions across exec.
    int keep = open("/dev/null", O_RDONLY);
    int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    char k[16], g[16];
    snprintf(k, sizeof k, "%d", keep);
    snprintf(g, sizeof g, "%d", gone);
    pid = fork();
    if (pid == 0) {
        execl(self, self, "child", "fds", k, g, (char *)NULL);
        _exit(127);
    }
    wait_for(pid, "fork+execl");
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);

    // posix_spawn: the child borrows our memory until it has exec'd.
    setenv("EXEC_TEST", "inherited", 1);
    char *sargs[] = {self, "child", "spawned", NULL};
    if (posix_spawn(&pid, self, NULL, NULL, sargs, environ) != 0)
        printf("posix_spawn failed\n");
    else
        wait_for(pid, "posix_spawn");
    int err = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, sargs, environ);
    printf("posix_spawn of a missing file: %s\n", strerror(err));

    // A #! script whose interpreter is this program.
    char script[] = "exec-test-script";
    FILE *f = fopen(script, "w");
    if (!f)
        return 1;
    fprintf(f, "#!%s script-arg\nthis line is not read\n", self);
    fclose(f);
    chmod(script, 0755);
    pid = fork();
    if (pid == 0) {
        char *args[] = {"./exec-test-script", "after", NULL};
        execv("./exec-test-script", args);
        printf("execv of the script failed: %s\n", strerror(errno));
        _exit(127);
    }
    wait_for(pid, "script");

    // execveat: relative to a directory descriptor, and of the file an fd names.
    char *dir_end = strrchr(self, '/');
    *dir_end = 0;
    int dirfd = open(self, O_RDONLY | O_DIRECTORY);
    *dir_end = '/';
    char *const at_args[] = {"x", "child", "at", NULL};
    if ((pid = fork()) == 0) {
        syscall(SYS_execveat, dirfd, dir_end + 1, at_args, environ, 0);
        printf("execveat failed: %s\n", strerror(errno));
        _exit(127);
    }
    wait_for(pid, "execveat");
    int self_fd = open(self, O_RDONLY);
    if ((pid = fork()) == 0) {
        syscall(SYS_execveat, self_fd, "", at_args, environ, 0x1000 /* AT_EMPTY_PATH */);
        printf("execveat of an fd failed: %s\n", strerror(errno));
        _exit(127);
    }
    wait_for(pid, "execveat of an fd");
    errno = 0;
    syscall(SYS_execveat, dirfd, dir_end + 1, at_args, environ, 0x4000);
    printf("execveat with bad flags: %s\n", strerror(errno));
    close(dirfd);
    close(self_fd);

    // clone3 without CLONE_VM: a new process, exit signal SIGCHLD.
    unsigned long long cl[11] = {0};
    cl[4] = SIGCHLD;
    pid = syscall(SYS_clone3, cl, sizeof cl);
    if (pid == 0)
        _exit(9);
    wait_for(pid, "clone3");
    errno = 0;
    syscall(SYS_clone3, cl, 32);
    printf("clone3 with a short struct: %s\n", strerror(errno));

    // Failures leave the caller running.
    try_exec("/nonexistent/program", "of a missing file");
    try_exec(".", "of a directory");
    int fd = open("exec-test-data", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, "plain bytes, not a program\n", 27);
    close(fd);
    try_exec("./exec-test-data", "of a data file");
    f = fopen("exec-test-script", "w");
    fprintf(f, "#!\n");
    fclose(f);
    try_exec("./exec-test-script", "of a script without interpreter");
    // A host executable must never run: only riscv64 programs do.
    if (access("/bin/true", F_OK) == 0)
        try_exec("/bin/true", "of a host program");
    else
        printf("execve of a host program: -1 Exec format error\n");
    unlink("exec-test-data");
    unlink("exec-test-script");

    // The first process itself becomes another image; its status is the run's.
    fflush(stdout);
    execl(self, self, "final", (char *)NULL);
    printf("execl failed: %s\n", strerror(errno));
    return 1;
}
