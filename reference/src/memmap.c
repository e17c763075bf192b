/** @file
 * memmap.c - machine pages: who uses them, and free lists per node.
 *
 * Paper section 4.2.2. Every machine page has an entry; free pages are
 * linked per node so that a page can be taken from the node where it will
 * be used. Allocation order is deterministic (lowest free page first within
 * a node), so runs are reproducible.
 */
#include <stdlib.h>

#include "disco/check.h"
#include "disco/memmap.h"

struct memmap *memmap_create(struct sim *m)
{
    struct memmap *mm = calloc(1, sizeof *mm);
    if (!mm)
        return NULL;
    mm->npages = (uint32_t)(sim_mem_size(m) / MIPS_PAGE_SIZE);
    mm->nnodes = sim_ncpus(m);
    mm->pages_per_node = mm->npages / (uint32_t)mm->nnodes;
    mm->page = calloc(mm->npages, sizeof *mm->page);
    if (!mm->page) {
        free(mm);
        return NULL;
    }
    /* Build each node's list so that it hands out its lowest page first. */
    for (int n = 0; n < mm->nnodes; n++) {
        mm->free_head[n] = UINT32_MAX;
        uint32_t first = (uint32_t)n * mm->pages_per_node;
        for (uint32_t p = first + mm->pages_per_node; p-- > first;) {
            mm->page[p] = (struct memmap_entry){
                .vm = -1, .free = true, .next_free = mm->free_head[n], .next_copy = UINT32_MAX};
            mm->free_head[n] = p;
            mm->free_count[n]++;
        }
    }
    return mm;
}

void memmap_destroy(struct memmap *mm)
{
    if (!mm)
        return;
    free(mm->page);
    free(mm);
}

uint32_t memmap_alloc_on(struct memmap *mm, int node)
{
    if (node < 0 || node >= mm->nnodes)
        check_fail("memmap: allocating on node %d of a %d-node machine", node, mm->nnodes);
    uint32_t p = mm->free_head[node];
    if (p == UINT32_MAX)
        return UINT32_MAX;
    mm->free_head[node] = mm->page[p].next_free;
    mm->free_count[node]--;
    mm->page[p].next_free = UINT32_MAX;
    mm->page[p].free = false;
    return p;
}

uint32_t memmap_alloc(struct memmap *mm, int node)
{
    for (int i = 0; i < mm->nnodes; i++) {
        uint32_t p = memmap_alloc_on(mm, (node + i) % mm->nnodes);
        if (p != UINT32_MAX)
            return p;
    }
    return UINT32_MAX;
}

void memmap_set_owner(struct memmap *mm, uint32_t mpfn, int vm, uint32_t gpfn)
{
    if (mpfn >= mm->npages || mm->page[mpfn].free)
        check_fail("memmap: machine page %u given to VM %d is not an allocated page", mpfn, vm);
    mm->page[mpfn].vm = (int16_t)vm;
    mm->page[mpfn].gpfn = gpfn;
    mm->page[mpfn].monitor = false;
}

void memmap_set_monitor(struct memmap *mm, uint32_t mpfn)
{
    if (mpfn >= mm->npages || mm->page[mpfn].free)
        check_fail("memmap: machine page %u taken by the monitor is not an allocated page", mpfn);
    mm->page[mpfn].vm = -1;
    mm->page[mpfn].monitor = true;
}

/* Put page mpfn on its node's free list, its entry cleared. */
static void put_free(struct memmap *mm, uint32_t mpfn)
{
    int n = memmap_node(mm, mpfn);
    mm->page[mpfn] = (struct memmap_entry){
        .vm = -1, .free = true, .next_free = mm->free_head[n], .next_copy = UINT32_MAX};
    mm->free_head[n] = mpfn;
    mm->free_count[n]++;
}

void memmap_free(struct memmap *mm, uint32_t mpfn)
{
    if (mpfn >= mm->npages)
        check_fail("memmap: freeing machine page %u, beyond the machine's %u pages", mpfn, mm->npages);
    if (mm->page[mpfn].free)
        check_fail("memmap: machine page %u freed twice (it is already free)", mpfn);
    if (mm->page[mpfn].replica)
        check_fail("memmap: machine page %u is a replica of VM %d's page %u; only "
                   "memmap_collapse frees it", mpfn, mm->page[mpfn].vm, mm->page[mpfn].gpfn);
    if (mm->page[mpfn].next_copy != UINT32_MAX)
        check_fail("memmap: machine page %u freed while it still has replicas (page %u)", mpfn,
                   mm->page[mpfn].next_copy);
    if (mm->page[mpfn].shared && mm->page[mpfn].refs)
        check_fail("memmap: shared machine page %u freed while %u VM pages name it", mpfn,
                   mm->page[mpfn].refs);
    put_free(mm, mpfn);
}

