/*
 * test_l2tlb.c - the second-level software TLB (l2tlb.h): entry i mirrors
 * virtual TLB entry i merged with the pmap, looked up by VPN2 and ASID.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "disco/check.h"
#include "disco/l2tlb.h"
#include "disco/memmap.h"
#include "disco/pmap.h"
#include "test_fixture.h"

static struct fx f;
static struct monitor *mon;
static struct vm *vm;
static struct vcpu *v;

static void setup(void)
{
    fx_init(&f);
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    mon = fx_create(&f);
    vm = mon->vm[0];
    v = &vm->vcpu[0];
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(l2tlb, .init = setup, .fini = teardown);

static uint32_t glo(uint32_t gpfn, uint32_t flags)
{
    return (gpfn << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | flags;
}

/* Write virtual TLB entry i as TLBWI would, then tell the L2 TLB. */
static int put(int i, uint32_t va, uint32_t asid, uint32_t lo0, uint32_t lo1, bool global)
{
    v->vtlb[i].hi = (va & ENTRYHI_VPN2_MASK) | asid;
    v->vtlb[i].lo[0] = lo0;
    v->vtlb[i].lo[1] = lo1;
    v->vtlb[i].global = global;
    return l2tlb_update(v, i);
}

static uint32_t mpfn_lo(uint32_t gpfn)
{
    return vm->pmap[gpfn].mpfn << ENTRYLO_PFN_SHIFT;
}

Test(l2tlb, update_then_lookup_hits_by_vpn2_and_asid)
{
    cr_assert_eq(put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V | ENTRYLO_D), glo(11, ENTRYLO_V), false), 0);
    const struct l2tlb_entry *e = l2tlb_lookup(v, 0x00400abc, 0x11);
    cr_assert_not_null(e);
    cr_assert_eq(e, &v->l2.e[5], "entry i mirrors virtual TLB entry i");
    cr_assert_eq(e->hi, 0x00400000u | 0x11);
    cr_assert_eq(e->mlo[0], mpfn_lo(10) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_V | ENTRYLO_D);
    cr_assert_eq(e->mlo[1], mpfn_lo(11) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_V);
    cr_assert_eq(e->gpfn[0], 10u);
    cr_assert_eq(e->gpfn[1], 11u);
    cr_assert(e->valid);
    cr_assert(!e->global);
}

Test(l2tlb, lookup_of_the_odd_page_finds_the_pair)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    cr_assert_eq(l2tlb_lookup(v, 0x00401ffc, 0x11), &v->l2.e[5]);
    cr_assert_null(l2tlb_lookup(v, 0x00402000, 0x11), "the next pair is not mapped");
    cr_assert_null(l2tlb_lookup(v, 0x003FF000, 0x11), "nor the previous one");
}

Test(l2tlb, lookup_with_another_asid_misses)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0x12));
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0));
}

Test(l2tlb, global_entry_matches_any_asid)
{
    put(6, 0x10000000, 0x22, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), true);
    cr_assert_eq(l2tlb_lookup(v, 0x10000010, 0x22), &v->l2.e[6]);
    cr_assert_eq(l2tlb_lookup(v, 0x10001010, 0x01), &v->l2.e[6]);
    cr_assert_eq(l2tlb_lookup(v, 0x10000000, 0xFF), &v->l2.e[6]);
    cr_assert(v->l2.e[6].global);
}

Test(l2tlb, same_vpn_with_two_asids_are_two_entries)
{
    put(1, 0x00400000, 1, glo(20, ENTRYLO_V), 0, false);
    put(2, 0x00400000, 2, glo(21, ENTRYLO_V), 0, false);
    cr_assert_eq(l2tlb_lookup(v, 0x00400000, 1), &v->l2.e[1]);
    cr_assert_eq(l2tlb_lookup(v, 0x00400000, 2), &v->l2.e[2]);
}

