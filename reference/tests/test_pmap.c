/*
 * test_pmap.c - the physical-to-machine map (pmap.h): allocation on first
 * use near the vCPU, zeroing, merging with guest EntryLo bits, backmaps
 * and invalidation, release, and copying in and out of guest memory.
 *
 * A real monitor (two nodes) with one VM of 1 MB and two vCPUs, vCPU 0 at
 * home on node 1 and vCPU 1 on node 0 (the config's node = 1).
 */
#include <signal.h>
#include <string.h>

#include <criterion/criterion.h>

#include "disco/l2tlb.h"
#include "disco/memmap.h"
#include "disco/pmap.h"
#include "test_fixture.h"

static struct fx f;
static struct monitor *mon;
static struct vm *vm;
static struct vcpu *v0, *v1;
static uint32_t per_node;

static void setup(void)
{
    fx_init(&f);
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    c->cpus = 2;
    c->node = 1;
    mon = fx_create(&f);
    vm = mon->vm[0];
    v0 = &vm->vcpu[0];
    v1 = &vm->vcpu[1];
    per_node = mon->memmap->pages_per_node;
    cr_assert_eq(v0->home_node, 1);
    cr_assert_eq(v1->home_node, 0);
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(pmap, .init = setup, .fini = teardown);

static uint32_t mpfn_of(uint32_t lo)
{
    return (lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
}

static bool machine_page_is_zero(uint32_t mpfn)
{
    static uint8_t buf[MIPS_PAGE_SIZE];
    cr_assert_eq(sim_mem_read(mon->m, -1, (uint64_t)mpfn * MIPS_PAGE_SIZE, buf, sizeof buf), 0);
    for (size_t i = 0; i < sizeof buf; i++)
        if (buf[i])
            return false;
    return true;
}

static void dirty_machine_page(uint32_t mpfn)
{
    static uint8_t junk[MIPS_PAGE_SIZE];
    memset(junk, 0xA5, sizeof junk);
    cr_assert_eq(sim_mem_write(mon->m, -1, (uint64_t)mpfn * MIPS_PAGE_SIZE, junk, sizeof junk), 0);
}

static int nrecords(uint32_t gpfn)
{
    int n = 0;
    for (const struct backmap *b = vm->pmap[gpfn].maps; b; b = b->next)
        n++;
    return n;
}

static bool has_record(uint32_t gpfn, int vcpu, int slot)
{
    for (const struct backmap *b = vm->pmap[gpfn].maps; b; b = b->next)
        if (b->vcpu == vcpu && b->slot == slot)
            return true;
    return false;
}

/* Virtual TLB entry @p i of @p v maps va's pair to guest pages g0, g1 (V, D). */
static void vtlb_set(struct vcpu *v, int i, uint32_t va, uint32_t asid, uint32_t g0, uint32_t g1)
{
    v->vtlb[i].hi = (va & ENTRYHI_VPN2_MASK) | asid;
    v->vtlb[i].lo[0] = (g0 << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    v->vtlb[i].lo[1] = (g1 << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    v->vtlb[i].global = false;
    cr_assert_eq(l2tlb_update(v, i), 0);
}

/* ---- pmap_lookup -------------------------------------------------------------- */

Test(pmap, lookup_allocates_on_first_use_on_the_vcpus_home_node)
{
    cr_assert_eq(vm->pmap[20].mpfn, NO_PAGE, "page 20 unused so far");
    uint32_t before = vm->pages_allocated;
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 20, &lo), 0);
    uint32_t mpfn = vm->pmap[20].mpfn;
    cr_assert_neq(mpfn, NO_PAGE);
    cr_assert_eq(mpfn / per_node, 1u, "vCPU 0 lives on node 1; page %u is on node %u", mpfn,
                 mpfn / per_node);
    cr_assert_eq(vm->pages_allocated, before + 1);
    cr_assert_eq(mon->memmap->page[mpfn].vm, vm->id, "memmap records the owner");
    cr_assert_eq(mon->memmap->page[mpfn].gpfn, 20u, "and the guest page");
}

Test(pmap, lookup_by_another_vcpu_allocates_on_its_node)
{
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v1, 21, &lo), 0);
    cr_assert_eq(vm->pmap[21].mpfn / per_node, 0u, "vCPU 1 lives on node 0");
}

