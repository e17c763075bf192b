/*
 * smp_spinlock: several CPUs, MACHINE.md "CPU" (LL/SC) and "Devices"
 * (power: CPU_START; IPIs). Run with --nodes 8.
 *
 * CPU 0 starts the others through the power device. Every CPU adds 1 to a
 * shared counter ITERATIONS times under an LL/SC spinlock; CPU 0 waits for
 * all of them and checks the total (a lost update would show). Then CPU 0
 * plays IPI ping-pong with each other CPU: it sends IP4, the other CPU's
 * interrupt handler acknowledges and sends one back.
 */
#include "baremetal.h"

#define ITERATIONS 500
#define ROUNDS 10
#define IP4 (1 << IRQ_IPI)

static struct spinlock lock;
static volatile uint32_t counter;
static volatile uint32_t finished;           /* CPUs done counting */
static volatile uint32_t started[MAX_CPUS];  /* the argument each CPU got */
static volatile uint32_t pings[MAX_CPUS];    /* IPIs each CPU received */
static volatile uint32_t ip4_after_ack;      /* handlers that still saw IP4 */

void handle_exception(struct trapframe *tf)
{
	int cpu = cpu_id();

	if (exc_code(tf) != EXC_INT || !((tf->cause >> CAUSE_IP_SHIFT) & IP4)) {
		printf("CPU %d: unexpected ", cpu);
		trap_dump(tf);
		halt(1);
	}
	ipi_ack();
	if (intr_pending() & IP4)
		ip4_after_ack++;
	pings[cpu]++;
	if (cpu != 0)
		ipi_send(0);    /* pong */
}

static void count(void)
{
	for (int i = 0; i < ITERATIONS; i++) {
		spin_lock(&lock);
		counter = counter + 1;
		spin_unlock(&lock);
	}
	spin_lock(&lock);
	finished++;
	spin_unlock(&lock);
}

static void secondary(int cpu)
{
	started[cpu] = cpu;
	count();
	/* Then serve IPIs forever. */
	intr_enable(IP4);
	for (;;)
		wait_for_interrupt();
}

int main(void)
{
	uint32_t n = ncpus();
	int ok;

	printf("smp_spinlock: %u CPUs, %d locked increments each, IPI ping-pong\n",
	       n, ITERATIONS);
	check_eq(boot_ncpus, n, "$a1 at reset = NCPUS register");
	check(n >= 2, "more than one CPU (run with --nodes 8)");
	check_eq(cpu_id(), 0, "main runs on CPU 0 (EBase.CPUNum)");

	for (uint32_t cpu = 1; cpu < n; cpu++)
		start_cpu(cpu, secondary);
	count();
	while (finished != n)
		;
	check_eq(counter, n * ITERATIONS, "no increment lost under the spinlock");
	ok = 1;
	for (uint32_t cpu = 1; cpu < n; cpu++)
		if (started[cpu] != cpu)
			ok = 0;
	check(ok, "each CPU started with $a0 = its number");

	intr_enable(IP4);
	for (uint32_t cpu = 1; cpu < n; cpu++) {
		for (int r = 0; r < ROUNDS; r++) {
			uint32_t expected = pings[0] + 1;
			uint64_t start = read_cycles();
			ipi_send(cpu);
			while (pings[0] != expected && read_cycles() - start < 1000000)
				;
		}
	}
	intr_disable();
	ok = 1;
	for (uint32_t cpu = 1; cpu < n; cpu++)
		if (pings[cpu] != ROUNDS)
			ok = 0;
	check(ok, "every CPU received each of its pings");
	check_eq(pings[0], (n - 1) * ROUNDS, "CPU 0 received every pong");
	check_eq(ip4_after_ack, 0, "writing IPI ACK clears IP4");
	return checks_report("smp_spinlock");
}
