/*
 * spinlock.c - spinlocks on LL/SC, and nestable interrupt disabling.
 *
 * acquire() spins reading the lock word (a read hits in this CPU's cache
 * and costs nothing on the interconnect) and only tries LL/SC when it
 * reads 0: MACHINE.md says another CPU's write to the line breaks our
 * link, so a successful SC after LL read 0 means we own the lock.
 */
#include "kernel.h"

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->cpu = -1;
}

void acquire(struct spinlock *lk)
{
	push_off();
	if (holding(lk))
		panic("acquire %s: already held", lk->name);
	for (;;) {
		while (lk->locked)
			;
		if (atomic_try_set(&lk->locked))
			break;
	}
	mb();
	lk->cpu = mycpu()->id;
}

void release(struct spinlock *lk)
{
	if (!holding(lk))
		panic("release %s: not held", lk->name);
	lk->cpu = -1;
	mb();                    /* the critical section's stores first */
	lk->locked = 0;
	pop_off();
}

int holding(struct spinlock *lk)
{
	int r, on = hal_intr_off();

	r = lk->locked && lk->cpu == hal_cpu_id();
	hal_intr_restore(on);
	return r;
}

/* push_off/pop_off are like intr_off/intr_on but nest: two push_off need
   two pop_off, and interrupts come back only if they were on at first. */
void push_off(void)
{
	int on = hal_intr_off();
	struct cpu *c = mycpu();

	if (c->noff == 0)
		c->intena = on;
	c->noff++;
}

void pop_off(void)
{
	struct cpu *c = mycpu();

	if (hal_intr_enabled())
		panic("pop_off: interrupts on");
	if (c->noff < 1)
		panic("pop_off: not pushed");
	c->noff--;
	if (c->noff == 0 && c->intena)
		hal_intr_on();
}
