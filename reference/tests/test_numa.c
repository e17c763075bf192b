/*
 * test_numa.c - NUMA placement, page migration and replication (numa.h,
 * lab 3): the policy's decisions, each step of the mechanism against the
 * monitor's invariants (check.h: every TLB entry names a current copy of
 * its page, replicas are read-only, the memmap and pmap agree), and the
 * hot-page interrupt that drives them.
 *
 * The fixture machine has 2 nodes of 4 MB; the VM has 2 vCPUs, vCPU 0 at
 * home on node 0 and vCPU 1 on node 1.
 */
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "disco/check.h"
#include "disco/l2tlb.h"
#include "disco/memmap.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "test_fixture.h"

static struct fx f;
static struct monitor *mon;
static struct vm *vm;

static void setup(void)
{
    fx_init(&f);
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(numa, .init = setup, .fini = teardown);

static struct vm *one_vm(int cpus, int node)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    c->cpus = cpus;
    c->node = node;
    mon = fx_create(&f);
    vm = mon->vm[0];
    return vm;
}

/* Every invariant of the monitor holds (both CPUs' TLBs included). */
static void assert_invariants(void)
{
    char why[400] = "";
    cr_assert_eq(check_monitor(mon, why, sizeof why), 0, "%s", why);
    for (int c = 0; c < mon->ncpus; c++)
        cr_assert_eq(check_tlb(mon, c, why, sizeof why), 0, "%s", why);
}

/* Guest page g filled with a pattern through vCPU 0, so it is on node 0. */
static void fill(uint32_t g, uint8_t seed)
{
    uint8_t buf[MIPS_PAGE_SIZE];
    for (uint32_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(seed + i * 7);
    cr_assert_eq(pmap_write(vm, &vm->vcpu[0], g * MIPS_PAGE_SIZE, buf, sizeof buf), PMAP_OK);
}

static void assert_contents(uint32_t g, uint8_t seed, int vcpu)
{
    uint8_t buf[MIPS_PAGE_SIZE];
    cr_assert_eq(pmap_read(vm, &vm->vcpu[vcpu], g * MIPS_PAGE_SIZE, buf, sizeof buf), PMAP_OK);
    for (uint32_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], (uint8_t)(seed + i * 7), "page %u byte %u differs (read by vCPU %d)", g, i,
                     vcpu);
}

static int node_of(uint32_t g)
{
    return memmap_node(mon->memmap, vm->pmap[g].mpfn);
}

static uint32_t pfn_of(uint32_t lo)
{
    return (lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
}

/* vCPU i on CPU i, with a TLB entry (index 5, ASID 1) for user page va
 * mapping guest page g, writable as the guest sees it, installed in the
 * hardware TLB. */
static void map_on(int i, uint32_t va, uint32_t g)
{
    struct vcpu *v = &vm->vcpu[i];
    fx_place(mon, v, i);
    v->cp0.entryhi = 1;
    uint32_t lo = (g << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    bool odd = (va >> MIPS_PAGE_SHIFT) & 1;
    struct vtlb_entry ne = {.hi = (va & ENTRYHI_VPN2_MASK) | 1, .lo = {odd ? 0 : lo, odd ? lo : 0}};
    int saved = mon->cur_cpu;
    mon->cur_cpu = i;
    cr_assert_eq(l2tlb_tlbw(v, 5, &ne, false), PMAP_OK);
    mon->cur_cpu = saved;
    cr_assert_geq(sim_tlb_probe(mon->m, i, (va & ENTRYHI_VPN2_MASK) | 1), 0);
}

/* The EntryLo the hardware TLB of CPU cpu holds for user page va, or 0. */
static uint32_t hw_lo(int cpu, uint32_t va)
{
    int i = sim_tlb_probe(mon->m, cpu, (va & ENTRYHI_VPN2_MASK) | 1);
    if (i < 0)
        return 0;
    struct sim_tlb_entry te;
    sim_tlb_read(mon->m, cpu, i, &te);
    return (va >> MIPS_PAGE_SHIFT) & 1 ? te.entrylo1 : te.entrylo0;
}

/* ---- the policy (a pure function) ---------------------------------------------- */

static const struct numa_config defaults = {.on = true, .migrate_share = 80, .max_moves = 4, .replicate = true};

static struct numa_page page_on(int node, uint32_t m0, uint32_t m1)
{
    return (struct numa_page){.nnodes = 2, .misses = {m0, m1}, .copies = 1u << node, .movable = true};
}

Test(numa, policy_migrates_a_page_missed_mostly_by_one_node)
{
    struct numa_page p = page_on(0, 10, 90);
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_MIGRATE);
}

Test(numa, policy_replicates_a_page_missed_by_several_nodes)
{
    struct numa_page p = page_on(0, 40, 60);
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_REPLICATE);
}

