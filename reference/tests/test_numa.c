/*
 * test_numa.c - NUMA placement and MAGIC hot pages (numa.h), and the
 * pieces of labs 4 and 5 as this version has them: copy-on-write disks
 * reduced to private persistent disks (cowdisk.h) and no virtual network
 * (vnet.h).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "disco/cowdisk.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "disco/vnet.h"
#include "test_fixture.h"

static struct fx f;

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
    fx_create(&f);
    return f.mon->vm[0];
}

Test(numa, a_new_page_goes_to_the_home_node_of_its_first_user)
{
    struct vm *vm = one_vm(2, 1);
    cr_assert_eq(numa_home_node(f.mon, &vm->vcpu[0]), 1);
    cr_assert_eq(numa_home_node(f.mon, &vm->vcpu[1]), 0);
    cr_assert_eq(numa_home_node(f.mon, NULL), 0, "no user: node 0");
}

Test(numa, hot_pages_are_drained_and_counted)
{
    f.cfg.machine.hot_threshold = 1;
    one_vm(1, 0);
    struct monitor *mon = f.mon;
    cr_assert_eq(numa_stats(mon)->hot_records, 0u);
    /* Misses by CPU 1 on three pages of node 0: each is hot at once. */
    uint32_t buf[4];
    for (int i = 0; i < 3; i++)
        sim_mem_read(mon->m, 1, 0x100000 + (uint64_t)i * MIPS_PAGE_SIZE, buf, sizeof buf);
    numa_hot_pages(mon, 1);
    cr_assert_eq(numa_stats(mon)->hot_records, 3u);
    uint32_t pfn;
    int node;
    cr_assert(!sim_magic_pop(mon->m, &pfn, &node), "the queue is empty afterwards");
    cr_assert_eq(numa_stats(mon)->migrations, 0u, "this version moves nothing");
    cr_assert_eq(numa_stats(mon)->replications, 0u);
    cr_assert_eq(numa_stats(mon), &mon->numa);
}

Test(numa, init_resets_the_magic_counters)
{
    one_vm(1, 0);
    struct monitor *mon = f.mon;
    uint32_t buf[4];
    sim_mem_read(mon->m, 1, 0x100000, buf, sizeof buf);
    cr_assert_gt(sim_magic_count(mon->m, 0x100000 / MIPS_PAGE_SIZE, 1), 0u);
    numa_init(mon);
    cr_assert_eq(sim_magic_count(mon->m, 0x100000 / MIPS_PAGE_SIZE, 1), 0u);
}

Test(numa, a_guest_making_hot_pages_runs_to_the_end)
{
    f.cfg.machine.hot_threshold = 1;
    f.cfg.machine.cache_size = 4096; /* every new line misses */
    f.cfg.machine.cache_assoc = 1;
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
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_gt(numa_stats(f.mon)->hot_records, 0u, "MAGIC's hot pages reached the monitor");
}

Test(numa, cowdisk_io_sends_one_request_per_guest_page)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    struct vcpu *v = &vm->vcpu[0];
    /* 12 sectors from half-way into a page: parts of three pages. */
    cr_assert_eq(cowdisk_io(v, 0, false, 0, 12, 0x30C00), 0);
    cr_assert_eq(vm->disk[0].pending, 3);
    for (uint32_t g = 0x30; g <= 0x32; g++)
        cr_assert_neq(vm->pmap[g].mpfn, NO_PAGE, "buffer page %u has no machine page", g);
}

Test(numa, no_vm_has_a_network_interface_yet)
{
    struct vm *vm = one_vm(1, 0);
    cr_assert(!vnet_present(vm));
}
