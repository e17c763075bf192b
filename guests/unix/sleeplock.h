/*
 * sleeplock.h - locks held across disk I/O: waiters sleep instead of
 * spinning, and the holder may sleep too (buffers, inodes).
 */
#ifndef SLEEPLOCK_H
#define SLEEPLOCK_H

#include "spinlock.h"

struct sleeplock {
	volatile int locked;
	struct spinlock lk;
	const char *name;
	int pid;
};

void sleeplock_init(struct sleeplock *l, const char *name);
void acquiresleep(struct sleeplock *l);
void releasesleep(struct sleeplock *l);
int holdingsleep(struct sleeplock *l);

#endif
