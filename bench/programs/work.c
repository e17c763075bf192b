/*
 * work.c: the CPU-bound workload of the simulator speed benchmark (work.h).
 * Portable C11, integer only; compiled for the guest and for the host.
 */
#include "work.h"

/* xorshift32: a small deterministic generator; the state is never 0. */
static uint32_t rng_next(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static uint32_t rotl(uint32_t x, uint32_t n)
{
	n &= 31;
	return (x << n) | (x >> ((32 - n) & 31));
}

/* Sieve of Eratosthenes below limit: a mix of the primes and their count. */
static uint32_t kernel_sieve(uint8_t *s, uint32_t limit)
{
	uint32_t count = 0, sum = 0;

	for (uint32_t i = 0; i < limit; i++)
		s[i] = 1;
	s[0] = s[1] = 0;
	for (uint32_t i = 2; i * i < limit; i++)
		if (s[i])
			for (uint32_t j = i * i; j < limit; j += i)
				s[j] = 0;
	for (uint32_t i = 0; i < limit; i++)
		if (s[i]) {
			count++;
			sum += i * count;
		}
	return sum ^ (count << 12);
}

/* C = A * B in Q16 fixed point, entries of A and B in [-2, 2). The 64-bit
   sum is kept unsigned (wrapping is defined) and bits 16..47 of it are the
   Q16 result, the same bits an arithmetic shift would give. */
static uint32_t kernel_matmul(struct work_arena *w, uint32_t *rng)
{
	const uint32_t n = WORK_MAT_N;
	uint32_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			w->mat_a[i][j] = (int32_t)(rng_next(rng) >> 14) - 131072;
			w->mat_b[i][j] = (int32_t)(rng_next(rng) >> 14) - 131072;
		}
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			uint64_t acc = 0;

			for (uint32_t k = 0; k < n; k++)
				acc += (uint64_t)((int64_t)w->mat_a[i][k] *
						  w->mat_b[k][j]);
			w->mat_c[i][j] = (uint32_t)(acc >> 16);
		}
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++)
			sum = rotl(sum, 5) ^ w->mat_c[i][j];
	return sum;
}

static void insertion_sort(uint32_t *a, int32_t lo, int32_t hi)
{
	for (int32_t i = lo + 1; i <= hi; i++) {
		uint32_t v = a[i];
		int32_t j = i - 1;

		while (j >= lo && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void swap(uint32_t *a, int32_t i, int32_t j)
{
	uint32_t t = a[i];

	a[i] = a[j];
	a[j] = t;
}

/* Quicksort of a[0..n-1]: median of three, Hoare partition, the smaller
   part first so the explicit stack stays below log2(n) entries. */
static void quicksort(uint32_t *a, int32_t n)
{
	int32_t stack[64][2];
	int32_t sp = 0;
	int32_t lo = 0, hi = n - 1;

	for (;;) {
		while (hi - lo > 16) {
			int32_t mid = lo + (hi - lo) / 2;
			int32_t i = lo - 1, j = hi + 1;
			uint32_t pivot;

			if (a[mid] < a[lo])
				swap(a, mid, lo);
			if (a[hi] < a[lo])
				swap(a, hi, lo);
			if (a[hi] < a[mid])
				swap(a, hi, mid);
			pivot = a[mid];
			for (;;) {
				do
					i++;
				while (a[i] < pivot);
				do
					j--;
				while (a[j] > pivot);
				if (i >= j)
					break;
				swap(a, i, j);
			}
			/* [lo, j] and [j + 1, hi]: push the larger one. */
			if (j - lo > hi - j - 1) {
				stack[sp][0] = lo;
				stack[sp][1] = j;
				lo = j + 1;
			} else {
				stack[sp][0] = j + 1;
				stack[sp][1] = hi;
				hi = j;
			}
			sp++;
		}
		insertion_sort(a, lo, hi);
		if (sp == 0)
			break;
		sp--;
		lo = stack[sp][0];
		hi = stack[sp][1];
	}
}

/* Sort pseudo-random words; a weighted sum of the result, spoiled if the
   result is not sorted. */
static uint32_t kernel_sort(uint32_t *keys, uint32_t *rng)
{
	const uint32_t n = WORK_SORT_N;
	uint32_t sum = 0, unsorted = 0;

	for (uint32_t i = 0; i < n; i++)
		keys[i] = rng_next(rng);
	quicksort(keys, (int32_t)n);
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0 && keys[i - 1] > keys[i])
			unsorted++;
		sum += keys[i] * (2 * i + 1);
	}
	return sum + unsorted * 0x01000193u;
}

/* Table-driven CRC-32 (reflected, polynomial 0xEDB88320) of the words as
   little-endian bytes, taken apart by shifts so the host's byte order does
   not matter. */
static uint32_t kernel_crc(uint32_t *table, const uint32_t *words, uint32_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
		table[i] = c;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t w = words[i];

		for (int b = 0; b < 4; b++) {
			crc = table[(crc ^ w) & 0xFF] ^ (crc >> 8);
			w >>= 8;
		}
	}
	return ~crc;
}

/* Insert values into an open-addressing table (slot = value mod a prime,
   linear probing); how many were new and how far probing went. */
static uint32_t kernel_hash(uint32_t *table, const uint32_t *keys,
			    uint32_t *rng)
{
	const uint32_t prime = 4093;   /* < WORK_HASH_N */
	uint32_t fresh = 0, probes = 0;

	for (uint32_t i = 0; i < WORK_HASH_N; i++)
		table[i] = 0;
	for (uint32_t i = 0; i < 3000; i++) {
		/* Values from a small range, so some repeat. */
		uint32_t v = keys[rng_next(rng) % WORK_SORT_N] % 5000u + 1;
		uint32_t slot = (v * 2654435761u) % prime;

		while (table[slot] != 0 && table[slot] != v) {
			slot = slot + 1 == prime ? 0 : slot + 1;
			probes++;
		}
		if (table[slot] == 0) {
			table[slot] = v;
			fresh++;
		}
	}
	return (fresh << 16) ^ probes;
}

uint32_t work_round(struct work_arena *w, uint32_t round)
{
	uint32_t rng = 0x2545F491u ^ (round * 0x9E3779B9u);
	uint32_t sum;

	if (rng == 0)
		rng = 1;
	sum = kernel_sieve(w->sieve, WORK_SIEVE_N - round * 977u % 4096u);
	sum = rotl(sum, 7) ^ kernel_matmul(w, &rng);
	sum = rotl(sum, 7) ^ kernel_sort(w->keys, &rng);
	sum = rotl(sum, 7) ^ kernel_crc(w->crc_table, w->keys, WORK_SORT_N);
	sum = rotl(sum, 7) ^ kernel_hash(w->hash, w->keys, &rng);
	return sum;
}

uint32_t work_rounds(struct work_arena *w, uint32_t first, uint32_t count)
{
	uint32_t total = 0;

	for (uint32_t r = first; r < first + count; r++)
		total += rotl(work_round(w, r) ^ (r * 0x9E3779B9u), r);
	return total;
}

uint32_t workload(uint32_t scale)
{
	static struct work_arena arena;

	return work_rounds(&arena, 0, scale);
}
