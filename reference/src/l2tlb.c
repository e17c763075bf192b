/** @file
 * l2tlb.c - the second-level software TLB of each vCPU, and the TLB-miss
 * handler that uses it (lab 2).
 *
 * Paper section 4.2.2. Entry i (i < 64) mirrors virtual TLB entry i, with
 * its guest PFNs already translated through the pmap into machine PFNs, so
 * that a hardware TLB miss the guest's TLB could satisfy is refilled by the
 * monitor without a round trip through the guest's refill handler. The
 * entries above 64 keep what the guest's TLBWR evicted ("virtual machines
 * appear to have much larger TLBs than the MIPS processors"), replaced
 * round robin; l2tlb.h says why that stays correct. Entries are chained by
 * a hash of the virtual page pair for lookup.
 *
 * The rule that keeps VMs apart: every hardware TLB entry the monitor
 * writes for a guest address is a copy of one L2 TLB entry, whose pages'
 * backmaps (pmap.c) list it. Whenever an L2 entry goes away, for whatever
 * reason, its hardware copy goes too (drop_entry()), so that when a page
 * is freed or moved, invalidating its backmap reaches every translation of
 * it. The hardware TLB of a CPU holds entries only of the vCPU running
 * there (the scheduler flushes it at every switch), so "its hardware copy"
 * is on one CPU: the one v runs on.
 */
#include "disco/abi.h"
#include "disco/check.h"
#include "disco/emulate.h"
#include "disco/l2tlb.h"
#include "disco/monitor.h"
#include "disco/pmap.h"
#include "disco/vm.h"

static unsigned bucket_of(uint32_t va)
{
    uint32_t vpn2 = va >> 13;
    return (vpn2 ^ (vpn2 >> 6)) & (L2TLB_BUCKETS - 1);
}

static bool matches(const struct l2tlb_entry *e, uint32_t hi)
{
    return ((e->hi ^ hi) & ENTRYHI_VPN2_MASK) == 0 &&
           (e->global || ((e->hi ^ hi) & ENTRYHI_ASID_MASK) == 0);
}

/* ---- the hardware TLB of the CPU a vCPU runs on ------------------------- */

/* Remove the hardware entries matching hi from the TLB of v's CPU. If v
 * is not on a CPU it has none (they were flushed when it left); another
 * CPU is reached by a shootdown (monitor.h). */
static void hw_drop(struct vcpu *v, uint32_t hi)
{
    if (v->pcpu < 0)
        return;
    monitor_shootdown(v->vm->mon, v->pcpu, hi);
}

/* Put a copy of L2 TLB entry e in the hardware TLB (at Random, as TLBWR). */
static void hw_insert(struct vcpu *v, const struct l2tlb_entry *e)
{
    struct monitor *mon = v->vm->mon;
    uint32_t g = e->global ? ENTRYLO_G : 0;
    struct sim_tlb_entry te = {e->hi, e->mlo[0] | g, e->mlo[1] | g, 0};
    hw_drop(v, e->hi); /* never two entries for one pair */
    sim_tlb_write(mon->m, v->pcpu, sim_tlb_random(mon->m, v->pcpu), &te);
}

/* ---- entries, chains and backmaps -------------------------------------- */

/* Take entry i out of its hash chain and its pages' backmaps. With
 * drop_hw, its copy in the hardware TLB goes too; only a move of the same
 * translation to another slot (eviction to a victim) may keep it. */
static void unlink_entry(struct vcpu *v, int i, bool drop_hw)
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
    if (drop_hw)
        hw_drop(v, e->hi);
}

/* Put a filled-in entry i in its hash chain and its pages' backmaps. A
 * mirror entry keeps the guest's EntryLo values of its virtual TLB entry,
 * so that it can be merged again when a page moves (l2tlb_refresh_slot);
 * a victim has them from the mirror it was. */
static void link_entry(struct vcpu *v, int i)
{
    struct l2tlb *l2 = &v->l2;
    struct l2tlb_entry *e = &l2->e[i];
    unsigned b = bucket_of(e->hi);
    if (i < L2TLB_ENTRIES) {
        e->glo[0] = v->vtlb[i].lo[0];
        e->glo[1] = v->vtlb[i].lo[1];
    }
    e->valid = true;
    e->next = l2->bucket[b];
    l2->bucket[b] = (int16_t)i;
    for (int h = 0; h < 2; h++)
        if (e->gpfn[h] != NO_PAGE)
            pmap_backmap_add(v->vm, e->gpfn[h], v->id, i);
}

