/** @file
 * pmap.c - the physical-to-machine map of each VM (lab 2).
 *
 * Paper section 4.2.2. A guest's "physical" page gpfn lives in machine page
 * pmap[gpfn].mpfn, allocated the first time the guest touches it, on the
 * node of the vCPU that touched it (numa.c decides), and zeroed so that no
 * VM ever sees another's data. Each entry holds the EntryLo the hardware
 * needs (lo_template), so a TLB write costs a table lookup and an OR, and a
 * backmap of the second-level TLB entries that hold a translation of the
 * page, so that all of them can be found when the page goes away.
 */
#include <stdlib.h>

#include "disco/abi.h"
#include "disco/check.h"
#include "disco/diskcache.h"
#include "disco/l2tlb.h"
#include "disco/memmap.h"
#include "disco/monitor.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "disco/vm.h"

const char *pmap_strerror(int status)
{
    switch (status) {
    case PMAP_OK: return "no error";
    case PMAP_NOT_VMS: return "not one of its pages";
    case PMAP_NO_MEMORY: return "out of machine memory";
    default: return "unknown pmap error";
    }
}

int pmap_init(struct vm *vm)
{
    vm->pmap = calloc(vm->npages, sizeof *vm->pmap);
    /* Each L2 TLB entry maps at most two pages: enough records for all. */
    size_t nrec = (size_t)vm->nvcpus * L2TLB_SIZE * 2;
    vm->bm_pool = calloc(nrec, sizeof *vm->bm_pool);
    if (!vm->pmap || !vm->bm_pool)
        return -1;
    for (uint32_t i = 0; i < vm->npages; i++)
        vm->pmap[i].mpfn = NO_PAGE;
    for (size_t i = 0; i < nrec; i++) {
        vm->bm_pool[i].next = vm->bm_free;
        vm->bm_free = &vm->bm_pool[i];
    }
    return 0;
}

/* Give back machine page mpfn, which a VM page named and nothing of the
 * VM maps any more: with its replicas, or for a disk cache page (shared)
 * only the VM's reference (the page goes with the last one). */
static void drop_page(struct vm *vm, uint32_t mpfn, bool shared)
{
    struct monitor *mon = vm->mon;
    if (shared) {
        if (memmap_unshare(mon->memmap, mpfn) == 0) {
            diskcache_remove(&mon->dcache, mon->memmap->page[mpfn].gpfn, mpfn);
            memmap_free(mon->memmap, mpfn);
        }
        return;
    }
    mon->numa.collapses += memmap_collapse(mon->memmap, mpfn, mpfn) > 0;
    memmap_free(mon->memmap, mpfn);
}

void pmap_destroy(struct vm *vm)
{
    if (vm->pmap)
        for (uint32_t i = 0; i < vm->npages; i++)
            if (vm->pmap[i].mpfn != NO_PAGE)
                drop_page(vm, vm->pmap[i].mpfn, vm->pmap[i].shared);
    free(vm->pmap);
    free(vm->bm_pool);
    vm->pmap = NULL;
    vm->bm_pool = NULL;
}

