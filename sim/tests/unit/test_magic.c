/*
 * test_magic.c - MAGIC's per-page, per-node miss counters, the hot-page
 * queue and IP5, through the host API and through the MAGIC registers.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

static void setup(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    cfg.hot_threshold = 8;
    h_init(&h, &cfg);
}
static void teardown(void) { h_fini(&h); }

TestSuite(magic, .init = setup, .fini = teardown);

#define PAGE_VA  0x80020000u /* node 0 */
#define PAGE_PFN 0x20u
#define RPAGE_VA  0x80140000u /* node 1 */
#define RPAGE_PFN 0x140u
#define IP5 (1u << (CAUSE_IP_SHIFT + IRQ_HOT))

/* Load one word from each of n consecutive lines starting at va. */
static void touch_lines(uint32_t va, unsigned n)
{
    h_li(&h, S0, va);
    h_emit(&h, ori(T0, ZERO, n));
    uint32_t loop = h_emit(&h, lw(V0, 0, S0));
    h_emit(&h, addiu(S0, S0, 128));
    h_emit(&h, addiu(T0, T0, -1));
    h_emit(&h, bne(T0, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
}

/* Pop every hot record; true if (pfn, node) was among them. */
static bool popped(uint32_t pfn, int node)
{
    bool found = false;
    uint32_t p;
    int n;
    while (sim_magic_pop(h.m, &p, &n))
        if (p == pfn && n == node)
            found = true;
    return found;
}

Test(magic, counters_count_misses_per_page_and_node)
{
    touch_lines(PAGE_VA, 5);
    touch_lines(RPAGE_VA, 3);
    touch_lines(RPAGE_VA, 3); /* hits now: not counted */
    H_EXEC(&h, nop());
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 5);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 1), 0);
    cr_expect_eq(sim_magic_count(h.m, RPAGE_PFN, 0), 3);
    cr_expect_eq(sim_magic_count(h.m, RPAGE_PFN, 1), 0);
    cr_expect_gt(sim_magic_count(h.m, (CODE_BASE - MIPS_KSEG0) >> 12, 0), 0, "code fetch misses count too");
}

Test(magic, another_cpus_misses_count_for_its_node)
{
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    touch_lines(PAGE_VA, 4);
    h_halt(&h, 0);
    h_org(&h, CODE_BASE);
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 1), 4);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 0);
}

Test(magic, out_of_range_count_queries_return_zero)
{
    cr_expect_eq(sim_magic_count(h.m, 0xFFFFF, 0), 0);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 2), 0);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, -1), 0);
}

Test(magic, reaching_the_threshold_queues_the_page_and_raises_ip5_on_the_missing_cpu)
{
    touch_lines(PAGE_VA, 7);
    h_emit(&h, mfc0(S4, CP0_CAUSE, 0)); /* 7 misses: not hot yet */
    touch_lines(PAGE_VA + 7 * 128, 1);
    H_EXEC(&h, mfc0(S5, CP0_CAUSE, 0));
    cr_expect_eq(h_reg(&h, S4) & IP5, 0);
    cr_expect(h_reg(&h, S5) & IP5);
    cr_expect_eq(sim_cpu_cp0(h.m, 1, CP0_CAUSE, 0) & IP5, 0, "IP5 went to another CPU");
    uint32_t pfn;
    int node;
    cr_assert(sim_magic_pop(h.m, &pfn, &node));
    cr_expect_eq(pfn, PAGE_PFN);
    cr_expect_eq(node, 0);
    cr_expect_not(sim_magic_pop(h.m, &pfn, &node));
    cr_expect_eq(h_cp0(&h, CP0_CAUSE) & IP5, 0, "IP5 stays after the queue emptied");
}

Test(magic, a_hot_counter_keeps_counting_but_is_queued_once_until_reset)
{
    touch_lines(PAGE_VA, 20);
    H_EXEC(&h, nop());
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 20);
    uint32_t pfn;
    int node, n = 0;
    while (sim_magic_pop(h.m, &pfn, &node))
        n += pfn == PAGE_PFN;
    cr_expect_eq(n, 1);
}

Test(magic, ip5_goes_to_the_cpu_that_missed)
{
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    touch_lines(RPAGE_VA, 8);
    h_emit(&h, mfc0(S5, CP0_CAUSE, 0));
    h_halt(&h, 0);
    h_org(&h, CODE_BASE);
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect(sim_cpu_reg(h.m, 1, S5) & IP5);
    cr_expect_eq(h_cp0(&h, CP0_CAUSE) & IP5, 0);
    cr_expect(popped(RPAGE_PFN, 1));
}

