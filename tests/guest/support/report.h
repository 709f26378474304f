/* report.h: one line per call for the guests that list call results: the value,
 * or -1 and errno's text, so that qemu's and MVVM's answers compare line by line. */
#ifndef REPORT_H
#define REPORT_H
#include <errno.h>
#include <stdio.h>
#include <string.h>

static void result(const char *what, long r) {
    if (r < 0)
        printf("%s: -1 %s\n", what, strerror(errno));
    else
        printf("%s: %ld\n", what, r);
}
#endif
