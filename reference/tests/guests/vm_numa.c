/*
 * vm_numa: a NUMA workload for the monitor's page migration and
 * replication (paper 4.2.3, lab 3), a small cousin of Figure 8's.
 *
 * vCPU 0 fills every array first, so first-touch placement puts all their
 * pages on its node. Then each vCPU makes PASSES passes over
 *   - its own block of `blocks` (BLOCK_WORDS words: read and written by it
 *     alone, a page to migrate to its node),
 *   - the table (read by every vCPU and written by none: a page to
 *     replicate on every node), and
 *   - a shared counter, under a lock, once a pass (written by all: a page
 *     that must stay where it is).
 * Run it with caches smaller than a vCPU's block and the table, so every
 * pass misses (the scenarios' cache_size = 16K).
 *
 * What a vCPU computes depends only on its block and the table, so the
 * console is the same whatever the monitor moves, and whenever: with
 * migration on, off or forced. args: "passes=N" (default 8).
 */
#include "vmrt.h"

#define MAX_VCPUS VMRT_MAXCPU
#define BLOCK_WORDS (16 * 1024)  /* 64 KB: 16 pages a vCPU */
#define TABLE_WORDS (8 * 1024)   /* 32 KB: 8 pages */

static uint32_t blocks[MAX_VCPUS][BLOCK_WORDS] __attribute__((aligned(4096)));
static uint32_t table[TABLE_WORDS] __attribute__((aligned(4096)));
static volatile uint32_t shared __attribute__((aligned(4096)));
static volatile uint32_t lock, arrived;
static uint32_t sums[MAX_VCPUS];
static int passes = 8;

static void worker(int id)
{
    uint32_t *b = blocks[id], sum = 0;
    for (int p = 0; p < passes; p++) {
        for (int w = 0; w < BLOCK_WORDS; w++) {
            uint32_t x = b[w] * 1103515245u + table[(b[w] >> 7) & (TABLE_WORDS - 1)];
            b[w] = x;
            sum ^= x + (uint32_t)w;
        }
        spin_lock(&lock);
        shared++;
        spin_unlock(&lock);
    }
    sums[id] = sum;
    spin_lock(&lock);
    arrived++;
    spin_unlock(&lock);
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)memsize;
    int n = vm_arg(args, "passes=", passes);
    if (n > 0)
        passes = n;
    if (ncpus > MAX_VCPUS)
        ncpus = MAX_VCPUS;
    for (int i = 0; i < TABLE_WORDS; i++)
        table[i] = (uint32_t)i * 2654435761u;
    for (int c = 0; c < ncpus; c++)
        for (int w = 0; w < BLOCK_WORDS; w++)
            blocks[c][w] = (uint32_t)(c * BLOCK_WORDS + w) * 40503u;
    for (int i = 1; i < ncpus; i++)
        vm_start_cpu(i, worker);
    worker(0);
    while (arrived < (uint32_t)ncpus)
        ;
    for (int c = 0; c < ncpus; c++)
        vm_printf("vcpu %d: %08x\n", c, sums[c]);
    check(shared == (uint32_t)(ncpus * passes), "the shared counter is exact");
    vm_printf("%d vcpus, %d passes\n", ncpus, passes);
    return report("vm_numa");
}