Test(pmap, lookup_gives_the_precomputed_entrylo)
{
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 22, &lo), 0);
    uint32_t mpfn = vm->pmap[22].mpfn;
    uint32_t want = (mpfn << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    cr_assert_eq(lo, want, "EntryLo 0x%08x, want machine PFN | C=3 | D | V = 0x%08x", lo, want);
    cr_assert_eq(vm->pmap[22].lo_template, want);
}

Test(pmap, lookup_zeroes_the_fresh_page)
{
    uint32_t next = mon->memmap->free_head[1]; /* what node 1 hands out next */
    dirty_machine_page(next);
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 23, &lo), 0);
    cr_assert_eq(mpfn_of(lo), next, "the lowest free page of node 1");
    cr_assert(machine_page_is_zero(next), "a fresh page must not show old contents");
}

Test(pmap, lookup_gives_the_same_page_next_time)
{
    uint32_t lo1, lo2;
    cr_assert_eq(pmap_lookup(vm, v0, 24, &lo1), 0);
    uint32_t n = vm->pages_allocated;
    uint32_t nfree = memmap_free_pages(mon->memmap);
    cr_assert_eq(pmap_lookup(vm, v1, 24, &lo2), 0);
    cr_assert_eq(lo1, lo2);
    cr_assert_eq(vm->pages_allocated, n);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree);
}

Test(pmap, lookup_keeps_the_contents_of_a_used_page)
{
    uint32_t lo;
    cr_assert_eq(pmap_write(vm, v0, 25 * MIPS_PAGE_SIZE, "data", 4), 0);
    cr_assert_eq(pmap_lookup(vm, v0, 25, &lo), 0);
    char buf[4];
    cr_assert_eq(pmap_read(vm, v0, 25 * MIPS_PAGE_SIZE, buf, 4), 0);
    cr_assert_eq(memcmp(buf, "data", 4), 0, "a second lookup must not zero the page again");
}

Test(pmap, lookup_refuses_a_page_beyond_the_vms_memory)
{
    uint32_t lo = 0x1234;
    uint32_t nfree = memmap_free_pages(mon->memmap);
    cr_assert_eq(vm->npages, 256u);
    cr_assert_eq(pmap_lookup(vm, v0, vm->npages, &lo), PMAP_NOT_VMS);
    cr_assert_eq(pmap_lookup(vm, v0, 0xFFFFF, &lo), PMAP_NOT_VMS);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree, "nothing allocated");
}

Test(pmap, lookup_fails_when_machine_memory_is_exhausted)
{
    while (memmap_alloc(mon->memmap, 0) != UINT32_MAX)
        ;
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 30, &lo), PMAP_NO_MEMORY, "not PMAP_NOT_VMS: the page is the VM's");
    cr_assert_eq(vm->pmap[30].mpfn, NO_PAGE);
}

/* ---- pmap_merge ---------------------------------------------------------------- */

