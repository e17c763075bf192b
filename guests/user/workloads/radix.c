/*
 * radix - SPLASHOS's radix sort (guests/splashos/radix.c) as a parallel
 * program on the kit's Unix kernel, the other side of the paper's Figure 7
 * comparison: the same sort under the commodity OS (IRIX's role) on the
 * bare machine, against SPLASHOS in a virtual machine.
 *
 *   radix [-s small|medium|large|KEYS] [-j THREADS]
 *
 * The same algorithm, keys and checksum as SPLASHOS's: KEYS distinct keys
 * (medium is SPLASHOS's radix.elf, large its radix-big.elf), 4 passes of
 * 8 bits, each a per-thread histogram, prefix sums over all of them and
 * the permutation, separated by barriers. One sproc thread per CPU
 * (ncpus(), or -j) runs the SPMD body SPLASHOS's CPUs run; thread 0 marks
 * the sort alone with mark(1) and mark(2), as SPLASHOS's CPU 0 does. The
 * result, and the lines printed, do not depend on the number of threads
 * (SPLASHOS's first line also names its CPU count; this one does not).
 */
#include <thread.h>

#include "wl.h"

static const char *prog = "radix";
static const struct wl_sizes sizes = { 65536, 262144, 2097152 };

#define RADIX_BITS 8
#define KEY_BITS 32
#define RADIX (1u << RADIX_BITS)
#define PASSES ((KEY_BITS + RADIX_BITS - 1) / RADIX_BITS)
#define MAX_THREADS 64
#define MAX_KEYS (1 << 26)       /* nkeys * MAX_THREADS fits 32 bits */
#define STACK_BYTES (64 * 1024)
#define LINE 128                 /* the machine's cache line */

/* Per-thread results, one cache line each so no two threads write the same line. */
struct partial {
	uint32_t sum, hash, weighted, unsorted, range_total;
} __attribute__((aligned(LINE)));

static uint32_t nkeys;
static int nthreads;
static uint32_t *keys[2];                  /* source and destination */
static uint32_t hist[MAX_THREADS][RADIX] __attribute__((aligned(LINE)));
static uint32_t rank[MAX_THREADS][RADIX] __attribute__((aligned(LINE)));
static struct partial part[MAX_THREADS];

/* The barrier, as SPLASHOS's: arrivals counted in one cache line, the
   generation that waiters spin on in another. A waiter yields now and
   then, in case there are more threads than CPUs. */
static volatile int barrier_count __attribute__((aligned(LINE)));
static volatile int barrier_gen __attribute__((aligned(LINE)));

static void barrier(void)
{
	int gen = __atomic_load_n(&barrier_gen, __ATOMIC_ACQUIRE);

	if (atomic_add(&barrier_count, 1) == nthreads) {
		/* Last to arrive: reset the count, then release the others. */
		barrier_count = 0;
		__atomic_store_n(&barrier_gen, gen + 1, __ATOMIC_RELEASE);
	} else {
		for (int spins = 1; __atomic_load_n(&barrier_gen, __ATOMIC_ACQUIRE) == gen; spins++)
			if (spins % 4096 == 0)
				yield();
	}
}

/* First item of a thread's share of n items. */
static uint32_t share_lo(int t, uint32_t n)
{
	return n * (uint32_t)t / (uint32_t)nthreads;
}

/* Step 2: the place of each (thread, digit) pair's first key. */
static void prefix_sums(int t)
{
	uint32_t d0 = share_lo(t, RADIX), d1 = share_lo(t + 1, RADIX);
	uint32_t total = 0;

	/* Within my digits: keys with a smaller digit in my range, plus keys
	   with the same digit on lower-numbered threads. */
	for (uint32_t d = d0; d < d1; d++)
		for (int q = 0; q < nthreads; q++) {
			rank[q][d] = total;
			total += hist[q][d];
		}
	part[t].range_total = total;
	barrier();

	/* Then every key in the digit ranges of lower-numbered threads. */
	uint32_t base = 0;
	for (int q = 0; q < t; q++)
		base += part[q].range_total;
	for (uint32_t d = d0; d < d1; d++)
		for (int q = 0; q < nthreads; q++)
			rank[q][d] += base;
}

