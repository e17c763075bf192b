/*
 * test_cache.c - the cache model and NUMA accounting: local and remote
 * miss latencies, hits, coherence invalidations, dirty-elsewhere misses,
 * uncached accesses, node statistics, --no-cache.
 *
 * Measurements use probes: each SYSCALL makes the recording handler
 * snapshot the CPU's statistics (H_EXC_PROBE) and resume after it, so a
 * test compares counters around a few instructions. The host handler runs
 * no guest code, so a probe itself touches no memory.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

/* Two nodes of 1 MB: node 1's memory is physical 0x100000. */
static void setup(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    h_init(&h, &cfg);
    h_catch(&h, H_EXC_PROBE);
}
static void teardown(void) { h_fini(&h); }

TestSuite(cache, .init = setup, .fini = teardown);
TestSuite(numa, .init = setup, .fini = teardown);

#define LOCAL_X  0x80010000u /* node 0 */
#define FLAG     0x80020000u /* node 0 */
#define REMOTE_X 0x80100000u /* node 1 */
#define LINE 128u

static void probe(void) { h_emit(&h, syscall_()); }

/* Counter differences between probes i and j. */
#define DELTA(field, i, j) (h.probe[j].field - h.probe[i].field)
#define CYCLES(i, j) (h.probe_cycles[j] - h.probe_cycles[i])

static void run_cpu0(void)
{
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0, "%s", sim_stop_message(h.m));
}

/* probe 0; load from va; probe 1; load again; probe 2 - all in one line. */
static void load_twice(uint32_t va)
{
    h_li(&h, S0, va);
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0));
    probe();
    h_emit(&h, lw(V0, 64, S0));
    probe();
    run_cpu0();
    cr_assert_eq(h.nprobe, 3);
}

Test(numa, load_from_another_nodes_memory_costs_lat_remote)
{
    load_twice(REMOTE_X);
    cr_expect_eq(DELTA(stall_remote, 0, 1), h.cfg.lat_remote);
    cr_expect_eq(DELTA(stall_local, 0, 1), 0);
    cr_expect_eq(DELTA(misses_remote, 0, 1), 1);
    cr_expect_eq(DELTA(misses_local, 0, 1), 0);
    cr_expect_eq(CYCLES(0, 1) - CYCLES(1, 2), h.cfg.lat_remote);
}

Test(numa, load_from_the_local_node_costs_lat_local)
{
    load_twice(LOCAL_X);
    cr_expect_eq(DELTA(stall_local, 0, 1), h.cfg.lat_local);
    cr_expect_eq(DELTA(stall_remote, 0, 1), 0);
    cr_expect_eq(DELTA(misses_local, 0, 1), 1);
    cr_expect_eq(CYCLES(0, 1) - CYCLES(1, 2), h.cfg.lat_local);
}

Test(cache, second_load_to_the_same_line_costs_nothing_extra)
{
    load_twice(REMOTE_X);
    cr_expect_eq(DELTA(stall_remote, 1, 2), 0);
    cr_expect_eq(DELTA(stall_local, 1, 2), 0);
    cr_expect_eq(DELTA(misses_remote, 1, 2) + DELTA(misses_local, 1, 2), 0);
}

Test(cache, latencies_are_settings)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    cfg.lat_local = 7;
    cfg.lat_remote = 1000;
    h_fini(&h);
    h_init(&h, &cfg);
    h_catch(&h, H_EXC_PROBE);
    h_li(&h, S0, REMOTE_X);
    h_li(&h, S1, LOCAL_X);
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0));
    probe();
    h_emit(&h, lw(V0, 0, S1));
    probe();
    run_cpu0();
    cr_expect_eq(DELTA(stall_remote, 0, 1), 1000);
    cr_expect_eq(DELTA(stall_local, 1, 2), 7);
}

Test(numa, node_statistics_count_who_served_each_miss)
{
    load_twice(REMOTE_X);
    json_t *j = h_stats_json(&h);
    cr_expect_eq(h_json_u64(j, "nodes.1.misses_served.remote"), 1);
    cr_expect_eq(h_json_u64(j, "nodes.1.misses_served.local"), 0);
    cr_expect_eq(h_json_u64(j, "nodes.1.remote_bytes"), LINE);
    cr_expect_eq(h_json_u64(j, "nodes.0.misses_served.remote"), 0);
    cr_expect_eq(h_json_u64(j, "nodes.0.misses_served.local"), h_json_u64(j, "cpus.0.misses.local"));
    cr_expect_gt(h_json_u64(j, "nodes.0.misses_served.local"), 0, "code fetches are local misses");
    cr_expect_eq(h_json_u64(j, "cpus.0.misses.remote"), 1);
    cr_expect_eq(h_json_u64(j, "cpus.0.stall.remote"), h.cfg.lat_remote);
    json_decref(j);
}