Test(pmap, merge_uses_the_machine_pfn_and_keeps_guest_c_d_v)
{
    uint32_t mlo;
    uint32_t guest = (40u << ENTRYLO_PFN_SHIFT) | (2u << ENTRYLO_C_SHIFT) | ENTRYLO_V; /* no D, uncached */
    cr_assert_eq(pmap_merge(vm, v0, guest, &mlo), 0);
    uint32_t mpfn = vm->pmap[40].mpfn;
    cr_assert_neq(mpfn, NO_PAGE, "merging allocates the page");
    cr_assert_eq(mlo, (mpfn << ENTRYLO_PFN_SHIFT) | (2u << ENTRYLO_C_SHIFT) | ENTRYLO_V,
                 "got 0x%08x", mlo);

    guest = (40u << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    cr_assert_eq(pmap_merge(vm, v0, guest, &mlo), 0);
    cr_assert_eq(mlo, (mpfn << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V);
}

Test(pmap, merge_of_an_invalid_entry_gives_zero_and_allocates_nothing)
{
    uint32_t mlo = 0xFFFFFFFF;
    uint32_t n = vm->pages_allocated;
    cr_assert_eq(pmap_merge(vm, v0, (41u << ENTRYLO_PFN_SHIFT) | ENTRYLO_D, &mlo), 0);
    cr_assert_eq(mlo, 0u);
    cr_assert_eq(vm->pages_allocated, n);
    cr_assert_eq(vm->pmap[41].mpfn, NO_PAGE);
}

Test(pmap, merge_of_a_forged_pfn_fails)
{
    uint32_t mlo;
    cr_assert_eq(pmap_merge(vm, v0, (256u << ENTRYLO_PFN_SHIFT) | ENTRYLO_V, &mlo), -1);
    cr_assert_eq(pmap_merge(vm, v0, (0x80000u << ENTRYLO_PFN_SHIFT) | ENTRYLO_V | ENTRYLO_D, &mlo), -1);
}

/* ---- backmaps and invalidation ----------------------------------------------------- */

Test(pmap, l2tlb_update_adds_a_backmap_record_per_page)
{
    vtlb_set(v0, 3, 0x00400000, 5, 50, 51);
    cr_assert_eq(nrecords(50), 1);
    cr_assert(has_record(50, 0, 3));
    cr_assert(has_record(51, 0, 3));
    vtlb_set(v1, 9, 0x00800000, 5, 50, 52);
    cr_assert_eq(nrecords(50), 2, "two L2 TLB entries map page 50");
    cr_assert(has_record(50, 1, 9));
}

Test(pmap, backmap_add_and_remove_by_hand)
{
    pmap_backmap_add(vm, 60, 1, 7);
    pmap_backmap_add(vm, 60, 0, 2);
    cr_assert_eq(nrecords(60), 2);
    pmap_backmap_remove(vm, 60, 1, 7);
    cr_assert_eq(nrecords(60), 1);
    cr_assert(has_record(60, 0, 2));
    pmap_backmap_remove(vm, 60, 0, 2);
    cr_assert_null(vm->pmap[60].maps);
}

Test(pmap, invalidate_removes_the_l2_entries_and_their_records)
{
    vtlb_set(v0, 3, 0x00400000, 5, 50, 51);
    vtlb_set(v1, 9, 0x00800000, 5, 52, 50);
    vtlb_set(v0, 4, 0x00A00000, 5, 53, 54);
    pmap_invalidate(vm, 50);
    cr_assert_null(vm->pmap[50].maps);
    cr_assert_null(vm->pmap[51].maps, "the whole entry is gone, with its other page's record");
    cr_assert_null(vm->pmap[52].maps);
    cr_assert(!v0->l2.e[3].valid);
    cr_assert(!v1->l2.e[9].valid);
    cr_assert_null(l2tlb_lookup(v0, 0x00400000, 5));
    cr_assert_null(l2tlb_lookup(v1, 0x00801000, 5));
    /* Entries of other pages stay. */
    cr_assert_not_null(l2tlb_lookup(v0, 0x00A00000, 5));
    cr_assert(has_record(53, 0, 4));
    cr_assert_neq(vm->pmap[50].mpfn, NO_PAGE, "invalidating does not free the page");
}

Test(pmap, invalidate_drops_the_hardware_entry_on_the_running_cpu)
{
    fx_place(mon, v0, 0);
    vtlb_set(v0, 3, 0x00400000, 5, 50, 51);
    const struct l2tlb_entry *e = &v0->l2.e[3];
    struct sim_tlb_entry te = {e->hi, e->mlo[0], e->mlo[1], 0};
    cr_assert_eq(sim_tlb_write(mon->m, 0, 17, &te), 0);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 5), 17);
    pmap_invalidate(vm, 51);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 5), -1, "stale hardware entry survived");
}