void l2tlb_flush(struct vcpu *v)
{
    for (int i = 0; i < L2TLB_SIZE; i++)
        unlink_entry(v, i, false);
    for (int b = 0; b < L2TLB_BUCKETS; b++)
        v->l2.bucket[b] = -1;
    v->l2.victims_used = false;
    /* Every hardware copy at once: the whole TLB of v's CPU. */
    struct monitor *mon = v->vm->mon;
    if (v->pcpu >= 0) {
        if (v->pcpu != mon->cur_cpu) { /* a shootdown, as monitor_shootdown() */
            monitor_charge(mon, mon->cost.shootdown);
            sim_cpu_charge(mon->m, v->pcpu, mon->cost.shootdown);
            mon->shootdowns++;
        }
        sim_tlb_flush(mon->m, v->pcpu);
    }
}

void l2tlb_drop_slot(struct vcpu *v, int slot)
{
    unlink_entry(v, slot, true);
}

void l2tlb_refresh_slot(struct vcpu *v, int slot)
{
    struct l2tlb_entry *e = &v->l2.e[slot];
    if (!e->valid)
        return;
    for (int h = 0; h < 2; h++) {
        if (e->gpfn[h] == NO_PAGE)
            continue;
        int rc = pmap_merge(v->vm, v, e->glo[h], &e->mlo[h]);
        if (rc != PMAP_OK)
            check_fail("l2tlb: VM %s vCPU %d slot %d: its page %u no longer merges (%s)", v->vm->name,
                       v->id, slot, e->gpfn[h], pmap_strerror(rc));
    }
    hw_drop(v, e->hi);
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
    /* The victim slot's own translation is lost: its hardware copy with it. */
    unlink_entry(v, slot, true);
    /* The evicted translation moves: its hardware copy, if any, stays valid,
     * now covered by the victim slot's backmap records. */
    struct l2tlb_entry moved = *old;
    unlink_entry(v, vindex, false);
    l2->e[slot] = moved;
    link_entry(v, slot);
    l2->victims_used = true;
}

int l2tlb_purge(struct vcpu *v, uint32_t hi)
{
    int n = 0;
    for (int i = L2TLB_ENTRIES; i < L2TLB_SIZE; i++) {
        if (v->l2.e[i].valid && matches(&v->l2.e[i], hi)) {
            unlink_entry(v, i, true);
            n++;
        }
    }
    return n;
}

void l2tlb_purge_victims(struct vcpu *v)
{
    for (int i = L2TLB_ENTRIES; i < L2TLB_SIZE; i++)
        unlink_entry(v, i, true);
    v->l2.victims_used = false;
}
/* LAB 2 END */

