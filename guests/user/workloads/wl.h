/*
 * wl.h - what the workloads of the paper's Table 1 share: size arguments,
 * checksums, careful I/O and error exits.
 *
 * The workloads are user programs for the kit's Unix kernel, written
 * against its C library (guests/lib). Every one of them is deterministic:
 * its console output (checksums and counts) depends only on its arguments
 * and its input files, never on the number of CPUs or on timing. The
 * measured phase is bracketed by mark(1) and mark(2), so statistics, not
 * the console, carry the time (DESIGN.md, "Guests and the port to the
 * monitor"). The same sources also build on the host (host/compat.h), so
 * the host's checksums check the simulated machine's.
 */
#ifndef WL_H
#define WL_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WL_MARK_START 1   /* mark() values around the measured phase */
#define WL_MARK_END   2

/* The sizes a workload accepts by name; a number is taken as it is. */
struct wl_sizes {
	int small, medium, large;
};

/* "small", "medium", "large" or a positive number; -1 if neither. */
int wl_parse_size(const char *arg, const struct wl_sizes *sizes);

/* Standard options: -s SIZE (or a bare SIZE), -j N, -g, -o FILE. Unknown options
   print the usage and exit 2. */
struct wl_args {
	int size;     /* from -s or the first non-option argument */
	int jobs;     /* -j N, 0 if not given */
	int generate; /* -g */
	const char *output; /* -o FILE, NULL if not given */
};
void wl_getargs(int argc, char **argv, const char *usage,
		const struct wl_sizes *sizes, int default_size,
		struct wl_args *out);

/* FNV-1a over bytes, chainable: h = wl_hash(h, ...), start at WL_HASH0. */
#define WL_HASH0 2166136261u
uint32_t wl_hash(uint32_t h, const void *p, size_t n);
uint32_t wl_hash32(uint32_t h, uint32_t v);   /* one word, little-endian */

/* A bijective 32-bit mix (MurmurHash3's finalizer). */
uint32_t wl_mix(uint32_t x);

/* xorshift32 step on a caller's state (never 0). */
uint32_t wl_rand(uint32_t *state);
/* Uniform in [0, n). */
uint32_t wl_randn(uint32_t *state, uint32_t n);

/* "prog: error: what: why" on stderr, exit 2 (DESIGN.md's convention). */
void wl_die(const char *prog, const char *what) __attribute__((noreturn));
/* The same with errno's text. */
void wl_die_errno(const char *prog, const char *what)
	__attribute__((noreturn));
void *wl_malloc(const char *prog, size_t n);   /* malloc or die */
/* Wait for n children (processes or sproc threads): how many exited with
   a status other than 0. A failed wait() dies. */
int wl_wait_all(const char *prog, int n);

/* Whole-buffer I/O: n bytes or -1 (short reads/writes are retried; 0 at
   end of file for read). */
int wl_write_all(int fd, const void *buf, int n);
int wl_read_all(int fd, void *buf, int n);
/* Read a whole file into a malloc'd buffer (NUL-terminated); -1 on error. */
int wl_read_file(const char *path, char **buf);
/* Create or truncate path and write buf to it; -1 on error. */
int wl_write_file(const char *path, const void *buf, int n);

#endif
