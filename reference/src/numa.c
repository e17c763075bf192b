/** @file
 * numa.c - NUMA memory management (lab 3).
 *
 * Paper section 4.2.4. New pages go to the home node of the vCPU that
 * first touches them ("first touch"), which for a uniprocessor VM keeps all
 * its memory local. MAGIC flags hot pages (a page that one node misses on
 * often); this version drains and counts those records and moves nothing,
 * which is always correct. Lab 3 adds the policy: migrate a page used by
 * one node, replicate a read-shared one, leave write-shared ones, with TLB
 * shootdowns through the pmap's backmaps.
 */
#include "disco/monitor.h"
#include "disco/numa.h"

int numa_home_node(const struct monitor *mon, const struct vcpu *user)
{
    (void)mon;
    return user ? user->home_node : 0;
}

void numa_init(struct monitor *mon)
{
    sim_magic_reset(mon->m, UINT32_MAX);
}

/* LAB 3 BEGIN numa_hot_pages */
void numa_hot_pages(struct monitor *mon, int cpu)
{
    uint32_t pfn;
    int node;
    (void)cpu;
    while (sim_magic_pop(mon->m, &pfn, &node))
        mon->numa.hot_records++;
}
/* LAB 3 END */

const struct numa_stats *numa_stats(const struct monitor *mon)
{
    return &mon->numa;
}
