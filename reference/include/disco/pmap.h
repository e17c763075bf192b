/**
 * @file pmap.h
 * @brief Virtual physical memory: the pmap of each VM (lab 2).
 *
 * Paper section 4.2.2: "Disco maintains a physical-to-machine address
 * mapping ... the pmap ... contains one entry for each physical page of a
 * virtual machine. Each pmap entry contains a pre-computed TLB entry that
 * references the physical page location in real memory." Machine pages are
 * allocated the first time a guest page is used, on the node of the vCPU
 * that uses it. Each entry also keeps a backmap of the second-level TLB
 * entries that map the page, so that when the page moves (or is freed)
 * every cached translation of it can be found and invalidated.
 *
 * The monitor's invariant (checked by check.h): every hardware TLB entry
 * that maps a guest page is a copy of an L2 TLB entry listed in that
 * page's backmap, or the monitor's own mapping of the relocated kernel
 * segment, and in both cases names the page's current machine page.
 */
#ifndef DISCO_PMAP_H
#define DISCO_PMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/**
 * What a pmap operation returns. The two failures are different things and
 * get different messages: a guest that names memory it does not have is
 * at fault (it is stopped, or gets a bus error), while a machine out of
 * pages is a resource limit.
 */
enum pmap_status {
    PMAP_OK = 0,         /**< done */
    PMAP_NOT_VMS = -1,   /**< the guest page is not the VM's (beyond its memory) */
    PMAP_NO_MEMORY = -2, /**< no free machine page is left */
};

/** A message for a pmap_status ("not one of its pages", "out of machine memory"). */
const char *pmap_strerror(int status);

/** Allocate the pmap of @p vm (all entries empty). Returns 0 or -1. */
int pmap_init(struct vm *vm);

/** Free the pmap and give every machine page back. */
void pmap_destroy(struct vm *vm);

/**
 * The machine page behind guest page @p gpfn, allocated (and zeroed, as
 * fresh memory must not leak another VM's data) on first use, near
 * @p user's node (numa_home_node()), and recorded in the memmap; using a
 * page cancels a free deferred by DMA (pmap_release()). On success
 * returns PMAP_OK and the precomputed EntryLo in @p lo (machine PFN | C=3 |
 * D | V). Returns PMAP_NOT_VMS if @p gpfn is not the VM's, PMAP_NO_MEMORY if
 * the machine has no page left. Paper section 4.2.2; handout/lab2.md,
 * "The pmap".
 *
 * When lab 3's policy replicated the page, *lo is pmap_copy_lo(): the
 * template with the PFN of the copy on @p user's node, and D clear.
 */
int pmap_lookup(struct vm *vm, struct vcpu *user, uint32_t gpfn, uint32_t *lo);

/**
 * Merge a guest EntryLo (guest PFN, its C, D and V bits) with the pmap into
 * the EntryLo the hardware gets (paper: "merged with the guest's protection
 * bits at insertion"): the machine PFN from the pmap, the guest's C and V,
 * and D only if both the guest and the pmap entry allow writes. A guest
 * entry with V=0 gives 0 (PMAP_OK). Returns PMAP_NOT_VMS for a PFN that is
 * not the VM's (a forged entry) and PMAP_NO_MEMORY when memory is exhausted.
 */
int pmap_merge(struct vm *vm, struct vcpu *user, uint32_t guest_lo, uint32_t *mlo);

/**
 * The hardware TLB entry for the pair of @p va in the relocated kernel
 * segment (MIPS_KSSEG..MIPS_KSEG3) of vCPU @p v: both pages global, each
 * the pmap's precomputed entry of guest page (page - MIPS_KSSEG) / 4 KB, or
 * the vCPU's HAL page at MC_HALPAGE when the HAL page is on, or 0 (invalid)
 * beyond the VM's memory. Returns PMAP_OK; PMAP_NOT_VMS if the page of
 * @p va itself is beyond the VM's memory (the caller forwards a bus error);
 * PMAP_NO_MEMORY. Handout/lab2.md, "The relocated kernel segment".
 */
int pmap_kseg_entry(struct vcpu *v, uint32_t va, struct sim_tlb_entry *te);

/** Record that L2 TLB slot @p slot of vCPU @p vcpu maps guest page @p gpfn. */
void pmap_backmap_add(struct vm *vm, uint32_t gpfn, int vcpu, int slot);

/** Forget that record (it must exist: a missing one is a monitor bug). */
void pmap_backmap_remove(struct vm *vm, uint32_t gpfn, int vcpu, int slot);

/**
 * Remove every cached translation of guest page @p gpfn: the second-level
 * TLB entries its backmap lists (and their hardware copies), and the
 * monitor's own mapping of it in the relocated kernel segment on every
 * physical CPU running one of the VM's vCPUs (a TLB shootdown). Afterwards
 * no TLB of the machine reaches the page's machine page through this VM.
 * Handout/lab2.md, "Backmaps".
 */
void pmap_invalidate(struct vm *vm, uint32_t gpfn);