Test(pmap, invalidate_shoots_down_another_cpus_entry)
{
    fx_place(mon, v1, 1);
    fx_place(mon, v0, 0); /* handling a trap on CPU 0 */
    vtlb_set(v1, 9, 0x00800000, 7, 52, 53);
    const struct l2tlb_entry *e = &v1->l2.e[9];
    struct sim_tlb_entry te = {e->hi, e->mlo[0], e->mlo[1], 0};
    cr_assert_eq(sim_tlb_write(mon->m, 1, 30, &te), 0);
    uint64_t before = sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR];
    pmap_invalidate(vm, 52);
    cr_assert_eq(sim_tlb_probe(mon->m, 1, 0x00800000 | 7), -1, "CPU 1 still maps the page");
    cr_assert_geq(sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR] - before, mon->cost.shootdown,
                  "a shootdown is charged to the CPU doing it");
}

Test(pmap, invalidate_drops_the_monitors_kernel_segment_mapping)
{
    fx_place(mon, v0, 0);
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 70, &lo), 0);
    uint32_t kva = MIPS_KSSEG + 70 * MIPS_PAGE_SIZE; /* 70 is even: the pair's first page */
    struct sim_tlb_entry te = {kva, lo | ENTRYLO_G, ENTRYLO_G, 0};
    cr_assert_eq(sim_tlb_write(mon->m, 0, 40, &te), 0);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, kva), 40);
    pmap_invalidate(vm, 70);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, kva), -1, "relocated kernel mapping survived");
}

/* ---- pmap_release ------------------------------------------------------------------- */

Test(pmap, release_gives_the_machine_page_back)
{
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 80, &lo), 0);
    uint32_t mpfn = mpfn_of(lo);
    uint32_t nfree = memmap_free_pages(mon->memmap);
    uint32_t n = vm->pages_allocated;
    pmap_release(vm, 80);
    cr_assert_eq(vm->pmap[80].mpfn, NO_PAGE);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree + 1);
    cr_assert_eq(mon->memmap->page[mpfn].vm, -1);
    cr_assert_eq(vm->pages_allocated, n - 1);
}

Test(pmap, release_drops_the_pages_translations)
{
    vtlb_set(v0, 3, 0x00400000, 5, 81, 82);
    pmap_release(vm, 81);
    cr_assert_null(l2tlb_lookup(v0, 0x00400000, 5));
    cr_assert_null(vm->pmap[81].maps);
    cr_assert_null(vm->pmap[82].maps);
}

Test(pmap, after_release_the_next_lookup_gets_a_fresh_zeroed_page)
{
    char junk[64];
    memset(junk, 0x5A, sizeof junk);
    cr_assert_eq(pmap_write(vm, v0, 83 * MIPS_PAGE_SIZE + 100, junk, sizeof junk), 0);
    pmap_release(vm, 83);
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 83, &lo), 0);
    cr_assert(machine_page_is_zero(mpfn_of(lo)), "the guest sees its old data after a release");
    char back[64];
    cr_assert_eq(pmap_read(vm, v0, 83 * MIPS_PAGE_SIZE + 100, back, sizeof back), 0);
    for (size_t i = 0; i < sizeof back; i++)
        cr_assert_eq(back[i], 0);
}

Test(pmap, release_of_an_unused_page_does_nothing)
{
    uint32_t nfree = memmap_free_pages(mon->memmap);
    uint32_t n = vm->pages_allocated;
    pmap_release(vm, 90);
    pmap_release(vm, vm->npages + 3);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree);
    cr_assert_eq(vm->pages_allocated, n);
}

Test(pmap, destroy_gives_every_page_back)
{
    uint32_t lo;
    for (uint32_t g = 100; g < 110; g++)
        cr_assert_eq(pmap_lookup(vm, v0, g, &lo), 0);
    uint32_t nfree = memmap_free_pages(mon->memmap);
    uint32_t used = vm->pages_allocated;
    pmap_destroy(vm);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree + used);
    cr_assert_null(vm->pmap);
}

