/*
 * thread.h - what processes that share memory (sproc) need to cooperate:
 * spin locks and atomic counters, built on the LL/SC instructions.
 *
 * A lock that is taken calls yield() while it waits, so a waiter does not
 * burn a CPU that the holder could use when there are more processes than
 * CPUs.
 */
#ifndef ULIB_THREAD_H
#define ULIB_THREAD_H

typedef struct {
	volatile int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
int spin_trylock(spinlock_t *l);          /* 1 if taken */

/* Add v to *p atomically; returns the new value. */
int atomic_add(volatile int *p, int v);

#endif
