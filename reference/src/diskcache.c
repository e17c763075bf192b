/** @file
 * diskcache.c - the global disk cache's index (diskcache.h): an
 * open-addressing hash table of (machine disk, block) with linear probing
 * and tombstones. The table has at least twice as many slots as the
 * machine has pages, and every cached block holds a machine page, so it
 * never fills.
 */
#include <stdlib.h>

#include "disco/check.h"
#include "disco/diskcache.h"

#define EMPTY (-1)   /**< a slot never used */
#define DELETED (-2) /**< a slot whose block left the cache (probes go on past it) */

static uint32_t hash(int mdisk, uint32_t block, uint32_t cap)
{
    uint64_t h = ((uint64_t)(uint32_t)mdisk << 32 | block) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) & (cap - 1);
}

int diskcache_init(struct diskcache *dc, uint32_t npages)
{
    uint32_t cap = 16;
    while (cap < 2 * npages)
        cap *= 2;
    *dc = (struct diskcache){.cap = cap};
    dc->slot = malloc(cap * sizeof *dc->slot);
    if (!dc->slot)
        return -1;
    for (uint32_t i = 0; i < cap; i++)
        dc->slot[i] = (struct diskcache_slot){.mdisk = EMPTY, .mpfn = NO_PAGE};
    return 0;
}

void diskcache_fini(struct diskcache *dc)
{
    free(dc->slot);
    dc->slot = NULL;
}

uint32_t diskcache_lookup(const struct diskcache *dc, int mdisk, uint32_t block)
{
    for (uint32_t i = hash(mdisk, block, dc->cap), n = 0; n < dc->cap; i = (i + 1) & (dc->cap - 1), n++) {
        const struct diskcache_slot *s = &dc->slot[i];
        if (s->mdisk == EMPTY)
            return NO_PAGE;
        if (s->mdisk == mdisk && s->block == block)
            return s->mpfn;
    }
    return NO_PAGE;
}

uint32_t diskcache_insert(struct diskcache *dc, int mdisk, uint32_t block, uint32_t mpfn)
{
    if (diskcache_lookup(dc, mdisk, block) != NO_PAGE)
        check_fail("diskcache: block %u of disk %d cached twice", block, mdisk);
    for (uint32_t i = hash(mdisk, block, dc->cap);; i = (i + 1) & (dc->cap - 1)) {
        struct diskcache_slot *s = &dc->slot[i];
        if (s->mdisk == EMPTY || s->mdisk == DELETED) {
            *s = (struct diskcache_slot){.mdisk = mdisk, .block = block, .mpfn = mpfn};
            dc->used++;
            return i;
        }
    }
}

void diskcache_remove(struct diskcache *dc, uint32_t slot, uint32_t mpfn)
{
    if (slot >= dc->cap || dc->slot[slot].mdisk < 0 || dc->slot[slot].mpfn != mpfn)
        check_fail("diskcache: slot %u does not cache machine page %u", slot, mpfn);
    dc->slot[slot] = (struct diskcache_slot){.mdisk = DELETED, .mpfn = NO_PAGE};
    dc->used--;
}