Test(numa, policy_leaves_a_write_shared_page_where_it_is)
{
    struct numa_page p = page_on(0, 40, 60);
    p.write_shared = true;
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_STAY_SHARED);
    struct numa_page q = page_on(0, 5, 95);
    q.write_shared = true;
    cr_assert_eq(numa_decide(&defaults, &q, 1), NUMA_MIGRATE, "one node's page moves even if written");
}

Test(numa, policy_leaves_a_page_the_node_has_a_copy_of)
{
    struct numa_page p = page_on(1, 0, 100);
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_STAY_LOCAL);
}

Test(numa, policy_ignores_a_record_older_than_the_last_reset)
{
    struct numa_page p = page_on(0, 0, 0);
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_STAY_STALE);
}

Test(numa, policy_stops_at_the_cap_of_moves_and_zero_means_no_cap)
{
    struct numa_page p = page_on(0, 0, 100);
    p.moves = 4;
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_STAY_CAPPED);
    struct numa_config nocap = defaults;
    nocap.max_moves = 0;
    p.moves = 1000;
    cr_assert_eq(numa_decide(&nocap, &p, 1), NUMA_MIGRATE);
}

Test(numa, policy_leaves_a_page_that_moved_recently_until_the_freeze_is_over)
{
    struct numa_config freeze = defaults;
    freeze.freeze = 1000;
    struct numa_page p = page_on(0, 0, 100);
    p.moves = 1;
    p.since_move = 999;
    cr_assert_eq(numa_decide(&freeze, &p, 1), NUMA_STAY_FROZEN);
    p.since_move = 1000;
    cr_assert_eq(numa_decide(&freeze, &p, 1), NUMA_MIGRATE);
    p.moves = 4;
    p.since_move = 0;
    cr_assert_eq(numa_decide(&freeze, &p, 1), NUMA_STAY_CAPPED, "the cap first");
}

Test(numa, policy_leaves_a_page_that_cannot_move)
{
    struct numa_page p = page_on(0, 0, 100);
    p.movable = false;
    cr_assert_eq(numa_decide(&defaults, &p, 1), NUMA_STAY_BUSY);
}

Test(numa, policy_without_replication_leaves_shared_pages)
{
    struct numa_config c = defaults;
    c.replicate = false;
    struct numa_page p = page_on(0, 50, 50);
    cr_assert_eq(numa_decide(&c, &p, 1), NUMA_STAY_SHARED);
}

Test(numa, policy_gives_a_replicated_page_one_more_copy_rather_than_moving_it)
{
    struct numa_page p = {.nnodes = 3, .misses = {1, 1, 98}, .copies = 0x3, .movable = true};
    cr_assert_eq(numa_decide(&defaults, &p, 2), NUMA_REPLICATE);
}

Test(numa, policy_share_is_a_percentage_of_all_misses)
{
    struct numa_config c = defaults;
    c.migrate_share = 60;
    struct numa_page p = page_on(0, 40, 60);
    cr_assert_eq(numa_decide(&c, &p, 1), NUMA_MIGRATE, "60%% of the misses is enough at share 60");
    struct numa_page q = page_on(0, 41, 59);
    cr_assert_eq(numa_decide(&c, &q, 1), NUMA_REPLICATE);
}

