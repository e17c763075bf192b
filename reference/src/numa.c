/** @file
 * numa.c - NUMA memory management: first-touch placement, and the page
 * migration and replication policy and mechanism (lab 3).
 *
 * Paper section 4.2.3; numa.h says what each function must do. The shape
 * of every move is the same, and its order is what keeps VMs and the
 * guest safe:
 *
 *   1. take a page on the target node (nothing changes if there is none);
 *   2. copy the contents, through this CPU's cache (sim_mem_copy_page);
 *   3. change the pmap (and the memmap: memmap.h) to the new state;
 *   4. pmap_remap(): every L2 TLB entry of the page is merged again from
 *      the pmap and every hardware copy of it, on whatever CPU, is dropped
 *      (shootdowns: monitor_shootdown());
 *   5. only now free what is no longer used.
 *
 * No guest instruction runs while the monitor handles a trap (the
 * simulator runs one CPU at a time), so the page cannot change between 2
 * and 4; on real hardware Disco first downgrades or drops the mappings
 * and then copies, which the paper describes. Timing is charged as the
 * real thing would cost: the copy through the cache and the NUMA model,
 * the shootdowns on both CPUs, and the policy's own work.
 */
#include "disco/memmap.h"
#include "disco/monitor.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "disco/trace.h"
#include "disco/vm.h"

int numa_home_node(const struct monitor *mon, const struct vcpu *user)
{
    (void)mon;
    return user ? user->home_node : 0;
}

void numa_init(struct monitor *mon)
{
    uint32_t pfn;
    int node;
    sim_magic_reset(mon->m, UINT32_MAX);
    while (sim_magic_pop(mon->m, &pfn, &node))
        ; /* records of misses before now (the loader's, say) are stale */
}

/* Machine address of machine page p. */
static uint64_t page_addr(uint32_t p)
{
    return (uint64_t)p * MIPS_PAGE_SIZE;
}

/* The CPU doing the work: the one whose trap this is (0 between traps). */
static int this_cpu(const struct monitor *mon)
{
    return mon->cur_cpu >= 0 ? mon->cur_cpu : 0;
}

/* LAB 3 BEGIN numa_decide */
enum numa_action numa_decide(const struct numa_config *cfg, const struct numa_page *p, int node)
{
    if (!p->movable)
        return NUMA_STAY_BUSY;
    if (p->copies & (1u << node))
        return NUMA_STAY_LOCAL; /* a conflict or capacity miss: moving cannot help */
    if (p->misses[node] == 0)
        return NUMA_STAY_STALE; /* queued before the page's last decision */
    if (cfg->max_moves && p->moves >= cfg->max_moves)
        return NUMA_STAY_CAPPED; /* no page ping-pongs for ever */
    if (p->since_move < cfg->freeze)
        return NUMA_STAY_FROZEN; /* nor back and forth between two misses */
    uint64_t total = 0;
    for (int n = 0; n < p->nnodes; n++)
        total += p->misses[n];
    bool one_copy = (p->copies & (p->copies - 1)) == 0;
    if ((uint64_t)p->misses[node] * 100 >= (uint64_t)cfg->migrate_share * total) {
        /* Mostly this node's: move it here. A replicated page is read-only
         * everywhere; one more replica serves the node as well. */
        if (one_copy)
            return NUMA_MIGRATE;
        return cfg->replicate ? NUMA_REPLICATE : NUMA_STAY_SHARED;
    }
    /* Several nodes miss on it: a copy each, unless it is written. */
    if (cfg->replicate && !p->write_shared)
        return NUMA_REPLICATE;
    return NUMA_STAY_SHARED;
}
/* LAB 3 END */

