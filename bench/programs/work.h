/*
 * work.h: the CPU-bound workload of the simulator speed benchmark.
 *
 * The same source (work.c) is compiled twice: for the simulated FLASH machine
 * (clang, mipsel, bare metal: cpubound.c and smp8.c) and for the host (gcc,
 * host_main.c). Both must print the same checksum; bench/run.sh checks that
 * they do, then compares how long each took.
 *
 * The work is a number of independent "rounds". Each round builds its data
 * from a seed derived from the round number and runs four integer kernels
 * over an arena of about 600 KB (it fits in the simulated 1 MB cache):
 *   - a sieve of Eratosthenes over a byte array,
 *   - a fixed-point (Q16) matrix multiply with 64-bit accumulation,
 *   - a quicksort (insertion sort for small parts) of pseudo-random words,
 *   - a table-driven CRC-32 over the sorted array and a hash-table count.
 * The checksum of a run is the sum, modulo 2^32, of a mix of each round's
 * checksum with its round number, so rounds can be split among CPUs in any
 * way and the partial sums added: the 8-CPU program prints the same checksum
 * as the 1-CPU one for the same scale.
 *
 * Everything is unsigned or well-defined 32/64-bit arithmetic: no floating
 * point (the machine has no FPU), no 64-bit division (no libgcc on the guest),
 * no undefined or implementation-defined behaviour that could make the two
 * compilers disagree.
 */
#ifndef BENCH_WORK_H
#define BENCH_WORK_H

#include <stdint.h>

/* Rounds in a default run: a few hundred million MIPS instructions. */
#define WORK_DEFAULT_SCALE 16

#define WORK_SIEVE_N   (256u * 1024u)  /* bytes of sieve */
#define WORK_SORT_N    (64u * 1024u)   /* words to sort (256 KB) */
#define WORK_MAT_N     64u             /* matrices are N x N, Q16 */
#define WORK_HASH_N    4096u           /* hash-table slots (a power of two) */

/* Everything a round touches. One per CPU; it need not be zeroed. */
struct work_arena {
	uint8_t sieve[WORK_SIEVE_N];
	uint32_t keys[WORK_SORT_N];
	int32_t mat_a[WORK_MAT_N][WORK_MAT_N];
	int32_t mat_b[WORK_MAT_N][WORK_MAT_N];
	uint32_t mat_c[WORK_MAT_N][WORK_MAT_N];  /* bits 16..47 of the sums */
	uint32_t crc_table[256];
	uint32_t hash[WORK_HASH_N];
};

/* The checksum of one round. */
uint32_t work_round(struct work_arena *arena, uint32_t round);

/* The contribution of rounds [first, first + count) to a run's checksum;
   contributions of disjoint ranges add up (mod 2^32). */
uint32_t work_rounds(struct work_arena *arena, uint32_t first, uint32_t count);

/* The checksum of rounds [0, scale), on a static arena. */
uint32_t workload(uint32_t scale);

#endif