/**
 * The guest no longer needs the contents of @p gpfn (MC_FREE_PAGE): drop
 * every translation and give the machine page back; the next use gets a
 * fresh zeroed page. Returns true. A page under DMA is pinned: it is not
 * given back yet, so that the transfer cannot reach memory that is no
 * longer the VM's; the free is deferred to the end of the transfer
 * (pmap_unpin()), or cancelled if the guest uses the page again before
 * (pmap_lookup()), and the call returns false.
 */
bool pmap_release(struct vm *vm, uint32_t gpfn);

/**
 * Pin guest page @p gpfn (backed: the caller looked it up) while a DMA
 * transfer uses its machine page: it may not be released or moved until
 * pmap_unpin().
 */
void pmap_pin(struct vm *vm, uint32_t gpfn);

/** The transfer that pinned @p gpfn is over; a deferred free happens now. */
void pmap_unpin(struct vm *vm, uint32_t gpfn);

/**
 * The EntryLo to map guest page @p gpfn (backed) for @p user: the pmap's
 * precomputed template, or, when the page has replicas (numa.h), the same
 * with the PFN of the copy on @p user's home node if there is one. A
 * replicated page's template is read-only (D clear), so every copy is.
 */
uint32_t pmap_copy_lo(const struct vm *vm, const struct vcpu *user, uint32_t gpfn);

/**
 * Map disk cache page @p mpfn (memmap: shared) read-only at guest page
 * @p gpfn of @p vm, which is not pinned and not replicated: the VM takes
 * a reference to the page, every translation of @p gpfn is re-merged
 * (pmap_remap()), and the page that backed it before, if any, is given
 * back. A write to it later gives the VM a private copy
 * (pmap_make_writable()). Handout/lab4.md.
 */
void pmap_share(struct vm *vm, uint32_t gpfn, uint32_t mpfn);

/**
 * Move what guest page @p src of @p vm holds to guest page @p dst, without
 * a copy: @p dst gets @p src's machine page (shared or private, its
 * replicas collapsed first), the page @p dst had is given back, and @p src
 * has no page any more (it reads as zeros, as a page never used). Every
 * translation of either page is dropped first. Neither may be pinned by a
 * transfer (a monitor bug otherwise). MC_NET_REMAP (vnet.h).
 */
void pmap_move(struct vm *vm, struct vcpu *user, uint32_t src, uint32_t dst);

/**
 * Put the machine page behind guest page @p gpfn of @p vm, just filled
 * with block @p block of machine disk @p mdisk, into the global disk
 * cache: it becomes a shared page, read-only for @p vm too. Refused
 * (false, nothing changed) for a page that is pinned by another transfer,
 * freed, replicated or shared already, or when the block is cached.
 */
bool pmap_cache(struct vm *vm, uint32_t gpfn, int mdisk, uint32_t block);

/** Does backed guest page @p gpfn have replicas (so that it is read-only everywhere)? */
bool pmap_replicated(const struct vm *vm, uint32_t gpfn);

/**
 * The pmap entry of @p gpfn changed (it moved to another machine page, got
 * replicas, or lost them): merge every second-level TLB entry that maps it
 * again (its backmap lists them; each vCPU gets the copy on its node),
 * drop their hardware copies, and drop the monitor's mapping of the page
 * in the relocated kernel segment on every CPU running one of the VM's
 * vCPUs. A CPU other than this one is reached by an inter-processor
 * interrupt (a TLB shootdown, charged to both CPUs). Afterwards every TLB
 * of the machine either misses on the page or names one of its current
 * copies, with write permission only if it has no replica.
 */
void pmap_remap(struct vm *vm, uint32_t gpfn);

/**
 * The monitor, a device or the guest is about to write guest page @p gpfn
 * (DMA into it, MC_ZERO_PAGE, console input, a guest store that faulted):
 * the one call that makes a page the monitor shares or replicated
 * writable again: collapsing its replicas to one copy
 * (numa_collapse()), and a disk cache page shared with other VMs gives
 * the VM a private copy of it (the copy-on-write fault). The page
 * is backed first if it was not (pmap_lookup()). Returns PMAP_OK,
 * PMAP_NOT_VMS or PMAP_NO_MEMORY.
 */
int pmap_make_writable(struct vm *vm, struct vcpu *user, uint32_t gpfn);

/**
 * A TLB modified exception (a store through an entry with D clear) taken
 * by @p v at e->badvaddr. If the guest's own TLB entry (or, in the
 * relocated kernel segment, the monitor's) allows the write and the page
 * is read-only only because the monitor made it so (a replica, or a disk
 * cache page shared with other VMs: diskcache.h), make it
 * writable (pmap_make_writable()) and return true: the caller retries the
 * store. False when the guest itself forbids the write: the exception is
 * the guest's.
 */
bool pmap_write_fault(struct vcpu *v, const struct sim_exception *e);

/**
 * Copy bytes out of guest physical memory (monitor calls). A page the
 * guest never used reads as zeros (it has no machine page yet). Returns
 * PMAP_OK or PMAP_NOT_VMS.
 */
int pmap_read(struct vm *vm, struct vcpu *user, uint32_t gpa, void *buf, uint32_t len);

/** Copy bytes into guest physical memory. Returns PMAP_OK, PMAP_NOT_VMS or PMAP_NO_MEMORY. */
int pmap_write(struct vm *vm, struct vcpu *user, uint32_t gpa, const void *buf, uint32_t len);

#endif