Test(cache, instruction_fetch_misses_once_per_line)
{
    h_align(&h, LINE);
    probe();                   /* line L, offset 0 */
    for (int i = 0; i < 64; i++)
        h_emit(&h, nop());     /* to line L+2, offset 4 */
    probe();
    for (int i = 0; i < 64; i++)
        h_emit(&h, nop());
    run_cpu0();
    cr_expect_eq(DELTA(misses_local, 0, 1), 2);
    cr_expect_eq(DELTA(stall_local, 0, 1), 2 * h.cfg.lat_local);
}

Test(cache, a_loop_in_one_line_misses_only_once)
{
    h_align(&h, LINE);
    probe();
    h_emit(&h, ori(T0, ZERO, 100));
    uint32_t loop = h_emit(&h, addiu(T0, T0, -1));
    h_emit(&h, bne(T0, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    probe();
    run_cpu0();
    cr_expect_eq(DELTA(misses_local, 0, 1), 0);
    cr_expect_eq(DELTA(insns[MODE_KERNEL], 0, 1), 1 + 300 + 1);
}

Test(cache, no_cache_config_costs_no_stalls)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    cfg.cache_enabled = false;
    h_fini(&h);
    h_init(&h, &cfg);
    h_li(&h, S0, REMOTE_X);
    h_li(&h, S1, LOCAL_X | 0x20000000u);
    h_li(&h, S2, PWR_NCPUS);
    H_EXEC(&h, lw(V0, 0, S0), sw(V0, 0, S0), lw(V0, 0, S1), sw(V0, 4, S1), lw(V1, 0, S2));
    const struct sim_cpu_stats *st = h_stats(&h, 0);
    cr_expect_eq(h_reg(&h, V1), 2);
    cr_expect_eq(st->stall_local, 0);
    cr_expect_eq(st->stall_remote, 0);
    cr_expect_eq(st->misses_local + st->misses_remote, 0);
    cr_expect_eq(sim_cpu_cycles(h.m, 0), st->insns[MODE_KERNEL], "cycles %lu, instructions %lu",
                 (unsigned long)sim_cpu_cycles(h.m, 0), (unsigned long)st->insns[MODE_KERNEL]);
}

Test(cache, uncached_kseg1_access_pays_latency_every_time)
{
    h_li(&h, S0, LOCAL_X | 0x20000000u);
    h_li(&h, S1, REMOTE_X | 0x20000000u);
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0));
    h_emit(&h, lw(V0, 0, S0));
    h_emit(&h, sw(V0, 0, S0));
    probe();
    h_emit(&h, lw(V0, 0, S1));
    h_emit(&h, lw(V0, 0, S1));
    probe();
    run_cpu0();
    cr_expect_eq(DELTA(misses_local, 0, 1), 3);
    cr_expect_eq(DELTA(stall_local, 0, 1), 3 * h.cfg.lat_local);
    cr_expect_eq(DELTA(misses_remote, 1, 2), 2);
    cr_expect_eq(DELTA(stall_remote, 1, 2), 2 * h.cfg.lat_remote);
}

Test(cache, device_register_access_pays_the_local_latency)
{
    h_li(&h, S0, PWR_NCPUS);
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0));
    probe();
    run_cpu0();
    cr_expect_eq(DELTA(stall_local, 0, 1), h.cfg.lat_local);
    cr_expect_eq(DELTA(stall_remote, 0, 1), 0);
}

Test(cache, a_third_line_in_a_two_way_set_evicts_the_least_recent)
{
    /* 1 MB, 2-way, 128-byte lines: 4096 sets, so lines 512 KB apart share
     * a set. */
    h_li(&h, S0, LOCAL_X);
    h_li(&h, S1, LOCAL_X + (512u << 10));
    h_li(&h, S2, LOCAL_X + (1024u << 10));
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0));
    h_emit(&h, lw(V0, 0, S1));
    h_emit(&h, lw(V0, 0, S0)); /* hit: X is now the most recent */
    h_emit(&h, lw(V0, 0, S2)); /* evicts X+512K */
    h_emit(&h, lw(V0, 0, S0)); /* hit */
    probe();
    h_emit(&h, lw(V0, 0, S1)); /* miss */
    probe();
    run_cpu0();
    cr_expect_eq(DELTA(misses_local, 0, 1) + DELTA(misses_remote, 0, 1), 3);
    cr_expect_eq(DELTA(misses_local, 1, 2) + DELTA(misses_remote, 1, 2), 1);
}

