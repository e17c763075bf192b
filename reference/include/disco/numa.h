/**
 * @file numa.h
 * @brief NUMA memory management: placement, page migration and replication
 * (lab 3).
 *
 * Paper section 4.2.3. On a cc-NUMA machine a cache miss to another node's
 * memory costs three times a local one (MACHINE.md, "Memory and NUMA"), so
 * where a page lives matters, and a commodity kernel does not know. Disco
 * places each new page on the node of the vCPU that first uses it
 * (numa_home_node()), and then moves pages to where the misses are:
 * FLASH's MAGIC counts cache misses per machine page and per node and, when
 * a counter reaches the hot-page threshold, queues the page and interrupts
 * the CPU that missed (IP5). The monitor then reads the page's counters on
 * every node and decides (numa_decide()):
 *
 * - a page missed mostly by one node (at least numa_migrate_share percent
 *   of its misses) **migrates** there (numa_migrate());
 * - a page missed by several nodes and never written while shared is
 *   **replicated**: the node that missed gets a read-only copy
 *   (numa_replicate()); a later write to any copy takes a TLB modified
 *   fault in the monitor, which **collapses** the copies to one before the
 *   write proceeds (numa_collapse(), reached through pmap_make_writable());
 *   such a page is write-shared and stays where it is from then on;
 * - a page already local, pinned for DMA, at its cap of moves, or moved
 *   less than numa_freeze cycles ago stays. The cap ends ping-pong for
 *   good; the freeze spaces moves out in time, so that a page written by
 *   several nodes cannot move at every miss (each move interrupts a CPU,
 *   and an interrupt between a guest's LL and SC makes the SC fail: at a
 *   threshold of 1 with no cap, a contended spinlock would never be
 *   taken).
 *
 * Moving a page must never be visible to the guest, and must keep the
 * monitor's invariant (pmap.h): every hardware TLB entry names a current
 * copy of its page. So every move goes: copy the contents, point the pmap
 * at the new page (or add the replica), re-merge every TLB entry through
 * the backmaps (pmap_remap(), with shootdowns on other CPUs), and only then
 * free the old page. Settings: the [monitor] section (config.h).
 */
#ifndef DISCO_NUMA_H
#define DISCO_NUMA_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** The node a new page for @p user should come from (first touch). */
int numa_home_node(const struct monitor *mon, const struct vcpu *user);

/** Set up MAGIC for the policy: its counters start from zero and records
 *  queued before now are dropped. */
void numa_init(struct monitor *mon);

/** What the policy decides for one hot page. */
enum numa_action {
    NUMA_MIGRATE,      /**< move the page to the node that missed */
    NUMA_REPLICATE,    /**< give the node that missed a read-only copy */
    NUMA_STAY_LOCAL,   /**< the node that missed has a copy already */
    NUMA_STAY_STALE,   /**< the node has no misses left on it (counted and reset since it was queued) */
    NUMA_STAY_SHARED,  /**< write-shared (or replication is off): leave it */
    NUMA_STAY_CAPPED,  /**< moved numa_max_moves times already */
    NUMA_STAY_FROZEN,  /**< moved less than numa_freeze cycles ago */
    NUMA_STAY_BUSY,    /**< pinned for DMA, or not a VM's page: cannot move */
};

/** What the policy knows about one hot page when it decides. */
struct numa_page {
    int nnodes;                       /**< nodes of the machine */
    uint32_t misses[SIM_MAX_NODES];   /**< MAGIC's misses per node, summed over the page's copies */
    uint32_t copies;                  /**< bit n set: node n holds a copy (the page or a replica) */
    bool movable;                     /**< a VM's page, not pinned for DMA */
    bool write_shared;                /**< a write collapsed its replicas before */
    uint32_t moves;                   /**< migrations and replications so far */
    uint64_t since_move;              /**< machine cycles since the last of them (UINT64_MAX: never moved) */
};

