/* fcntl.h - open() flags and lseek() whence values (unix/fcntl.h). */
#ifndef ULIB_FCNTL_H
#define ULIB_FCNTL_H

#include <unix/fcntl.h>

#endif
