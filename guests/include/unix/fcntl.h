/* unix/fcntl.h - open() flags and lseek() whence values. */
#ifndef UNIX_FCNTL_H
#define UNIX_FCNTL_H

#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR   0x002
#define O_CREATE 0x200 /* create if missing */
#define O_TRUNC  0x400 /* truncate to zero length */
#define O_APPEND 0x800 /* every write goes to the end */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#endif
