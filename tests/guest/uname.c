/* uname: system identification - uname(2) sysname is "Linux" and machine is
 * "riscv64"; release/version are non-empty (not printed); gethostname works
 * and agrees with nodename. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
    struct utsname u;
    int r = uname(&u);
    printf("uname returned %d\n", r);
    printf("sysname: %s\n", u.sysname);
    printf("machine: %s\n", u.machine);
    printf("release non-empty: %s\n", u.release[0] ? "yes" : "no");
    printf("version non-empty: %s\n", u.version[0] ? "yes" : "no");
    char host[256];
    r = gethostname(host, sizeof host);
    printf("gethostname returned %d, equals nodename: %s\n", r, strcmp(host, u.nodename) == 0 ? "yes" : "no");
    return 0;
}
