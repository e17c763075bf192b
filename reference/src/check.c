/** @file
 * check.c - the monitor's invariants (check.h), walked and compared.
 *
 * Isolation rests on one promise (paper section 4.2.2): a VM reaches a
 * machine page only through a translation the monitor made from its pmap,
 * and the monitor can find every such translation again when the page
 * leaves the VM. These checks test that promise directly, by reading the
 * real hardware TLBs through the host API and matching each entry against
 * the L2 TLB entry and the backmap that should cover it. They are slow
 * (a walk of every TLB and pmap) and change nothing, so they cost no
 * simulated time and cannot change a run's result, only stop a broken one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "disco/abi.h"
#include "disco/check.h"
#include "disco/memmap.h"
#include "disco/monitor.h"

void check_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("disco: invariant violated: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stdout);
    abort();
}

/* Record the first problem in why; returns -1 so callers can return it. */
static int bad(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static uint32_t pfn_of(uint32_t lo)
{
    return (lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
}

static bool backmap_has(const struct vm *vm, uint32_t gpfn, int vcpu, int slot)
{
    for (const struct backmap *b = vm->pmap[gpfn].maps; b; b = b->next)
        if (b->vcpu == vcpu && b->slot == slot)
            return true;
    return false;
}

/* ---- hardware TLBs (invariants 1-3) ----------------------------------------- */

/* Is machine page pfn a copy of VM page gpfn: the page itself or one of
 * its replicas (numa.h)? */
static bool is_copy(const struct vm *vm, uint32_t gpfn, uint32_t pfn)
{
    const struct memmap *mm = vm->mon->memmap;
    uint32_t primary = vm->pmap[gpfn].mpfn;
    return primary != NO_PAGE && pfn < mm->npages &&
           memmap_copy_on(mm, primary, memmap_node(mm, pfn)) == pfn;
}

/* Does the VM's page gpfn have replicas, or is it a disk cache page other
 * VMs may map? Then nothing may write it. */
static bool replicated(const struct vm *vm, uint32_t gpfn)
{
    return vm->pmap[gpfn].mpfn != NO_PAGE &&
           (vm->pmap[gpfn].shared || memmap_next_replica(vm->mon->memmap, vm->pmap[gpfn].mpfn) != NO_PAGE);
}

/* A global entry in the relocated kernel segment: the pmap's pages. */
static int check_kseg(const struct monitor *mon, const struct vcpu *v, int cpu, int i,
                      const struct sim_tlb_entry *te, char *why, size_t len)
{
    const struct vm *vm = v->vm;
    uint32_t lo[2] = {te->entrylo0, te->entrylo1};
    uint32_t pair = te->entryhi & ENTRYHI_VPN2_MASK;
    if (!(lo[0] & lo[1] & ENTRYLO_G))
        return bad(why, len, "cpu %d TLB entry %d maps the kernel segment at 0x%08x without G", cpu, i,
                   pair);
    for (int h = 0; h < 2; h++) {
        if (!(lo[h] & ENTRYLO_V))
            continue;
        uint32_t page = pair + (uint32_t)h * MIPS_PAGE_SIZE;
        uint32_t gpfn = (page - MIPS_KSSEG) / MIPS_PAGE_SIZE;
        uint32_t want;
        bool ok;
        if (page == MC_HALPAGE && mon->cfg.halpage) {
            want = v->halpage;
            ok = pfn_of(lo[h]) == want;
        } else if (page < MC_HALPAGE && gpfn < vm->npages) {
            want = vm->pmap[gpfn].mpfn;
            ok = is_copy(vm, gpfn, pfn_of(lo[h]));
            if (ok && (lo[h] & ENTRYLO_D) && replicated(vm, gpfn))
                return bad(why, len, "cpu %d TLB entry %d maps 0x%08x of VM %s writable, but the page is "
                           "replicated (replicas are read-only)", cpu, i, page, vm->name);
        } else {
            return bad(why, len, "cpu %d TLB entry %d maps 0x%08x, beyond VM %s's memory", cpu, i, page,
                       vm->name);
        }
        if (!ok)
            return bad(why, len,
                       "cpu %d TLB entry %d maps 0x%08x of VM %s to machine page %u, but its page is %u "
                       "(a stale kernel-segment entry)",
                       cpu, i, page, vm->name, pfn_of(lo[h]), want);
    }
    return 0;
}

/* Does L2 entry s of v cover hardware entry te completely? */
static bool covers(const struct vcpu *v, int s, const struct sim_tlb_entry *te)
{
    const struct l2tlb_entry *e = &v->l2.e[s];
    bool g = (te->entrylo0 & te->entrylo1 & ENTRYLO_G) != 0;
    if (!e->valid || ((e->hi ^ te->entryhi) & ENTRYHI_VPN2_MASK) || e->global != g ||
        (!g && ((e->hi ^ te->entryhi) & ENTRYHI_ASID_MASK)))
        return false;
    uint32_t lo[2] = {te->entrylo0, te->entrylo1};
    for (int h = 0; h < 2; h++) {
        if (!(lo[h] & ENTRYLO_V))
            continue;
        uint32_t gpfn = e->gpfn[h];
        if (!(e->mlo[h] & ENTRYLO_V) || pfn_of(e->mlo[h]) != pfn_of(lo[h]) || gpfn == NO_PAGE ||
            gpfn >= v->vm->npages)
            return false;
        if ((lo[h] & ENTRYLO_D) && !(e->mlo[h] & ENTRYLO_D))
            return false; /* more write permission than the guest and the pmap gave */
        if (!is_copy(v->vm, gpfn, pfn_of(lo[h])) || !backmap_has(v->vm, gpfn, v->id, s))
            return false;
    }
    return true;
}

int check_tlb(struct monitor *mon, int cpu, char *why, size_t len)
{
    const struct vcpu *v = mon->pcpu[cpu].cur;
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++) {
        struct sim_tlb_entry te;
        sim_tlb_read(mon->m, cpu, i, &te);
        if (!((te.entrylo0 | te.entrylo1) & ENTRYLO_V))
            continue; /* reaches no memory */
        uint32_t pair = te.entryhi & ENTRYHI_VPN2_MASK;
        if (!v)
            return bad(why, len, "cpu %d runs no vCPU, yet its TLB entry %d (EntryHi 0x%08x) is valid",
                       cpu, i, te.entryhi);
        if (pair >= MIPS_KSSEG && pair < MIPS_KSEG3) {
            if (check_kseg(mon, v, cpu, i, &te, why, len) != 0)
                return -1;
            continue;
        }
        if (pair >= MIPS_KUSEG_END)
            return bad(why, len, "cpu %d TLB entry %d (EntryHi 0x%08x) is in an unmapped segment", cpu,
                       i, te.entryhi);
        bool ok = false;
        for (int s = 0; s < L2TLB_SIZE && !ok; s++)
            ok = covers(v, s, &te);
        if (!ok)
            return bad(why, len,
                       "cpu %d TLB entry %d (EntryHi 0x%08x, EntryLo 0x%08x 0x%08x) of VM %s vCPU %d is "
                       "not a copy of any L2 TLB entry in a backmap (a stale hardware TLB entry)",
                       cpu, i, te.entryhi, te.entrylo0, te.entrylo1, v->vm->name, v->id);
    }
    return 0;
}

/* ---- pmap, memmap, backmaps, L2 TLBs (invariant 4) --------------------------- */

static int check_page(const struct vm *vm, uint32_t gpfn, char *why, size_t len)
{
    const struct pmap_entry *p = &vm->pmap[gpfn];
    const struct memmap *mm = vm->mon->memmap;
    if (p->mpfn == NO_PAGE) {
        if (p->maps || p->pins)
            return bad(why, len, "VM %s page %u has no machine page but is still %s", vm->name, gpfn,
                       p->maps ? "in an L2 TLB backmap" : "pinned for DMA");
        return 0;
    }
    if (p->mpfn >= mm->npages)
        return bad(why, len, "VM %s page %u names machine page %u, beyond the machine", vm->name, gpfn,
                   p->mpfn);
    const struct memmap_entry *me = &mm->page[p->mpfn];
    if (p->shared != me->shared || (me->shared && (me->free || me->refs == 0)))
        return bad(why, len, "VM %s page %u is machine page %u, %s the memmap says it is %s", vm->name, gpfn,
                   p->mpfn, p->shared ? "shared, but" : "its own, but", me->shared ? "a disk cache page" : "not shared");
    if (me->shared) {
        /* a disk cache page: the memmap counts its users (check_memmap) */
    } else if (me->free || me->monitor || me->vm != vm->id || me->gpfn != gpfn)
        return bad(why, len,
                   "VM %s page %u is machine page %u, which the memmap says is %s (vm %d, page %u)",
                   vm->name, gpfn, p->mpfn, me->free ? "free" : me->monitor ? "the monitor's" : "another's",
                   me->vm, me->gpfn);
    if (me->replica)
        return bad(why, len, "VM %s page %u is machine page %u, which the memmap says is a replica",
                   vm->name, gpfn, p->mpfn);
    if (pfn_of(p->lo_template) != p->mpfn)
        return bad(why, len, "VM %s page %u: its precomputed EntryLo names page %u, not %u", vm->name,
                   gpfn, pfn_of(p->lo_template), p->mpfn);
    if (replicated(vm, gpfn) && (p->lo_template & ENTRYLO_D))
        return bad(why, len, "VM %s page %u is %s, but its precomputed EntryLo is writable",
                   vm->name, gpfn, p->shared ? "shared" : "replicated");

    for (const struct backmap *b = p->maps; b; b = b->next) {
        if (b->vcpu < 0 || b->vcpu >= vm->nvcpus || b->slot < 0 || b->slot >= L2TLB_SIZE)
            return bad(why, len, "VM %s page %u: backmap record (%d, %d) names no L2 TLB entry", vm->name,
                       gpfn, b->vcpu, b->slot);
        const struct l2tlb_entry *e = &vm->vcpu[b->vcpu].l2.e[b->slot];
        if (!e->valid || (e->gpfn[0] != gpfn && e->gpfn[1] != gpfn))
            return bad(why, len, "VM %s page %u: backmap record for vCPU %d slot %d, which does not map it",
                       vm->name, gpfn, b->vcpu, b->slot);
        for (const struct backmap *c = b->next; c; c = c->next)
            if (c->vcpu == b->vcpu && c->slot == b->slot && e->gpfn[0] != e->gpfn[1])
                return bad(why, len, "VM %s page %u: backmap record (%d, %d) twice", vm->name, gpfn,
                           b->vcpu, b->slot);
    }
    return 0;
}

int check_vm(struct vm *vm, char *why, size_t len)
{
    uint32_t used = 0;
    for (uint32_t g = 0; g < vm->npages; g++) {
        if (check_page(vm, g, why, len) != 0)
            return -1;
        used += vm->pmap[g].mpfn != NO_PAGE;
    }
    if (used != vm->pages_allocated)
        return bad(why, len, "VM %s has %u machine pages but counts %u", vm->name, used,
                   vm->pages_allocated);
    for (int i = 0; i < vm->nvcpus; i++) {
        const struct vcpu *v = &vm->vcpu[i];
        for (int s = 0; s < L2TLB_SIZE; s++) {
            const struct l2tlb_entry *e = &v->l2.e[s];
            if (!e->valid)
                continue;
            for (int h = 0; h < 2; h++) {
                uint32_t g = e->gpfn[h];
                if (g == NO_PAGE)
                    continue;
                if (g >= vm->npages || !backmap_has(vm, g, i, s))
                    return bad(why, len, "VM %s vCPU %d L2 TLB slot %d maps page %u without a backmap record",
                               vm->name, i, s, g);
                if ((e->mlo[h] & ENTRYLO_V) && !is_copy(vm, g, pfn_of(e->mlo[h])))
                    return bad(why, len,
                               "VM %s vCPU %d L2 TLB slot %d maps page %u to machine page %u, not its %u "
                               "or a replica",
                               vm->name, i, s, g, pfn_of(e->mlo[h]), vm->pmap[g].mpfn);
                if ((e->mlo[h] & ENTRYLO_D) && replicated(vm, g))
                    return bad(why, len, "VM %s vCPU %d L2 TLB slot %d maps replicated page %u writable",
                               vm->name, i, s, g);
            }
        }
    }
    return 0;
}

/* The free lists hold exactly the pages marked free; every VM page is claimed. */
/* Every disk cache page is named by as many VM pages as it counts, and
 * its cache slot names it. */
static int check_shared(struct monitor *mon, char *why, size_t len)
{
    const struct memmap *mm = mon->memmap;
    uint32_t *users = calloc(mm->npages, sizeof *users);
    if (!users)
        return 0; /* no host memory to check with: say nothing */
    for (int i = 0; i < mon->nvms; i++)
        for (uint32_t g = 0; g < mon->vm[i]->npages; g++)
            if (mon->vm[i]->pmap[g].shared && mon->vm[i]->pmap[g].mpfn < mm->npages)
                users[mon->vm[i]->pmap[g].mpfn]++;
    int rc = 0;
    for (uint32_t p = 0; p < mm->npages && rc == 0; p++) {
        const struct memmap_entry *me = &mm->page[p];
        if (!me->shared)
            continue;
        const struct diskcache *dc = &mon->dcache;
        if (users[p] != me->refs)
            rc = bad(why, len, "disk cache page %u counts %u users, but %u VM pages name it", p, me->refs,
                     users[p]);
        else if (me->gpfn >= dc->cap || dc->slot[me->gpfn].mpfn != p)
            rc = bad(why, len, "disk cache page %u: its cache slot %u does not name it", p, me->gpfn);
    }
    free(users);
    return rc;
}

static int check_memmap(struct monitor *mon, char *why, size_t len)
{
    const struct memmap *mm = mon->memmap;
    uint32_t marked = 0;
    if (check_shared(mon, why, len) != 0)
        return -1;
    for (uint32_t p = 0; p < mm->npages; p++) {
        const struct memmap_entry *me = &mm->page[p];
        marked += me->free;
        if (me->vm < 0)
            continue;
        const struct vm *vm = me->vm < mon->nvms ? mon->vm[me->vm] : NULL;
        if (vm && me->replica && me->gpfn < vm->npages && is_copy(vm, me->gpfn, p))
            continue;
        if (!vm || me->gpfn >= vm->npages || vm->pmap[me->gpfn].mpfn != p)
            return bad(why, len, "machine page %u belongs to VM %d page %u, whose pmap does not name it", p,
                       me->vm, me->gpfn);
    }
    uint32_t listed = 0;
    for (int n = 0; n < mm->nnodes; n++) {
        uint32_t k = 0;
        for (uint32_t p = mm->free_head[n]; p != UINT32_MAX && k <= mm->npages; p = mm->page[p].next_free) {
            if (!mm->page[p].free)
                return bad(why, len, "machine page %u is on node %d's free list but in use", p, n);
            k++;
        }
        if (k != mm->free_count[n])
            return bad(why, len, "node %d's free list has %u pages but counts %u", n, k, mm->free_count[n]);
        listed += k;
    }
    if (listed != marked)
        return bad(why, len, "%u pages are marked free but %u are on free lists", marked, listed);
    return 0;
}

int check_monitor(struct monitor *mon, char *why, size_t len)
{
    for (int c = 0; c < mon->ncpus; c++)
        if (check_tlb(mon, c, why, len) != 0)
            return -1;
    for (int i = 0; i < mon->nvms; i++)
        if (check_vm(mon->vm[i], why, len) != 0)
            return -1;
    return check_memmap(mon, why, len);
}

void check_after_trap(struct monitor *mon, int cpu)
{
    char why[300];
    if (!mon->cfg.check)
        return;
    if (check_tlb(mon, cpu, why, sizeof why) != 0)
        check_fail("%s", why);
    if (mon->traps % CHECK_INTERVAL == 0 && check_monitor(mon, why, sizeof why) != 0)
        check_fail("%s", why);
}
