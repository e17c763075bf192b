/*
 * atomic.h - atomic operations on words, built on LL/SC.
 *
 * LL loads a word and links its cache line; SC stores only if no other CPU
 * (or DMA, or an exception on this CPU) wrote the line since, and says
 * whether it did. A loop of LL ... SC therefore makes a read-modify-write
 * atomic. LL and SC are ordinary user-level instructions, not privileged.
 */
#ifndef ATOMIC_H
#define ATOMIC_H

#include <stdint.h>

/* A full memory barrier, for the compiler and the machine. */
static inline void mb(void)
{
	__asm__ volatile("sync" ::: "memory");
}

/* *p += d; returns the new value. */
static inline uint32_t atomic_add(volatile uint32_t *p, int32_t d)
{
	uint32_t v, tmp;

	__asm__ volatile(
		".set push\n\t.set noreorder\n"
		"1:\tll\t%0, 0(%2)\n\t"
		"addu\t%1, %0, %3\n\t"
		"sc\t%1, 0(%2)\n\t"
		"beqz\t%1, 1b\n\t"
		"nop\n\t"
		".set pop"
		: "=&r"(v), "=&r"(tmp) : "r"(p), "r"(d) : "memory");
	return v + d;
}

/* *p |= bits, *p &= ~bits. */
static inline void atomic_or(volatile uint32_t *p, uint32_t bits)
{
	uint32_t tmp;

	__asm__ volatile(
		".set push\n\t.set noreorder\n"
		"1:\tll\t%0, 0(%1)\n\t"
		"or\t%0, %0, %2\n\t"
		"sc\t%0, 0(%1)\n\t"
		"beqz\t%0, 1b\n\t"
		"nop\n\t"
		".set pop"
		: "=&r"(tmp) : "r"(p), "r"(bits) : "memory");
}

static inline void atomic_clear(volatile uint32_t *p, uint32_t bits)
{
	uint32_t tmp;

	__asm__ volatile(
		".set push\n\t.set noreorder\n"
		"1:\tll\t%0, 0(%1)\n\t"
		"and\t%0, %0, %2\n\t"
		"sc\t%0, 0(%1)\n\t"
		"beqz\t%0, 1b\n\t"
		"nop\n\t"
		".set pop"
		: "=&r"(tmp) : "r"(p), "r"(~bits) : "memory");
}

/* If *p == 0, set it to 1 and return 1; else return 0. */
static inline int atomic_try_set(volatile uint32_t *p)
{
	uint32_t old, tmp;

	__asm__ volatile(
		".set push\n\t.set noreorder\n"
		"1:\tll\t%0, 0(%2)\n\t"
		"bnez\t%0, 2f\n\t"
		"li\t%1, 1\n\t"
		"sc\t%1, 0(%2)\n\t"
		"beqz\t%1, 1b\n\t"
		"nop\n"
		"2:\n\t"
		".set pop"
		: "=&r"(old), "=&r"(tmp) : "r"(p) : "memory");
	return old == 0;
}

#endif
