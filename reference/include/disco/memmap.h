/**
 * @file memmap.h
 * @brief The machine memory map: who uses each machine page.
 *
 * Paper section 4.2.2: "Disco maintains a memmap data structure that
 * contains an entry for each real machine memory page". An entry says which
 * VM and which of its physical pages use the machine page, and which
 * other machine pages hold replicas of it (paper section 4.2.3: a
 * read-shared page gets a copy on each node that reads it). Free pages are
 * kept per node, so memory can be allocated near the CPU that will use it.
 *
 * Only memmap.c writes these fields; the pmap and the NUMA policy go
 * through the functions below, which check that each call makes sense
 * (freeing a free page, freeing a replica behind the primary's back) and
 * stop the monitor with a message if it does not (check.h).
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
    bool replica;           /**< a replica of another page (the pmap names the primary) */
    bool shared;            /**< the global disk cache's, mapped read-only by `refs` VM pages */
    uint16_t refs;          /**< shared: how many VM pages (pmap entries) name it */
    uint32_t gpfn;          /**< the VM's physical page it backs (shared: its disk cache slot) */
    uint32_t next_free;     /**< free-list link (a machine PFN), or UINT32_MAX */
    uint32_t next_copy;     /**< the next replica of the same guest page, or UINT32_MAX */
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
 * already, a replica (memmap_collapse() frees those) or a primary that
 * still has replicas is a monitor bug: it stops the monitor with a message
 * (check.h).
 */
void memmap_free(struct memmap *mm, uint32_t mpfn);

/**
 * Record that allocated page @p mpfn belongs to the global disk cache
 * (diskcache.h), slot @p slot, named by one VM page so far (refs = 1).
 */
void memmap_set_shared(struct memmap *mm, uint32_t mpfn, uint32_t slot);

/** One more VM page names shared page @p mpfn. */
void memmap_share(struct memmap *mm, uint32_t mpfn);

/**
 * One VM page less names shared page @p mpfn; returns how many still do.
 * At 0 the caller takes it out of the disk cache and frees it.
 */
uint32_t memmap_unshare(struct memmap *mm, uint32_t mpfn);

/** Pages free in all. */
uint32_t memmap_free_pages(const struct memmap *mm);

/** Pages free on node @p node. */
uint32_t memmap_free_on(const struct memmap *mm, int node);

/**
 * Take a free page from node @p node only (a replica or a migration target
 * must be on the node that asked for it). UINT32_MAX if the node has none.
 */
uint32_t memmap_alloc_on(struct memmap *mm, int node);

/** The node whose memory holds machine page @p mpfn. */
int memmap_node(const struct memmap *mm, uint32_t mpfn);

/**
 * Record that allocated page @p copy holds a replica of @p primary (which
 * backs a VM's page and is not itself a replica): it gets the same owner
 * and joins the primary's list of replicas.
 */
void memmap_add_replica(struct memmap *mm, uint32_t primary, uint32_t copy);

/** The first replica of @p primary, or the one after replica @p mpfn; UINT32_MAX at the end. */
uint32_t memmap_next_replica(const struct memmap *mm, uint32_t mpfn);

/**
 * The copy of @p primary's contents on node @p node: @p primary itself if
 * it is there, else its replica there, else UINT32_MAX.
 */
uint32_t memmap_copy_on(const struct memmap *mm, uint32_t primary, int node);

/**
 * Collapse @p primary and its replicas to the one copy @p keep (the primary
 * itself or one of its replicas): every other copy is freed, and @p keep
 * becomes a plain page of the VM (the caller points the pmap at it).
 * Returns how many pages were freed.
 */
uint32_t memmap_collapse(struct memmap *mm, uint32_t primary, uint32_t keep);

#endif
