/*
 * spinlock.c: a spinlock built on LL/SC (load linked, store conditional).
 *
 * LL loads a word and sets the CPU's link; SC stores only if the link is
 * still intact and says (1 or 0) whether it did. MACHINE.md, "CPU": the link
 * is broken by ERET, by an exception, and by any other CPU's (or DMA's)
 * write to the same cache line. So if LL saw 0 and SC succeeded, no other CPU
 * took the lock in between.
 */
#include "baremetal.h"

void spin_lock(struct spinlock *lock)
{
	uint32_t tmp;

	__asm__ volatile(
		"	.set push\n"
		"	.set noreorder\n"
		"1:	ll	%0, 0(%1)\n"    /* tmp = lock->locked, and link */
		"	bnez	%0, 1b\n"       /* held by someone: try again */
		"	li	%0, 1\n"        /* (delay slot) */
		"	sc	%0, 0(%1)\n"    /* lock->locked = 1 if still linked */
		"	beqz	%0, 1b\n"       /* link broken: try again */
		"	nop\n"
		"	sync\n"                 /* critical section starts after */
		"	.set pop\n"
		: "=&r"(tmp)
		: "r"(&lock->locked)
		: "memory");
}

void spin_unlock(struct spinlock *lock)
{
	sync();    /* critical section stores before the release */
	lock->locked = 0;
}
