/*
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

#include "disco/l2tlb.h"
#include "disco/memmap.h"
#include "disco/monitor.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "disco/vm.h"

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

void pmap_destroy(struct vm *vm)
{
    if (vm->pmap)
        for (uint32_t i = 0; i < vm->npages; i++)
            if (vm->pmap[i].mpfn != NO_PAGE)
                memmap_free(vm->mon->memmap, vm->pmap[i].mpfn);
    free(vm->pmap);
    free(vm->bm_pool);
    vm->pmap = NULL;
    vm->bm_pool = NULL;
}

/* LAB 2 BEGIN pmap_alloc */
/* Give guest page gpfn a fresh, zeroed machine page near `user`. */
static int alloc_page(struct vm *vm, struct vcpu *user, uint32_t gpfn)
{
    struct monitor *mon = vm->mon;
    uint32_t mpfn = memmap_alloc(mon->memmap, numa_home_node(mon, user));
    if (mpfn == NO_PAGE)
        return -1;
    mon->memmap->page[mpfn].vm = (int16_t)vm->id;
    mon->memmap->page[mpfn].gpfn = gpfn;
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
    return 0;
}

int pmap_lookup(struct vm *vm, struct vcpu *user, uint32_t gpfn, uint32_t *lo)
{
    if (gpfn >= vm->npages)
        return -1;
    if (vm->pmap[gpfn].mpfn == NO_PAGE && alloc_page(vm, user, gpfn) != 0)
        return -1;
    *lo = vm->pmap[gpfn].lo_template;
    return 0;
}

int pmap_merge(struct vm *vm, struct vcpu *user, uint32_t guest_lo, uint32_t *mlo)
{
    if (!(guest_lo & ENTRYLO_V)) {
        *mlo = 0;
        return 0;
    }
    uint32_t gpfn = (guest_lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
    uint32_t lo;
    if (pmap_lookup(vm, user, gpfn, &lo) != 0)
        return -1;
    /* Machine PFN from the pmap; cache attribute, D and V from the guest. */
    *mlo = (lo & ENTRYLO_PFN_MASK) | (guest_lo & (ENTRYLO_C_MASK | ENTRYLO_D | ENTRYLO_V));
    return 0;
}
/* LAB 2 END */

void pmap_backmap_add(struct vm *vm, uint32_t gpfn, int vcpu, int slot)
{
    struct backmap *b = vm->bm_free;
    if (!b || gpfn >= vm->npages)
        return; /* cannot happen: the pool has a record for every half-entry */
    vm->bm_free = b->next;
    b->vcpu = (int16_t)vcpu;
    b->slot = (int16_t)slot;
    b->next = vm->pmap[gpfn].maps;
    vm->pmap[gpfn].maps = b;
}

void pmap_backmap_remove(struct vm *vm, uint32_t gpfn, int vcpu, int slot)
{
    if (gpfn >= vm->npages)
        return;
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

/* Invalidate the hardware TLB entry matching `hi` on the CPU running vCPU v,
 * if any. Another CPU's TLB would be reached with an IPI on real hardware:
 * charged as a shootdown. */
static void hw_invalidate(struct vcpu *v, uint32_t hi)
{
    struct monitor *mon = v->vm->mon;
    if (v->pcpu < 0)
        return; /* not on a CPU: its hardware TLB entries were flushed */
    if (v->pcpu != mon->cur_cpu)
        monitor_charge(mon, mon->cost.shootdown);
    monitor_tlb_drop(mon, v->pcpu, hi);
}

/* LAB 2 BEGIN pmap_invalidate */
void pmap_invalidate(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages)
        return;
    /* Second-level TLB entries, found through the backmap. */
    while (vm->pmap[gpfn].maps) {
        struct backmap *b = vm->pmap[gpfn].maps;
        struct vcpu *v = &vm->vcpu[b->vcpu];
        const struct l2tlb_entry *e = &v->l2.e[b->slot];
        uint32_t hi = e->hi;
        l2tlb_drop_slot(v, b->slot); /* removes b (and any twin) from the list */
        hw_invalidate(v, hi);
    }
    /* The monitor's own mapping of the page in the relocated kernel
     * segment, on every CPU running one of the VM's vCPUs. */
    uint32_t kva = MIPS_KSSEG + gpfn * MIPS_PAGE_SIZE;
    for (int i = 0; i < vm->nvcpus; i++)
        hw_invalidate(&vm->vcpu[i], kva & ENTRYHI_VPN2_MASK);
}
/* LAB 2 END */

void pmap_release(struct vm *vm, uint32_t gpfn)
{
    if (gpfn >= vm->npages || vm->pmap[gpfn].mpfn == NO_PAGE)
        return;
    pmap_invalidate(vm, gpfn);
    memmap_free(vm->mon->memmap, vm->pmap[gpfn].mpfn);
    vm->pmap[gpfn].mpfn = NO_PAGE;
    vm->pmap[gpfn].lo_template = 0;
    vm->pages_allocated--;
}

/* Copy between the host and guest physical memory, page by page. */
static int copy(struct vm *vm, struct vcpu *user, uint32_t gpa, void *buf, uint32_t len, bool write)
{
    struct monitor *mon = vm->mon;
    uint8_t *p = buf;
    if ((uint64_t)gpa + len > vm->mem_bytes)
        return -1;
    while (len) {
        uint32_t lo;
        uint32_t off = gpa & (MIPS_PAGE_SIZE - 1);
        uint32_t n = MIPS_PAGE_SIZE - off < len ? MIPS_PAGE_SIZE - off : len;
        if (pmap_lookup(vm, user, gpa / MIPS_PAGE_SIZE, &lo) != 0)
            return -1;
        uint64_t ma = (uint64_t)((lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT) * MIPS_PAGE_SIZE + off;
        int rc = write ? sim_mem_write(mon->m, mon->cur_cpu, ma, p, n)
                       : sim_mem_read(mon->m, mon->cur_cpu, ma, p, n);
        if (rc != 0)
            return -1;
        gpa += n;
        p += n;
        len -= n;
    }
    return 0;
}

int pmap_read(struct vm *vm, struct vcpu *user, uint32_t gpa, void *buf, uint32_t len)
{
    return copy(vm, user, gpa, buf, len, false);
}

int pmap_write(struct vm *vm, struct vcpu *user, uint32_t gpa, const void *buf, uint32_t len)
{
    return copy(vm, user, gpa, (void *)buf, len, true);
}