/* ---- pmap_read and pmap_write ------------------------------------------------------------ */

Test(pmap, write_then_read_round_trip_across_a_page_boundary)
{
    uint8_t data[200], back[200];
    for (int i = 0; i < 200; i++)
        data[i] = (uint8_t)(i * 3 + 1);
    uint32_t gpa = 5 * MIPS_PAGE_SIZE + MIPS_PAGE_SIZE - 72; /* 72 bytes in page 5, 128 in page 6 */
    cr_assert_eq(pmap_write(vm, v0, gpa, data, sizeof data), 0);
    cr_assert_eq(pmap_read(vm, v1, gpa, back, sizeof back), 0);
    cr_assert_eq(memcmp(data, back, sizeof data), 0);
    /* In machine memory: the end of page 5's machine page, the start of 6's. */
    uint8_t m5[72], m6[128];
    cr_assert_eq(sim_mem_read(mon->m, -1, (uint64_t)vm->pmap[5].mpfn * MIPS_PAGE_SIZE + MIPS_PAGE_SIZE - 72, m5, 72), 0);
    cr_assert_eq(sim_mem_read(mon->m, -1, (uint64_t)vm->pmap[6].mpfn * MIPS_PAGE_SIZE, m6, 128), 0);
    cr_assert_eq(memcmp(m5, data, 72), 0);
    cr_assert_eq(memcmp(m6, data + 72, 128), 0);
}

Test(pmap, write_and_read_spanning_three_pages)
{
    static uint8_t data[2 * MIPS_PAGE_SIZE + 100], back[sizeof data];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i ^ (i >> 8));
    cr_assert_eq(pmap_write(vm, v0, 120 * MIPS_PAGE_SIZE + 4000, data, sizeof data), 0);
    cr_assert_eq(pmap_read(vm, v0, 120 * MIPS_PAGE_SIZE + 4000, back, sizeof back), 0);
    cr_assert_eq(memcmp(data, back, sizeof data), 0);
    cr_assert_neq(vm->pmap[123].mpfn, NO_PAGE);
}

Test(pmap, read_and_write_outside_the_vms_memory_fail)
{
    uint8_t buf[16] = {0};
    cr_assert_eq(pmap_write(vm, v0, vm->mem_bytes - 8, buf, sizeof buf), -1);
    cr_assert_eq(pmap_read(vm, v0, vm->mem_bytes, buf, 1), -1);
    cr_assert_eq(pmap_read(vm, v0, 0xFFFFFFF8u, buf, 16), -1, "no wrap-around");
    cr_assert_eq(pmap_read(vm, v0, vm->mem_bytes - 16, buf, 16), 0, "the last bytes are the VM's");
}

Test(pmap, an_entry_mapping_one_page_twice_is_invalidated_whole)
{
    vtlb_set(v0, 8, 0x00400000, 5, 55, 55);
    cr_assert_eq(nrecords(55), 2, "one record per half");
    pmap_invalidate(vm, 55);
    cr_assert_null(vm->pmap[55].maps);
    cr_assert(!v0->l2.e[8].valid);
    /* The records went back to the pool: the slot can map pages again. */
    vtlb_set(v0, 8, 0x00400000, 5, 56, 57);
    cr_assert(has_record(56, 0, 8));
}

Test(pmap, backmap_records_are_reused_for_ever)
{
    /* Far more updates than records in the pool. */
    for (int round = 0; round < 50; round++)
        for (int i = 0; i < 64; i++)
            vtlb_set(v1, i, (uint32_t)i << 13, 1, (uint32_t)(i + round) % 200, (uint32_t)(i * 7 + round) % 200);
    for (int i = 0; i < 64; i++)
        cr_assert_not_null(l2tlb_lookup(v1, (uint32_t)i << 13, 1), "entry %d", i);
    l2tlb_flush(v1);
    for (uint32_t g = 0; g < 200; g++)
        cr_assert_null(vm->pmap[g].maps, "page %u keeps a record after the flush", g);
}

