/**
 * @file memmap.h
 * @brief The machine memory map: who uses each machine page.
 *
 * Paper section 4.2.2: "Disco maintains a memmap data structure that
 * contains an entry for each real machine memory page". An entry says which
 * VM and which of its physical pages use the machine page (and, once page
 * replication lands, which replicas exist). Free pages are kept per node,
 * so memory can be allocated near the CPU that will use it (NUMA).
 */
#ifndef DISCO_MEMMAP_H
#define DISCO_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "flash/hostapi.h"

/** One machine page. */
struct memmap_entry {
    int16_t vm;             /**< owning VM, or -1 if free or the monitor's */
    bool monitor;           /**< used by the monitor itself (HAL pages) */
    bool free;              /**< on its node's free list */
    uint32_t gpfn;          /**< the VM's physical page it backs */
    uint32_t next_free;     /**< free-list link (a machine PFN), or UINT32_MAX */
};

/** The memmap. */
struct memmap {
    uint32_t npages;              /**< machine pages */
    int nnodes;                   /**< nodes */
    uint32_t pages_per_node;      /**< pages of each node */
    struct memmap_entry *page;    /**< npages entries */
    uint32_t free_head[SIM_MAX_NODES];  /**< free list of each node */
    uint32_t free_count[SIM_MAX_NODES]; /**< its length */
};

/** Build the memmap of @p m: every page free. NULL if out of host memory. */
struct memmap *memmap_create(struct sim *m);

/** Free it. */
void memmap_destroy(struct memmap *mm);

/**
 * Take a free page, from @p node if it has one, else from the nearest node
 * that does (node+1, node+2, ... wrapping). Returns UINT32_MAX when the
 * machine is out of memory.
 */
uint32_t memmap_alloc(struct memmap *mm, int node);

/** Record that machine page @p mpfn (allocated) backs guest page @p gpfn of VM @p vm. */
void memmap_set_owner(struct memmap *mm, uint32_t mpfn, int vm, uint32_t gpfn);

/** Record that machine page @p mpfn (allocated) is the monitor's own. */
void memmap_set_monitor(struct memmap *mm, uint32_t mpfn);

/**
 * Give a page back to its node's free list. Freeing a page that is free
 * already is a monitor bug: it stops the monitor with a message (check.h).
 */
void memmap_free(struct memmap *mm, uint32_t mpfn);

/** Pages free in all. */
uint32_t memmap_free_pages(const struct memmap *mm);

#endif
