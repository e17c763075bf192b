/**
 * @file numa.h
 * @brief NUMA memory management: placement, page migration and replication
 * (lab 3).
 *
 * Paper section 4.2.4: Disco places each new page on the node of the vCPU
 * that first uses it, and then moves pages where the misses are: FLASH's
 * MAGIC counts cache misses per page and per node and flags hot pages; a
 * page used mostly by one node migrates there, a read-shared page is
 * replicated, a write-shared page stays. This version places pages on
 * first touch and leaves them there (the simplest correct policy); the hot
 * pages MAGIC reports are drained and counted. Migration and replication
 * are the subject of lab 3.
 */
#ifndef DISCO_NUMA_H
#define DISCO_NUMA_H

#include "disco/types.h"

/** The node a new page for @p user should come from. */
int numa_home_node(const struct monitor *mon, const struct vcpu *user);

/** Set up MAGIC for the policy (threshold, counters). */
void numa_init(struct monitor *mon);

/** A hot-page interrupt (IP5) on @p cpu: act on the hot-page queue. */
void numa_hot_pages(struct monitor *mon, int cpu);

/** The policy's counters. */
const struct numa_stats *numa_stats(const struct monitor *mon);

#endif
