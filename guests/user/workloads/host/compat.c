/*
 * host/compat.c - the host side of host/compat.h. Not built for the guest.
 */
#include <pthread.h>

#include "compat.h"

#undef open
#undef mkdir
#undef unlink
#undef wait

static const char *root(const char *var)
{
	const char *r = getenv(var);

	if (!r) {
		fprintf(stderr, "compat: error: %s not set\n", var);
		exit(2);
	}
	return r;
}

static const char *host_path(const char *path, char *buf, size_t n)
{
	if (path[0] != '/')
		return path;
	snprintf(buf, n, "%s%s", root("WL_ROOT"), path);
	return buf;
}

int wl_host_open(const char *path, int flags)
{
	char buf[4096];

	return open(host_path(path, buf, sizeof(buf)), flags, 0644);
}

int wl_host_mkdir(const char *path)
{
	char buf[4096];

	return mkdir(host_path(path, buf, sizeof(buf)), 0755);
}

int wl_host_unlink(const char *path)
{
	char buf[4096];

	return unlink(host_path(path, buf, sizeof(buf)));
}

int wl_host_exec(const char *path, char *const argv[])
{
	char buf[4096];
	const char *base = strrchr(path, '/');

	snprintf(buf, sizeof(buf), "%s/%s", root("WL_BIN"), base ? base + 1 : path);
	return execv(buf, argv);
}

/* sproc threads: wait() joins them before it looks for child processes. */
#define MAX_THREADS 64
static pthread_t threads[MAX_THREADS];
static int nthreads, njoined;

struct start {
	void (*entry)(void *);
	void *arg;
};

static void *trampoline(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	s.entry(s.arg);
	return NULL;
}

int wl_host_sproc(void (*entry)(void *), void *arg, void *stack_top)
{
	struct start *s = malloc(sizeof(*s));

	(void)stack_top;
	if (!s || nthreads == MAX_THREADS)
		return -1;
	s->entry = entry;
	s->arg = arg;
	if (pthread_create(&threads[nthreads], NULL, trampoline, s))
		return -1;
	return 100000 + nthreads++;
}

int wl_host_wait(int *status)
{
	if (njoined < nthreads) {
		pthread_join(threads[njoined], NULL);
		if (status)
			*status = 0;
		return 100000 + njoined++;
	}
	int st, pid = wait(&st);
	if (pid >= 0 && status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return pid;
}

int wl_host_ncpus(void)
{
	const char *n = getenv("WL_NCPUS");

	return n ? atoi(n) : 1;
}

/* Output unbuffered, as the kit's printf: nothing is written twice after
   a fork. */
__attribute__((constructor)) static void unbuffered(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}
