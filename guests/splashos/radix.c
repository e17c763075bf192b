/*
 * radix.c - SPLASH-2 style parallel radix sort on SPLASHOS.
 *
 * The Disco paper (section 5.4, Figure 7) runs the SPLASH-2 radix sort on
 * SPLASHOS under Disco against IRIX on the bare machine. As in SPLASH-2,
 * every pass over one digit has three steps separated by barriers:
 *   1. each CPU counts the digits of its contiguous share of the keys
 *      (a per-CPU histogram);
 *   2. prefix sums over all the histograms give every (CPU, digit) pair the
 *      place of its first key in the output; CPUs split the digits among
 *      themselves, then add the totals of the digit ranges before theirs;
 *   3. each CPU moves its keys to their places (the permutation: scattered
 *      writes all over the destination array).
 * The sort is stable and the keys are distinct, so the result, and the
 * checksum printed, do not depend on the number of CPUs.
 *
 * RADIX_KEYS (keys) and RADIX_BITS (bits per digit) are set at build time.
 */
#include "splashos.h"

#ifndef RADIX_KEYS
#define RADIX_KEYS 262144u
#endif
#ifndef RADIX_BITS
#define RADIX_BITS 8
#endif

#define KEY_BITS 32
#define RADIX (1u << RADIX_BITS)
#define PASSES ((KEY_BITS + RADIX_BITS - 1) / RADIX_BITS)

/* Per-CPU results, one cache line each so no two CPUs write the same line. */
struct partial {
	uint32_t sum, hash, weighted, unsorted, range_total;
} __attribute__((aligned(SOS_CACHE_LINE)));

/* Shared state, published by CPU 0 before a barrier. */
static uint32_t *keys[2];                 /* source and destination */
static uint32_t *hist[SOS_MAX_CPUS];                /* per CPU: digit counts */
static uint32_t *rank[SOS_MAX_CPUS];                /* per CPU: next place per digit */
static struct partial part[SOS_MAX_CPUS];

/* A bijection on 32-bit words (MurmurHash3's finalizer): distinct inputs
   give distinct keys, and key i can be made without keys 0..i-1, so every
   CPU generates its own share. */
static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x;
}

/* First item of a CPU's share of n items. 32-bit arithmetic (no 64-bit
   division in a freestanding program): n * SOS_MAX_CPUS must fit. */
_Static_assert((uint64_t)RADIX_KEYS * SOS_MAX_CPUS < (1ull << 32),
	       "RADIX_KEYS too large");
static uint32_t share_lo(int cpu, int ncpus, uint32_t n)
{
	return n * cpu / ncpus;
}

/* Step 2: the place of each (CPU, digit) pair's first key. */
static void prefix_sums(int cpu, int ncpus)
{
	uint32_t d0 = share_lo(cpu, ncpus, RADIX);
	uint32_t d1 = share_lo(cpu + 1, ncpus, RADIX);
	uint32_t total = 0;

	/* Within my digits: keys with a smaller digit in my range, plus keys
	   with the same digit on lower-numbered CPUs. */
	for (uint32_t d = d0; d < d1; d++)
		for (int q = 0; q < ncpus; q++) {
			rank[q][d] = total;
			total += hist[q][d];
		}
	part[cpu].range_total = total;
	sos_barrier();

	/* Then every key in the digit ranges of lower-numbered CPUs. */
	uint32_t base = 0;
	for (int q = 0; q < cpu; q++)
		base += part[q].range_total;
	for (uint32_t d = d0; d < d1; d++)
		for (int q = 0; q < ncpus; q++)
			rank[q][d] += base;
}