void memmap_set_shared(struct memmap *mm, uint32_t mpfn, uint32_t slot)
{
    if (mpfn >= mm->npages || mm->page[mpfn].free || mm->page[mpfn].replica || mm->page[mpfn].next_copy != UINT32_MAX)
        check_fail("memmap: machine page %u shared is not a plain allocated page", mpfn);
    mm->page[mpfn].vm = -1;
    mm->page[mpfn].monitor = false;
    mm->page[mpfn].shared = true;
    mm->page[mpfn].refs = 1;
    mm->page[mpfn].gpfn = slot;
}

void memmap_share(struct memmap *mm, uint32_t mpfn)
{
    if (mpfn >= mm->npages || !mm->page[mpfn].shared || mm->page[mpfn].refs == UINT16_MAX)
        check_fail("memmap: machine page %u shared once more is not a shared page", mpfn);
    mm->page[mpfn].refs++;
}

uint32_t memmap_unshare(struct memmap *mm, uint32_t mpfn)
{
    if (mpfn >= mm->npages || !mm->page[mpfn].shared || mm->page[mpfn].refs == 0)
        check_fail("memmap: machine page %u unshared is not a shared page in use", mpfn);
    return --mm->page[mpfn].refs;
}

uint32_t memmap_free_pages(const struct memmap *mm)
{
    uint32_t total = 0;
    for (int n = 0; n < mm->nnodes; n++)
        total += mm->free_count[n];
    return total;
}

uint32_t memmap_free_on(const struct memmap *mm, int node)
{
    return node >= 0 && node < mm->nnodes ? mm->free_count[node] : 0;
}

int memmap_node(const struct memmap *mm, uint32_t mpfn)
{
    return (int)(mpfn / mm->pages_per_node);
}

/* A page that backs a VM's page and is nobody's replica. */
static void check_primary(const struct memmap *mm, uint32_t p, const char *what)
{
    if (p >= mm->npages || mm->page[p].free || mm->page[p].monitor || mm->page[p].vm < 0 ||
        mm->page[p].replica)
        check_fail("memmap: %s: machine page %u does not back a VM's page", what, p);
}

void memmap_add_replica(struct memmap *mm, uint32_t primary, uint32_t copy)
{
    check_primary(mm, primary, "replicating");
    if (copy >= mm->npages || mm->page[copy].free || copy == primary)
        check_fail("memmap: replica %u of page %u is not an allocated page", copy, primary);
    if (memmap_copy_on(mm, primary, memmap_node(mm, copy)) != UINT32_MAX)
        check_fail("memmap: page %u already has a copy on node %d", primary, memmap_node(mm, copy));
    struct memmap_entry *c = &mm->page[copy];
    c->vm = mm->page[primary].vm;
    c->gpfn = mm->page[primary].gpfn;
    c->monitor = false;
    c->replica = true;
    c->next_copy = mm->page[primary].next_copy;
    mm->page[primary].next_copy = copy;
}

uint32_t memmap_next_replica(const struct memmap *mm, uint32_t mpfn)
{
    return mpfn < mm->npages ? mm->page[mpfn].next_copy : UINT32_MAX;
}

uint32_t memmap_copy_on(const struct memmap *mm, uint32_t primary, int node)
{
    for (uint32_t p = primary; p != UINT32_MAX; p = mm->page[p].next_copy)
        if (memmap_node(mm, p) == node)
            return p;
    return UINT32_MAX;
}

uint32_t memmap_collapse(struct memmap *mm, uint32_t primary, uint32_t keep)
{
    check_primary(mm, primary, "collapsing replicas");
    if (keep >= mm->npages || memmap_copy_on(mm, primary, memmap_node(mm, keep)) != keep)
        check_fail("memmap: collapsing page %u to %u, which is not one of its copies", primary, keep);
    uint32_t n = 0;
    uint32_t p = primary;
    while (p != UINT32_MAX) {
        uint32_t next = mm->page[p].next_copy;
        if (p == keep) {
            mm->page[p].next_copy = UINT32_MAX;
            mm->page[p].replica = false;
        } else {
            put_free(mm, p);
            n++;
        }
        p = next;
    }
    return n;
}