/* LAB 2 BEGIN pmap_lookup */
/* Give guest page gpfn a fresh, zeroed machine page near `user`. */
static int alloc_page(struct vm *vm, struct vcpu *user, uint32_t gpfn)
{
    struct monitor *mon = vm->mon;
    uint32_t mpfn = memmap_alloc(mon->memmap, numa_home_node(mon, user));
    if (mpfn == NO_PAGE)
        return PMAP_NO_MEMORY;
    memmap_set_owner(mon->memmap, mpfn, vm->id, gpfn);
    monitor_charge(mon, mon->cost.page_alloc);
    /* Zeroing goes through the cache of the CPU doing it, so it costs what
     * touching 4 KB of memory costs (the paper's DEMAND_ZERO). */
    sim_mem_zero_page(mon->m, mon->cur_cpu, (uint64_t)mpfn * MIPS_PAGE_SIZE);
    struct pmap_entry *e = &vm->pmap[gpfn];
    e->mpfn = mpfn;
    /* Cacheable (C = 3), writable and valid: the guest's own D and V bits
     * are merged in at insertion (pmap_merge). */
    e->lo_template = (mpfn << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
    if (++vm->pages_allocated > vm->pages_peak)
        vm->pages_peak = vm->pages_allocated;
    return PMAP_OK;
}

int pmap_lookup(struct vm *vm, struct vcpu *user, uint32_t gpfn, uint32_t *lo)
{
    if (gpfn >= vm->npages)
        return PMAP_NOT_VMS;
    if (vm->pmap[gpfn].mpfn == NO_PAGE) {
        int rc = alloc_page(vm, user, gpfn);
        if (rc != PMAP_OK)
            return rc;
    }
    /* The guest uses the page again: a free deferred by DMA is off. */
    vm->pmap[gpfn].free_deferred = false;
    *lo = pmap_copy_lo(vm, user, gpfn);
    return PMAP_OK;
}

int pmap_merge(struct vm *vm, struct vcpu *user, uint32_t guest_lo, uint32_t *mlo)
{
    if (!(guest_lo & ENTRYLO_V)) {
        *mlo = 0;
        return PMAP_OK;
    }
    uint32_t gpfn = (guest_lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
    uint32_t lo;
    int rc = pmap_lookup(vm, user, gpfn, &lo);
    if (rc != PMAP_OK)
        return rc;
    /* Machine PFN from the pmap; cache attribute and V from the guest; D
     * only if both allow writes (a page the monitor shares is read-only). */
    *mlo = (lo & ENTRYLO_PFN_MASK) | (guest_lo & (ENTRYLO_C_MASK | ENTRYLO_V)) |
           (guest_lo & lo & ENTRYLO_D);
    return PMAP_OK;
}
/* LAB 2 END */

/* LAB 2 BEGIN pmap_kseg_entry */
int pmap_kseg_entry(struct vcpu *v, uint32_t va, struct sim_tlb_entry *te)
{
    struct vm *vm = v->vm;
    uint32_t lo[2];
    uint32_t pair = va & ENTRYHI_VPN2_MASK;
    int touched = (int)((va >> MIPS_PAGE_SHIFT) & 1);
    for (int h = 0; h < 2; h++) {
        uint32_t page = pair + (uint32_t)h * MIPS_PAGE_SIZE;
        uint32_t gpfn = (page - MIPS_KSSEG) / MIPS_PAGE_SIZE;
        lo[h] = 0;
        if (page == MC_HALPAGE && vm->mon->cfg.halpage) {
            lo[h] = (v->halpage << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
        } else if (gpfn < vm->npages && page < MC_HALPAGE && h == touched) {
            int rc = pmap_lookup(vm, v, gpfn, &lo[h]);
            if (rc != PMAP_OK)
                return rc;
        } else if (gpfn < vm->npages && page < MC_HALPAGE && vm->pmap[gpfn].mpfn != NO_PAGE &&
                   !vm->pmap[gpfn].free_deferred) {
            /* The other half only if it has a machine page already: the
             * guest has not touched it, and may never (a free page). An
             * access to it later hits the invalid half and comes back here. */
            lo[h] = pmap_copy_lo(vm, v, gpfn);
        }
    }
    if (!lo[(va >> MIPS_PAGE_SHIFT) & 1])
        return PMAP_NOT_VMS;
    *te = (struct sim_tlb_entry){pair, lo[0] | ENTRYLO_G, lo[1] | ENTRYLO_G, 0};
    return PMAP_OK;
}
/* LAB 2 END */

/* LAB 2 BEGIN pmap_backmap */
void pmap_backmap_add(struct vm *vm, uint32_t gpfn, int vcpu, int slot)
{
    struct backmap *b = vm->bm_free;
    if (gpfn >= vm->npages)
        check_fail("backmap: VM %s has no page %u (L2 TLB slot %d of vCPU %d)", vm->name, gpfn, slot, vcpu);
    if (!b)
        check_fail("backmap: VM %s is out of backmap records (one per half of every L2 TLB entry)",
                   vm->name);
    vm->bm_free = b->next;
    b->vcpu = (int16_t)vcpu;
    b->slot = (int16_t)slot;
    b->next = vm->pmap[gpfn].maps;
    vm->pmap[gpfn].maps = b;
}

void pmap_backmap_remove(struct vm *vm, uint32_t gpfn, int vcpu, int slot)
{
    if (gpfn < vm->npages) {
        for (struct backmap **pp = &vm->pmap[gpfn].maps; *pp; pp = &(*pp)->next) {
            struct backmap *b = *pp;
            if (b->vcpu == vcpu && b->slot == slot) {
                *pp = b->next;
                b->next = vm->bm_free;
                vm->bm_free = b;
                return;
            }
        }
    }
    check_fail("backmap: VM %s page %u has no record of vCPU %d's L2 TLB slot %d", vm->name, gpfn, vcpu,
               slot);
}
/* LAB 2 END */

/* Invalidate the kernel-segment entry `hi` on the CPU running vCPU v, if
 * any (on another CPU, by a shootdown: monitor.h). */
static void kseg_invalidate(struct vcpu *v, uint32_t hi)
{
    if (v->pcpu < 0)
        return; /* not on a CPU: its hardware TLB entries were flushed */
    monitor_shootdown(v->vm->mon, v->pcpu, hi);
}

/* LAB 2 BEGIN pmap_invalidate */
void pmap_invalidate(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages)
        return;
    /* Second-level TLB entries, found through the backmap; dropping a slot
     * removes its records (and any twin) from the list, and its hardware
     * copy. */
    while (vm->pmap[gpfn].maps) {
        struct backmap *b = vm->pmap[gpfn].maps;
        l2tlb_drop_slot(&vm->vcpu[b->vcpu], b->slot);
        if (vm->pmap[gpfn].maps == b)
            check_fail("backmap: VM %s page %u lists vCPU %d's L2 TLB slot %d, which does not map it",
                       vm->name, gpfn, b->vcpu, b->slot);
    }
    /* The monitor's own mapping of the page in the relocated kernel
     * segment, on every CPU running one of the VM's vCPUs. */
    uint32_t kva = MIPS_KSSEG + gpfn * MIPS_PAGE_SIZE;
    for (int i = 0; i < vm->nvcpus; i++)
        kseg_invalidate(&vm->vcpu[i], kva & ENTRYHI_VPN2_MASK);
}
/* LAB 2 END */

uint32_t pmap_copy_lo(const struct vm *vm, const struct vcpu *user, uint32_t gpfn)
{
    const struct pmap_entry *p = &vm->pmap[gpfn];
    const struct memmap *mm = vm->mon->memmap;
    if (memmap_next_replica(mm, p->mpfn) == NO_PAGE)
        return p->lo_template;
    uint32_t near = memmap_copy_on(mm, p->mpfn, numa_home_node(vm->mon, user));
    if (near == NO_PAGE)
        return p->lo_template;
    return (p->lo_template & ~ENTRYLO_PFN_MASK) | (near << ENTRYLO_PFN_SHIFT);
}

bool pmap_replicated(const struct vm *vm, uint32_t gpfn)
{
    return gpfn < vm->npages && vm->pmap[gpfn].mpfn != NO_PAGE &&
           memmap_next_replica(vm->mon->memmap, vm->pmap[gpfn].mpfn) != NO_PAGE;
}

void pmap_remap(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages)
        return;
    /* Each L2 TLB entry of the page, merged again for its own vCPU (which
     * gets the copy on its node); its hardware copy goes. */
    for (struct backmap *b = vm->pmap[gpfn].maps; b; b = b->next)
        l2tlb_refresh_slot(&vm->vcpu[b->vcpu], b->slot);
    /* The monitor's own mapping of the page in the relocated kernel
     * segment is refilled on the next miss. */
    uint32_t kva = MIPS_KSSEG + gpfn * MIPS_PAGE_SIZE;
    for (int i = 0; i < vm->nvcpus; i++)
        kseg_invalidate(&vm->vcpu[i], kva & ENTRYHI_VPN2_MASK);
}

/* VM page gpfn maps a disk cache page: give it a private, writable copy
 * (the copy-on-write fault of the paper's section 4.2.5). */
static int unshare(struct vm *vm, struct vcpu *user, uint32_t gpfn)
{
    struct monitor *mon = vm->mon;
    struct pmap_entry *e = &vm->pmap[gpfn];
    uint32_t mine = memmap_alloc(mon->memmap, numa_home_node(mon, user));
    if (mine == NO_PAGE)
        return PMAP_NO_MEMORY;
    memmap_set_owner(mon->memmap, mine, vm->id, gpfn);
    monitor_charge(mon, mon->cost.page_alloc);
    sim_mem_copy_page(mon->m, mon->cur_cpu, (uint64_t)mine * MIPS_PAGE_SIZE, (uint64_t)e->mpfn * MIPS_PAGE_SIZE);
    uint32_t old = e->mpfn;
    e->mpfn = mine;
    e->lo_template = (e->lo_template & ~ENTRYLO_PFN_MASK) | (mine << ENTRYLO_PFN_SHIFT) | ENTRYLO_D;
    e->shared = false;
    vm->cow_faults++;
    pmap_remap(vm, gpfn);
    /* The cache page loses this VM's reference only now that nothing of
     * the VM maps it. */
    drop_page(vm, old, true);
    return PMAP_OK;
}

int pmap_make_writable(struct vm *vm, struct vcpu *user, uint32_t gpfn)
{
    uint32_t lo;
    int rc = pmap_lookup(vm, user, gpfn, &lo);
    if (rc != PMAP_OK)
        return rc;
    if (vm->pmap[gpfn].shared)
        return unshare(vm, user, gpfn);
    if (pmap_replicated(vm, gpfn))
        numa_collapse(vm, user, gpfn);
    return PMAP_OK;
}

void pmap_share(struct vm *vm, uint32_t gpfn, uint32_t mpfn)
{
    struct monitor *mon = vm->mon;
    struct pmap_entry *e = &vm->pmap[gpfn];
    if (gpfn >= vm->npages || e->pins || pmap_replicated(vm, gpfn) || !mon->memmap->page[mpfn].shared)
        check_fail("pmap: VM %s page %u cannot map shared page %u", vm->name, gpfn, mpfn);
    uint32_t old = e->mpfn;
    bool old_shared = e->shared;
    memmap_share(mon->memmap, mpfn);
    e->mpfn = mpfn;
    e->lo_template = (mpfn << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_V;
    e->shared = true;
    e->free_deferred = false;
    pmap_remap(vm, gpfn);
    if (old == NO_PAGE) {
        if (++vm->pages_allocated > vm->pages_peak)
            vm->pages_peak = vm->pages_allocated;
    } else {
        drop_page(vm, old, old_shared);
    }
}

void pmap_move(struct vm *vm, struct vcpu *user, uint32_t src, uint32_t dst)
{
    if (src >= vm->npages || dst >= vm->npages || vm->pmap[src].pins || vm->pmap[dst].pins)
        check_fail("pmap: VM %s cannot move page %u to %u (out of range or under DMA)", vm->name, src, dst);
    if (src == dst)
        return;
    struct pmap_entry *s = &vm->pmap[src], *d = &vm->pmap[dst];
    /* A replicated page moves as its one primary copy. */
    if (pmap_replicated(vm, src))
        numa_collapse(vm, user, src);
    pmap_release(vm, dst);
    if (s->mpfn == NO_PAGE)
        return; /* src was a zero page: dst is one now too */
    /* Nothing may reach the page through src any more: afterwards only
     * dst's translations, made on demand, name it. */
    pmap_invalidate(vm, src);
    d->mpfn = s->mpfn;
    d->lo_template = s->lo_template;
    d->shared = s->shared;
    d->write_shared = s->write_shared;
    d->moves = s->moves;
    d->moved_at = s->moved_at;
    d->free_deferred = false;
    if (!s->shared)
        memmap_set_owner(vm->mon->memmap, s->mpfn, vm->id, dst);
    *s = (struct pmap_entry){.mpfn = NO_PAGE};
}

bool pmap_cache(struct vm *vm, uint32_t gpfn, int mdisk, uint32_t block)
{
    struct monitor *mon = vm->mon;
    struct pmap_entry *e = &vm->pmap[gpfn];
    if (gpfn >= vm->npages || e->mpfn == NO_PAGE || e->shared || e->free_deferred || e->pins ||
        pmap_replicated(vm, gpfn) || diskcache_lookup(&mon->dcache, mdisk, block) != NO_PAGE)
        return false;
    uint32_t slot = diskcache_insert(&mon->dcache, mdisk, block, e->mpfn);
    memmap_set_shared(mon->memmap, e->mpfn, slot);
    e->lo_template &= ~ENTRYLO_D;
    e->shared = true;
    pmap_remap(vm, gpfn);
    return true;
}

bool pmap_write_fault(struct vcpu *v, const struct sim_exception *e)
{
    struct vm *vm = v->vm;
    uint32_t va = e->badvaddr;
    uint32_t gpfn;
    if (va >= MIPS_KSSEG && va < MIPS_KSEG3) {
        /* The monitor maps the kernel segment writable unless replicated. */
        gpfn = (va - MIPS_KSSEG) / MIPS_PAGE_SIZE;
    } else {
        const struct l2tlb_entry *l2 = l2tlb_lookup(v, va, v->cp0.entryhi & ENTRYHI_ASID_MASK);
        int h = (va >> MIPS_PAGE_SHIFT) & 1;
        if (!l2 || !(l2->glo[h] & ENTRYLO_D))
            return false; /* the guest's own entry is read-only */
        gpfn = l2->gpfn[h];
    }
    if (gpfn >= vm->npages || (!vm->pmap[gpfn].shared && !pmap_replicated(vm, gpfn)))
        return false;
    if (pmap_make_writable(vm, v, gpfn) != PMAP_OK)
        vm_stop(vm, "%s (a write to a shared page at 0x%08x)", pmap_strerror(PMAP_NO_MEMORY), va);
    return true;
}

bool pmap_release(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages || vm->pmap[gpfn].mpfn == NO_PAGE)
        return true;
    pmap_invalidate(vm, gpfn);
    if (vm->pmap[gpfn].pins) {
        /* Under DMA: the transfer must not reach a page given away. The
         * page goes when the transfer is over (pmap_unpin), unless the
         * guest uses it again first (pmap_lookup). */
        vm->pmap[gpfn].free_deferred = true;
        return false;
    }
    /* Its replicas go with it (pmap_invalidate dropped every mapping). */
    drop_page(vm, vm->pmap[gpfn].mpfn, vm->pmap[gpfn].shared);
    vm->pmap[gpfn].mpfn = NO_PAGE;
    vm->pmap[gpfn].shared = false;
    vm->pmap[gpfn].lo_template = 0;
    vm->pmap[gpfn].write_shared = false;
    vm->pmap[gpfn].moves = 0;
    vm->pages_allocated--;
    return true;
}

void pmap_pin(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages || vm->pmap[gpfn].mpfn == NO_PAGE)
        check_fail("pmap: pinning page %u of VM %s, which has no machine page", gpfn, vm->name);
    vm->pmap[gpfn].pins++;
}

