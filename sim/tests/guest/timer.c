/*
 * timer: the CP0 timer, MACHINE.md "CPU" (Interrupts).
 *
 * Count increments once per cycle; when Count == Compare the CPU raises IP7,
 * and writing Compare clears it. Checks that IP7 becomes pending even while
 * interrupts are off, that it is delivered when enabled, that several ticks
 * arrive, and that WAIT wakes up on it (with interrupts off and on).
 */
#include "baremetal.h"

#define INTERVAL 2000    /* cycles between ticks */
#define IP7 (1 << IRQ_TIMER)

static volatile uint32_t ticks;
static volatile uint32_t last_tick;   /* ticks at which to stop rearming */

/* Compare = Count - 1 is as far in the future as it gets (2^32 cycles). */
static void timer_off(void)
{
	mtc0(CP0_COMPARE, mfc0(CP0_COUNT) - 1);
}

void handle_exception(struct trapframe *tf)
{
	if (exc_code(tf) != EXC_INT || !((tf->cause >> CAUSE_IP_SHIFT) & IP7)) {
		printf("unexpected ");
		trap_dump(tf);
		halt(1);
	}
	ticks++;
	/* Writing Compare acknowledges the interrupt and sets the next one. */
	if (ticks < last_tick)
		mtc0(CP0_COMPARE, mfc0(CP0_COUNT) + INTERVAL);
	else
		timer_off();
}

/* Spin until the condition holds or `cycles` cycles pass. */
static int spin_until_pending(uint32_t cycles)
{
	uint32_t start = mfc0(CP0_COUNT);

	while (mfc0(CP0_COUNT) - start < cycles)
		if (intr_pending() & IP7)
			return 1;
	return 0;
}

int main(void)
{
	uint32_t c1, c2;

	printf("timer: checking Count, Compare, IP7 and WAIT\n");
	timer_off();
	check_eq(intr_pending() & IP7, 0, "writing Compare clears IP7");

	c1 = mfc0(CP0_COUNT);
	for (volatile int i = 0; i < 100; i++)
		;
	c2 = mfc0(CP0_COUNT);
	check(c2 - c1 >= 100, "Count advances at least once per instruction");

	/* Interrupts off: IP7 shows up in Cause anyway. */
	mtc0(CP0_COMPARE, mfc0(CP0_COUNT) + 500);
	check(spin_until_pending(100000), "Count reaching Compare sets Cause.IP7");
	timer_off();
	check_eq(intr_pending() & IP7, 0, "writing Compare clears IP7 again");

	/* Interrupts on: five ticks. */
	ticks = 0;
	last_tick = 5;
	mtc0(CP0_COMPARE, mfc0(CP0_COUNT) + INTERVAL);
	intr_enable(IP7);
	c1 = mfc0(CP0_COUNT);
	while (ticks < 5 && mfc0(CP0_COUNT) - c1 < 100 * INTERVAL)
		;
	intr_disable();
	check_eq(ticks, 5, "five timer interrupts delivered and counted");

	/* WAIT with interrupts off wakes when IP7 is pending, even masked;
	   the interrupt is then taken as soon as interrupts are enabled. */
	ticks = 0;
	last_tick = 1;
	c1 = mfc0(CP0_COUNT);
	mtc0(CP0_COMPARE, c1 + 3000);
	wait_for_interrupt();
	c2 = mfc0(CP0_COUNT);
	check(intr_pending() & IP7, "WAIT (interrupts off) returns with IP7 pending");
	check(c2 - c1 >= 3000, "WAIT returned no earlier than Compare");
	check_eq(ticks, 0, "no interrupt taken while interrupts are off");
	intr_enable(IP7);
	intr_disable();
	check_eq(ticks, 1, "the pending tick is taken once interrupts are on");

	/* WAIT with interrupts on: the handler runs, then WAIT's successor. */
	ticks = 0;
	last_tick = 1;
	c1 = mfc0(CP0_COUNT);
	mtc0(CP0_COMPARE, c1 + 3000);
	intr_enable(IP7);
	wait_for_interrupt();
	intr_disable();
	c2 = mfc0(CP0_COUNT);
	check_eq(ticks, 1, "WAIT (interrupts on) wakes on the timer interrupt");
	check(c2 - c1 >= 3000, "  no earlier than Compare");

	return checks_report("timer");
}