Test(l2tlb, overwriting_an_index_forgets_the_old_vpn)
{
    put(7, 0x00400000, 3, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    put(7, 0x00600000, 3, glo(14, ENTRYLO_V), glo(15, ENTRYLO_V), false);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 3), "the old translation still hits");
    cr_assert_eq(l2tlb_lookup(v, 0x00600000, 3), &v->l2.e[7]);
    cr_assert_null(vm->pmap[10].maps, "the old pages' backmaps are gone");
    cr_assert_null(vm->pmap[11].maps);
    cr_assert_not_null(vm->pmap[14].maps);
}

Test(l2tlb, half_invalid_entry_has_no_page_behind_that_half)
{
    put(8, 0x00400000, 3, glo(10, ENTRYLO_V), glo(11, 0), false);
    const struct l2tlb_entry *e = l2tlb_lookup(v, 0x00401000, 3);
    cr_assert_not_null(e);
    cr_assert_eq(e->mlo[1], 0u, "V=0 half has no machine page");
    cr_assert_eq(e->gpfn[1], NO_PAGE);
    cr_assert_null(vm->pmap[11].maps);
    cr_assert_eq(vm->pmap[11].mpfn, NO_PAGE, "an invalid half allocates nothing");
}

Test(l2tlb, entry_with_both_halves_invalid_still_matches)
{
    /* A real TLB matching it gives TLB invalid, not refill: keep it. */
    put(9, 0x00400000, 3, glo(10, 0), glo(11, 0), false);
    const struct l2tlb_entry *e = l2tlb_lookup(v, 0x00400000, 3);
    cr_assert_not_null(e);
    cr_assert_eq(e->mlo[0], 0u);
    cr_assert_eq(e->mlo[1], 0u);
}

Test(l2tlb, entries_at_or_above_kseg0_are_not_used)
{
    cr_assert_eq(put(10, 0x80000000, 0, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false), 0);
    cr_assert_null(l2tlb_lookup(v, 0x80000000, 0));
    cr_assert(!v->l2.e[10].valid);
    cr_assert_eq(put(11, 0xC0004000, 0, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), true), 0);
    cr_assert_null(l2tlb_lookup(v, 0xC0004000, 0), "the monitor owns the kernel segment");
    cr_assert_null(vm->pmap[10].maps, "no backmap for an unused entry");
}

Test(l2tlb, last_user_pair_below_kseg0_is_used)
{
    cr_assert_eq(put(12, 0x7FFFE000, 0, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false), 0);
    cr_assert_not_null(l2tlb_lookup(v, 0x7FFFFFFC, 0));
}

Test(l2tlb, an_entry_moved_above_kseg0_no_longer_matches)
{
    put(13, 0x00400000, 0, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    put(13, 0x90000000, 0, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0));
}

Test(l2tlb, forged_entry_fails_and_maps_nothing)
{
    cr_assert_eq(put(14, 0x00400000, 0, glo(10, ENTRYLO_V), glo(vm->npages, ENTRYLO_V), false), -1);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0));
    cr_assert_null(vm->pmap[10].maps, "no backmap left behind");
}

Test(l2tlb, flush_empties_the_entries_and_their_backmaps)
{
    put(0, 0x00400000, 1, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    put(63, 0x00800000, 1, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), true);
    l2tlb_flush(v);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 1));
    cr_assert_null(l2tlb_lookup(v, 0x00800000, 1));
    for (int i = 0; i < L2TLB_ENTRIES; i++)
        cr_assert(!v->l2.e[i].valid, "entry %d still valid", i);
    for (uint32_t g = 10; g <= 13; g++)
        cr_assert_null(vm->pmap[g].maps, "page %u still has a backmap record", g);
    /* Usable again after a flush. */
    put(0, 0x00400000, 1, glo(10, ENTRYLO_V), 0, false);
    cr_assert_not_null(l2tlb_lookup(v, 0x00400000, 1));
}