static void sort(int t)
{
	uint32_t lo = share_lo(t, nkeys), hi = share_lo(t + 1, nkeys);
	uint32_t *h = hist[t], *r = rank[t];

	for (int pass = 0; pass < PASSES; pass++) {
		const uint32_t *src = keys[pass & 1];
		uint32_t *dst = keys[(pass + 1) & 1];
		int shift = pass * RADIX_BITS;

		for (uint32_t d = 0; d < RADIX; d++)
			h[d] = 0;
		for (uint32_t i = lo; i < hi; i++)
			h[(src[i] >> shift) & (RADIX - 1)]++;
		barrier();
		prefix_sums(t);
		barrier();
		for (uint32_t i = lo; i < hi; i++) {
			uint32_t k = src[i];
			dst[r[(k >> shift) & (RADIX - 1)]++] = k;
		}
		barrier();
	}
}

/* Fingerprint of a share as a multiset (sum and sum of mixes), to check
   after the sort that no key was lost or duplicated. */
static void fingerprint(const uint32_t *a, uint32_t lo, uint32_t hi,
			uint32_t *sum, uint32_t *hash)
{
	uint32_t s = 0, x = 0;

	for (uint32_t i = lo; i < hi; i++) {
		s += a[i];
		x += wl_mix(a[i] ^ 0x5A5A5A5Au);
	}
	*sum = s;
	*hash = x;
}

/* A thread: SPLASHOS's sos_main for CPU t. */
static void worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	uint32_t lo = share_lo(t, nkeys), hi = share_lo(t + 1, nkeys);

	/* My keys, and my share of the destination touched, so that both
	   arrays are in memory before the sort as SPLASHOS's are: the phase
	   measures the sort, not page faults. */
	for (uint32_t i = lo; i < hi; i++) {
		keys[0][i] = wl_mix(i * 0x9E3779B9u + 0x1234567u);
		keys[1][i] = 0;
	}
	uint32_t sum_before, hash_before;
	fingerprint(keys[0], lo, hi, &sum_before, &hash_before);
	barrier();

	/* The measured phase: the sort alone (PASSES is even, so the result
	   ends in keys[0]). */
	if (t == 0)
		mark(WL_MARK_START);
	sort(t);
	if (t == 0)
		mark(WL_MARK_END);

	const uint32_t *a = keys[PASSES & 1];
	struct partial *p = &part[t];
	fingerprint(a, lo, hi, &p->sum, &p->hash);
	p->sum -= sum_before;
	p->hash -= hash_before;
	p->weighted = 0;
	p->unsorted = 0;
	for (uint32_t i = lo; i < hi; i++) {
		p->weighted += a[i] * (2 * i + 1);
		if (i + 1 < nkeys && a[i] > a[i + 1])
			p->unsorted++;
	}
}

int main(int argc, char **argv)
{
	struct wl_args args;

	wl_getargs(argc, argv, "[-s small|medium|large|KEYS] [-j THREADS]",
		   &sizes, sizes.medium, &args);
	if (args.size < 1 || args.size > MAX_KEYS)
		wl_die(prog, "KEYS must be 1 to 67108864");
	nkeys = (uint32_t)args.size;
	nthreads = args.jobs ? args.jobs : ncpus();
	if (nthreads < 1 || nthreads > MAX_THREADS)
		wl_die(prog, "bad number of threads");
	printf("radix: %u keys, radix %u, %u passes\n", nkeys, RADIX, PASSES);
	keys[0] = wl_malloc(prog, nkeys * sizeof(uint32_t));
	keys[1] = wl_malloc(prog, nkeys * sizeof(uint32_t));

	for (int t = 0; t < nthreads; t++) {
		char *stack = wl_malloc(prog, STACK_BYTES);
		if (sproc(worker, (void *)(intptr_t)t, stack + STACK_BYTES) < 0)
			wl_die_errno(prog, "sproc");
	}
	int failed = wl_wait_all(prog, nthreads);
	if (failed)
		wl_die(prog, "a thread failed");

	uint32_t sum = 0, hash = 0, checksum = 0, unsorted = 0;
	for (int q = 0; q < nthreads; q++) {
		sum += part[q].sum;
		hash += part[q].hash;
		checksum += part[q].weighted;
		unsorted += part[q].unsorted;
	}
	const uint32_t *a = keys[PASSES & 1];
	int ok = sum == 0 && hash == 0 && unsorted == 0;
	printf("radix: %s, min %08x max %08x, checksum %08x\n",
	       ok ? "sorted" : "NOT SORTED", a[0], a[nkeys - 1], checksum);
	if (unsorted)
		printf("radix: %u keys out of order\n", unsorted);
	if (sum || hash)
		printf("radix: keys lost or duplicated\n");
	return ok ? 0 : 1;
}
