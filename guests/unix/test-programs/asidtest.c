/*
 * asidtest: more address spaces than there are ASIDs (256 per CPU), so
 * every CPU recycles its ASIDs (a new generation, a TLB flush). Each child
 * checks it sees its parent's data, not a stale translation of some
 * earlier process's page that happens to carry a reused ASID.
 */
#include "tlib.h"

#define NCHILD 600
#define NPAGES 4

int main(void)
{
	unsigned *mem = sbrk(NPAGES * 4096);
	int status, bad = 0;

	for (int i = 0; i < NCHILD; i++) {
		for (int p = 0; p < NPAGES; p++)
			mem[p * 1024 + (i % 1024)] = 0xA5000000u + i * NPAGES + p;
		int pid = fork();

		if (pid == 0) {
			for (int p = 0; p < NPAGES; p++) {
				if (mem[p * 1024 + (i % 1024)] != 0xA5000000u + i * NPAGES + p)
					exit(1);
				mem[p * 1024 + (i % 1024)] = 0xDEAD;   /* a COW copy */
			}
			exit(0);
		}
		if (pid < 0) {
			printf("asidtest: fork: %d\n", pid);
			return 1;
		}
		/* Several children alive at once, on several CPUs. */
		if (i % 4 == 3)
			while (wait(&status) > 0)
				bad += status != 0;
		for (int p = 0; p < NPAGES; p++)
			if (mem[p * 1024 + (i % 1024)] != 0xA5000000u + i * NPAGES + p)
				bad++;
	}
	while (wait(&status) > 0)
		bad += status != 0;
	CHECK(bad == 0, "%d bad values", bad);
	printf("asidtest: %d address spaces: %s\n", NCHILD, bad ? "FAILED" : "ok");
	return bad != 0;
}
