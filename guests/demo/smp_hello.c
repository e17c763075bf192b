/*
 * smp_hello: the 8-CPU demo behind `make run`.
 *
 * CPU 0 starts every other CPU through the power device. Each CPU waits for
 * its turn, prints a greeting under the console lock (an LL/SC spinlock) and
 * passes the turn on, so the lines come out in CPU order. Then each CPU sums
 * the squares of its share of 1..N; CPU 0 adds the shares, prints the
 * checksum and halts with status 0 if it is right.
 */
#include "baremetal.h"

#define N 80000u

static struct spinlock console_lock;
static volatile uint32_t turn;        /* whose turn it is to greet */
static volatile uint32_t done;        /* CPUs that finished their share */
static volatile uint32_t share[MAX_CPUS];

/* Sum of i*i mod 2^32 for i in [lo, hi). */
static uint32_t sum_squares(uint32_t lo, uint32_t hi)
{
	uint32_t sum = 0;

	for (uint32_t i = lo; i < hi; i++)
		sum += i * i;
	return sum;
}

static void cpu_main(int cpu)
{
	uint32_t n = ncpus();

	while (turn != (uint32_t)cpu)
		;
	spin_lock(&console_lock);
	printf("hello from CPU %d of %u (node %d)\n", cpu, n, cpu);
	turn = cpu + 1;
	spin_unlock(&console_lock);

	share[cpu] = sum_squares(1 + N * cpu / n, 1 + N * (cpu + 1) / n);
	spin_lock(&console_lock);
	done++;
	spin_unlock(&console_lock);
}

int main(void)
{
	uint32_t n = ncpus();
	uint32_t total = 0;

	for (uint32_t cpu = 1; cpu < n; cpu++)
		start_cpu(cpu, cpu_main);
	cpu_main(0);

	while (done != n)
		;
	for (uint32_t cpu = 0; cpu < n; cpu++)
		total += share[cpu];
	printf("checksum %08x\n", total);
	return total == sum_squares(1, N + 1) ? 0 : 1;
}
