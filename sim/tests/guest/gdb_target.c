/*
 * gdb_target: the program sim/tests/gdb-test.sh debugs with gdb-multiarch.
 *
 * Two CPUs (or more) each add up their share of 1..N in work(); CPU 0
 * then prints the global `magic` through report() and the checksum. The
 * test breaks in work() and report(), reads `magic` by name, and writes it
 * to see the program print the new value. Halts with 0 if the checksum is
 * right, whatever `magic` holds.
 */
#include "baremetal.h"

#define N 20000u

volatile uint32_t magic = 1234;       /* the test reads and writes this */
static volatile uint32_t done;        /* CPUs that finished their share */
static volatile uint32_t share[MAX_CPUS];

/* Sum of i*i mod 2^32 for i in [lo, hi); noinline so gdb can break here. */
__attribute__((noinline)) uint32_t work(uint32_t lo, uint32_t hi)
{
	uint32_t sum = 0;

	for (uint32_t i = lo; i < hi; i++)
		sum += i * i;
	return sum;
}

__attribute__((noinline)) void report(uint32_t value)
{
	printf("magic %u\n", value);
}

static void cpu_main(int cpu)
{
	uint32_t n = ncpus();

	share[cpu] = work(1 + N * cpu / n, 1 + N * (cpu + 1) / n);
	__atomic_fetch_add(&done, 1, __ATOMIC_SEQ_CST);
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
	report(magic);
	printf("checksum %08x\n", total);
	return total == work(1, N + 1) ? 0 : 1;
}
