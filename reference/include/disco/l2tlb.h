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
 * In this kit entries 0..63 mirror the vCPU's virtual TLB, already merged
 * with the pmap (machine PFNs); entries 64 and up keep the translations the
 * guest's TLBWR evicted from its virtual TLB, so that, as in Disco, the
 * guest's TLB looks much larger than the hardware's. Keeping a translation
 * the guest thinks is gone is safe as long as the guest removes a
 * translation the way the kit's kernel does (and a correct kernel must, since
 * the real TLB may hold it): it probes for it (TLBP purges the kept copies
 * of that page pair) or it flushes the whole TLB (MC_TLB_FLUSH, or writing
 * an index with an entry in an unmapped segment, the usual flush-by-index,
 * which purges every kept copy).
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

/**
 * TLBWR is about to overwrite virtual TLB entry @p vindex: keep its
 * translation among the victims instead of losing it.
 */
void l2tlb_evict(struct vcpu *v, int vindex);

/**
 * The guest probed for (or wrote) the pair of @p hi: drop the victims that
 * match it (its VPN2 and ASID, or global ones), so that a translation the
 * guest believes absent is absent. Returns how many were dropped.
 */
int l2tlb_purge(struct vcpu *v, uint32_t hi);

/** Drop every victim (a whole-TLB flush by the guest). */
void l2tlb_purge_victims(struct vcpu *v);

/** Drop slot @p slot (the pmap invalidates through backmaps). */
void l2tlb_drop_slot(struct vcpu *v, int slot);

#endif
