/*
 * timer.c - the clock.
 *
 * Every CPU's Count/Compare timer interrupts it every TICK_CYCLES
 * (param.h); each tick preempts the running process (trap.c). CPU 0 also
 * counts ticks, which uptime() reports and sleep() waits on: one counter,
 * so it is the same whatever the number of CPUs.
 */
#include "proc.h"
#include "net.h"

struct spinlock tickslock;
static volatile uint32_t ticks;

void timer_intr(void)
{
	if (hal_cpu_id() == 0) {
		acquire(&tickslock);
		ticks++;
		release(&tickslock);
		wakeup((void *)&ticks);
		net_tick();          /* RPC callers check their timeouts */
	}
	hal_timer_rearm(TICK_CYCLES);
}

uint32_t timer_ticks(void)
{
	return ticks;
}

/* Sleep n ticks; -EINTR if killed meanwhile. */
int timer_sleep(uint32_t n)
{
	uint32_t t0;

	acquire(&tickslock);
	t0 = ticks;
	while (ticks - t0 < n) {
		if (myproc()->killed) {
			release(&tickslock);
			return -EINTR;
		}
		sleep((void *)&ticks, &tickslock);
	}
	release(&tickslock);
	return 0;
}
