/*
 * sleeplock.c - sleeping locks (sleeplock.h).
 */
#include "proc.h"
#include "sleeplock.h"

void sleeplock_init(struct sleeplock *l, const char *name)
{
	spin_init(&l->lk, "sleeplock");
	l->name = name;
	l->locked = 0;
	l->pid = 0;
}

void acquiresleep(struct sleeplock *l)
{
	acquire(&l->lk);
	while (l->locked)
		sleep(l, &l->lk);
	l->locked = 1;
	l->pid = myproc()->pid;
	release(&l->lk);
}

void releasesleep(struct sleeplock *l)
{
	acquire(&l->lk);
	l->locked = 0;
	l->pid = 0;
	release(&l->lk);
	wakeup(l);
}

int holdingsleep(struct sleeplock *l)
{
	int r;

	acquire(&l->lk);
	r = l->locked && l->pid == myproc()->pid;
	release(&l->lk);
	return r;
}
