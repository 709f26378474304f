/* files: file I/O on regular files in the current directory - open flags
 * (O_CREAT/O_EXCL/O_TRUNC/O_APPEND), read/write, lseek (SET/CUR/END, holes),
 * pread/pwrite, fstat/stat/lstat sizes and types, ftruncate (shrink and
 * grow), dup/dup2 sharing offsets, access, rename, unlink, symlink/readlink,
 * and errno values (printed by name) for the usual failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(const char *what, long got, long want)
{
    printf("%-44s = %ld%s\n", what, got, got == want ? "" : "   <-- UNEXPECTED");
    if (got != want)
        failures++;
}

/* Runs after a call expected to fail: prints its return value and errno name. */
static void expect_err(const char *what, long ret, int want_errno)
{
    int e = errno;
    const char *name = ret == -1 ? strerrorname_np(e) : "(no error)";
    printf("%-44s = %ld errno=%s (%s)%s\n", what, ret, name ? name : "?",
           ret == -1 ? strerror(e) : "-", (ret == -1 && e == want_errno) ? "" : "   <-- UNEXPECTED");
    if (!(ret == -1 && e == want_errno))
        failures++;
}

static long file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return (long)st.st_size;
}

int main(void)
{
    char buf[256];
    umask(022);

    int fd = open("data.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check("open(data.txt, O_CREAT|O_WRONLY) >= 0", fd >= 0, 1);
    check("write 12 bytes", write(fd, "hello world\n", 12), 12);
    check("write 18 bytes", write(fd, "second line here.\n", 18), 18);
    check("close", close(fd), 0);
    check("stat size", file_size("data.txt"), 30);

    fd = open("data.txt", O_RDWR);
    check("open(data.txt, O_RDWR) >= 0", fd >= 0, 1);
    memset(buf, 0, sizeof buf);
    check("read 5", read(fd, buf, 5), 5);
    printf("  read text: [%s]\n", buf);
    check("lseek(0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR), 5);
    check("lseek(0, SEEK_END)", lseek(fd, 0, SEEK_END), 30);
    check("read at EOF", read(fd, buf, sizeof buf), 0);
    check("lseek(-6, SEEK_END)", lseek(fd, -6, SEEK_END), 24);
    memset(buf, 0, sizeof buf);
    check("read 100 (short read)", read(fd, buf, 100), 6);
    printf("  read text: [%.5s]\n", buf);
    check("lseek(6, SEEK_SET)", lseek(fd, 6, SEEK_SET), 6);
    memset(buf, 0, sizeof buf);
    check("pread 5 at 12", pread(fd, buf, 5, 12), 5);
    printf("  pread text: [%s]\n", buf);
    check("offset unchanged by pread", lseek(fd, 0, SEEK_CUR), 6);
    check("pwrite 5 at 0", pwrite(fd, "HELLO", 5, 0), 5);
    check("offset unchanged by pwrite", lseek(fd, 0, SEEK_CUR), 6);
    memset(buf, 0, sizeof buf);
    check("pread whole file", pread(fd, buf, sizeof buf, 0), 30);
    printf("  contents: [%.11s|%.17s]\n", buf, buf + 12);
    expect_err("lseek(-1, SEEK_SET)", lseek(fd, -1, SEEK_SET), EINVAL);

    struct stat st;
    check("fstat", fstat(fd, &st), 0);
    check("fstat size", (long)st.st_size, 30);
    check("S_ISREG", S_ISREG(st.st_mode) != 0, 1);
    check("S_ISDIR", S_ISDIR(st.st_mode) != 0, 0);

    check("ftruncate(5)", ftruncate(fd, 5), 0);
    check("size after shrink", file_size("data.txt"), 5);
    check("ftruncate(100)", ftruncate(fd, 100), 0);
    check("size after grow", file_size("data.txt"), 100);
    memset(buf, 'x', sizeof buf);
    check("pread 100 at 0", pread(fd, buf, 100, 0), 100);
    int zeros = 0;
    for (int i = 5; i < 100; i++)
        zeros += buf[i] == 0;
    check("zero bytes after old end", zeros, 95);
    printf("  first five: [%.5s]\n", buf);

    /* A hole: write far beyond the end. */
    check("lseek(4096, SEEK_SET)", lseek(fd, 4096, SEEK_SET), 4096);
    check("write after hole", write(fd, "tail", 4), 4);
    check("size with hole", file_size("data.txt"), 4100);
    check("pread inside hole", pread(fd, buf, 8, 2000), 8);
    check("hole reads as zero", buf[0] == 0 && buf[7] == 0, 1);

    /* dup shares the file offset, dup2 onto a chosen number. */
    int fd2 = dup(fd);
    check("dup >= 0", fd2 >= 0, 1);
    check("lseek(10) via original", lseek(fd, 10, SEEK_SET), 10);
    check("offset seen via dup", lseek(fd2, 0, SEEK_CUR), 10);
    check("dup2(fd, 42)", dup2(fd, 42), 42);
    check("offset seen via fd 42", lseek(42, 0, SEEK_CUR), 10);
    check("close(42)", close(42), 0);
    expect_err("close(42) again", close(42), EBADF);
    check("close dup", close(fd2), 0);
    check("close original", close(fd), 0);
    expect_err("read on closed fd", read(fd, buf, 1), EBADF);

    /* O_APPEND always writes at the end. */
    fd = open("data.txt", O_WRONLY | O_APPEND);
    check("open O_APPEND >= 0", fd >= 0, 1);
    lseek(fd, 0, SEEK_SET);
    check("append write", write(fd, "++", 2), 2);
    check("offset after append", lseek(fd, 0, SEEK_CUR), 4102);
    expect_err("read on O_WRONLY fd", read(fd, buf, 1), EBADF);
    close(fd);
    check("size after append", file_size("data.txt"), 4102);

    /* O_TRUNC empties an existing file. */
    fd = open("data.txt", O_WRONLY | O_TRUNC);
    close(fd);
    check("size after O_TRUNC", file_size("data.txt"), 0);

    /* Failures. */
    expect_err("open(missing.txt, O_RDONLY)", open("missing.txt", O_RDONLY), ENOENT);
    expect_err("open(data.txt, O_CREAT|O_EXCL)", open("data.txt", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    expect_err("open(nodir/x, O_CREAT)", open("nodir/x", O_CREAT | O_WRONLY, 0644), ENOENT);
    expect_err("open(data.txt/x)", open("data.txt/x", O_RDONLY), ENOTDIR);
    expect_err("stat(missing.txt)", stat("missing.txt", &st), ENOENT);
    check("access(data.txt, F_OK)", access("data.txt", F_OK), 0);
    check("access(data.txt, R_OK|W_OK)", access("data.txt", R_OK | W_OK), 0);
    expect_err("access(missing.txt, F_OK)", access("missing.txt", F_OK), ENOENT);
    expect_err("write(-1)", write(-1, "x", 1), EBADF);

    /* rename and unlink. */
    check("rename(data.txt, moved.txt)", rename("data.txt", "moved.txt"), 0);
    expect_err("stat(data.txt) after rename", stat("data.txt", &st), ENOENT);
    check("stat(moved.txt)", stat("moved.txt", &st), 0);
    fd = open("other.txt", O_CREAT | O_WRONLY, 0644);
    check("write other.txt", write(fd, "0123456789", 10), 10);
    close(fd);
    check("rename over existing file", rename("other.txt", "moved.txt"), 0);
    check("size of replaced file", file_size("moved.txt"), 10);
    expect_err("rename(missing.txt, x)", rename("missing.txt", "x"), ENOENT);

    /* Symbolic links. */
    check("symlink(moved.txt, link)", symlink("moved.txt", "link"), 0);
    memset(buf, 0, sizeof buf);
    check("readlink(link)", readlink("link", buf, sizeof buf), 9);
    printf("  link target: [%s]\n", buf);
    check("lstat(link)", lstat("link", &st), 0);
    check("lstat says S_ISLNK", S_ISLNK(st.st_mode) != 0, 1);
    check("stat through link size", file_size("link"), 10);
    expect_err("readlink(moved.txt)", readlink("moved.txt", buf, sizeof buf), EINVAL);
    check("unlink(link)", unlink("link"), 0);

    check("unlink(moved.txt)", unlink("moved.txt"), 0);
    expect_err("unlink(moved.txt) again", unlink("moved.txt"), ENOENT);

    /* openat/fstatat relative to AT_FDCWD. */
    fd = openat(AT_FDCWD, "at.txt", O_CREAT | O_RDWR, 0644);
    check("openat(AT_FDCWD) >= 0", fd >= 0, 1);
    check("write 3", write(fd, "abc", 3), 3);
    check("fstatat size", fstatat(AT_FDCWD, "at.txt", &st, 0) == 0 ? (long)st.st_size : -1, 3);
    close(fd);
    check("unlinkat", unlinkat(AT_FDCWD, "at.txt", 0), 0);

    printf("failures: %d\n", failures);
    return failures != 0;
}
