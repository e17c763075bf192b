/*
 * stdlib.h - memory, process exit, numbers, sorting, random numbers.
 */
#ifndef ULIB_STDLIB_H
#define ULIB_STDLIB_H

#include <stddef.h>
#include <stdint.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* malloc.c: a free-list allocator over sbrk. Blocks are 8-byte aligned. */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);

void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));    /* exit status 134 */

int abs(int x);
int atoi(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);

/* qsort.c: sort n elements of the given size; not stable. */
void qsort(void *base, size_t n, size_t size,
	   int (*cmp)(const void *, const void *));

/*
 * rand.c: a deterministic generator (Marsaglia's xorshift32). rand()
 * draws from one shared state seeded by srand() (seed 1 if never called);
 * xorshift32() steps a state of the caller's, for per-thread streams. A
 * state must never be 0 (srand and xorshift32 map 0 to 1).
 */
#define RAND_MAX 0x7FFFFFFF
int rand(void);                          /* 0..RAND_MAX */
void srand(unsigned int seed);
uint32_t xorshift32(uint32_t *state);    /* the next value, never 0 */

#endif
