/*
 * fault.c - what happens when a user access finds no usable PTE.
 *
 * The refill handler (hal/native/vectors.S) copies PTEs into the TLB
 * blindly; when the PTE is invalid, or a store meets a clean (D = 0)
 * page, the CPU raises TLBL, TLBS or Mod at the general vector and trap()
 * calls vm_fault. The kernel's own accesses to user memory (uaccess.c)
 * call it too. The cases:
 *
 *   - no page, at an address the process may use (a segment's bss, the
 *     heap below the break, the stack region): a zeroed page (demand
 *     zero; the stack grows this way);
 *   - a store to a copy-on-write page: if nobody else shares the page any
 *     more, make it writable; otherwise copy it, map the copy, shoot the
 *     old translation down everywhere, and drop the old page;
 *   - a valid PTE that already allows the access: another thread of the
 *     address space got there first, or the TLB entry was loaded before
 *     the PTE changed; refresh the TLB entry;
 *   - anything else: -EFAULT (the process is killed, or a system call
 *     fails), or -ENOMEM when no page is left.
 */
#include "vm.h"

int vm_fault(struct as *as, uint32_t va, int write)
{
	uint32_t *pte, old_pa = 0;
	void *page;
	int r = 0;

	va = PGROUNDDOWN(va);
	if (va < USER_MIN || va >= USER_TOP)
		return -EFAULT;
	acquire(&as->lock);
	pte = vm_walk(as, va, 0);
	if (pte && (*pte & PTE_V)) {
		if (write && !(*pte & PTE_D)) {
			uint32_t pa = hal_pte_pa(*pte);

			if (!(*pte & PTE_COW)) {
				r = -EFAULT;             /* a read-only page */
			} else if (page_refs(pa) == 1) {
				*pte = (*pte | PTE_D) & ~PTE_COW;
			} else if (!(page = kalloc(PAGE_USER))) {
				r = -ENOMEM;
			} else {
				memcpy(page, hal_pa2kva(pa), PAGE_SIZE);
				*pte = hal_pte_make(hal_kva2pa(page),
						    PTE_V | PTE_D | PTE_CACHED);
				old_pa = pa;
			}
		}
	} else if (!vm_legal(as, va, write)) {
		r = -EFAULT;
	} else if (!(pte = vm_walk(as, va, 1)) || !(page = kzalloc(PAGE_USER))) {
		r = -ENOMEM;
	} else {
		*pte = hal_pte_make(hal_kva2pa(page), PTE_V | PTE_D | PTE_CACHED);
	}
	if (r == 0 && !old_pa)
		tlb_refresh(as, va);
	release(&as->lock);
	if (old_pa) {
		/* The old page may still be read through other TLBs. */
		tlb_shootdown(as, va);
		page_put(old_pa);
	}
	return r;
}
