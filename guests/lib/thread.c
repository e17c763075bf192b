/*
 * thread.c - spin locks and atomic counters for processes that share
 * memory. The __atomic builtins compile to LL/SC loops with the sync
 * barriers the memory model needs; no library call is involved.
 */
#include <thread.h>
#include <unistd.h>

int spin_trylock(spinlock_t *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (l->locked)
			yield();  /* let the holder run if it shares our CPU */
}

void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

int atomic_add(volatile int *p, int v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}
