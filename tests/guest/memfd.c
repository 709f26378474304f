#define _GNU_SOURCE
/* memfd_create: an anonymous file with read/write/lseek/pread/ftruncate/fstat and
 * a mapping of its contents; copy_file_range between files in the test's
 * directory and from a memfd, with and without offsets, and its errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void size(const char *what, int fd) {
    struct stat st;
    fstat(fd, &st);
    printf("%s: size %lld regular %d\n", what, (long long)st.st_size, S_ISREG(st.st_mode));
}

int main(void) {
    int m = memfd_create("test", MFD_CLOEXEC);
    printf("memfd: %d cloexec %d\n", m >= 0, (fcntl(m, F_GETFD) & FD_CLOEXEC) != 0);
    size("new", m);
    printf("write: %zd\n", write(m, "hello, world", 12));
    size("written", m);
    char buf[64] = {0};
    printf("read at end: %zd\n", read(m, buf, sizeof buf));
    printf("lseek: %lld\n", (long long)lseek(m, 7, SEEK_SET));
    printf("read: %zd '%s'\n", read(m, buf, sizeof buf), buf);
    memset(buf, 0, sizeof buf);
    printf("pread: %zd '%s'\n", pread(m, buf, 5, 0), buf);
    printf("pwrite: %zd\n", pwrite(m, "HELLO", 5, 0));
    printf("lseek end: %lld\n", (long long)lseek(m, 0, SEEK_END));
    printf("seek past end + write: %lld %zd\n", (long long)lseek(m, 20, SEEK_SET), write(m, "!", 1));
    size("with a hole", m);

    printf("ftruncate 8192: %d\n", ftruncate(m, 8192));
    size("grown", m);
    char *map = mmap(NULL, 8192, PROT_READ, MAP_SHARED, m, 0);
    printf("mmap: %d '%.12s' hole %d %d end %d\n", map != MAP_FAILED, map, map[12], map[19], map[8191]);
    munmap(map, 8192);
    printf("ftruncate 5: %d\n", ftruncate(m, 5));
    size("shrunk", m);
    memset(buf, 0, sizeof buf);
    printf("pread: %zd '%s'\n", pread(m, buf, sizeof buf, 0), buf);
    errno = 0;
    printf("bad flags: %d %s\n", memfd_create("x", 0x100), strerror(errno));

    /* copy_file_range. */
    int src = open("cfr_src", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int dst = open("cfr_dst", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(src, "0123456789abcdef", 16);
    lseek(src, 0, SEEK_SET);
    printf("copy with file offsets: %zd\n", copy_file_range(src, NULL, dst, NULL, 10, 0));
    printf("offsets now: src %lld dst %lld\n", (long long)lseek(src, 0, SEEK_CUR), (long long)lseek(dst, 0, SEEK_CUR));
    off64_t in = 10, out = 2;
    printf("copy with explicit offsets: %zd in %lld out %lld\n", copy_file_range(src, &in, dst, &out, 100, 0),
           (long long)in, (long long)out);
    printf("at end of input: %zd\n", copy_file_range(src, &in, dst, &out, 100, 0));
    memset(buf, 0, sizeof buf);
    pread(dst, buf, sizeof buf, 0);
    printf("dst: '%s'\n", buf);
    off64_t zero = 0, at = 10;
    /* Across filesystems (tmpfs and the test directory's): EXDEV. */
    errno = 0;
    printf("from a memfd: %zd %s\n", copy_file_range(m, &zero, dst, &at, 5, 0), strerror(errno));
    int m2 = memfd_create("second", 0);
    write(m2, "0123456789", 10);
    zero = 0;
    printf("between memfds: %zd\n", copy_file_range(m2, &zero, m, NULL, 4, 0));
    memset(buf, 0, sizeof buf);
    pread(m, buf, sizeof buf, 0);
    printf("memfd: '%s'\n", buf);
    errno = 0;
    printf("flags: %zd %s\n", copy_file_range(src, NULL, dst, NULL, 1, 1), strerror(errno));
    errno = 0;
    in = 0, out = 4;
    printf("overlap in one file: %zd %s\n", copy_file_range(src, &in, src, &out, 8, 0), strerror(errno));
    int ro = open("cfr_dst", O_RDONLY);
    errno = 0;
    printf("read-only output: %zd %s\n", copy_file_range(src, NULL, ro, NULL, 1, 0), strerror(errno));
    int app = open("cfr_dst", O_WRONLY | O_APPEND);
    errno = 0;
    printf("append output: %zd %s\n", copy_file_range(src, NULL, app, NULL, 1, 0), strerror(errno));
    int p[2];
    pipe(p);
    errno = 0;
    printf("pipe output: %zd %s\n", copy_file_range(src, NULL, p[1], NULL, 1, 0), strerror(errno));
    errno = 0;
    printf("closed input: %zd %s\n", copy_file_range(99, NULL, dst, NULL, 1, 0), strerror(errno));
    unlink("cfr_src");
    unlink("cfr_dst");
    return 0;
}
