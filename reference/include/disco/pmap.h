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
 */
#ifndef DISCO_PMAP_H
#define DISCO_PMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** Allocate the pmap of @p vm (all entries empty). Returns 0 or -1. */
int pmap_init(struct vm *vm);

/** Free the pmap and give every machine page back. */
void pmap_destroy(struct vm *vm);

/**
 * The machine page behind guest page @p gpfn, allocated (and zeroed, as
 * fresh memory must not leak another VM's data) on first use, near
 * @p user's node. On success returns 0 and the precomputed EntryLo in
 * @p lo (machine PFN | C | D | V). Returns -1 if gpfn is not the VM's or
 * machine memory is exhausted.
 */
int pmap_lookup(struct vm *vm, struct vcpu *user, uint32_t gpfn, uint32_t *lo);

/**
 * Merge a guest EntryLo (guest PFN, its D and V bits) with the pmap into the
 * EntryLo the hardware gets (paper: "merged with the guest's protection
 * bits at insertion"). Returns -1 for a PFN that is not the VM's (a forged
 * entry) or when memory is exhausted; a guest entry with V=0 gives 0.
 */
int pmap_merge(struct vm *vm, struct vcpu *user, uint32_t guest_lo, uint32_t *mlo);

/** Record that L2 TLB slot @p slot of @p vcpu maps guest page @p gpfn. */
void pmap_backmap_add(struct vm *vm, uint32_t gpfn, int vcpu, int slot);

/** Forget that record. */
void pmap_backmap_remove(struct vm *vm, uint32_t gpfn, int vcpu, int slot);

/**
 * Remove every cached translation of guest page @p gpfn: the second-level
 * TLB entries its backmap lists, and the hardware TLB entries of every
 * physical CPU running one of the VM's vCPUs (a TLB shootdown), including
 * the monitor's own mapping of it in the relocated kernel segment.
 */
void pmap_invalidate(struct vm *vm, uint32_t gpfn);

/**
 * The guest no longer needs the contents of @p gpfn (MC_FREE_PAGE): drop
 * every translation and give the machine page back. The next use gets a
 * fresh zeroed page.
 */
void pmap_release(struct vm *vm, uint32_t gpfn);

/** Copy bytes out of guest physical memory (monitor calls); -1 if not the VM's. */
int pmap_read(struct vm *vm, struct vcpu *user, uint32_t gpa, void *buf, uint32_t len);

/** Copy bytes into guest physical memory; -1 if not the VM's. */
int pmap_write(struct vm *vm, struct vcpu *user, uint32_t gpa, const void *buf, uint32_t len);

#endif