static void sort(int cpu, int ncpus)
{
	uint32_t lo = share_lo(cpu, ncpus, RADIX_KEYS);
	uint32_t hi = share_lo(cpu + 1, ncpus, RADIX_KEYS);
	uint32_t *h = hist[cpu], *r = rank[cpu];

	for (int pass = 0; pass < PASSES; pass++) {
		const uint32_t *src = keys[pass & 1];
		uint32_t *dst = keys[(pass + 1) & 1];
		int shift = pass * RADIX_BITS;

		for (uint32_t d = 0; d < RADIX; d++)
			h[d] = 0;
		for (uint32_t i = lo; i < hi; i++)
			h[(src[i] >> shift) & (RADIX - 1)]++;
		sos_barrier();
		prefix_sums(cpu, ncpus);
		sos_barrier();
		for (uint32_t i = lo; i < hi; i++) {
			uint32_t k = src[i];
			dst[r[(k >> shift) & (RADIX - 1)]++] = k;
		}
		sos_barrier();
	}
}

/* Fingerprint of my share as a multiset (sum and sum of mixes), to check
   after the sort that no key was lost or duplicated. */
static void fingerprint(const uint32_t *a, uint32_t lo, uint32_t hi,
			uint32_t *sum, uint32_t *hash)
{
	uint32_t s = 0, x = 0;

	for (uint32_t i = lo; i < hi; i++) {
		s += a[i];
		x += mix(a[i] ^ 0x5A5A5A5Au);
	}
	*sum = s;
	*hash = x;
}

int sos_main(int cpu)
{
	int ncpus = sos_ncpus();
	uint32_t lo = share_lo(cpu, ncpus, RADIX_KEYS);
	uint32_t hi = share_lo(cpu + 1, ncpus, RADIX_KEYS);

	if (cpu == 0) {
		sos_printf("radix: %u keys, radix %u, %u passes, %d CPUs\n",
			   RADIX_KEYS, RADIX, PASSES, ncpus);
		keys[0] = sos_alloc(RADIX_KEYS * sizeof(uint32_t));
		keys[1] = sos_alloc(RADIX_KEYS * sizeof(uint32_t));
	}
	/* Histograms and ranks in each CPU's own node, as SPLASH-2 does. */
	hist[cpu] = sos_alloc_local(RADIX * sizeof(uint32_t));
	rank[cpu] = sos_alloc_local(RADIX * sizeof(uint32_t));
	sos_barrier();

	for (uint32_t i = lo; i < hi; i++)
		keys[0][i] = mix(i * 0x9E3779B9u + 0x1234567u);
	uint32_t sum_before, hash_before;
	fingerprint(keys[0], lo, hi, &sum_before, &hash_before);
	sos_barrier();

	/* The measured phase: the sort alone (PASSES is even, so the result
	   ends in keys[0]). */
	if (cpu == 0)
		sos_mark(1);
	sort(cpu, ncpus);
	if (cpu == 0)
		sos_mark(2);

	const uint32_t *a = keys[PASSES & 1];
	struct partial *p = &part[cpu];
	fingerprint(a, lo, hi, &p->sum, &p->hash);
	p->sum -= sum_before;
	p->hash -= hash_before;
	p->weighted = 0;
	p->unsorted = 0;
	for (uint32_t i = lo; i < hi; i++) {
		p->weighted += a[i] * (2 * i + 1);
		if (i + 1 < RADIX_KEYS && a[i] > a[i + 1])
			p->unsorted++;
	}
	sos_barrier();
	if (cpu != 0)
		return 0;

	uint32_t sum = 0, hash = 0, checksum = 0, unsorted = 0;
	for (int q = 0; q < ncpus; q++) {
		sum += part[q].sum;
		hash += part[q].hash;
		checksum += part[q].weighted;
		unsorted += part[q].unsorted;
	}
	int ok = sum == 0 && hash == 0 && unsorted == 0;
	sos_printf("radix: %s, min %08x max %08x, checksum %08x\n",
		   ok ? "sorted" : "NOT SORTED", a[0], a[RADIX_KEYS - 1],
		   checksum);
	if (unsorted)
		sos_printf("radix: %u keys out of order\n", unsorted);
	if (sum || hash)
		sos_printf("radix: keys lost or duplicated\n");
	return ok ? 0 : 1;
}
