/*
 * spinlock.h - mutual exclusion between CPUs for short critical sections.
 *
 * A holder keeps interrupts off on its CPU (so an interrupt handler on the
 * same CPU cannot try to take the lock again) and never sleeps, nor waits
 * for another CPU's answer to an IPI (see tlb.c).
 */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include <stdint.h>

struct spinlock {
	volatile uint32_t locked;
	const char *name;
	int cpu;                 /* holder, for holding() and panics */
};

void spin_init(struct spinlock *lk, const char *name);
void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
int holding(struct spinlock *lk);
void push_off(void);         /* interrupts off, nestable */
void pop_off(void);
/* The boot argument lockstat: acquire() counts its spinning (spinlock.c),
   spin_report() prints the totals at halt if it is on. */
void spin_set_lockstat(int on);
void spin_report(void);

#endif
