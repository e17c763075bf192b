/*
 * vm.c - page tables and address spaces: create, copy (copy-on-write),
 * grow and shrink the heap, free.
 *
 * Locking: as->lock protects an address space's page tables, segments and
 * break. The refill handler reads page tables without it, so a PTE is
 * always written as a whole word, and a new page-table page is zeroed
 * before its directory slot points at it.
 *
 * A page that leaves a page table while some CPU may still have it in its
 * TLB (copy-on-write, heap shrink) is only freed after tlb_shootdown, and
 * shootdowns are never done with a spinlock held (tlb.c).
 */
#include "vm.h"

static uint32_t *invalid_pt;     /* the shared page of invalid PTEs */
static uint32_t *empty_pgdir;    /* every slot -> invalid_pt: no user space */

#define NAS (NPROC + NCPU)       /* exec holds two for a moment */
static struct spinlock as_table_lock;
static struct as as_table[NAS];

void vm_init(void)
{
	invalid_pt = kzalloc(PAGE_KDATA);
	empty_pgdir = kalloc(PAGE_KDATA);
	if (!invalid_pt || !empty_pgdir)
		panic("vm_init: no memory");
	for (int i = 0; i < 1024; i++)
		empty_pgdir[i] = (uint32_t)invalid_pt;
	spin_init(&as_table_lock, "as_table");
}

uint32_t *vm_empty_pgdir(void)
{
	return empty_pgdir;
}

struct as *as_create(void)
{
	struct as *as = NULL;
	uint32_t *pgdir = kalloc(PAGE_KDATA);

	if (!pgdir)
		return NULL;
	acquire(&as_table_lock);
	for (int i = 0; i < NAS; i++)
		if (!as_table[i].used) {
			as = &as_table[i];
			as->used = 1;
			break;
		}
	release(&as_table_lock);
	if (!as) {
		kfree(pgdir);
		return NULL;
	}
	memcpy(pgdir, empty_pgdir, PAGE_SIZE);
	spin_init(&as->lock, "as");
	spin_init(&as->ctxlock, "asctx");
	as->pgdir = pgdir;
	as->ref = 1;
	as->nseg = 0;
	as->heap_base = as->brk = 0;
	as->active = 0;
	memset(as->asid, 0, sizeof as->asid);
	return as;
}

/* The PTE for va, making its page-table page if alloc; NULL if there is
   none (or no memory for one). Called with as->lock held. */
uint32_t *vm_walk(struct as *as, uint32_t va, int alloc)
{
	uint32_t *slot = &as->pgdir[va >> 22];
	uint32_t *pt = (uint32_t *)*slot;

	if (pt == invalid_pt) {
		if (!alloc || !(pt = kzalloc(PAGE_KDATA)))
			return NULL;
		mb();                   /* zeroes before the pointer */
		*slot = (uint32_t)pt;
	}
	return &pt[(va >> PAGE_SHIFT) & 1023];
}

/* May va be filled on demand (with a zeroed page)? */
int vm_legal(struct as *as, uint32_t va, int write)
{
	if (va < USER_MIN || va >= USER_TOP)
		return 0;
	for (int i = 0; i < as->nseg; i++)
		if (va >= as->seg[i].start && va < as->seg[i].end)
			return as->seg[i].writable || !write;
	if (va >= as->heap_base && va < PGROUNDUP(as->brk))
		return 1;
	return va >= USTACK_TOP - USTACK_MAX;
}

/* The copy for fork: the same pages, shared copy-on-write. Writable pages
   become read-only in both (D cleared, PTE_COW set); the first write in
   either copies the page (fault.c). Read-only pages are simply shared. */
struct as *as_copy(struct as *parent)
{
	struct as *child = as_create();
	int changed = 0, ok = 1;

	if (!child)
		return NULL;
	acquire(&parent->lock);
	memcpy(child->seg, parent->seg, sizeof child->seg);
	child->nseg = parent->nseg;
	child->heap_base = parent->heap_base;
	child->brk = parent->brk;
	for (uint32_t i = 0; i < (USER_TOP >> 22) + 1 && ok; i++) {
		uint32_t *pt = (uint32_t *)parent->pgdir[i];

		if (pt == invalid_pt)
			continue;
		for (uint32_t j = 0; j < 1024; j++) {
			uint32_t pte = pt[j], *cpte;

			if (!(pte & PTE_V))
				continue;
			if (!(cpte = vm_walk(child, (i << 22) | (j << PAGE_SHIFT), 1))) {
				ok = 0;
				break;
			}
			if (pte & PTE_D) {
				pte = (pte & ~PTE_D) | PTE_COW;
				pt[j] = pte;
				changed = 1;
			}
			*cpte = pte;
			page_get(hal_pte_pa(pte));
		}
	}
	release(&parent->lock);
	/* Other CPUs (and this one) may hold writable entries for the pages
	   just made read-only. */
	if (changed)
		tlb_shootdown_all(parent);
	if (!ok) {
		as_put(child);
		return NULL;
	}
	return child;
}

