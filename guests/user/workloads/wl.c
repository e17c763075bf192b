/*
 * wl.c - helpers shared by the workloads (wl.h).
 */
#include <errno.h>

#include "wl.h"

int wl_parse_size(const char *arg, const struct wl_sizes *sizes)
{
	if (!strcmp(arg, "small"))
		return sizes->small;
	if (!strcmp(arg, "medium"))
		return sizes->medium;
	if (!strcmp(arg, "large"))
		return sizes->large;
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v <= 0 || v > 0x7FFFFFFF)
		return -1;
	return (int)v;
}

static void usage(const char *prog, const char *text)
{
	fprintf(stderr, "usage: %s %s\n", prog, text);
	exit(2);
}

void wl_getargs(int argc, char **argv, const char *text,
		const struct wl_sizes *sizes, int default_size,
		struct wl_args *out)
{
	const char *prog = argv[0];

	out->size = default_size;
	out->jobs = 0;
	out->generate = 0;
	out->output = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-g")) {
			out->generate = 1;
		} else if (!strcmp(a, "-j") && i + 1 < argc) {
			out->jobs = atoi(argv[++i]);
			if (out->jobs <= 0)
				usage(prog, text);
		} else if (!strcmp(a, "-o") && i + 1 < argc) {
			out->output = argv[++i];
		} else if (!strcmp(a, "-s") && i + 1 < argc) {
			if ((out->size = wl_parse_size(argv[++i], sizes)) < 0)
				usage(prog, text);
		} else if (a[0] != '-') {
			if ((out->size = wl_parse_size(a, sizes)) < 0)
				usage(prog, text);
		} else {
			usage(prog, text);
		}
	}
}

uint32_t wl_hash(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= 16777619u;
	}
	return h;
}

uint32_t wl_hash32(uint32_t h, uint32_t v)
{
	for (int i = 0; i < 4; i++, v >>= 8) {
		h ^= v & 0xFF;
		h *= 16777619u;
	}
	return h;
}

uint32_t wl_mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x;
}

uint32_t wl_rand(uint32_t *state)
{
	uint32_t x = *state ? *state : 1;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

uint32_t wl_randn(uint32_t *state, uint32_t n)
{
	return (uint32_t)(((uint64_t)wl_rand(state) * n) >> 32);
}

void wl_die(const char *prog, const char *what)
{
	fprintf(stderr, "%s: error: %s\n", prog, what);
	exit(2);
}

void wl_die_errno(const char *prog, const char *what)
{
	fprintf(stderr, "%s: error: %s: %s\n", prog, what, strerror(errno));
	exit(2);
}

void *wl_malloc(const char *prog, size_t n)
{
	void *p = malloc(n);

	if (!p)
		wl_die(prog, "out of memory");
	return p;
}

int wl_write_all(int fd, const void *buf, int n)
{
	const char *p = buf;

	for (int done = 0; done < n;) {
		int r = write(fd, p + done, n - done);
		if (r <= 0)
			return -1;
		done += r;
	}
	return n;
}

int wl_wait_all(const char *prog, int n)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		int status;
		if (wait(&status) < 0)
			wl_die_errno(prog, "wait");
		failed += status != 0;
	}
	return failed;
}

int wl_read_all(int fd, void *buf, int n)
{
	char *p = buf;
	int done = 0;

	while (done < n) {
		int r = read(fd, p + done, n - done);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

int wl_read_file(const char *path, char **buf)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	int size = lseek(fd, 0, SEEK_END);
	if (size < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	char *b = malloc(size + 1);
	int n = b ? wl_read_all(fd, b, size) : -1;
	close(fd);
	if (n != size) {
		free(b);
		return -1;
	}
	b[n] = '\0';
	*buf = b;
	return n;
}

int wl_write_file(const char *path, const void *buf, int n)
{
	int fd = open(path, O_WRONLY | O_CREATE | O_TRUNC);

	if (fd < 0)
		return -1;
	int r = wl_write_all(fd, buf, n);
	if (close(fd) < 0)
		r = -1;
	return r;
}