Test(magic, hot_pop_register_reads_records_then_all_ones_and_clears_ip5)
{
    h_li(&h, S1, MAGIC_HOT_POP);
    touch_lines(PAGE_VA, 8);
    h_emit(&h, mfc0(S4, CP0_CAUSE, 0));
    h_emit(&h, lw(S2, 0, S1));
    /* pop until empty */
    uint32_t loop = h_emit(&h, lw(S3, 0, S1));
    h_emit(&h, addiu(T1, S3, 1));
    h_emit(&h, bne(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    H_EXEC(&h, mfc0(S5, CP0_CAUSE, 0));
    cr_expect(h_reg(&h, S4) & IP5);
    cr_expect_eq(h_reg(&h, S2), PAGE_PFN * 256 + 0);
    cr_expect_eq(h_reg(&h, S3), 0xFFFFFFFFu);
    cr_expect_eq(h_reg(&h, S5) & IP5, 0);
}

Test(magic, threshold_register_reads_and_sets_the_threshold)
{
    h_li(&h, S1, MAGIC_THRESHOLD);
    h_emit(&h, lw(S2, 0, S1));
    h_emit(&h, ori(T0, ZERO, 3));
    h_emit(&h, sw(T0, 0, S1));
    h_emit(&h, lw(S3, 0, S1));
    touch_lines(PAGE_VA, 3);
    H_EXEC(&h, mfc0(S5, CP0_CAUSE, 0));
    cr_expect_eq(h_reg(&h, S2), 8);
    cr_expect_eq(h_reg(&h, S3), 3);
    cr_expect_eq(sim_magic_threshold(h.m), 3);
    cr_expect(h_reg(&h, S5) & IP5);
    cr_expect(popped(PAGE_PFN, 0));
}

Test(magic, threshold_is_at_least_one)
{
    sim_magic_set_threshold(h.m, 0);
    cr_expect_eq(sim_magic_threshold(h.m), 1);
    sim_magic_set_threshold(h.m, 100);
    cr_expect_eq(sim_magic_threshold(h.m), 100);
    h_li(&h, S1, MAGIC_THRESHOLD);
    H_EXEC(&h, sw(ZERO, 0, S1));
    cr_expect_eq(sim_magic_threshold(h.m), 1);
}

Test(magic, reset_page_register_zeroes_one_page)
{
    touch_lines(PAGE_VA, 4);
    touch_lines(PAGE_VA + 0x1000, 4);
    h_li(&h, S1, MAGIC_RESET_PAGE);
    h_emit(&h, ori(T0, ZERO, PAGE_PFN));
    H_EXEC(&h, sw(T0, 0, S1));
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 0);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN + 1, 0), 4);
}

Test(magic, reset_all_register_zeroes_every_page)
{
    touch_lines(PAGE_VA, 4);
    touch_lines(RPAGE_VA, 4);
    h_li(&h, S1, MAGIC_RESET_ALL);
    H_EXEC(&h, sw(ZERO, 0, S1));
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 0);
    cr_expect_eq(sim_magic_count(h.m, RPAGE_PFN, 0), 0);
}

Test(magic, host_reset_of_one_page_or_all_pages)
{
    touch_lines(PAGE_VA, 4);
    touch_lines(RPAGE_VA, 4);
    H_EXEC(&h, nop());
    sim_magic_reset(h.m, PAGE_PFN);
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 0);
    cr_expect_eq(sim_magic_count(h.m, RPAGE_PFN, 0), 4);
    sim_magic_reset(h.m, UINT32_MAX);
    cr_expect_eq(sim_magic_count(h.m, RPAGE_PFN, 0), 0);
    sim_magic_reset(h.m, 0xFFFFFF); /* beyond memory: ignored, no crash */
}

Test(magic, after_a_reset_a_page_can_become_hot_again)
{
    touch_lines(PAGE_VA, 8);
    h_li(&h, S1, MAGIC_RESET_PAGE);
    h_emit(&h, ori(T0, ZERO, PAGE_PFN));
    h_emit(&h, sw(T0, 0, S1));
    /* The lines are cached now: evict them by touching the lines 512 KB
     * and 1 MB away (same sets, 2 ways). */
    touch_lines(PAGE_VA + (512u << 10), 8);
    touch_lines(PAGE_VA + (1024u << 10), 8);
    touch_lines(PAGE_VA, 8);
    H_EXEC(&h, nop());
    cr_expect_eq(sim_magic_count(h.m, PAGE_PFN, 0), 8);
    uint32_t pfn;
    int node, n = 0;
    while (sim_magic_pop(h.m, &pfn, &node))
        n += pfn == PAGE_PFN && node == 0;
    cr_expect_eq(n, 2);
}

Test(magic, hot_pages_appear_in_the_statistics)
{
    touch_lines(PAGE_VA, 8);
    H_EXEC(&h, nop());
    json_t *j = h_stats_json(&h);
    cr_expect_geq(h_json_u64(j, "magic.hot_pages"), 1);
    cr_expect_eq(h_json_u64(j, "magic.dropped"), 0);
    json_decref(j);
}

Test(magic, a_full_hot_queue_drops_and_counts_further_hot_pages)
{
    /* 4096 records fit; with a threshold of 1, one miss on each of 4100
     * pages (through the host API, charged to CPU 0) overflows the queue. */
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 1;
    cfg.mem_per_node = 32u << 20;
    cfg.hot_threshold = 1;
    h_fini(&h);
    h_init(&h, &cfg);
    uint32_t v;
    for (uint32_t p = 0; p < 4100; p++)
        cr_assert_eq(sim_mem_read(h.m, 0, 0x10000u + p * 4096u, &v, 4), 0);
    cr_expect(h_cp0(&h, CP0_CAUSE) & IP5);
    json_t *j = h_stats_json(&h);
    cr_expect_eq(h_json_u64(j, "magic.hot_pages"), 4096);
    cr_expect_eq(h_json_u64(j, "magic.dropped"), 4);
    json_decref(j);
    uint32_t pfn, first = 0;
    int node, n = 0;
    while (sim_magic_pop(h.m, &pfn, &node)) {
        if (n == 0)
            first = pfn;
        n++;
    }
    cr_expect_eq(n, 4096);
    cr_expect_eq(first, 0x10, "the queue is not first in, first out");
    cr_expect_eq(h_cp0(&h, CP0_CAUSE) & IP5, 0);
}
