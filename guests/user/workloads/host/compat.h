/*
 * host/compat.h - build the workloads on the host (Linux, gcc), to check
 * that the simulated machine computes the same checksums as the host.
 *
 * Force-included (gcc -include) before every workload source: it pulls in
 * the host's headers first, then maps the kit's system calls and names onto
 * POSIX. Absolute paths are taken under $WL_ROOT (so /src/pmake is
 * $WL_ROOT/src/pmake) and exec("/bin/cc") runs $WL_BIN/cc. sproc becomes a
 * thread that wait() joins. mark() does nothing; ncpus() is $WL_NCPUS;
 * yield() is sched_yield().
 * Development and testing only: the guest build never sees this file.
 */
#ifndef WL_HOST_COMPAT_H
#define WL_HOST_COMPAT_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define O_CREATE O_CREAT

int wl_host_open(const char *path, int flags);
int wl_host_mkdir(const char *path);
int wl_host_unlink(const char *path);
int wl_host_exec(const char *path, char *const argv[]);
int wl_host_wait(int *status);
int wl_host_ncpus(void);
static inline int wl_host_mark(unsigned v) { (void)v; return 0; }
int wl_host_sproc(void (*entry)(void *), void *arg, void *stack_top);

#define open(p, f) wl_host_open(p, f)
#define mkdir(p) wl_host_mkdir(p)
#define unlink(p) wl_host_unlink(p)
#define exec(p, a) wl_host_exec(p, a)
#define wait(s) wl_host_wait(s)
#define ncpus() wl_host_ncpus()
#define sproc(e, a, s) wl_host_sproc(e, a, s)
#define mark(v) wl_host_mark(v)
#define yield() sched_yield()

#endif
