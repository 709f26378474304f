#define _GNU_SOURCE
/* Named FIFOs: mkfifo, stat, the open rules (a reader waits for a writer and
 * a writer for a reader; O_NONBLOCK readers open at once, O_NONBLOCK writers
 * without a reader get ENXIO; O_RDWR never waits), a forked writer and reader,
 * EOF, EPIPE, unlink. mknod of a regular file. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/report.h"

static char dir[64];

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    strcpy(dir, "/tmp/fifoXXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[96];
    snprintf(path, sizeof path, "%s/fifo", dir);
    result("mkfifo", mkfifo(path, 0600));
    result("mkfifo again", mkfifo(path, 0600));
    struct stat st;
    result("stat", stat(path, &st));
    printf("S_ISFIFO %d, size %ld\n", S_ISFIFO(st.st_mode), (long)st.st_size);
    result("lstat", lstat(path, &st));
    printf("S_ISFIFO %d\n", S_ISFIFO(st.st_mode));

    result("open O_WRONLY|O_NONBLOCK, no reader", open(path, O_WRONLY | O_NONBLOCK));
    int r = open(path, O_RDONLY | O_NONBLOCK);
    printf("open O_RDONLY|O_NONBLOCK: %s\n", r >= 0 ? "ok" : strerror(errno));
    char buf[64];
    result("read, no writer yet", read(r, buf, sizeof buf));
    int w = open(path, O_WRONLY | O_NONBLOCK);
    printf("open O_WRONLY|O_NONBLOCK with a reader: %s\n", w >= 0 ? "ok" : strerror(errno));
    result("write", write(w, "abc", 3));
    result("read", read(r, buf, sizeof buf));
    result("read, empty with a writer", read(r, buf, sizeof buf));
    result("fstat", fstat(w, &st));
    printf("fstat S_ISFIFO %d\n", S_ISFIFO(st.st_mode));
    result("lseek", lseek(r, 0, SEEK_SET));
    close(w);
    result("read after the writer closed", read(r, buf, sizeof buf));
    w = open(path, O_WRONLY | O_NONBLOCK);
    close(r);
    signal(SIGPIPE, SIG_IGN);
    result("write after the reader closed", write(w, "x", 1));
    close(w);

    int rw = open(path, O_RDWR);
    printf("open O_RDWR: %s\n", rw >= 0 ? "ok" : strerror(errno));
    result("write O_RDWR", write(rw, "self", 4));
    result("read O_RDWR", read(rw, buf, sizeof buf));
    close(rw);

    /* Blocking opens meet: the child writes, the parent reads to EOF. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int fd = open(path, O_WRONLY);
        if (fd < 0)
            _exit(1);
        write(fd, "hello ", 6);
        usleep(20000);
        write(fd, "from the child\n", 15);
        _exit(0);
    }
    int fd = open(path, O_RDONLY);
    printf("blocking open for reading: %s\n", fd >= 0 ? "ok" : strerror(errno));
    size_t total = 0;
    ssize_t n;
    while ((n = read(fd, buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    printf("read to EOF (%zd): %s", n, buf);
    close(fd);
    int status;
    waitpid(child, &status, 0);
    printf("writer: exit %d\n", WEXITSTATUS(status));

    /* The other way round: the parent opens for writing first. */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        usleep(20000);
        int fd = open(path, O_RDONLY);
        char b[16] = {0};
        ssize_t got = read(fd, b, sizeof b);
        _exit(got == 4 && memcmp(b, "ping", 4) == 0 ? 0 : 1);
    }
    fd = open(path, O_WRONLY);
    printf("blocking open for writing: %s\n", fd >= 0 ? "ok" : strerror(errno));
    write(fd, "ping", 4);
    close(fd);
    waitpid(child, &status, 0);
    printf("reader: exit %d\n", WEXITSTATUS(status));

    result("unlink", unlink(path));
    result("stat after unlink", stat(path, &st));
    result("open after unlink", open(path, O_RDONLY | O_NONBLOCK));

    snprintf(path, sizeof path, "%s/plain", dir);
    result("mknod S_IFREG", mknod(path, S_IFREG | 0600, 0));
    result("stat", stat(path, &st));
    printf("S_ISREG %d\n", S_ISREG(st.st_mode));
    result("mknod S_IFREG again", mknod(path, S_IFREG | 0600, 0));
    unlink(path);
    result("rmdir", rmdir(dir));
    return 0;
}