/* ---- failing loudly: a monitor bug is an invariant violation, not a quiet no-op ---- */

Test(pmap, removing_a_backmap_record_that_is_not_there_is_an_invariant_violation, .signal = SIGABRT)
{
    pmap_backmap_add(vm, 61, 0, 2);
    pmap_backmap_remove(vm, 61, 1, 7);
}

Test(pmap, the_two_failures_are_distinct_and_named)
{
    cr_assert_neq(PMAP_NOT_VMS, PMAP_NO_MEMORY);
    cr_assert_str_eq(pmap_strerror(PMAP_NOT_VMS), "not one of its pages");
    cr_assert_str_eq(pmap_strerror(PMAP_NO_MEMORY), "out of machine memory");
}

Test(pmap, merge_gives_write_permission_only_when_guest_and_pmap_both_allow_it)
{
    uint32_t lo, mlo;
    cr_assert_eq(pmap_lookup(vm, v0, 62, &lo), PMAP_OK);
    vm->pmap[62].lo_template &= ~ENTRYLO_D; /* as a shared page would be */
    uint32_t guest = (62u << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    cr_assert_eq(pmap_merge(vm, v0, guest, &mlo), PMAP_OK);
    cr_assert_eq(mlo & ENTRYLO_D, 0u, "the pmap's read-only template wins over the guest's D");
    cr_assert_eq(mpfn_of(mlo), vm->pmap[62].mpfn);
}

Test(pmap, reading_a_page_never_used_gives_zeros_and_allocates_nothing)
{
    uint32_t nfree = memmap_free_pages(mon->memmap);
    uint8_t buf[64];
    memset(buf, 0xAB, sizeof buf);
    cr_assert_eq(pmap_read(vm, v0, 63 * MIPS_PAGE_SIZE + 8, buf, sizeof buf), PMAP_OK);
    for (size_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0, "byte %zu is not zero", i);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree);
}

/* ---- pinning: memory under DMA stays the VM's ---- */

Test(pmap, releasing_a_pinned_page_is_deferred_until_it_is_unpinned)
{
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 64, &lo), PMAP_OK);
    uint32_t mpfn = vm->pmap[64].mpfn;
    uint32_t nfree = memmap_free_pages(mon->memmap);
    pmap_pin(vm, 64);
    cr_assert(!pmap_release(vm, 64), "a pinned page is not given back");
    cr_assert_eq(vm->pmap[64].mpfn, mpfn);
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree);
    pmap_unpin(vm, 64);
    cr_assert_eq(vm->pmap[64].mpfn, NO_PAGE, "given back when the transfer ends");
    cr_assert_eq(memmap_free_pages(mon->memmap), nfree + 1);
}

Test(pmap, using_a_page_again_cancels_its_deferred_release)
{
    uint32_t lo;
    cr_assert_eq(pmap_write(vm, v0, 65 * MIPS_PAGE_SIZE, "keep", 4), PMAP_OK);
    pmap_pin(vm, 65);
    pmap_release(vm, 65);
    cr_assert_eq(pmap_lookup(vm, v0, 65, &lo), PMAP_OK); /* the guest uses it again */
    pmap_unpin(vm, 65);
    cr_assert_neq(vm->pmap[65].mpfn, NO_PAGE, "still the guest's page");
    char back[4];
    cr_assert_eq(pmap_read(vm, v0, 65 * MIPS_PAGE_SIZE, back, 4), PMAP_OK);
    cr_assert_eq(memcmp(back, "keep", 4), 0);
}

Test(pmap, unpinning_a_page_not_pinned_is_an_invariant_violation, .signal = SIGABRT)
{
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v0, 66, &lo), PMAP_OK);
    pmap_unpin(vm, 66);
}
