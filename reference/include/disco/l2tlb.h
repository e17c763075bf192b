/**
 * @file l2tlb.h
 * @brief The second-level software TLB of each vCPU (lab 2).
 *
 * Paper section 4.2.2: "Disco caches recent virtual-to-machine translations
 * in a second-level software TLB. On each TLB miss, Disco's TLB miss
 * handler first consults the second-level TLB. If it finds a matching
 * virtual address it can simply place the cached mapping in the TLB,
 * otherwise it forwards the TLB miss exception to the operating system."
 *
 * In this kit the second-level TLB holds exactly the translations of the
 * vCPU's virtual TLB, already merged with the pmap (machine PFNs), hashed
 * by virtual page. The hardware TLB is smaller in effect than the virtual
 * one: it is flushed whenever a different vCPU gets the CPU, and it also
 * holds the monitor's mappings of the relocated guest kernel. The
 * second-level TLB refills it without bothering the guest. (Disco's was
 * larger than the virtual TLB; keeping it an exact mirror means the guest
 * sees exactly the TLB of the real machine, which the kit's equivalence
 * tests rely on. The handout discusses the trade-off.)
 */
#ifndef DISCO_L2TLB_H
#define DISCO_L2TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** Empty the second-level TLB of @p v (backmaps included). */
void l2tlb_flush(struct vcpu *v);

/**
 * Virtual TLB entry @p vindex of @p v was written: replace whatever the
 * L2 TLB held for that index with the new entry, merged with the pmap.
 * Returns -1 if the entry names a page that is not the VM's (forged).
 */
int l2tlb_update(struct vcpu *v, int vindex);

/**
 * Look up the translation of @p va for ASID @p asid. On a hit, returns the
 * entry (the caller writes it to the hardware TLB); NULL on a miss.
 */
const struct l2tlb_entry *l2tlb_lookup(struct vcpu *v, uint32_t va, uint32_t asid);

/** Drop slot @p slot (the pmap invalidates through backmaps). */
void l2tlb_drop_slot(struct vcpu *v, int slot);

#endif