/* LAB 3 BEGIN numa_migrate */
int numa_migrate(struct vm *vm, uint32_t gpfn, int node)
{
    struct monitor *mon = vm->mon;
    struct pmap_entry *e = &vm->pmap[gpfn];
    int cpu = this_cpu(mon);
    uint64_t start = sim_cpu_cycles(mon->m, cpu);
    uint32_t old = e->mpfn;
    uint32_t new = memmap_alloc_on(mon->memmap, node);
    if (new == NO_PAGE)
        return PMAP_NO_MEMORY;
    memmap_set_owner(mon->memmap, new, vm->id, gpfn);
    monitor_charge(mon, mon->cost.page_alloc);
    sim_mem_copy_page(mon->m, cpu, page_addr(new), page_addr(old));
    /* The pmap names the new page, with the same attributes. */
    e->mpfn = new;
    e->lo_template = (e->lo_template & ~ENTRYLO_PFN_MASK) | (new << ENTRYLO_PFN_SHIFT);
    e->moves++;
    e->moved_at = sim_now(mon->m);
    pmap_remap(vm, gpfn);
    memmap_free(mon->memmap, old);
    mon->numa.migrations++;
    mon->numa.migrate_cycles += sim_cpu_cycles(mon->m, cpu) - start;
    return PMAP_OK;
}
/* LAB 3 END */

/* LAB 3 BEGIN numa_replicate */
int numa_replicate(struct vm *vm, uint32_t gpfn, int node)
{
    struct monitor *mon = vm->mon;
    struct pmap_entry *e = &vm->pmap[gpfn];
    int cpu = this_cpu(mon);
    uint64_t start = sim_cpu_cycles(mon->m, cpu);
    uint32_t copy = memmap_alloc_on(mon->memmap, node);
    if (copy == NO_PAGE)
        return PMAP_NO_MEMORY;
    monitor_charge(mon, mon->cost.page_alloc);
    sim_mem_copy_page(mon->m, cpu, page_addr(copy), page_addr(e->mpfn));
    memmap_add_replica(mon->memmap, e->mpfn, copy);
    /* Every copy read-only: a write must come to the monitor first. */
    e->lo_template &= ~ENTRYLO_D;
    e->moves++;
    e->moved_at = sim_now(mon->m);
    pmap_remap(vm, gpfn);
    mon->numa.replications++;
    mon->numa.replicate_cycles += sim_cpu_cycles(mon->m, cpu) - start;
    return PMAP_OK;
}
/* LAB 3 END */

/* LAB 3 BEGIN numa_collapse */
void numa_collapse(struct vm *vm, struct vcpu *user, uint32_t gpfn)
{
    struct monitor *mon = vm->mon;
    struct pmap_entry *e = &vm->pmap[gpfn];
    int cpu = this_cpu(mon);
    uint64_t start = sim_cpu_cycles(mon->m, cpu);
    uint32_t primary = e->mpfn;
    /* Keep the writer's own copy; a page under DMA keeps the primary, the
     * page the transfer uses. */
    uint32_t keep = memmap_copy_on(mon->memmap, primary, numa_home_node(mon, user));
    if (keep == NO_PAGE || e->pins)
        keep = primary;
    /* The pmap names the one copy, writable again. The memmap collapses
     * first, so that the re-merge sees one copy; the freed replicas cannot
     * be handed out before pmap_remap() dropped every mapping of them,
     * since nothing allocates in between. */
    e->mpfn = keep;
    e->lo_template = (e->lo_template & ~ENTRYLO_PFN_MASK) | (keep << ENTRYLO_PFN_SHIFT) | ENTRYLO_D;
    e->write_shared = true;
    memmap_collapse(mon->memmap, primary, keep);
    pmap_remap(vm, gpfn);
    mon->numa.collapses++;
    mon->numa.collapse_cycles += sim_cpu_cycles(mon->m, cpu) - start;
}
/* LAB 3 END */

/* LAB 3 BEGIN numa_hot_page */
/* What the policy knows about VM page gpfn: counters of all its copies. */
static struct numa_page page_view(struct monitor *mon, struct vm *vm, uint32_t gpfn)
{
    const struct memmap *mm = mon->memmap;
    const struct pmap_entry *e = &vm->pmap[gpfn];
    struct numa_page p = {
        .nnodes = mm->nnodes,
        .movable = e->pins == 0,
        .write_shared = e->write_shared,
        .moves = e->moves,
        .since_move = e->moves ? sim_now(mon->m) - e->moved_at : UINT64_MAX,
    };
    for (uint32_t c = e->mpfn; c != NO_PAGE; c = memmap_next_replica(mm, c)) {
        p.copies |= 1u << memmap_node(mm, c);
        for (int n = 0; n < mm->nnodes; n++)
            p.misses[n] += sim_magic_count(mon->m, c, n);
    }
    return p;
}

