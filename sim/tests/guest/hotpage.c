/*
 * hotpage: the MAGIC per-page miss counters, MACHINE.md "Memory and NUMA"
 * and "Devices" (MAGIC). Run with --nodes 2.
 *
 * Every cache miss counts against (machine page, node of the CPU that
 * missed). When a counter reaches THRESHOLD the record PFN * 256 + node goes
 * on the hot-page queue and IP5 is raised on the CPU that missed. To make
 * misses we read fresh lines of memory no one has touched (the cache starts
 * empty), one line at a time, and watch Cause.IP5 after each.
 *
 * Misses elsewhere (code, strings) count too, so each measurement runs with
 * no printing, right after RESET_ALL, and the threshold is kept out of
 * reach (QUIET) while we print.
 */
#include "baremetal.h"

#define THRESHOLD 8
#define QUIET 0x7FFFFFFF
#define LINES_PER_PAGE (PAGE_SIZE / LINE_SIZE)
#define IP5 (1 << IRQ_HOT)
#define EMPTY 0xFFFFFFFF

/* CPU 1's view, for the last part. */
static volatile uint32_t cpu1_records[16];
static volatile uint32_t cpu1_nrecords, cpu1_irqs, cpu1_found, cpu1_done;
static volatile uint32_t cpu1_ip5_stuck, cpu1_want;

static uint32_t free_pa(int n)
{
	return kva_to_pa(__free_start) + n * PAGE_SIZE;
}

static uint32_t record(uint32_t pa, uint32_t node)
{
	return (pa >> PAGE_SHIFT) * 256 + node;
}

/* Read lines first..last of the page at kseg0 address kva until IP5 is
   pending; return the line that made it pending, or -1. */
static int touch_until_hot(uint32_t kva, int first, int last)
{
	for (int i = first; i <= last; i++) {
		(void)*(volatile uint32_t *)(kva + i * LINE_SIZE);
		if (intr_pending() & IP5)
			return i;
	}
	return -1;
}

/* Start a measurement: counters zero, threshold low. */
static void arm(void)
{
	magic_write(MAGIC_RESET_ALL, 1);
	magic_write(MAGIC_THRESHOLD, THRESHOLD);
}

static void disarm(void)
{
	magic_write(MAGIC_THRESHOLD, QUIET);
}

/* Pop one record, check it, and check the queue is then empty. */
static void expect_record(uint32_t want, const char *what)
{
	uint32_t got = magic_read(MAGIC_HOT_POP);
	uint32_t next = magic_read(MAGIC_HOT_POP);

	check_eq(got, want, what);
	check_eq(next, EMPTY, "  and then HOT_POP says empty");
	check_eq(intr_pending() & IP5, 0, "  and IP5 is clear again");
}

static void drain(void)
{
	while (magic_read(MAGIC_HOT_POP) != EMPTY)
		;
}

void handle_exception(struct trapframe *tf)
{
	uint32_t rec;

	if (exc_code(tf) != EXC_INT || !((tf->cause >> CAUSE_IP_SHIFT) & IP5) ||
	    cpu_id() != 1) {
		printf("CPU %d: unexpected ", cpu_id());
		trap_dump(tf);
		halt(1);
	}
	cpu1_irqs++;
	while ((rec = magic_read(MAGIC_HOT_POP)) != EMPTY) {
		if (cpu1_nrecords < 16)
			cpu1_records[cpu1_nrecords++] = rec;
		if (rec == cpu1_want)
			cpu1_found = 1;
	}
	/* If IP5 did not go away, mask it rather than loop forever. */
	if (intr_pending() & IP5) {
		cpu1_ip5_stuck++;
		tf->status &= ~(IP5 << ST_IM_SHIFT);
	}
}

/* CPU 1 misses on a node-0 page with IP5 enabled. */
static void cpu1_main(int cpu)
{
	(void)cpu;
	intr_enable(IP5);
	for (int i = 0; i < (int)LINES_PER_PAGE && !cpu1_found; i++)
		(void)*(volatile uint32_t *)(pa_to_kva(free_pa(4)) + i * LINE_SIZE);
	intr_disable();
	cpu1_done = 1;
}

