/*
 * unix/syscall.h - the system-call interface of the kit's Unix kernel.
 *
 * Shared by the kernel (guests/unix) and the C library (guests/lib).
 *
 * Calling convention (MIPS o32, as IRIX):
 *   v0 = call number; a0..a3 = first four arguments; a fifth and sixth
 *   argument sit on the user stack at 16(sp) and 20(sp);
 *   `syscall`; the result comes back in v0. A negative result -E is an
 *   error with errno E (unix/errno.h); the library wrappers turn it into
 *   -1 and errno. Registers other than v0, v1, a0..a3, t0..t9 and at are
 *   preserved.
 *
 * Every pointer argument is checked by the kernel: a bad pointer is -EFAULT,
 * never a kernel crash.
 */
#ifndef UNIX_SYSCALL_H
#define UNIX_SYSCALL_H

#define SYS_exit      1   /* void exit(int status) */
#define SYS_fork      2   /* int fork(void): child pid, 0 in the child */
#define SYS_wait      3   /* int wait(int *status): pid of a child that exited */
#define SYS_exec      4   /* int exec(const char *path, char *const argv[]) */
#define SYS_getpid    5   /* int getpid(void) */
#define SYS_kill      6   /* int kill(int pid): the process exits with status -1 (killed) */
#define SYS_sbrk      7   /* void *sbrk(int incr): old break, or -ENOMEM */
#define SYS_open      8   /* int open(const char *path, int flags) (unix/fcntl.h) */
#define SYS_close     9   /* int close(int fd) */
#define SYS_read      10  /* int read(int fd, void *buf, int n) */
#define SYS_write     11  /* int write(int fd, const void *buf, int n) */
#define SYS_pipe      12  /* int pipe(int fds[2]) */
#define SYS_dup       13  /* int dup(int fd) */
#define SYS_fstat     14  /* int fstat(int fd, struct stat *st) (unix/stat.h) */
#define SYS_link      15  /* int link(const char *old, const char *new) */
#define SYS_unlink    16  /* int unlink(const char *path): files and empty directories */
#define SYS_mkdir     17  /* int mkdir(const char *path) */
#define SYS_chdir     18  /* int chdir(const char *path) */
#define SYS_lseek     19  /* int lseek(int fd, int offset, int whence): SEEK_SET/CUR/END */
#define SYS_sproc     20  /* int sproc(void (*entry)(void *), void *arg, void *stack_top):
                             a new process sharing the caller's address space (IRIX sproc):
                             it starts at entry(arg) on the given stack; returns its pid */
#define SYS_yield     21  /* int yield(void) */
#define SYS_sleep     22  /* int sleep(int ticks) */
#define SYS_uptime    23  /* int uptime(void): timer ticks since boot */
#define SYS_ncpus     24  /* int ncpus(void): CPUs the kernel runs on */
#define SYS_mark      25  /* int mark(unsigned value): a phase marker for the statistics */
#define SYS_halt      26  /* int halt(int status): stop the machine (init only; -EPERM otherwise) */
#define SYS_getcpu    27  /* int getcpu(void): CPU the caller runs on (not deterministic!) */
#define SYS_sync      28  /* int sync(void): write every dirty buffer to disk */
#define SYS_memstat   29  /* int memstat(struct memstat *m): free and total pages */
#define SYS_dup2      30  /* int dup2(int fd, int newfd) */
#define SYS_getppid   31  /* int getppid(void) */
#define SYS_nfsd      32  /* int nfsd(const char *dir, int clients): serve dir over the
                             network (NFS, in a VM) until that many clients have unmounted
                             (0: until killed); -ENXIO without a network */

#define SYS_MAX       32

/* Where an sproc'd process's entry function returns to (its $ra): an
   address that is never mapped. The fetch there ends the process with
   the function's return value as its exit status, as if it had called
   exit(). (The kernel sets $ra; programs need not use this.) */
#define SPROC_RETURN  0x7FFFF000u

#ifndef __ASSEMBLER__
/* Argument of SYS_memstat. */
struct memstat {
    unsigned int pages_total;
    unsigned int pages_free;
};
#endif

#endif
