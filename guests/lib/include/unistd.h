/*
 * unistd.h - the system calls of the kit's Unix kernel, as C functions.
 *
 * One wrapper per call of unix/syscall.h (syscalls.S). A call that fails
 * returns -1 and leaves the error number in errno (<errno.h>); sbrk returns
 * (void *)-1. The kernel checks every pointer, so a bad one is EFAULT.
 */
#ifndef ULIB_UNISTD_H
#define ULIB_UNISTD_H

#include <stddef.h>
#include <unix/fcntl.h>
#include <unix/stat.h>
#include <unix/syscall.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

void exit(int status) __attribute__((noreturn));
int fork(void);
int wait(int *status);           /* status: the child's exit value, -1 if killed */
int exec(const char *path, char *const argv[]);
int getpid(void);
int getppid(void);
int nfsd(const char *dir, int clients); /* serve dir over NFS (a VM's kernel) */
int kill(int pid);
void *sbrk(int incr);
int open(const char *path, int flags);
int close(int fd);
int read(int fd, void *buf, int n);
int write(int fd, const void *buf, int n);
int pipe(int fds[2]);
int dup(int fd);
int dup2(int fd, int newfd);
int fstat(int fd, struct stat *st);
int link(const char *oldpath, const char *newpath);
int unlink(const char *path);
int mkdir(const char *path);
int chdir(const char *path);
int lseek(int fd, int offset, int whence);
int yield(void);
int sleep(int ticks);
int uptime(void);
int ncpus(void);
int mark(unsigned int value);
int halt(int status);
int getcpu(void);
int sync(void);
int memstat(struct memstat *m);

/*
 * sproc: start entry(arg) in a new process that shares this address space,
 * on the stack that ends at stack_top (IRIX sproc). When entry returns, the
 * new process exits with status 0. Returns its pid, or -1.
 */
int sproc(void (*entry)(void *), void *arg, void *stack_top);

/* The raw call: number and up to four arguments; -1 and errno on error. */
int syscall(int number, int a0, int a1, int a2, int a3);

/* Library helpers built on the calls above. */
int stat(const char *path, struct stat *st);   /* open + fstat + close */
int waitpid(int pid, int *status);            /* wait for that child (unix.c) */

#endif