Test(l2tlb, drop_slot_removes_one_entry)
{
    put(3, 0x00400000, 1, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    put(4, 0x00600000, 1, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), false);
    l2tlb_drop_slot(v, 3);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 1));
    cr_assert_null(vm->pmap[10].maps);
    cr_assert_not_null(l2tlb_lookup(v, 0x00600000, 1));
    l2tlb_drop_slot(v, 3); /* twice: nothing more happens */
    cr_assert_not_null(l2tlb_lookup(v, 0x00600000, 1));
}

Test(l2tlb, sixty_four_entries_in_one_hash_chain)
{
    /* va = k << 25 puts every pair in the same bucket: the chain must
     * survive updates and removals in its middle. */
    for (int k = 0; k < 64; k++)
        cr_assert_eq(put(k, (uint32_t)k << 25, 1, glo((uint32_t)k, ENTRYLO_V), 0, false), 0);
    for (int k = 0; k < 64; k++)
        cr_assert_eq(l2tlb_lookup(v, (uint32_t)k << 25, 1), &v->l2.e[k], "entry %d", k);
    l2tlb_drop_slot(v, 31);
    put(40, 0x00002000, 1, glo(100, ENTRYLO_V), 0, false);
    for (int k = 0; k < 64; k++) {
        const struct l2tlb_entry *e = l2tlb_lookup(v, (uint32_t)k << 25, 1);
        if (k == 31 || k == 40)
            cr_assert_null(e, "entry %d should be gone", k);
        else
            cr_assert_eq(e, &v->l2.e[k], "entry %d lost from its chain", k);
    }
    cr_assert_eq(l2tlb_lookup(v, 0x00002000, 1), &v->l2.e[40]);
}

Test(l2tlb, lookup_leaves_the_hit_and_miss_counters_to_the_caller)
{
    put(3, 0x00400000, 1, glo(10, ENTRYLO_V), 0, false);
    l2tlb_lookup(v, 0x00400000, 1);
    l2tlb_lookup(v, 0x00800000, 1);
    cr_assert_eq(v->l2.hits, 0u);
    cr_assert_eq(v->l2.misses, 0u);
}

/* ---- entries the guest's TLBWR evicted (victims) ---- */

Test(l2tlb, an_evicted_entry_is_kept_and_still_found)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    l2tlb_evict(v, 5);
    put(5, 0x00800000, 0x11, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), false);
    const struct l2tlb_entry *e = l2tlb_lookup(v, 0x00400000, 0x11);
    cr_assert_not_null(e, "the translation TLBWR evicted is kept");
    cr_assert_geq(e - v->l2.e, L2TLB_ENTRIES, "in the victim area");
    cr_assert_eq(l2tlb_lookup(v, 0x00800000, 0x11), &v->l2.e[5], "the new entry is entry 5");
}

Test(l2tlb, a_probe_purges_the_kept_copies_of_its_pair)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    l2tlb_evict(v, 5);
    put(5, 0x00800000, 0x11, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), false);
    cr_assert_eq(l2tlb_purge(v, 0x00400000 | 0x22), 0, "another ASID's probe leaves it");
    cr_assert_eq(l2tlb_purge(v, 0x00400000 | 0x11), 1);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0x11), "gone after the guest probed for it");
    cr_assert_null(vm->pmap[10].maps, "and from the page's backmap");
}

Test(l2tlb, writing_the_same_pair_again_purges_the_old_copy)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    l2tlb_evict(v, 5);
    put(7, 0x00400000, 0x11, glo(20, ENTRYLO_V), glo(21, ENTRYLO_V), false);
    const struct l2tlb_entry *e = l2tlb_lookup(v, 0x00400000, 0x11);
    cr_assert_eq(e, &v->l2.e[7], "the new translation, not the kept old one");
    cr_assert_eq(e->gpfn[0], 20u);
}

Test(l2tlb, purging_all_victims_keeps_the_mirror)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    l2tlb_evict(v, 5);
    put(5, 0x00800000, 0x11, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), false);
    l2tlb_purge_victims(v);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0x11));
    cr_assert_not_null(l2tlb_lookup(v, 0x00800000, 0x11));
}

