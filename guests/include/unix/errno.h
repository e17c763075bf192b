/* unix/errno.h - error numbers returned (negated) by system calls. */
#ifndef UNIX_ERRNO_H
#define UNIX_ERRNO_H

#define EPERM    1  /* not allowed */
#define ENOENT   2  /* no such file or directory */
#define ESRCH    3  /* no such process */
#define EINTR    4  /* interrupted (the process was killed) */
#define EIO      5  /* disk error */
#define ENXIO    6  /* no such disk */
#define E2BIG    7  /* argument list too long */
#define ENOEXEC  8  /* not an executable this kernel can run */
#define EBADF    9  /* bad file descriptor */
#define ECHILD   10 /* no children to wait for */
#define EAGAIN   11 /* try again (no process slot) */
#define ENOMEM   12 /* out of memory */
#define EFAULT   14 /* bad address */
#define EBUSY    16 /* busy */
#define EEXIST   17 /* file exists */
#define EXDEV    18 /* cross-device link */
#define ENOTDIR  20 /* not a directory */
#define EISDIR   21 /* is a directory */
#define EINVAL   22 /* invalid argument */
#define ENFILE   23 /* file table full */
#define EMFILE   24 /* too many open files */
#define EFBIG    27 /* file too large */
#define ENOSPC   28 /* no space left on the disk */
#define ESPIPE   29 /* seek on a pipe */
#define EPIPE    32 /* write to a pipe with no reader */
#define ENAMETOOLONG 36 /* name too long */
#define ENOSYS   38 /* no such system call */
#define ENOTEMPTY 39 /* directory not empty */

#endif