void pmap_unpin(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages || vm->pmap[gpfn].pins == 0)
        check_fail("pmap: unpinning page %u of VM %s, which is not pinned", gpfn, vm->name);
    if (--vm->pmap[gpfn].pins == 0 && vm->pmap[gpfn].free_deferred) {
        vm->pmap[gpfn].free_deferred = false;
        pmap_release(vm, gpfn);
    }
}

/* Copy between the host and guest physical memory, page by page. A read
 * of a page the guest never used gives zeros without allocating one. */
static int copy(struct vm *vm, struct vcpu *user, uint32_t gpa, void *buf, uint32_t len, bool write)
{
    struct monitor *mon = vm->mon;
    uint8_t *p = buf;
    if ((uint64_t)gpa + len > vm->mem_bytes)
        return PMAP_NOT_VMS;
    while (len) {
        uint32_t lo;
        uint32_t off = gpa & (MIPS_PAGE_SIZE - 1);
        uint32_t n = MIPS_PAGE_SIZE - off < len ? MIPS_PAGE_SIZE - off : len;
        uint32_t gpfn = gpa / MIPS_PAGE_SIZE;
        if (!write && vm->pmap[gpfn].mpfn == NO_PAGE) {
            for (uint32_t k = 0; k < n; k++)
                p[k] = 0;
        } else {
            /* A write goes to the one copy (replicas collapse first). */
            int rc = write ? pmap_make_writable(vm, user, gpfn) : PMAP_OK;
            if (rc == PMAP_OK)
                rc = pmap_lookup(vm, user, gpfn, &lo);
            if (rc != PMAP_OK)
                return rc;
            uint64_t ma = (uint64_t)((lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT) * MIPS_PAGE_SIZE + off;
            int r = write ? sim_mem_write(mon->m, mon->cur_cpu, ma, p, n)
                          : sim_mem_read(mon->m, mon->cur_cpu, ma, p, n);
            if (r != 0)
                check_fail("pmap: VM %s page %u is machine page %u, outside machine memory", vm->name,
                           gpfn, (unsigned)(ma / MIPS_PAGE_SIZE));
        }
        gpa += n;
        p += n;
        len -= n;
    }
    return PMAP_OK;
}

int pmap_read(struct vm *vm, struct vcpu *user, uint32_t gpa, void *buf, uint32_t len)
{
    return copy(vm, user, gpa, buf, len, false);
}

int pmap_write(struct vm *vm, struct vcpu *user, uint32_t gpa, const void *buf, uint32_t len)
{
    return copy(vm, user, gpa, (void *)buf, len, true);
}
