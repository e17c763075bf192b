/*
 * l2tlb.c - the second-level software TLB of each vCPU (lab 2).
 *
 * Paper section 4.2.2. Entry i (i < 64) mirrors virtual TLB entry i, with
 * its guest PFNs already translated through the pmap into machine PFNs, so
 * that a hardware TLB miss the guest's TLB could satisfy is refilled by the
 * monitor without a round trip through the guest's refill handler. The
 * entries above 64 keep what the guest's TLBWR evicted ("virtual machines
 * appear to have much larger TLBs than the MIPS processors"), replaced
 * round robin; l2tlb.h says why that stays correct. Entries are chained by
 * a hash of the virtual page pair for lookup.
 */
#include "disco/l2tlb.h"
#include "disco/pmap.h"

static unsigned bucket_of(uint32_t va)
{
    uint32_t vpn2 = va >> 13;
    return (vpn2 ^ (vpn2 >> 6)) & (L2TLB_BUCKETS - 1);
}

/* Take entry i out of its hash chain and its pages' backmaps. */
static void unlink_entry(struct vcpu *v, int i)
{
    struct l2tlb *l2 = &v->l2;
    struct l2tlb_entry *e = &l2->e[i];
    if (!e->valid)
        return;
    for (int16_t *pp = &l2->bucket[bucket_of(e->hi)]; *pp >= 0; pp = &l2->e[*pp].next) {
        if (*pp == i) {
            *pp = e->next;
            break;
        }
    }
    for (int h = 0; h < 2; h++)
        if (e->gpfn[h] != NO_PAGE)
            pmap_backmap_remove(v->vm, e->gpfn[h], v->id, i);
    e->valid = false;
}

void l2tlb_flush(struct vcpu *v)
{
    for (int i = 0; i < L2TLB_SIZE; i++)
        unlink_entry(v, i);
    for (int b = 0; b < L2TLB_BUCKETS; b++)
        v->l2.bucket[b] = -1;
}

/* Put a filled-in entry i in its hash chain and its pages' backmaps. */
static void link_entry(struct vcpu *v, int i)
{
    struct l2tlb *l2 = &v->l2;
    struct l2tlb_entry *e = &l2->e[i];
    unsigned b = bucket_of(e->hi);
    e->valid = true;
    e->next = l2->bucket[b];
    l2->bucket[b] = (int16_t)i;
    for (int h = 0; h < 2; h++)
        if (e->gpfn[h] != NO_PAGE)
            pmap_backmap_add(v->vm, e->gpfn[h], v->id, i);
}

static bool matches(const struct l2tlb_entry *e, uint32_t hi)
{
    return ((e->hi ^ hi) & ENTRYHI_VPN2_MASK) == 0 &&
           (e->global || ((e->hi ^ hi) & ENTRYHI_ASID_MASK) == 0);
}

/* LAB 2 BEGIN l2tlb_victims */
void l2tlb_evict(struct vcpu *v, int vindex)
{
    struct l2tlb *l2 = &v->l2;
    struct l2tlb_entry *old = &l2->e[vindex];
    if (!old->valid)
        return;
    int slot = L2TLB_ENTRIES + l2->next_victim;
    l2->next_victim = (l2->next_victim + 1) % L2TLB_VICTIMS;
    unlink_entry(v, slot);
    l2->e[slot] = *old;
    link_entry(v, slot);
    l2->victims_used = true;
}

int l2tlb_purge(struct vcpu *v, uint32_t hi)
{
    int n = 0;
    for (int i = L2TLB_ENTRIES; i < L2TLB_SIZE; i++) {
        if (v->l2.e[i].valid && matches(&v->l2.e[i], hi)) {
            unlink_entry(v, i);
            n++;
        }
    }
    return n;
}

void l2tlb_purge_victims(struct vcpu *v)
{
    for (int i = L2TLB_ENTRIES; i < L2TLB_SIZE; i++)
        unlink_entry(v, i);
    v->l2.victims_used = false;
}
/* LAB 2 END */

void l2tlb_drop_slot(struct vcpu *v, int slot)
{
    unlink_entry(v, slot);
}

/* LAB 2 BEGIN l2tlb_update */
int l2tlb_update(struct vcpu *v, int vindex)
{
    struct l2tlb *l2 = &v->l2;
    const struct vtlb_entry *ve = &v->vtlb[vindex];
    struct l2tlb_entry *e = &l2->e[vindex];
    unlink_entry(v, vindex);

    /* Translate both halves before touching anything, so a forged entry
     * leaves no trace. */
    uint32_t mlo[2];
    uint32_t gpfn[2];
    for (int h = 0; h < 2; h++) {
        gpfn[h] = (ve->lo[h] & ENTRYLO_V) ? (ve->lo[h] & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT
                                          : NO_PAGE;
        if (pmap_merge(v->vm, v, ve->lo[h], &mlo[h]) != 0)
            return -1;
    }
    /* An entry with both halves invalid still matters: a real TLB that
     * matches it raises TLB invalid, not refill, and so will the hardware
     * when the monitor installs it. Entries for the kernel's own segment or above are never used: the
     * monitor owns the relocated kernel segment (guests/README.md). */
    if (ve->hi >= MIPS_KSEG0)
        return 0;
    *e = (struct l2tlb_entry){
        .hi = ve->hi,
        .mlo = {mlo[0], mlo[1]},
        .gpfn = {gpfn[0], gpfn[1]},
        .global = ve->global,
    };
    /* A kept copy of the same pair would shadow the new entry. */
    l2tlb_purge(v, ve->hi);
    link_entry(v, vindex);
    return 0;
}

const struct l2tlb_entry *l2tlb_lookup(struct vcpu *v, uint32_t va, uint32_t asid)
{
    struct l2tlb *l2 = &v->l2;
    const struct l2tlb_entry *victim = NULL;
    for (int i = l2->bucket[bucket_of(va)]; i >= 0; i = l2->e[i].next) {
        const struct l2tlb_entry *e = &l2->e[i];
        if (matches(e, (va & ENTRYHI_VPN2_MASK) | asid)) {
            if (i < L2TLB_ENTRIES)
                return e; /* the virtual TLB's own entry wins */
            victim = e;
        }
    }
    return victim;
}
/* LAB 2 END */
