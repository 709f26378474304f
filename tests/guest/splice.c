#define _GNU_SOURCE
/* splice: splice between a file and pipes (with and without offsets), tee
 * duplicating pipe data, vmsplice of iovecs into a pipe, and their errors.
 * (process_vm_readv/writev: qemu 7.2 lacks them; src/linux/tests.rs.) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "support/report.h"

static void drain(const char *what, int fd) {
    char buf[64] = {0};
    long n = read(fd, buf, sizeof buf - 1);
    printf("%s: %ld [%s]\n", what, n, n > 0 ? buf : "");
}

int main(void) {
    int fd = open("splice.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789abcdef", 16);
    int p[2], q[2];
    pipe(p);
    pipe(q);

    loff_t off = 4;
    result("splice file@4 -> pipe", splice(fd, &off, p[1], NULL, 6, 0));
    printf("  offset now %lld\n", (long long)off);
    result("tee pipe -> pipe", tee(p[0], q[1], 100, 0));
    drain("  copy", q[0]);
    drain("  original", p[0]);

    write(p[1], "spliced", 7);
    off = 20;
    result("splice pipe -> file@20", splice(p[0], NULL, fd, &off, 100, 0));
    char back[8] = {0};
    pread(fd, back, 7, 20);
    printf("  file@20 [%s]\n", back);

    lseek(fd, 0, SEEK_SET);
    result("splice file -> pipe (position)", splice(fd, NULL, p[1], NULL, 3, 0));
    printf("  position %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    drain("  pipe", p[0]);

    result("splice file -> file", splice(fd, NULL, fd, NULL, 3, 0));
    off = 0;
    result("splice pipe with offset", splice(p[0], &off, fd, NULL, 3, 0));
    result("tee empty pipe nonblocking", tee(p[0], q[1], 10, SPLICE_F_NONBLOCK));
    result("tee same pipe", tee(p[0], p[1], 10, 0));
    result("tee file", tee(fd, q[1], 10, 0));

    char a[] = "vm", b[] = "splice";
    struct iovec iov[2] = {{a, 2}, {b, 6}};
    result("vmsplice", vmsplice(p[1], iov, 2, 0));
    drain("  pipe", p[0]);
    result("vmsplice file", vmsplice(fd, iov, 2, 0));

    close(fd);
    unlink("splice.tmp");
    return 0;
}
