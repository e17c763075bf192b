/**
 * @file diskcache.h
 * @brief The global disk cache: machine pages holding copy-on-write disk
 * blocks, shared read-only by every VM that reads them (lab 4).
 *
 * Paper section 4.2.5. Disco keeps the blocks of shared (cow) disks that
 * VMs have read in machine memory, indexed by disk and block. A
 * page-sized, page-aligned read of a block already there is served without
 * the disk: the monitor maps that machine page read-only at the guest's
 * destination page (pmap_share()); a later write by the guest takes a TLB
 * modified fault in the monitor, which gives that VM a private copy
 * (pmap_make_writable()). A block read from the disk is cached by keeping
 * the page it was read into, now shared (the reader maps it read-only).
 *
 * The cache is an open-addressing table of (machine disk, block) keys; a
 * cached page's memmap entry says which slot names it (memmap.h), so that
 * the page leaves the cache when the last VM page naming it goes. A block
 * is 4 KB: 8 sectors from a sector that is a multiple of 8.
 *
 * Kernel text is shared the same way: the pages a VM's kernel ELF fills
 * whole are cached under the key (DISKCACHE_KERNEL + k, page), k naming
 * the ELF file, so every VM booted from it maps the same machine pages
 * read-only until it writes one (vm.c).
 */
#ifndef DISCO_DISKCACHE_H
#define DISCO_DISKCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** Cache keys from here up name kernel ELF files, not machine disks. */
#define DISKCACHE_KERNEL 1000

/** Keys from here up name pages sent over the virtual network (vnet.h):
 *  each (DISKCACHE_NET, n) is one page shared by its sender and its
 *  receivers, never looked up, gone with its last user. */
#define DISKCACHE_NET 2000

/** Sectors in a cached block (one page). */
#define DISKCACHE_SECTORS (MIPS_PAGE_SIZE / 512)

/** Set up a cache for a machine of @p npages pages. 0, or -1 out of host memory. */
int diskcache_init(struct diskcache *dc, uint32_t npages);

/** Free the table (not the pages: the memmap owns those). */
void diskcache_fini(struct diskcache *dc);

/** The machine page caching @p block of machine disk @p mdisk, or NO_PAGE. */
uint32_t diskcache_lookup(const struct diskcache *dc, int mdisk, uint32_t block);

/** Cache @p block of @p mdisk in page @p mpfn (not cached yet); returns its slot. */
uint32_t diskcache_insert(struct diskcache *dc, int mdisk, uint32_t block, uint32_t mpfn);

/** Take slot @p slot (which caches page @p mpfn) out of the cache. */
void diskcache_remove(struct diskcache *dc, uint32_t slot, uint32_t mpfn);

#endif