/* Start every copy of VM page gpfn's counters afresh. */
static void reset_counters(struct monitor *mon, struct vm *vm, uint32_t gpfn)
{
    const struct memmap *mm = mon->memmap;
    uint32_t primary = vm->pmap[gpfn].mpfn;
    if (primary == NO_PAGE)
        return;
    sim_magic_reset(mon->m, primary);
    for (uint32_t c = memmap_next_replica(mm, primary); c != NO_PAGE; c = memmap_next_replica(mm, c))
        sim_magic_reset(mon->m, c);
}

void numa_hot_page(struct monitor *mon, uint32_t pfn, int node)
{
    const struct memmap *mm = mon->memmap;
    struct numa_stats *st = &mon->numa;
    const struct memmap_entry *me = pfn < mm->npages ? &mm->page[pfn] : NULL;
    struct vm *vm = me && !me->free && me->vm >= 0 && me->vm < mon->nvms ? mon->vm[me->vm] : NULL;
    if (me && me->monitor) {
        /* The monitor's own page: never moved. Its counters are not reset,
         * so it is not queued again: the monitor's misses while it handles
         * this interrupt would otherwise raise the next one, for ever, at
         * a threshold of 1. */
        st->left_busy++;
        return;
    }
    if (!vm || vm->halted || me->gpfn >= vm->npages || vm->pmap[me->gpfn].mpfn == NO_PAGE) {
        /* Stale: a page freed (or moved) since it was queued, a VM gone. */
        sim_magic_reset(mon->m, pfn);
        return;
    }
    uint32_t gpfn = me->gpfn;
    monitor_charge(mon, mon->cost.numa_decide);
    struct numa_page view = page_view(mon, vm, gpfn);
    int rc = PMAP_OK;
    /* Counters start afresh after a decision, so the next one sees the
     * misses since. Not for a page already local to the node or at its
     * cap: nothing can change for it, and re-arming it would only raise
     * the interrupt again at the node's next miss -- at a threshold of 1,
     * after every interrupt, since handling one evicts lines. */
    bool rearm = true;
    switch (numa_decide(&mon->cfg.numa, &view, node)) {
    case NUMA_MIGRATE: rc = numa_migrate(vm, gpfn, node); break;
    case NUMA_REPLICATE: rc = numa_replicate(vm, gpfn, node); break;
    case NUMA_STAY_LOCAL: rearm = false; break;
    case NUMA_STAY_STALE: break;
    case NUMA_STAY_SHARED: st->left_shared++; break;
    case NUMA_STAY_CAPPED: st->left_capped++; rearm = false; break;
    case NUMA_STAY_FROZEN: st->left_frozen++; break;
    case NUMA_STAY_BUSY: st->left_busy++; break;
    }
    if (rc == PMAP_NO_MEMORY)
        st->left_no_memory++;
    if (rearm)
        reset_counters(mon, vm, gpfn);
}

/* LAB 3 END */

void numa_hot_pages(struct monitor *mon, int cpu)
{
    uint32_t pfn;
    int node;
    while (sim_magic_pop(mon->m, &pfn, &node)) {
        mon->numa.hot_records++;
        if (!mon->cfg.numa.on)
            continue;
        uint64_t m = mon->numa.migrations, r = mon->numa.replications;
        numa_hot_page(mon, pfn, node);
        if (mon->trace && (mon->numa.migrations != m || mon->numa.replications != r)) {
            char what[64];
            snprintf(what, sizeof what, "machine page %u, to node %d", pfn, node);
            trace_instant(mon, cpu, "numa", mon->numa.migrations != m ? "migration" : "replication", what);
        }
    }
}


const struct numa_stats *numa_stats(const struct monitor *mon)
{
    return &mon->numa;
}