/* LAB 2 BEGIN l2tlb_update */
int l2tlb_update(struct vcpu *v, int vindex)
{
    struct l2tlb *l2 = &v->l2;
    const struct vtlb_entry *ve = &v->vtlb[vindex];
    struct l2tlb_entry *e = &l2->e[vindex];

    /* Translate both halves before touching anything, so a forged entry
     * leaves no trace. */
    uint32_t mlo[2];
    uint32_t gpfn[2];
    for (int h = 0; h < 2; h++) {
        gpfn[h] = (ve->lo[h] & ENTRYLO_V) ? (ve->lo[h] & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT
                                          : NO_PAGE;
        int rc = pmap_merge(v->vm, v, ve->lo[h], &mlo[h]);
        if (rc != PMAP_OK)
            return rc;
    }
    unlink_entry(v, vindex, true);
    /* An entry with both halves invalid still matters: a real TLB that
     * matches it raises TLB invalid, not refill, and so will the hardware
     * when the monitor installs it. Entries for the kernel's own segment or
     * above are never used: the monitor owns the relocated kernel segment
     * (guests/README.md). */
    if (ve->hi >= MIPS_KSEG0)
        return PMAP_OK;
    *e = (struct l2tlb_entry){
        .hi = ve->hi,
        .mlo = {mlo[0], mlo[1]},
        .gpfn = {gpfn[0], gpfn[1]},
        .global = ve->global,
    };
    /* A kept copy of the same pair would shadow the new entry. */
    l2tlb_purge(v, ve->hi);
    link_entry(v, vindex);
    return PMAP_OK;
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

/* LAB 2 BEGIN l2tlb_tlbw */
int l2tlb_tlbw(struct vcpu *v, int vindex, const struct vtlb_entry *ne, bool random)
{
    struct vtlb_entry *ve = &v->vtlb[vindex];
    struct vtlb_entry old = *ve;
    if (random) {
        /* Random replacement evicts the old entry: the second-level TLB
         * keeps it (the guest's TLB looks larger than it is). */
        l2tlb_evict(v, vindex);
    } else if (ne->hi >= MIPS_KSEG0 && v->l2.victims_used) {
        /* Writing an entry in an unmapped segment is how a guest flushes
         * its TLB index by index: no kept copy may survive that. */
        l2tlb_purge_victims(v);
    }
    *ve = *ne;
    int rc = l2tlb_update(v, vindex);
    if (rc != PMAP_OK) {
        *ve = old; /* a forged entry changes nothing */
        return rc;
    }
    /* An explicit overwrite removes the old translation from the hardware
     * TLB (l2tlb_update dropped the mirror's copy; this catches one
     * refilled from a victim of the same pair). */
    if (!random)
        hw_drop(v, old.hi);
    /* The guest writes an entry because it is about to use it: install it
     * in the hardware TLB now rather than take a second miss. */
    if (v->l2.e[vindex].valid)
        hw_insert(v, &v->l2.e[vindex]);
    return PMAP_OK;
}

void l2tlb_tlbp(struct vcpu *v, uint32_t hi, bool found)
{
    /* The guest probes for a translation to change or remove it: copies
     * the second-level TLB kept must go, and so must any hardware entry
     * refilled from one (the guest's TLB does not have it). */
    l2tlb_purge(v, hi);
    if (!found)
        hw_drop(v, hi);
}
/* LAB 2 END */

/* ---- TLB misses ------------------------------------------------------------ */

/* LAB 2 BEGIN l2tlb_miss */
/* A miss in the relocated kernel segment: the monitor maps it itself, the
 * pair as one global entry (pmap_kseg_entry: the other half only if it has
 * a machine page already) (paper section 4.2.2: the kernel's
 * former KSEG0 is now mapped, so the kernel takes TLB misses). */
static void kseg_miss(struct vcpu *v, const struct sim_exception *e)
{
    struct monitor *mon = v->vm->mon;
    struct sim_tlb_entry te;
    int rc = pmap_kseg_entry(v, e->badvaddr, &te);
    if (rc == PMAP_NO_MEMORY) {
        vm_stop(v->vm, "out of machine memory (mapping its page at 0x%08x)", e->badvaddr);
        return;
    }
    if (rc == PMAP_NOT_VMS) {
        /* Beyond its memory: what a real CPU gets past the end of RAM. */
        uint32_t fetch_va = e->in_delay ? e->epc + 4 : e->epc;
        bool fetch = e->code == EXC_TLBL && e->badvaddr == fetch_va;
        emulate_forward(v, fetch ? EXC_IBE : EXC_DBE, e->epc, e->in_delay, 0, false, 0);
        return;
    }
    monitor_tlb_drop(mon, v->pcpu, te.entryhi);
    sim_tlb_write(mon->m, v->pcpu, sim_tlb_random(mon->m, v->pcpu), &te);
    v->kseg_misses++;
    monitor_charge(mon, mon->cost.kseg_refill);
    v->pc = e->epc; /* retry */
}

void l2tlb_miss(struct vcpu *v, const struct sim_exception *e)
{
    struct monitor *mon = v->vm->mon;
    uint32_t va = e->badvaddr;
    v->tlb_misses++;
    if (va >= MIPS_KSSEG && va < MIPS_KSEG3) {
        /* The kernel segment is the monitor's: a miss, or a hit on the
         * invalid half of a pair that runs past the VM's memory. */
        kseg_miss(v, e);
        return;
    }
    if (e->code == EXC_MOD || !e->refill) {
        /* The hardware entry came from the guest's own TLB entry (V or D
         * clear): the guest sees the same exception its TLB would give. */
        emulate_forward(v, e->code, e->epc, e->in_delay, va, false, 0);
        return;
    }
    monitor_charge(mon, mon->cost.l2tlb_lookup);
    const struct l2tlb_entry *l2 = l2tlb_lookup(v, va, v->cp0.entryhi & ENTRYHI_ASID_MASK);
    if (l2) {
        v->l2.hits++;
        hw_insert(v, l2);
        v->pc = e->epc; /* retry */
        return;
    }
    v->l2.misses++;
    emulate_forward(v, e->code, e->epc, e->in_delay, va, true, 0);
}
/* LAB 2 END */