int main(void)
{
	uint32_t p, m = node_mem_bytes();
	int a, b, c;

	printf("hotpage: checking MAGIC counters, HOT_POP, IP5, resets\n");
	check(ncpus() >= 2, "two CPUs (run with --nodes 2)");

	/* Warm up: run the measuring code once so its lines are cached. */
	disarm();
	magic_write(MAGIC_RESET_ALL, 1);
	touch_until_hot((uint32_t)pa_to_kva(free_pa(9)), 0, LINES_PER_PAGE - 1);
	drain();

	/* A: a fresh page becomes hot at exactly THRESHOLD misses. */
	p = free_pa(0);
	arm();
	a = touch_until_hot((uint32_t)pa_to_kva(p), 0, LINES_PER_PAGE - 1);
	disarm();
	check_eq(a, THRESHOLD - 1, "IP5 pending right after the 8th miss on a page");
	expect_record(record(p, 0), "HOT_POP gives PFN * 256 + node 0");

	/* B: RESET_PAGE forgets one page's misses. */
	p = free_pa(1);
	arm();
	a = touch_until_hot((uint32_t)pa_to_kva(p), 0, 4);
	magic_write(MAGIC_RESET_PAGE, p >> PAGE_SHIFT);
	b = touch_until_hot((uint32_t)pa_to_kva(p), 5, 11);
	c = touch_until_hot((uint32_t)pa_to_kva(p), 12, LINES_PER_PAGE - 1);
	disarm();
	check_eq(a, (uint32_t)-1, "5 misses: not hot");
	check_eq(b, (uint32_t)-1, "RESET_PAGE, then 7 misses: not hot");
	check_eq(c, 12, "the 8th miss after RESET_PAGE makes it hot");
	expect_record(record(p, 0), "HOT_POP gives that page");

	/* C: RESET_ALL forgets every page's misses. */
	p = free_pa(2);
	arm();
	a = touch_until_hot((uint32_t)pa_to_kva(p), 0, 6);
	magic_write(MAGIC_RESET_ALL, 1);
	b = touch_until_hot((uint32_t)pa_to_kva(p), 7, 13);
	c = touch_until_hot((uint32_t)pa_to_kva(p), 14, LINES_PER_PAGE - 1);
	disarm();
	check_eq(a, (uint32_t)-1, "7 misses: not hot");
	check_eq(b, (uint32_t)-1, "RESET_ALL, then 7 misses: not hot");
	check_eq(c, 14, "the 8th miss after RESET_ALL makes it hot");
	expect_record(record(p, 0), "HOT_POP gives that page");

	/* D: a page of node 1's memory, missed by CPU 0 (node 0). */
	p = m + 0x100000;
	arm();
	a = touch_until_hot((uint32_t)pa_to_kva(p), 0, LINES_PER_PAGE - 1);
	disarm();
	check_eq(a, THRESHOLD - 1, "a remote page becomes hot the same way");
	expect_record(record(p, 0), "HOT_POP gives its PFN (in node 1) and node 0");

	/* E: CPU 1 misses; IP5 goes to CPU 1, and the node is 1. CPU 1 starts
	   with a cold cache, so its own code may turn hot as well. */
	cpu1_want = record(free_pa(4), 1);
	arm();
	start_cpu(1, cpu1_main);
	while (!cpu1_done)
		;
	disarm();
	check(cpu1_irqs >= 1, "CPU 1 took the IP5 interrupt");
	check(cpu1_found, "  and popped PFN * 256 + node 1 for the page it missed on");
	if (!cpu1_found)
		for (uint32_t i = 0; i < cpu1_nrecords; i++)
			printf("       record %08x\n", cpu1_records[i]);
	check_eq(cpu1_ip5_stuck, 0, "  and IP5 cleared once the queue was empty");
	check_eq(intr_pending() & IP5, 0, "no IP5 on CPU 0");

	return checks_report("hotpage");
}