/* ---- placement -------------------------------------------------------------------- */

Test(numa, a_new_page_goes_to_the_home_node_of_its_first_user)
{
    one_vm(2, 1);
    cr_assert_eq(numa_home_node(mon, &vm->vcpu[0]), 1);
    cr_assert_eq(numa_home_node(mon, &vm->vcpu[1]), 0);
    cr_assert_eq(numa_home_node(mon, NULL), 0, "no user: node 0");
}

Test(numa, init_resets_the_magic_counters)
{
    one_vm(1, 0);
    uint32_t buf[4];
    sim_mem_read(mon->m, 1, 0x100000, buf, sizeof buf);
    cr_assert_gt(sim_magic_count(mon->m, 0x100000 / MIPS_PAGE_SIZE, 1), 0u);
    numa_init(mon);
    cr_assert_eq(sim_magic_count(mon->m, 0x100000 / MIPS_PAGE_SIZE, 1), 0u);
}

/* ---- migration -------------------------------------------------------------------- */

Test(numa, migrating_a_page_moves_its_contents_to_the_node)
{
    one_vm(2, 0);
    fill(0x40, 3);
    cr_assert_eq(node_of(0x40), 0);
    uint32_t old = vm->pmap[0x40].mpfn;
    uint32_t free1 = memmap_free_on(mon->memmap, 1);
    cr_assert_eq(numa_migrate(vm, 0x40, 1), PMAP_OK);
    cr_assert_eq(node_of(0x40), 1);
    cr_assert(mon->memmap->page[old].free, "the old page is given back");
    cr_assert_eq(memmap_free_on(mon->memmap, 1), free1 - 1);
    cr_assert_eq(pfn_of(vm->pmap[0x40].lo_template), vm->pmap[0x40].mpfn);
    cr_assert(vm->pmap[0x40].lo_template & ENTRYLO_D, "still writable");
    cr_assert_eq(numa_stats(mon)->migrations, 1u);
    cr_assert_gt(numa_stats(mon)->migrate_cycles, 0u, "the copy costs time");
    assert_contents(0x40, 3, 0);
    assert_invariants();
}

Test(numa, migrating_a_page_retargets_its_tlb_entries_on_every_cpu)
{
    one_vm(2, 0);
    fill(0x40, 5);
    map_on(0, 0x00400000, 0x40);
    map_on(1, 0x00400000, 0x40);
    uint64_t shootdowns = mon->shootdowns;
    mon->cur_cpu = 1; /* the hot-page interrupt came to CPU 1 */
    cr_assert_eq(numa_migrate(vm, 0x40, 1), PMAP_OK);
    uint32_t now = vm->pmap[0x40].mpfn;
    for (int i = 0; i < 2; i++) {
        const struct l2tlb_entry *e = l2tlb_lookup(&vm->vcpu[i], 0x00400000, 1);
        cr_assert_not_null(e, "vCPU %d keeps its L2 TLB entry: the guest need not refill", i);
        cr_assert_eq(pfn_of(e->mlo[0]), now, "vCPU %d's entry names the new page", i);
        cr_assert(e->mlo[0] & ENTRYLO_D);
        uint32_t hw = hw_lo(i, 0x00400000);
        cr_assert(!(hw & ENTRYLO_V) || pfn_of(hw) == now, "CPU %d's hardware TLB still names the old page", i);
    }
    cr_assert_gt(mon->shootdowns, shootdowns, "CPU 0's TLB was reached by a shootdown");
    assert_invariants();
}

