/*
 * cpubound: the single-CPU program of the simulator speed benchmark
 * (bench/run.sh). It runs the workload of work.c at its default scale on
 * CPU 0, prints "checksum XXXXXXXX" and halts with status 0; run.sh checks
 * the checksum against the same code compiled for the host.
 * Phase markers 1 and 2 bracket the workload in the statistics.
 */
#include "baremetal.h"
#include "work.h"

int main(void)
{
	uint32_t sum;

	mark(1);
	sum = workload(WORK_DEFAULT_SCALE);
	mark(2);
	printf("checksum %08x\n", sum);
	return 0;
}
