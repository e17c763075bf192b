/*
 * sproctest: sproc'd processes on several CPUs sharing one address space,
 * with the TLB shootdowns that sharing needs.
 *
 * NT workers each own a counter page in a shared area and bump it ROUNDS
 * times, yielding now and then, while the main process forks children
 * (fork makes every writable page copy-on-write: the workers' next writes
 * copy their pages, which must be shot down on every CPU running a
 * worker, or a worker keeps writing to the page the child now owns). Each
 * child checks that its snapshot does not change under it. At the end
 * each counter must be exactly ROUNDS: a lost update means a stale TLB
 * entry. Meanwhile the main process keeps reading every counter, which
 * must never go down: a smaller value would be a read through a stale
 * translation of a page that was copied since. The heap also grows and
 * shrinks (sbrk) while workers run.
 */
#include "tlib.h"

#define NT 6
#define ROUNDS 20000
#define NFORK 8

struct slot {
	volatile int count;
	int pad[1023];          /* one page each */
};

static struct slot *slots;
static volatile int go, done;
static char stacks[NT][8192] __attribute__((aligned(8)));

static void spin_add(volatile int *p, int d)
{
	int tmp;

	__asm__ volatile(
		".set push\n.set noreorder\n"
		"1: ll %0, 0(%1)\n addu %0, %0, %2\n sc %0, 0(%1)\n beqz %0, 1b\n nop\n"
		".set pop" : "=&r"(tmp) : "r"(p), "r"(d) : "memory");
}

static void worker(void *arg)
{
	int me = (int)arg;

	while (!go)
		yield();
	for (int i = 0; i < ROUNDS; i++) {
		slots[me].count++;
		if (i % 1000 == 0)
			yield();
	}
	spin_add(&done, 1);
	exit(0);
}

int main(void)
{
	int pids[NT], status, forks = 0, bad = 0, seen[NT] = {0}, backwards = 0;
	char *heap;

	slots = malloc(sizeof(struct slot) * NT + 4096);
	slots = (struct slot *)(((unsigned)slots + 4095) & ~4095u);
	for (int i = 0; i < NT; i++)
		slots[i].count = 0;
	for (int i = 0; i < NT; i++) {
		pids[i] = sproc(worker, (void *)i, stacks[i] + sizeof stacks[i]);
		CHECK(pids[i] > 0, "sproc %d", pids[i]);
	}
	go = 1;
	while (done < NT) {
		/* Counters only go up: a smaller value than before is a read
		   through a stale TLB entry to a page copied since. */
		for (int i = 0; i < NT; i++) {
			int c = slots[i].count;

			if (c < seen[i])
				backwards++;
			seen[i] = c;
		}
		if (forks < NFORK) {
			int pid = fork(), snap[NT];

			if (pid == 0) {
				for (int i = 0; i < NT; i++)
					snap[i] = slots[i].count;
				for (int k = 0; k < 20; k++) {
					yield();
					for (int i = 0; i < NT; i++)
						if (slots[i].count != snap[i])
							exit(1);
				}
				exit(0);
			}
			CHECK(pid > 0, "fork %d", pid);
			forks++;
		}
		/* Heap traffic in the shared address space. */
		heap = sbrk(8192);
		heap[0] = 1;
		heap[4096] = 2;
		sbrk(-8192);
		yield();
	}
	while (wait(&status) > 0)
		if (status != 0)
			bad++;
	CHECK(bad == 0, "%d children saw their snapshot change or failed", bad);
	CHECK(backwards == 0, "%d counters went backwards", backwards);
	for (int i = 0; i < NT; i++)
		CHECK(slots[i].count == ROUNDS, "worker %d counted %d, want %d", i,
		      slots[i].count, ROUNDS);
	printf("sproctest: %d workers x %d rounds, %d forks: %s\n", NT, ROUNDS, forks,
	       tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