Test(numa, migrating_with_no_free_page_on_the_node_changes_nothing)
{
    one_vm(1, 0);
    fill(0x40, 1);
    uint32_t before = vm->pmap[0x40].mpfn;
    while (memmap_alloc_on(mon->memmap, 1) != NO_PAGE)
        ;
    cr_assert_eq(numa_migrate(vm, 0x40, 1), PMAP_NO_MEMORY);
    cr_assert_eq(vm->pmap[0x40].mpfn, before);
    cr_assert_eq(numa_stats(mon)->migrations, 0u);
    assert_contents(0x40, 1, 0);
}

/* ---- replication and collapse ------------------------------------------------------ */

Test(numa, replicating_a_page_gives_each_node_a_read_only_copy)
{
    one_vm(2, 0);
    fill(0x40, 9);
    map_on(0, 0x00400000, 0x40);
    map_on(1, 0x00400000, 0x40);
    uint32_t primary = vm->pmap[0x40].mpfn;
    mon->cur_cpu = 1;
    cr_assert_eq(numa_replicate(vm, 0x40, 1), PMAP_OK);
    uint32_t copy = memmap_copy_on(mon->memmap, primary, 1);
    cr_assert_neq(copy, NO_PAGE, "node 1 has a copy");
    cr_assert_eq(vm->pmap[0x40].mpfn, primary, "the pmap still names the primary");
    cr_assert(!(vm->pmap[0x40].lo_template & ENTRYLO_D), "every copy is read-only");
    cr_assert(pmap_replicated(vm, 0x40));
    const struct l2tlb_entry *e0 = l2tlb_lookup(&vm->vcpu[0], 0x00400000, 1);
    const struct l2tlb_entry *e1 = l2tlb_lookup(&vm->vcpu[1], 0x00400000, 1);
    cr_assert_eq(pfn_of(e0->mlo[0]), primary, "vCPU 0 reads its node's copy");
    cr_assert_eq(pfn_of(e1->mlo[0]), copy, "vCPU 1 reads its node's copy");
    cr_assert(!(e0->mlo[0] & ENTRYLO_D) && !(e1->mlo[0] & ENTRYLO_D));
    cr_assert_eq(numa_stats(mon)->replications, 1u);
    assert_contents(0x40, 9, 1);
    assert_invariants();
}

Test(numa, a_write_to_a_replicated_page_collapses_it_to_the_writers_copy)
{
    one_vm(2, 0);
    fill(0x40, 2);
    map_on(0, 0x00400000, 0x40);
    map_on(1, 0x00400000, 0x40);
    uint32_t primary = vm->pmap[0x40].mpfn;
    numa_replicate(vm, 0x40, 1);
    uint32_t copy = memmap_copy_on(mon->memmap, primary, 1);
    uint32_t free_before = memmap_free_pages(mon->memmap);
    mon->cur_cpu = 1;
    cr_assert_eq(pmap_make_writable(vm, &vm->vcpu[1], 0x40), PMAP_OK);
    cr_assert(!pmap_replicated(vm, 0x40));
    cr_assert_eq(vm->pmap[0x40].mpfn, copy, "the writer's own copy is kept");
    cr_assert(mon->memmap->page[primary].free, "the other copy is freed");
    cr_assert_eq(memmap_free_pages(mon->memmap), free_before + 1);
    cr_assert(vm->pmap[0x40].lo_template & ENTRYLO_D, "writable again");
    cr_assert(vm->pmap[0x40].write_shared, "the policy leaves it from now on");
    cr_assert_eq(numa_stats(mon)->collapses, 1u);
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pfn_of(l2tlb_lookup(&vm->vcpu[i], 0x00400000, 1)->mlo[0]), copy);
    assert_contents(0x40, 2, 0);
    assert_invariants();
}