Test(cache, store_to_a_line_only_this_cpu_holds_costs_no_extra_miss)
{
    h_li(&h, S0, LOCAL_X);
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0)); /* miss */
    h_emit(&h, sw(V0, 0, S0)); /* silent upgrade */
    h_emit(&h, sw(V0, 4, S0));
    probe();
    run_cpu0();
    cr_expect_eq(DELTA(misses_local, 0, 1), 1);
    cr_expect_eq(DELTA(stall_local, 0, 1), h.cfg.lat_local);
}

/* ---- two CPUs ------------------------------------------------------------------ */

/* CPU 0 loads X, then waits for CPU 1 to do `insn` (with S0 = X) and set
 * FLAG; then probes 0 and 1 bracket CPU 0's second load of X. */
static void cpu0_reloads_after_cpu1(uint32_t cpu1_insn)
{
    h_li(&h, S0, LOCAL_X);
    h_li(&h, S1, FLAG);
    h_emit(&h, lw(V0, 0, S0));
    uint32_t wait = h_emit(&h, lw(T0, 0, S1));
    h_emit(&h, beq(T0, ZERO, h_rel(h_here(&h), wait)));
    h_emit(&h, nop());
    h_align(&h, LINE);
    probe();
    h_emit(&h, lw(V0, 0, S0));
    probe();
    h_halt(&h, 0);
    /* CPU 1 */
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    h_li(&h, S0, LOCAL_X);
    h_li(&h, S1, FLAG);
    h_emit(&h, ori(T0, ZERO, 500)); /* let CPU 0 load X first */
    uint32_t loop = h_emit(&h, addiu(T0, T0, -1));
    h_emit(&h, bne(T0, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_emit(&h, cpu1_insn);
    h_emit(&h, ori(T1, ZERO, 1));
    h_emit(&h, sw(T1, 0, S1));
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0, "%s", sim_stop_message(h.m));
    cr_assert_eq(h.nprobe, 2);
}

Test(cache, a_write_by_another_cpu_invalidates_this_cpus_copy)
{
    cpu0_reloads_after_cpu1(sw(ZERO, 8, S0)); /* same line as X */
    cr_expect_eq(DELTA(misses_local, 0, 1) + DELTA(misses_remote, 0, 1), 1);
}

Test(cache, a_miss_on_a_line_dirty_in_another_cache_costs_lat_remote)
{
    cpu0_reloads_after_cpu1(sw(ZERO, 8, S0));
    /* X is in node 0's memory, but CPU 1 holds it dirty. */
    cr_expect_eq(DELTA(stall_remote, 0, 1), h.cfg.lat_remote);
    cr_expect_eq(DELTA(stall_local, 0, 1), 0);
}

Test(cache, a_read_by_another_cpu_leaves_this_cpus_copy)
{
    cpu0_reloads_after_cpu1(lw(T2, 8, S0));
    cr_expect_eq(DELTA(misses_local, 0, 1) + DELTA(misses_remote, 0, 1), 0);
}

Test(cache, a_write_to_another_line_leaves_this_cpus_copy)
{
    cpu0_reloads_after_cpu1(sw(ZERO, (int)LINE, S0));
    cr_expect_eq(DELTA(misses_local, 0, 1) + DELTA(misses_remote, 0, 1), 0);
}

Test(cache, writing_a_line_another_cpu_shares_invalidates_it_and_costs_a_miss)
{
    /* CPU 0 and CPU 1 both read X; then CPU 0 writes it. */
    h_li(&h, S0, LOCAL_X);
    h_li(&h, S1, FLAG);
    h_emit(&h, lw(V0, 0, S0));
    uint32_t wait = h_emit(&h, lw(T0, 0, S1));
    h_emit(&h, beq(T0, ZERO, h_rel(h_here(&h), wait)));
    h_emit(&h, nop());
    h_align(&h, LINE);
    probe();
    h_emit(&h, sw(V0, 0, S0));
    probe();
    h_halt(&h, 0);
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    h_li(&h, S0, LOCAL_X);
    h_li(&h, S1, FLAG);
    h_emit(&h, lw(T2, 0, S0));
    h_emit(&h, ori(T1, ZERO, 1));
    h_emit(&h, sw(T1, 0, S1));
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nprobe, 2);
    cr_expect_eq(DELTA(misses_local, 0, 1), 1);
    cr_expect_eq(DELTA(stall_local, 0, 1), h.cfg.lat_local);
}
