/*
 * abort.c - abnormal ends: abort() and failed assertions.
 *
 * There are no signals, so abort exits with 134, the status a Unix shell
 * shows for a process killed by SIGABRT (128 + 6): a test script sees a
 * failure and a reader recognises it.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void abort(void)
{
	exit(134);
}

void __assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "assertion failed: %s, %s:%d\n", expr, file, line);
	abort();
}