Test(numa, a_store_through_a_replica_is_retried_after_the_collapse)
{
    one_vm(2, 0);
    fill(0x40, 4);
    map_on(1, 0x00400000, 0x40);
    numa_replicate(vm, 0x40, 1);
    mon->cur_cpu = 1;
    struct sim_exception e = {.cpu = 1, .code = EXC_MOD, .badvaddr = 0x00400010, .epc = 0x00400100};
    cr_assert(pmap_write_fault(&vm->vcpu[1], &e), "the monitor's own protection: handled");
    cr_assert(!pmap_replicated(vm, 0x40));
    cr_assert(!pmap_write_fault(&vm->vcpu[1], &e), "a second fault would be the guest's");
    assert_invariants();
}

Test(numa, a_store_the_guest_forbids_is_not_the_monitors_fault)
{
    one_vm(2, 0);
    fill(0x40, 4);
    struct vcpu *v = &vm->vcpu[1];
    fx_place(mon, v, 1);
    v->cp0.entryhi = 1;
    uint32_t lo = (0x40u << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_V; /* D clear */
    struct vtlb_entry ne = {.hi = 0x00400000 | 1, .lo = {lo, 0}};
    mon->cur_cpu = 1;
    cr_assert_eq(l2tlb_tlbw(v, 5, &ne, false), PMAP_OK);
    numa_replicate(vm, 0x40, 1);
    struct sim_exception e = {.cpu = 1, .code = EXC_MOD, .badvaddr = 0x00400010, .epc = 0x00400100};
    cr_assert(!pmap_write_fault(v, &e), "the guest's read-only page: its own TLB Mod exception");
    cr_assert(pmap_replicated(vm, 0x40), "the replicas stay");
}

Test(numa, a_kernel_segment_store_to_a_replica_collapses_it)
{
    one_vm(2, 0);
    fill(0x40, 6);
    numa_replicate(vm, 0x40, 1);
    struct vcpu *v = &vm->vcpu[1];
    fx_place(mon, v, 1);
    mon->cur_cpu = 1;
    struct sim_tlb_entry te;
    cr_assert_eq(pmap_kseg_entry(v, MIPS_KSSEG + 0x40 * MIPS_PAGE_SIZE, &te), PMAP_OK);
    cr_assert(!(te.entrylo0 & ENTRYLO_D), "the monitor maps a replica read-only in the kernel segment too");
    struct sim_exception e = {.cpu = 1, .code = EXC_MOD, .badvaddr = MIPS_KSSEG + 0x40 * MIPS_PAGE_SIZE + 8};
    cr_assert(pmap_write_fault(v, &e));
    cr_assert(!pmap_replicated(vm, 0x40));
    cr_assert_eq(pmap_kseg_entry(v, MIPS_KSSEG + 0x40 * MIPS_PAGE_SIZE, &te), PMAP_OK);
    cr_assert(te.entrylo0 & ENTRYLO_D);
}

Test(numa, a_write_by_the_monitor_goes_to_the_one_copy)
{
    one_vm(2, 0);
    fill(0x40, 7);
    numa_replicate(vm, 0x40, 1);
    fill(0x40, 8); /* pmap_write: what console input and the loader use */
    cr_assert(!pmap_replicated(vm, 0x40), "writing collapsed the replicas first");
    assert_contents(0x40, 8, 0);
    assert_contents(0x40, 8, 1);
    assert_invariants();
}

Test(numa, releasing_a_replicated_page_frees_every_copy)
{
    one_vm(2, 0);
    fill(0x40, 1);
    uint32_t free_before = memmap_free_pages(mon->memmap);
    numa_replicate(vm, 0x40, 1);
    cr_assert_eq(memmap_free_pages(mon->memmap), free_before - 1);
    cr_assert(pmap_release(vm, 0x40));
    cr_assert_eq(memmap_free_pages(mon->memmap), free_before + 1);
    assert_invariants();
}

/* ---- the hot-page interrupt ----------------------------------------------------------- */

/* CPU cpu misses on `lines` lines of machine page pfn. */
static void miss(int cpu, uint32_t pfn, int lines)
{
    uint32_t w;
    for (int i = 0; i < lines; i++)
        sim_mem_read(mon->m, cpu, (uint64_t)pfn * MIPS_PAGE_SIZE + (uint64_t)i * 128, &w, sizeof w);
}

Test(numa, a_page_another_node_misses_on_migrates_there)
{
    f.cfg.machine.hot_threshold = 4;
    one_vm(2, 0);
    fill(0x40, 3);
    numa_init(mon);
    miss(1, vm->pmap[0x40].mpfn, 8);
    mon->cur_cpu = 1;
    numa_hot_pages(mon, 1);
    cr_assert_geq(numa_stats(mon)->hot_records, 1u);
    cr_assert_eq(numa_stats(mon)->migrations, 1u);
    cr_assert_eq(node_of(0x40), 1);
    cr_assert_eq(sim_magic_count(mon->m, vm->pmap[0x40].mpfn, 1), 0u, "counters reset after the decision");
    assert_contents(0x40, 3, 1);
    assert_invariants();
}

Test(numa, a_page_two_nodes_read_is_replicated)
{
    f.cfg.machine.hot_threshold = 8;
    one_vm(2, 0);
    fill(0x40, 3);
    numa_init(mon);
    uint32_t pfn = vm->pmap[0x40].mpfn;
    miss(0, pfn, 6);
    miss(1, pfn, 8);
    mon->cur_cpu = 1;
    numa_hot_pages(mon, 1);
    cr_assert_eq(numa_stats(mon)->replications, 1u);
    cr_assert(pmap_replicated(vm, 0x40));
    assert_invariants();
}

Test(numa, a_page_at_its_cap_stays)
{
    f.cfg.machine.hot_threshold = 4;
    f.cfg.monitor.numa.max_moves = 1;
    one_vm(2, 0);
    fill(0x40, 3);
    numa_init(mon);
    miss(1, vm->pmap[0x40].mpfn, 8);
    mon->cur_cpu = 1;
    numa_hot_pages(mon, 1);
    cr_assert_eq(node_of(0x40), 1);
    miss(0, vm->pmap[0x40].mpfn, 8);
    mon->cur_cpu = 0;
    numa_hot_pages(mon, 0);
    cr_assert_eq(node_of(0x40), 1, "moved once: capped");
    cr_assert_eq(numa_stats(mon)->left_capped, 1u);
}

Test(numa, with_numa_off_hot_pages_are_only_counted)
{
    f.cfg.machine.hot_threshold = 4;
    f.cfg.monitor.numa.on = false;
    one_vm(2, 0);
    fill(0x40, 3);
    numa_init(mon);
    miss(1, vm->pmap[0x40].mpfn, 8);
    numa_hot_pages(mon, 1);
    cr_assert_eq(numa_stats(mon)->hot_records, 1u);
    cr_assert_eq(numa_stats(mon)->migrations, 0u);
    cr_assert_eq(node_of(0x40), 0);
    uint32_t pfn;
    int node;
    cr_assert(!sim_magic_pop(mon->m, &pfn, &node), "the queue is drained all the same");
}

Test(numa, the_monitors_own_pages_are_never_moved)
{
    f.cfg.machine.hot_threshold = 4;
    one_vm(2, 0);
    numa_init(mon);
    uint32_t hal = vm->vcpu[0].halpage;
    miss(1, hal, 8);
    numa_hot_pages(mon, 1);
    cr_assert_eq(numa_stats(mon)->left_busy, 1u);
    cr_assert(mon->memmap->page[hal].monitor, "still the monitor's page");
    assert_invariants();
}

Test(numa, a_page_under_dma_is_not_moved)
{
    f.cfg.machine.hot_threshold = 4;
    one_vm(2, 0);
    fill(0x40, 3);
    pmap_pin(vm, 0x40);
    numa_init(mon);
    miss(1, vm->pmap[0x40].mpfn, 8);
    numa_hot_pages(mon, 1);
    cr_assert_eq(node_of(0x40), 0);
    cr_assert_eq(numa_stats(mon)->left_busy, 1u);
    pmap_unpin(vm, 0x40);
}

Test(numa, a_guest_making_hot_pages_runs_to_the_end)
{
    f.cfg.machine.hot_threshold = 1;
    f.cfg.machine.cache_size = 4096; /* every new line misses */
    f.cfg.machine.cache_assoc = 1;
    f.cfg.monitor.check = true;
    struct prog p;
    prog_init(&p);
    p_li(&p, T0, MIPS_KSSEG + 0x40000);
    p_li(&p, T1, 64);
    uint32_t loop = p_here(&p);
    p_emit(&p, i_lw(T2, 0, T0));
    p_emit(&p, i_addiu(T0, T0, 128));
    p_emit(&p, i_addiu(T1, T1, -1));
    p_emit(&p, i_bne(T1, ZERO, (int)(loop - p_here(&p) - 4) / 4));
    p_emit(&p, i_nop());
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    mon = fx_create(&f);
    cr_assert_eq(monitor_run(mon), 0, "every miss a hot page, and still it ends");
    cr_assert_gt(numa_stats(mon)->hot_records, 0u, "MAGIC's hot pages reached the monitor");
}

/* ---- a small Figure 8: the workload migration and replication are for ---------- */

/* vm_numa (reference/tests/guests) in one VM of 4 vCPUs on 4 nodes with
 * 16 KB caches, migration on or off: the machine's cycles to the end, the
 * share of cache misses served locally (percent) and the console. */
static uint64_t run_numa_guest(bool on, double *local, char **out)
{
    struct disco_config c = f.cfg;
    c.machine.nodes = 4;
    c.machine.mem_per_node = 4u << 20;
    c.machine.cache_size = 16 * 1024;
    c.monitor.numa.on = on;
    c.nvms = 1;
    struct vm_config *vc = &c.vm[0];
    memset(vc, 0, sizeof *vc);
    snprintf(vc->name, sizeof vc->name, "n");
    snprintf(vc->kernel, sizeof vc->kernel, "%s/vm_numa.elf", DISCO_VM_GUESTS);
    vc->cpus = 4;
    vc->memory = 4u << 20;
    vc->node = -1;
    cr_assert_eq(access(vc->kernel, R_OK), 0, "%s: not built (make vm-guests)", vc->kernel);
    size_t len;
    FILE *o = open_memstream(out, &len);
    char err[512] = "";
    struct monitor *m = monitor_create(&c, o, err, sizeof err);
    cr_assert_not_null(m, "monitor_create failed: %s", err);
    cr_assert_eq(monitor_run(m), 0, "vm_numa ran to the end (numa %s)", on ? "on" : "off");
    uint64_t cycles = sim_now(m->m), loc = 0, all = 0;
    for (int i = 0; i < m->ncpus; i++) {
        const struct sim_cpu_stats *st = sim_cpu_stats(m->m, i);
        loc += st->misses_local;
        all += st->misses_local + st->misses_remote;
    }
    *local = all ? 100.0 * (double)loc / (double)all : 0;
    monitor_destroy(m);
    fclose(o);
    return cycles;
}

Test(numa, migration_and_replication_make_a_numa_workload_faster)
{
    double local_off, local_on;
    char *out_off = NULL, *out_on = NULL;
    uint64_t off = run_numa_guest(false, &local_off, &out_off);
    uint64_t on = run_numa_guest(true, &local_on, &out_on);
    cr_assert_str_eq(out_on, out_off, "the guest prints the same with numa on and off");
    cr_assert(strstr(out_on, "PASS vm_numa"), "%s", out_on);
    cr_assert_leq(on * 100, off * 70, "numa on takes %llu cycles, numa off %llu: at most 70%% wanted",
                  (unsigned long long)on, (unsigned long long)off);
    cr_assert_geq(local_on, 80.0, "%.0f%% of misses local with numa on (off: %.0f%%)", local_on, local_off);
    free(out_off);
    free(out_on);
}

