/*
 * stdio.h - formatted output and line input over file descriptors.
 *
 * There are no FILE streams: "files" are plain descriptors, and stdin,
 * stdout and stderr are the numbers 0, 1 and 2, so fprintf(stderr, ...)
 * reads as usual. Nothing is buffered between calls: each printf formats
 * into a buffer on the stack and writes it with as few write() calls as it
 * can (one for a line of up to 256 bytes), so lines from different
 * processes do not interleave and nothing needs flushing at exit.
 *
 * Conversions: %d %i %u %x %X %o %s %c %p %%, flags '-' '0' '+' ' ',
 * a width and a precision (digits or '*'), and the length modifiers
 * h, l, ll and z (int and long are 32 bits, long long 64).
 */
#ifndef ULIB_STDIO_H
#define ULIB_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define stdin  0
#define stdout 1
#define stderr 2
#define EOF    (-1)

#define ULIB_PRINTF(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) ULIB_PRINTF(1, 2);
int fprintf(int fd, const char *fmt, ...) ULIB_PRINTF(2, 3);
int dprintf(int fd, const char *fmt, ...) ULIB_PRINTF(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) ULIB_PRINTF(3, 4);
int vprintf(const char *fmt, va_list ap);
int vfprintf(int fd, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int putchar(int c);
int puts(const char *s);                 /* s and a newline, on stdout */
int fputs(const char *s, int fd);        /* s as it is */
int getchar(void);                       /* next byte of stdin, or EOF */

/*
 * fgets: read one line from fd into buf, newline included, at most size-1
 * bytes, always NUL-terminated. Reads a byte at a time so it never takes
 * more than the line from a descriptor other processes may share. Returns
 * buf, or NULL at end of file (or on error) when nothing was read.
 */
char *fgets(char *buf, int size, int fd);
/* gets: fgets from stdin without the newline (xv6's gets takes a length). */
char *gets(char *buf, int size);

#endif
