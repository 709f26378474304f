/* dirs: directory operations in the current directory - mkdir/rmdir,
 * readdir (sorted listing including "." and "..", a 300-entry directory that
 * needs several getdents calls), chdir/getcwd, rename of files and
 * directories, and errno names for EEXIST, ENOTEMPTY, ENOTDIR, EISDIR,
 * ENOENT. */
#define _GNU_SOURCE
#include <dirent.h>
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
    printf("%-40s = %ld%s\n", what, got, got == want ? "" : "   <-- UNEXPECTED");
    if (got != want)
        failures++;
}

static void expect_err(const char *what, long ret, int want_errno)
{
    int e = errno;
    const char *name = ret == -1 ? strerrorname_np(e) : "(no error)";
    printf("%-40s = %ld errno=%s%s\n", what, ret, name ? name : "?",
           (ret == -1 && e == want_errno) ? "" : "   <-- UNEXPECTED");
    if (!(ret == -1 && e == want_errno))
        failures++;
}

static void touch(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        printf("cannot create %s\n", path);
        failures++;
    }
    if (fd >= 0)
        close(fd);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the sorted entries of a directory, with a type from lstat(). */
static void list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir(%s) failed: %s\n", dir, strerrorname_np(errno));
        failures++;
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64)
        names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    printf("listing of %s (%d entries):\n", dir, n);
    for (int i = 0; i < n; i++) {
        char path[512];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        const char *type = "?";
        long size = -1;
        if (lstat(path, &st) == 0) {
            type = S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other";
            if (S_ISREG(st.st_mode))
                size = (long)st.st_size;
        }
        if (size >= 0)
            printf("  %-10s %s %ld bytes\n", names[i], type, size);
        else
            printf("  %-10s %s\n", names[i], type);
        free(names[i]);
    }
}

int main(void)
{
    struct stat st;
    umask(022);

    check("mkdir(d)", mkdir("d", 0755), 0);
    expect_err("mkdir(d) again", mkdir("d", 0755), EEXIST);
    check("stat(d) is a directory", stat("d", &st) == 0 && S_ISDIR(st.st_mode), 1);
    touch("d/b.txt", "bee");
    touch("d/a.txt", "a");
    touch("d/c", "sea sea");
    check("mkdir(d/sub)", mkdir("d/sub", 0755), 0);
    list("d");
    list("d/sub");

    expect_err("rmdir(d) not empty", rmdir("d"), ENOTEMPTY);
    expect_err("rmdir(d/a.txt)", rmdir("d/a.txt"), ENOTDIR);
    expect_err("unlink(d/sub)", unlink("d/sub"), EISDIR);
    expect_err("mkdir(missing/x)", mkdir("missing/x", 0755), ENOENT);
    expect_err("stat(d/a.txt/)", stat("d/a.txt/", &st), ENOTDIR);
    expect_err("opendir(d/a.txt)", opendir("d/a.txt") ? 0 : -1, ENOTDIR);
    expect_err("opendir(nothing)", opendir("nothing") ? 0 : -1, ENOENT);

    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    check("open(d, O_DIRECTORY) >= 0", dfd >= 0, 1);
    char c;
    expect_err("read() on a directory", read(dfd, &c, 1), EISDIR);
    check("fstatat(dfd, b.txt) size", fstatat(dfd, "b.txt", &st, 0) == 0 ? (long)st.st_size : -1, 3);
    close(dfd);

    check("rename(d/c, d/sub/c)", rename("d/c", "d/sub/c"), 0);
    list("d/sub");

    char cwd[4096], here[4096];
    check("getcwd", getcwd(here, sizeof here) != NULL, 1);
    check("chdir(d/sub)", chdir("d/sub"), 0);
    check("getcwd after chdir", getcwd(cwd, sizeof cwd) != NULL, 1);
    size_t hl = strlen(here);
    printf("cwd is <start>%s\n", strncmp(cwd, here, hl) == 0 ? cwd + hl : "(not under start dir!)");
    check("stat(c) relative to new cwd", stat("c", &st) == 0 ? (long)st.st_size : -1, 7);
    check("chdir(../..)", chdir("../.."), 0);
    check("getcwd back", getcwd(cwd, sizeof cwd) != NULL && strcmp(cwd, here) == 0, 1);
    expect_err("chdir(d/a.txt)", chdir("d/a.txt"), ENOTDIR);

    check("rename(d, e)", rename("d", "e"), 0);
    expect_err("stat(d) after rename", stat("d", &st), ENOENT);
    list("e");

    /* A directory big enough to need several getdents64 calls. */
    check("mkdir(many)", mkdir("many", 0755), 0);
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        touch(name, "");
    }
    DIR *d = opendir("many");
    int count = 0;
    unsigned long sum = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        count++;
        if (strncmp(e->d_name, "entry-with-a-longish-name-", 26) == 0)
            sum += strtoul(e->d_name + 26, NULL, 10);
    }
    closedir(d);
    check("entries in many (incl . and ..)", count, 302);
    check("sum of entry numbers", (long)sum, 299L * 300 / 2);
    for (int i = 0; i < 300; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
        if (unlink(name) != 0)
            failures++;
    }
    check("rmdir(many)", rmdir("many"), 0);

    check("unlink(e/a.txt)", unlink("e/a.txt"), 0);
    check("unlink(e/b.txt)", unlink("e/b.txt"), 0);
    check("unlink(e/sub/c)", unlink("e/sub/c"), 0);
    check("rmdir(e/sub)", rmdir("e/sub"), 0);
    check("rmdir(e)", rmdir("e"), 0);
    expect_err("rmdir(e) again", rmdir("e"), ENOENT);
    list(".");

    printf("failures: %d\n", failures);
    return failures != 0;
}
