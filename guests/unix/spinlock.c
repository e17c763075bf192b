/*
 * spinlock.c - spinlocks on LL/SC, and nestable interrupt disabling.
 *
 * acquire() spins reading the lock word (a read hits in this CPU's cache
 * and costs nothing on the interconnect) and only tries LL/SC when it
 * reads 0: MACHINE.md says another CPU's write to the line breaks our
 * link, so a successful SC after LL read 0 means we own the lock.
 *
 * The boot argument lockstat (main.c) makes acquire() count, per CPU, its
 * acquires and the cycles it spends spinning on a held lock (the kernel
 * synchronization time of the paper's Figure 7); spin_report() prints the
 * totals at halt. Without it the only cost is one test of a flag.
 */
#include "kernel.h"

/* lockstat: per CPU, a cache line each so CPUs do not share them. */
static int lockstat;
static struct lockstat {
	uint64_t spin;           /* cycles spent waiting for a held lock */
	uint32_t acquires;
	uint32_t waited;         /* acquires that found the lock held */
} __attribute__((aligned(128))) lockstats[NCPU];

void spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->cpu = -1;
}

/* acquire()'s loop under lockstat: the clock is read only when the lock
   is found held, from then until this CPU owns it. */
static void acquire_counted(struct spinlock *lk)
{
	struct lockstat *s = &lockstats[hal_cpu_id()];
	uint64_t start = 0;

	s->acquires++;
	for (;;) {
		if (lk->locked && !start)
			start = hal_cycles();
		while (lk->locked)
			;
		if (atomic_try_set(&lk->locked))
			break;
	}
	if (start) {
		s->spin += hal_cycles() - start;
		s->waited++;
	}
}

void acquire(struct spinlock *lk)
{
	push_off();
	if (holding(lk))
		panic("acquire %s: already held", lk->name);
	if (lockstat)
		acquire_counted(lk);
	else
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

void spin_set_lockstat(int on)
{
	lockstat = on;
}

/* v in decimal, written backwards from end: the kernel has no 64-bit
   division, so v / 10 is long division in 16-bit steps. */
static char *u64_decimal(uint64_t v, char *end)
{
	*--end = 0;
	do {
		uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
		uint32_t mid = (hi % 10) << 16 | lo >> 16;
		uint32_t low = (mid % 10) << 16 | (lo & 0xFFFF);

		v = (uint64_t)(hi / 10) << 32 | (mid / 10) << 16 | low / 10;
		*--end = (char)('0' + low % 10);
	} while (v);
	return end;
}

/* lockstat: the totals over all CPUs, once, at halt. */
void spin_report(void)
{
	uint64_t spin = 0, acquires = 0, waited = 0;
	char a[24], b[24], c[24];

	if (!lockstat)
		return;
	for (int i = 0; i < NCPU; i++) {
		spin += lockstats[i].spin;
		acquires += lockstats[i].acquires;
		waited += lockstats[i].waited;
	}
	kprintf("unix: spinlocks: %s cycles spinning, %s acquires, %s waited\n",
		u64_decimal(spin, a + sizeof a), u64_decimal(acquires, b + sizeof b),
		u64_decimal(waited, c + sizeof c));
}
