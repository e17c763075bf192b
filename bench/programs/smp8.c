/*
 * smp8: the multiprocessor program of the simulator speed benchmark
 * (bench/run.sh), meant for 8 CPUs (it uses however many the machine has).
 *
 * The rounds of the workload (work.h) at its default scale are split among
 * the CPUs, CPU k taking a contiguous share. Each CPU works on its own arena
 * in the middle of its own node's memory, so its misses are local. A CPU
 * that finishes adds itself to `done` under a spinlock and sends CPU 0 an
 * IPI; CPU 0, after its own share, sleeps in WAIT (interrupts stay off, a
 * pending IP4 is enough to wake it) until everyone is done, adds the shares
 * and prints the checksum, which equals the 1-CPU program's. Phase markers
 * 1 and 2 bracket the parallel part in the statistics.
 */
#include "baremetal.h"
#include "work.h"

#define EXIT_NO_ROOM 3    /* node memory too small for the arenas */

static struct spinlock done_lock;
static volatile uint32_t done;             /* CPUs that finished their share */
static volatile uint32_t share[MAX_CPUS];  /* each CPU's part of the checksum */

/* This CPU's arena: the middle of its node's memory, between the program
   (node 0 only) and the stack at the top. */
static struct work_arena *node_arena(int cpu)
{
	uint32_t node_mem = node_mem_bytes();
	uint32_t base = (uint32_t)cpu * node_mem + node_mem / 2;

	if (sizeof(struct work_arena) > node_mem / 4 ||
	    kva_to_pa(__free_start) > node_mem / 2) {
		printf("smp8: node memory too small for the arenas\n");
		halt(EXIT_NO_ROOM);
	}
	return pa_to_kva(base);
}

static void cpu_main(int cpu)
{
	uint32_t n = ncpus();
	uint32_t first = WORK_DEFAULT_SCALE * (uint32_t)cpu / n;
	uint32_t last = WORK_DEFAULT_SCALE * ((uint32_t)cpu + 1) / n;

	share[cpu] = work_rounds(node_arena(cpu), first, last - first);
	spin_lock(&done_lock);
	done++;
	spin_unlock(&done_lock);
	if (cpu != 0)
		ipi_send(0);
}

int main(void)
{
	uint32_t n = ncpus();
	uint32_t total = 0;

	mark(1);
	for (uint32_t cpu = 1; cpu < n; cpu++)
		start_cpu(cpu, cpu_main);
	cpu_main(0);
	/* Check after clearing IP4: an IPI sent after the check wakes WAIT. */
	for (;;) {
		ipi_ack();
		if (done == n)
			break;
		wait_for_interrupt();
	}
	mark(2);
	for (uint32_t cpu = 0; cpu < n; cpu++)
		total += share[cpu];
	printf("checksum %08x\n", total);
	return 0;
}
