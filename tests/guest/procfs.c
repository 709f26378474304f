/* /proc and /dev as a program sees them: its own cmdline, environ, auxv, maps,
 * stat/status, /proc/self/exe, and the emulated devices. Only facts that hold on
 * every Linux are printed (no addresses). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static size_t slurp(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return (size_t)-1;
    size_t n = 0;
    ssize_t r;
    while (n < cap && (r = read(fd, buf + n, cap - n)) > 0) n += (size_t)r;
    close(fd);
    return n;
}

int main(int argc, char **argv) {
    static char buf[1 << 16];
    size_t n = slurp("/proc/self/cmdline", buf, sizeof buf);
    int args = 0;
    for (size_t i = 0; i < n; i++) args += buf[i] == 0;
    printf("cmdline: %d NUL-terminated args (argc %d), last = %s\n", args, argc, buf + n - strlen(argv[argc - 1]) - 1);

    n = slurp("/proc/self/environ", buf, sizeof buf);
    int found = 0;
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1) found |= !strcmp(buf + i, "MVVM_TEST=1");
    printf("environ has MVVM_TEST=1: %s\n", found ? "yes" : "no");

    n = slurp("/proc/self/auxv", buf, sizeof buf);
    unsigned long *aux = (unsigned long *)buf;
    unsigned long pagesz = 0, entry = 0;
    for (size_t i = 0; i + 1 < n / 8; i += 2) {
        if (aux[i] == AT_PAGESZ) pagesz = aux[i + 1];
        if (aux[i] == AT_ENTRY) entry = aux[i + 1];
    }
    printf("auxv: AT_PAGESZ %lu, AT_ENTRY matches getauxval: %s\n", pagesz, entry == getauxval(AT_ENTRY) ? "yes" : "no");

    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = 0;
    printf("/proc/self/exe ends with /procfs.<mode>: %s\n", strstr(exe, "/procfs.") ? "yes" : "no");

    n = slurp("/proc/self/maps", buf, sizeof buf - 1);
    buf[n] = 0;
    printf("maps has [stack]: %s, an r-xp mapping of the exe: %s\n", strstr(buf, "[stack]") ? "yes" : "no",
           strstr(buf, "r-xp") && strstr(buf, exe) ? "yes" : "no");

    n = slurp("/proc/self/stat", buf, sizeof buf - 1);
    buf[n] = 0;
    char comm[64] = "";
    int pid = 0;
    sscanf(buf, "%d (%63[^)])", &pid, comm);
    printf("stat: pid matches getpid: %s, comm: %s\n", pid == getpid() ? "yes" : "no", comm);

    n = slurp("/proc/self/status", buf, sizeof buf - 1);
    buf[n] = 0;
    printf("status has Name/Pid/Threads: %s\n",
           strstr(buf, "Name:\t") && strstr(buf, "\nPid:\t") && strstr(buf, "\nThreads:\t") ? "yes" : "no");

    printf("cpuinfo readable: %s, meminfo has MemTotal: %s\n",
           slurp("/proc/cpuinfo", buf, sizeof buf) != (size_t)-1 ? "yes" : "no",
           (slurp("/proc/meminfo", buf, sizeof buf - 1), strstr(buf, "MemTotal:")) ? "yes" : "no");

    int z = open("/dev/zero", O_RDONLY), f = open("/dev/full", O_WRONLY), nul = open("/dev/null", O_RDWR);
    char zeros[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    printf("/dev/zero reads zeros: %s\n", read(z, zeros, 8) == 8 && !memcmp(zeros, "\0\0\0\0\0\0\0\0", 8) ? "yes" : "no");
    printf("/dev/full write fails: %s\n", write(f, "x", 1) < 0 ? "yes" : "no");
    printf("/dev/null: write %zd, read %zd\n", write(nul, "abc", 3), read(nul, zeros, 8));
    return 0;
}