Test(l2tlb, a_freed_page_leaves_the_victims_too)
{
    put(5, 0x00400000, 0x11, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V), false);
    l2tlb_evict(v, 5);
    put(5, 0x00800000, 0x11, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V), false);
    pmap_release(vm, 10);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0x11), "the backmap found the kept copy");
}

/* ---- the hardware copies: an L2 TLB entry that goes takes them along (issue 7) ---- */

static struct vtlb_entry ventry(uint32_t va, uint32_t asid, uint32_t lo0, uint32_t lo1)
{
    return (struct vtlb_entry){.hi = (va & ENTRYHI_VPN2_MASK) | asid, .lo = {lo0, lo1}};
}

static void assert_tlb_covered(void)
{
    char why[300] = "";
    cr_assert_eq(check_tlb(mon, 0, why, sizeof why), 0, "%s", why);
}

Test(l2tlb, a_tlb_write_installs_the_hardware_copy_it_covers)
{
    fx_place(mon, v, 0);
    struct vtlb_entry ne = ventry(0x00400000, 3, glo(10, ENTRYLO_V | ENTRYLO_D), 0);
    cr_assert_eq(l2tlb_tlbw(v, 9, &ne, true), PMAP_OK);
    cr_assert_geq(sim_tlb_probe(mon->m, 0, 0x00400000 | 3), 0, "installed for the coming access");
    assert_tlb_covered();
}

Test(l2tlb, recycling_a_victim_slot_removes_its_hardware_copy)
{
    fx_place(mon, v, 0);
    /* The attacker's translation: written, so in the hardware TLB. */
    struct vtlb_entry ne = ventry(0x00400000, 3, glo(10, ENTRYLO_V | ENTRYLO_D), 0);
    cr_assert_eq(l2tlb_tlbw(v, 5, &ne, true), PMAP_OK);
    cr_assert_geq(sim_tlb_probe(mon->m, 0, 0x00400000 | 3), 0);
    /* Push it through every victim slot without touching the hardware
     * TLB: l2tlb_update writes no hardware entry. */
    for (int k = 0; k <= L2TLB_VICTIMS; k++) {
        l2tlb_evict(v, 5);
        cr_assert_eq(put(5, 0x01000000 + (uint32_t)k * 8192, 3, glo(20, ENTRYLO_V), 0, false), 0);
    }
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 3), "its slot was recycled");
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 3), -1,
                 "the hardware entry outlived the L2 TLB entry that covered it");
    assert_tlb_covered();
    /* Freeing the page now cannot leave a way to reach it. */
    pmap_release(vm, 10);
    assert_tlb_covered();
}

Test(l2tlb, an_eviction_keeps_the_hardware_copy_covered_by_the_victim_slot)
{
    fx_place(mon, v, 0);
    struct vtlb_entry ne = ventry(0x00400000, 3, glo(10, ENTRYLO_V | ENTRYLO_D), 0);
    cr_assert_eq(l2tlb_tlbw(v, 5, &ne, true), PMAP_OK);
    l2tlb_evict(v, 5);
    assert_tlb_covered();
    pmap_release(vm, 10);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 3), -1, "the free reached it through the backmap");
}

Test(l2tlb, a_forged_tlb_write_changes_nothing)
{
    fx_place(mon, v, 0);
    struct vtlb_entry good = ventry(0x00400000, 3, glo(10, ENTRYLO_V), 0);
    cr_assert_eq(l2tlb_tlbw(v, 5, &good, false), PMAP_OK);
    struct vtlb_entry forged = ventry(0x00800000, 3, glo(vm->npages + 5, ENTRYLO_V), 0);
    cr_assert_eq(l2tlb_tlbw(v, 5, &forged, false), PMAP_NOT_VMS);
    cr_assert_eq(v->vtlb[5].hi, good.hi, "the virtual TLB keeps its entry");
    cr_assert_not_null(l2tlb_lookup(v, 0x00400000, 3));
    cr_assert_null(l2tlb_lookup(v, 0x00800000, 3));
    assert_tlb_covered();
}

