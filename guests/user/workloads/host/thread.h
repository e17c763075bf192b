/* host/thread.h - the kit's <thread.h> (guests/lib) for host builds. */
#ifndef WL_HOST_THREAD_H
#define WL_HOST_THREAD_H

#include <sched.h>

typedef struct {
	volatile int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline int spin_trylock(spinlock_t *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (l->locked)
			sched_yield();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline int atomic_add(volatile int *p, int v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

#endif
