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
            mm->page[p] = (struct memmap_entry){.vm = -1, .free = true, .next_free = mm->free_head[n]};
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

uint32_t memmap_alloc(struct memmap *mm, int node)
{
    for (int i = 0; i < mm->nnodes; i++) {
        int n = (node + i) % mm->nnodes;
        uint32_t p = mm->free_head[n];
        if (p == UINT32_MAX)
            continue;
        mm->free_head[n] = mm->page[p].next_free;
        mm->free_count[n]--;
        mm->page[p].next_free = UINT32_MAX;
        mm->page[p].free = false;
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

void memmap_free(struct memmap *mm, uint32_t mpfn)
{
    if (mpfn >= mm->npages)
        check_fail("memmap: freeing machine page %u, beyond the machine's %u pages", mpfn, mm->npages);
    if (mm->page[mpfn].free)
        check_fail("memmap: machine page %u freed twice (it is already free)", mpfn);
    int n = (int)(mpfn / mm->pages_per_node);
    mm->page[mpfn] = (struct memmap_entry){.vm = -1, .free = true, .next_free = mm->free_head[n]};
    mm->free_head[n] = mpfn;
    mm->free_count[n]++;
}

uint32_t memmap_free_pages(const struct memmap *mm)
{
    uint32_t total = 0;
    for (int n = 0; n < mm->nnodes; n++)
        total += mm->free_count[n];
    return total;
}
