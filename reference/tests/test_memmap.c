/*
 * test_memmap.c - the machine memory map (memmap.h): free lists per node,
 * allocation near a node, falling back to the next nodes, freeing.
 */
#include <criterion/criterion.h>

#include "disco/memmap.h"
#include "flash/sim.h"

/* 4 nodes of 64 KB: 16 pages each, 64 in all. */
#define NODES 4
#define PER_NODE 16

static struct sim *m;
static struct memmap *mm;

static void setup(void)
{
    struct sim_config c;
    sim_config_default(&c);
    c.nodes = NODES;
    c.mem_per_node = 64u << 10;
    char err[256];
    m = sim_create(&c, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    mm = memmap_create(m);
    cr_assert_not_null(mm);
}

static void teardown(void)
{
    memmap_destroy(mm);
    sim_destroy(m);
}

static void drain(int node)
{
    for (int i = 0; i < PER_NODE; i++) {
        uint32_t p = memmap_alloc(mm, node);
        cr_assert_eq(p / PER_NODE, (uint32_t)node, "draining node %d got page %u", node, p);
    }
    cr_assert_eq(mm->free_count[node], 0u);
}

TestSuite(memmap, .init = setup, .fini = teardown);

Test(memmap, create_counts_every_page_free)
{
    cr_assert_eq(mm->npages, NODES * PER_NODE);
    cr_assert_eq(mm->nnodes, NODES);
    cr_assert_eq(mm->pages_per_node, PER_NODE);
    for (int n = 0; n < NODES; n++)
        cr_assert_eq(mm->free_count[n], PER_NODE);
    cr_assert_eq(memmap_free_pages(mm), NODES * PER_NODE);
    for (uint32_t p = 0; p < mm->npages; p++) {
        cr_assert_eq(mm->page[p].vm, -1, "page %u has an owner", p);
        cr_assert(!mm->page[p].monitor);
    }
}

Test(memmap, alloc_takes_the_requested_nodes_lowest_page_first)
{
    cr_assert_eq(memmap_alloc(mm, 2), 2u * PER_NODE);
    cr_assert_eq(memmap_alloc(mm, 2), 2u * PER_NODE + 1);
    cr_assert_eq(memmap_alloc(mm, 0), 0u);
    cr_assert_eq(memmap_alloc(mm, 3), 3u * PER_NODE);
}

Test(memmap, alloc_counts_pages_of_the_node)
{
    memmap_alloc(mm, 1);
    memmap_alloc(mm, 1);
    memmap_alloc(mm, 3);
    cr_assert_eq(mm->free_count[0], PER_NODE);
    cr_assert_eq(mm->free_count[1], PER_NODE - 2);
    cr_assert_eq(mm->free_count[3], PER_NODE - 1);
    cr_assert_eq(memmap_free_pages(mm), NODES * PER_NODE - 3);
}

Test(memmap, alloc_falls_back_to_the_next_node_when_empty)
{
    drain(1);
    uint32_t p = memmap_alloc(mm, 1);
    cr_assert_eq(p, 2u * PER_NODE, "node 1 empty: node 2's first page, got %u", p);
    cr_assert_eq(mm->free_count[2], PER_NODE - 1);
}

Test(memmap, alloc_skips_several_empty_nodes)
{
    drain(1);
    drain(2);
    uint32_t p = memmap_alloc(mm, 1);
    cr_assert_eq(p / PER_NODE, 3u, "nodes 1 and 2 empty: node 3, got page %u", p);
}

Test(memmap, alloc_wraps_around_to_node_0)
{
    drain(3);
    uint32_t p = memmap_alloc(mm, 3);
    cr_assert_eq(p, 0u, "node 3 empty: wrap to node 0, got page %u", p);
}

Test(memmap, free_returns_a_page_to_its_own_node)
{
    drain(1);
    uint32_t p = memmap_alloc(mm, 1); /* from node 2 */
    cr_assert_eq(p / PER_NODE, 2u);
    memmap_free(mm, p);
    cr_assert_eq(mm->free_count[2], PER_NODE);
    cr_assert_eq(mm->free_count[1], 0u, "node 1 did not get node 2's page");
    /* A page of node 1 goes back to node 1, and is handed out there next. */
    memmap_free(mm, 1u * PER_NODE + 5);
    cr_assert_eq(mm->free_count[1], 1u);
    cr_assert_eq(memmap_alloc(mm, 1), 1u * PER_NODE + 5);
}

Test(memmap, freed_page_is_free_again_with_no_owner)
{
    uint32_t p = memmap_alloc(mm, 0);
    mm->page[p].vm = 3;
    mm->page[p].gpfn = 77;
    mm->page[p].monitor = true;
    memmap_free(mm, p);
    cr_assert_eq(mm->page[p].vm, -1);
    cr_assert(!mm->page[p].monitor);
    cr_assert_eq(memmap_free_pages(mm), NODES * PER_NODE);
}

Test(memmap, out_of_memory_returns_uint32_max)
{
    for (int i = 0; i < NODES * PER_NODE; i++)
        cr_assert_neq(memmap_alloc(mm, i % NODES), UINT32_MAX, "allocation %d failed", i);
    cr_assert_eq(memmap_free_pages(mm), 0u);
    for (int n = 0; n < NODES; n++)
        cr_assert_eq(memmap_alloc(mm, n), UINT32_MAX);
    memmap_free(mm, 17);
    cr_assert_eq(memmap_alloc(mm, 3), 17u, "the one free page, wherever it is");
}

Test(memmap, every_page_is_handed_out_exactly_once)
{
    static bool seen[NODES * PER_NODE];
    for (int i = 0; i < NODES * PER_NODE; i++) {
        uint32_t p = memmap_alloc(mm, 2);
        cr_assert_lt(p, (uint32_t)(NODES * PER_NODE));
        cr_assert(!seen[p], "page %u handed out twice", p);
        seen[p] = true;
    }
}