Test(l2tlb, a_tlb_write_without_machine_memory_says_so)
{
    fx_place(mon, v, 0);
    while (memmap_alloc(mon->memmap, 0) != UINT32_MAX)
        ;
    struct vtlb_entry ne = ventry(0x00400000, 3, glo(30, ENTRYLO_V), 0);
    cr_assert_eq(l2tlb_tlbw(v, 5, &ne, false), PMAP_NO_MEMORY, "not PMAP_NOT_VMS: page 30 is the VM's");
}

Test(l2tlb, a_probe_that_misses_drops_a_hardware_copy_made_from_a_victim)
{
    fx_place(mon, v, 0);
    put(5, 0x00400000, 3, glo(10, ENTRYLO_V), 0, false);
    l2tlb_evict(v, 5);
    put(5, 0x00800000, 3, glo(12, ENTRYLO_V), 0, false);
    const struct l2tlb_entry *e = l2tlb_lookup(v, 0x00400000, 3);
    struct sim_tlb_entry te = {e->hi, e->mlo[0], e->mlo[1], 0};
    sim_tlb_write(mon->m, 0, 12, &te); /* refilled from the victim */
    l2tlb_tlbp(v, 0x00400000 | 3, false);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 3));
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 3), -1);
}

Test(l2tlb, the_checker_finds_a_hardware_entry_no_l2_entry_covers)
{
    fx_place(mon, v, 0);
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v, 10, &lo), PMAP_OK);
    struct sim_tlb_entry te = {0x00400000 | 3, lo, 0, 0}; /* written behind the L2 TLB's back */
    sim_tlb_write(mon->m, 0, 7, &te);
    char why[300] = "";
    cr_assert_eq(check_tlb(mon, 0, why, sizeof why), -1);
    cr_assert(strstr(why, "stale hardware TLB entry"), "%s", why);
}

Test(l2tlb, a_flush_empties_the_hardware_tlb_of_the_vcpus_cpu)
{
    fx_place(mon, v, 0);
    struct vtlb_entry ne = ventry(0x00400000, 3, glo(10, ENTRYLO_V), 0);
    l2tlb_tlbw(v, 5, &ne, true);
    l2tlb_flush(v);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 3), -1);
    char why[300] = "";
    cr_assert_eq(check_vm(vm, why, sizeof why), 0, "%s", why);
}

Test(l2tlb, a_kernel_segment_miss_backs_only_the_page_it_touched)
{
    /* Pages 0x40 and 0x41 share one TLB entry. A miss on the odd one must
     * not give the even one, which the guest has never used, a machine
     * page: that would grow every VM's footprint by the buddies of the
     * pages it touches (the paper's Figure 6). */
    struct sim_tlb_entry te;
    uint32_t n = vm->pages_allocated;
    cr_assert_eq(pmap_kseg_entry(v, MIPS_KSSEG + 0x41 * MIPS_PAGE_SIZE, &te), PMAP_OK);
    cr_assert_eq(vm->pages_allocated, n + 1, "one page for one touch");
    cr_assert_eq(vm->pmap[0x40].mpfn, NO_PAGE, "the untouched half of the pair stays without a page");
    cr_assert(!(te.entrylo0 & ENTRYLO_V) && (te.entrylo1 & ENTRYLO_V));
    cr_assert(te.entrylo0 & ENTRYLO_G, "an invalid half is global too");
    /* Once the even page has its own machine page, the pair maps both. */
    cr_assert_eq(pmap_kseg_entry(v, MIPS_KSSEG + 0x40 * MIPS_PAGE_SIZE, &te), PMAP_OK);
    cr_assert((te.entrylo0 & ENTRYLO_V) && (te.entrylo1 & ENTRYLO_V));
    cr_assert_eq(te.entrylo0 & ENTRYLO_PFN_MASK, mpfn_lo(0x40));
    cr_assert_eq(te.entrylo1 & ENTRYLO_PFN_MASK, mpfn_lo(0x41));
}