/**
 * Decide what to do with a hot page that node @p node missed on (a pure
 * function: no state is read or changed). In this order: not @p p->movable
 * gives NUMA_STAY_BUSY; @p node holding a copy, NUMA_STAY_LOCAL; no misses
 * by @p node in @p p (a record older than the last reset), NUMA_STAY_STALE; a cap
 * reached (cfg->max_moves > 0 and p->moves >= it), NUMA_STAY_CAPPED; a move
 * less than cfg->freeze cycles ago (p->since_move < cfg->freeze),
 * NUMA_STAY_FROZEN; @p node
 * making at least cfg->migrate_share percent of all the misses,
 * NUMA_MIGRATE for a page with one copy (NUMA_REPLICATE when it has
 * replicas already and replication is on, else NUMA_STAY_SHARED);
 * otherwise NUMA_REPLICATE if replication is on and the page is not
 * write-shared, else NUMA_STAY_SHARED. Paper section 4.2.3; handout/lab3.md,
 * "The policy".
 */
enum numa_action numa_decide(const struct numa_config *cfg, const struct numa_page *p, int node);

/**
 * Move guest page @p gpfn of @p vm (backed, not pinned, not replicated) to
 * a free page of node @p node: copy its contents with the host API's page
 * copy (charged to this CPU through the cache and NUMA model), point the
 * pmap and its precomputed EntryLo at the new page, re-merge every
 * translation of it (pmap_remap()), and free the old page. Counts
 * mon->numa.migrations and the cycles spent. Returns PMAP_OK, or
 * PMAP_NO_MEMORY (nothing changed) when @p node has no free page.
 * Handout/lab3.md, "Migration".
 */
int numa_migrate(struct vm *vm, uint32_t gpfn, int node);

/**
 * Give node @p node a replica of guest page @p gpfn (backed, not pinned,
 * not write-shared, no copy on @p node yet): take a page of that node,
 * copy the contents into it, record it as a replica (memmap.h), make the
 * pmap's EntryLo read-only (D clear) and re-merge every translation
 * (pmap_remap()): each vCPU now maps the copy on its own node, read-only.
 * Counts mon->numa.replications and the cycles spent. Returns PMAP_OK, or
 * PMAP_NO_MEMORY (nothing changed). Handout/lab3.md, "Replication".
 */
int numa_replicate(struct vm *vm, uint32_t gpfn, int node);

/**
 * Guest page @p gpfn of @p vm has replicas and is about to be written
 * (pmap_make_writable() calls this; nothing else should): collapse the
 * copies to one, the one on @p user's node if there is one (or the
 * primary when the page is pinned for DMA), make the pmap's EntryLo
 * writable again, re-merge every translation (pmap_remap()), free the
 * other copies, and mark the page write-shared. Counts
 * mon->numa.collapses and the cycles spent. Handout/lab3.md, "Collapsing
 * on a write".
 */
void numa_collapse(struct vm *vm, struct vcpu *user, uint32_t gpfn);

/**
 * One hot-page record: node @p node missed on machine page @p pfn as often
 * as the hot-page threshold. Find the VM page behind @p pfn through the
 * memmap (a replica stands for its page); a page of the monitor's own
 * counts as mon->numa.left_busy and keeps its counters (so it is not
 * queued again); a page no VM uses any more is a stale record: reset its
 * counters, nothing else. Otherwise charge mon->cost.numa_decide, gather
 * the page's struct numa_page (MAGIC's counters summed over every copy:
 * sim_magic_count()), decide (numa_decide()), act (numa_migrate(),
 * numa_replicate()), count the outcome in mon->numa (left_shared,
 * left_capped, left_frozen, left_busy, left_no_memory when a move found
 * no free page),
 * and reset the counters of every copy of the page (sim_magic_reset()) --
 * except after NUMA_STAY_LOCAL and NUMA_STAY_CAPPED, which nothing can
 * change: re-arming those would only raise the interrupt again at the
 * node's next miss. Paper section 4.2.3; handout/lab3.md, "The hot-page
 * interrupt".
 */
void numa_hot_page(struct monitor *mon, uint32_t pfn, int node);

/**
 * A hot-page interrupt (IP5) on @p cpu: pop every record from MAGIC's
 * queue and count it (mon->numa.hot_records); with numa = on, hand each to
 * numa_hot_page(); with numa = off they are only counted.
 */
void numa_hot_pages(struct monitor *mon, int cpu);

/** The policy's counters. */
const struct numa_stats *numa_stats(const struct monitor *mon);

#endif