void as_hold(struct as *as)
{
	atomic_add(&as->ref, 1);
}

/* Drop a reference; the last one frees the pages and page tables. The
   caller no longer runs on it (as_deactivate), and no CPU can: running
   it needs a reference. Its stale TLB entries carry an ASID that no CPU
   hands out again before flushing its whole TLB (asid.c), so no
   shootdown is needed. */
void as_put(struct as *as)
{
	if (atomic_add(&as->ref, -1) != 0)
		return;
	if (as->active)
		panic("as_put: address space still active");
	for (uint32_t i = 0; i < 1024; i++) {
		uint32_t *pt = (uint32_t *)as->pgdir[i];

		if (pt == invalid_pt)
			continue;
		for (uint32_t j = 0; j < 1024; j++)
			if (pt[j] & PTE_V)
				page_put(hal_pte_pa(pt[j]));
		kfree(pt);
	}
	kfree(as->pgdir);
	acquire(&as_table_lock);
	as->used = 0;
	release(&as_table_lock);
}

/* Unmap [lo, hi) in batches: clear PTEs under the lock, shoot the TLBs
   down, then free the pages. */
static void unmap_range(struct as *as, uint32_t lo, uint32_t hi)
{
	uint32_t pages[64];
	int n;

	do {
		n = 0;
		acquire(&as->lock);
		for (; lo < hi && n < (int)ARRAY_SIZE(pages); lo += PAGE_SIZE) {
			uint32_t *pte = vm_walk(as, lo, 0);

			if (pte && (*pte & PTE_V)) {
				pages[n++] = hal_pte_pa(*pte);
				*pte = 0;
			}
		}
		release(&as->lock);
		if (n) {
			tlb_shootdown_all(as);
			for (int i = 0; i < n; i++)
				page_put(pages[i]);
		}
	} while (lo < hi);
}

/* The page holding a break that is not page-aligned stays mapped when
   the heap shrinks, and keeps what was written above the break. When the
   heap grows back over it, zero that part, so that new heap memory always
   reads as zeros. (Not at the shrink: programs such as malloc's trim may
   still read what they just gave back.) Through copyout, which copies the
   page first if it is shared copy-on-write. */
static void grow_tail(struct as *as, uint32_t old, uint32_t new)
{
	static const uint8_t zeros[256];
	uint32_t end = MIN(new, PGROUNDUP(old));
	uint32_t *pte;
	int present;

	acquire(&as->lock);
	pte = vm_walk(as, old, 0);
	present = pte && (*pte & PTE_V);
	release(&as->lock);
	for (uint32_t va = old; present && va < end; va += sizeof zeros)
		if (copyout(as, va, zeros, MIN(sizeof zeros, end - va)) < 0)
			break;
}

/* sbrk: move the break by incr bytes; the old break, or -ENOMEM. Growing
   maps nothing (pages come on demand) but refuses what free memory could
   never back, so that programs see -ENOMEM rather than being killed. */
int vm_sbrk(struct as *as, int incr)
{
	uint32_t old, new;

	acquire(&as->lock);
	old = as->brk;
	new = old + (uint32_t)incr;
	if ((incr > 0 && (new < old || new > HEAP_LIMIT)) ||
	    (incr < 0 && (new > old || new < as->heap_base)) ||
	    (incr > 0 && (PGROUNDUP(new) - PGROUNDUP(old)) / PAGE_SIZE > kmem_free_pages())) {
		release(&as->lock);
		return -ENOMEM;
	}
	as->brk = new;
	release(&as->lock);
	if (new > old)
		grow_tail(as, old, new);
	if (PGROUNDUP(new) < PGROUNDUP(old))
		unmap_range(as, PGROUNDUP(new), PGROUNDUP(old));
	return (int)old;
}
