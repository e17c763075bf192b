/**
 * @file l2tlb.h
 * @brief The second-level software TLB of each vCPU, and TLB misses (lab 2).
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

#include "disco/pmap.h"
#include "disco/types.h"

/**
 * Empty the second-level TLB of @p v (backmaps included) and the hardware
 * TLB of the CPU it runs on: the guest emptied its virtual TLB
 * (MC_TLB_FLUSH), or the vCPU starts afresh.
 */
void l2tlb_flush(struct vcpu *v);

/**
 * @name Called by lab 1's emulation of the guest's TLB instructions
 * (emulate.c). Each keeps every level below the virtual TLB in step with it.
 */
/**@{*/

/**
 * The guest writes virtual TLB entry @p vindex with @p ne (TLBWI, or TLBWR
 * when @p random; the caller has built @p ne from the virtual EntryHi,
 * EntryLo0 and EntryLo1, G being the AND of both G bits).
 *
 * Must: keep the old entry's translation among the victims when @p random
 * (random replacement evicted it; l2tlb_evict()), or, for TLBWI, remove its
 * copy from the hardware TLB; when @p ne lies in an unmapped segment (the
 * guest's flush by index) purge every victim; store @p ne in
 * v->vtlb[vindex]; merge it with the pmap into L2 TLB entry @p vindex
 * (l2tlb_update()); and install the result in the hardware TLB, since the
 * guest is about to use it.
 *
 * Returns PMAP_OK; PMAP_NOT_VMS when @p ne names a page that is not the
 * VM's (a forged entry: the virtual TLB is left as it was and the caller
 * stops the VM); PMAP_NO_MEMORY when no machine page is left for it.
 * Paper section 4.2.2; handout/lab2.md, "TLB writes".
 */
int l2tlb_tlbw(struct vcpu *v, int vindex, const struct vtlb_entry *ne, bool random);

/**
 * The guest probed for the pair of @p hi (TLBP); @p found says whether its
 * virtual TLB holds it. Must drop the victims matching @p hi (so that a
 * translation the guest is about to change or believes absent is absent),
 * and when not @p found also any hardware entry for @p hi (it can only have
 * come from a victim). Handout/lab2.md, "Keeping victims honest".
 */
void l2tlb_tlbp(struct vcpu *v, uint32_t hi, bool found);

/**@}*/

/**
 * A TLB exception (refill, TLB invalid or TLB modified: e->code is EXC_TLBL,
 * EXC_TLBS or EXC_MOD) taken by vCPU @p v, which runs on e->cpu; lab 1's
 * trap handler calls this for every one.
 *
 * Must: for an address in the relocated kernel segment, map the pair
 * itself from the pmap (pmap_kseg_entry()) and retry the instruction, or
 * forward a bus error (IBE for a fetch, DBE for data) past the end of the
 * VM's memory, or stop the VM when machine memory is exhausted; for TLB
 * invalid or modified on a user address, forward the same exception (the
 * hardware entry is a copy of the guest's own); for a user refill, look
 * the address up in the L2 TLB: on a hit install the entry in the hardware
 * TLB and retry (v->pc = e->epc), on a miss forward the refill to the
 * guest's refill vector. Counts v->tlb_misses, v->kseg_misses, v->l2.hits
 * and v->l2.misses. Paper section 4.2.2; handout/lab2.md, "TLB misses".
 */
void l2tlb_miss(struct vcpu *v, const struct sim_exception *e);

/**
 * Virtual TLB entry @p vindex changed: replace whatever the L2 TLB held
 * for that index with the new entry, merged with the pmap (its hardware
 * copy goes too). Returns PMAP_OK, or PMAP_NOT_VMS if the entry names a
 * page that is not the VM's (forged: the L2 TLB is unchanged), or
 * PMAP_NO_MEMORY.
 */
int l2tlb_update(struct vcpu *v, int vindex);

/**
 * Look up the translation of @p va for ASID @p asid. On a hit, returns the
 * entry (the caller writes it to the hardware TLB); NULL on a miss. The
 * mirror of the virtual TLB wins over a victim of the same pair.
 */
const struct l2tlb_entry *l2tlb_lookup(struct vcpu *v, uint32_t va, uint32_t asid);

/**
 * TLBWR is about to overwrite virtual TLB entry @p vindex: move its
 * translation to a victim slot instead of losing it (the slot recycled
 * loses its own translation, hardware copy included).
 */
void l2tlb_evict(struct vcpu *v, int vindex);

/**
 * Drop the victims that match @p hi (its VPN2 and ASID, or global ones),
 * and their hardware copies. Returns how many were dropped.
 */
int l2tlb_purge(struct vcpu *v, uint32_t hi);

/** Drop every victim and its hardware copy (a whole-TLB flush by the guest). */
void l2tlb_purge_victims(struct vcpu *v);

/** Drop slot @p slot and its hardware copy (the pmap invalidates through backmaps). */
void l2tlb_drop_slot(struct vcpu *v, int slot);

/**
 * The pmap entry of a page slot @p slot maps changed (pmap_remap()): merge
 * the slot's guest EntryLo values with the pmap again (the page's new
 * machine page, or the replica on @p v's node, read-only) and drop the
 * slot's hardware copy.
 */
void l2tlb_refresh_slot(struct vcpu *v, int slot);

#endif
