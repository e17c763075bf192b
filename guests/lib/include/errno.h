/*
 * errno.h - the error number of the last failed system call.
 *
 * One errno per address space: processes made by sproc share it, so a
 * thread that cares must read it right after the failing call.
 */
#ifndef ULIB_ERRNO_H
#define ULIB_ERRNO_H

#include <unix/errno.h>

extern int errno;

/* A short description of an error number ("no such file or directory"). */
const char *strerror(int err);

#endif
