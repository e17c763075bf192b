/*
 * tlib.h - a minimal library for the kernel's stand-in test programs.
 * System calls return -errno on failure (no errno variable).
 */
#ifndef TLIB_H
#define TLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unix/syscall.h>
#include <unix/errno.h>
#include <unix/fcntl.h>
#include <unix/stat.h>

void exit(int status) __attribute__((noreturn));
int fork(void);
int wait(int *status);
int exec(const char *path, char *const argv[]);
int getpid(void);
int kill(int pid);
void *sbrk(int incr);
int open(const char *path, int flags);
int close(int fd);
int read(int fd, void *buf, int n);
int write(int fd, const void *buf, int n);
int pipe(int fds[2]);
int dup(int fd);
int fstat(int fd, struct stat *st);
int link(const char *old, const char *new);
int unlink(const char *path);
int mkdir(const char *path);
int chdir(const char *path);
int lseek(int fd, int off, int whence);
int sproc(void (*entry)(void *), void *arg, void *stack_top);
int yield(void);
int sleep(int ticks);
int uptime(void);
int ncpus(void);
int mark(unsigned value);
int halt(int status);
int getcpu(void);
int sync(void);
int memstat(struct memstat *m);
int dup2(int fd, int newfd);
int getppid(void);
int rawsys(int num, int a0, int a1, int a2);

size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strcpy(char *d, const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int atoi(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *malloc(size_t n);
void free(void *p);

/* Checks: print a line for a failure and count it. */
extern int tl_failures;
#define CHECK(cond, ...) do { if (!(cond)) { tl_failures++; \
	printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

#endif
