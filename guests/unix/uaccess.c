/*
 * uaccess.c - copying between the kernel and user memory.
 *
 * The kernel never dereferences a user pointer. It walks the address
 * space's page table in software, page by page, and copies through the
 * kernel segment (hal_pa2kva). A page that is missing or not writable is
 * resolved by vm_fault exactly as a user access would be (demand zero,
 * copy-on-write), and an address the process may not use gives -EFAULT:
 * a bad pointer in a system call is an error, never a kernel crash. It
 * also means the kernel takes no TLB misses on user addresses, which the
 * disco port appreciates.
 */
#include "vm.h"

/* Is [va, va + n) inside user space? */
static int user_range(uint32_t va, uint32_t n)
{
	return va >= USER_MIN && va + n >= va && va + n <= USER_TOP;
}

/*
 * Copy n bytes between kernel buffer kbuf and user address va, in the
 * direction `out`. The copy of each page happens under as->lock, so the
 * page cannot be freed or copied-on-write under us.
 */
static int copy_user(struct as *as, uint32_t va, void *kbuf, uint32_t n, int out)
{
	uint8_t *k = kbuf;

	if (n == 0)
		return 0;
	if (!as || !user_range(va, n))
		return -EFAULT;
	while (n > 0) {
		uint32_t off = va & (PAGE_SIZE - 1);
		uint32_t chunk = MIN(n, PAGE_SIZE - off);
		uint32_t *pte;

		acquire(&as->lock);
		pte = vm_walk(as, va, 0);
		if (pte && (*pte & PTE_V) && (!out || (*pte & PTE_D))) {
			uint8_t *p = (uint8_t *)hal_pa2kva(hal_pte_pa(*pte)) + off;

			if (out)
				memcpy(p, k, chunk);
			else
				memcpy(k, p, chunk);
			release(&as->lock);
			va += chunk;
			k += chunk;
			n -= chunk;
			continue;
		}
		release(&as->lock);
		if (vm_fault(as, va, out) < 0)
			return -EFAULT;
	}
	return 0;
}

int copyin(struct as *as, void *dst, uint32_t srcva, uint32_t n)
{
	return copy_user(as, srcva, dst, n, 0);
}

int copyout(struct as *as, uint32_t dstva, const void *src, uint32_t n)
{
	return copy_user(as, dstva, (void *)src, n, 1);
}

int fetchword(struct as *as, uint32_t va, uint32_t *w)
{
	if (va & 3)
		return -EFAULT;
	return copyin(as, w, va, 4);
}

/* Copy a NUL-terminated string of at most max bytes (with the NUL):
   its length, -EFAULT, or -ENAMETOOLONG. */
int copyinstr(struct as *as, char *dst, uint32_t srcva, uint32_t max)
{
	uint32_t n = 0;

	while (n < max) {
		uint32_t chunk = MIN(max - n, PAGE_SIZE - (srcva & (PAGE_SIZE - 1)));

		if (copyin(as, dst + n, srcva, chunk) < 0) {
			/* The string may end before an unmapped page: retry
			   byte by byte up to the fault. */
			for (uint32_t i = 0; i < chunk; i++) {
				if (copyin(as, dst + n, srcva, 1) < 0)
					return -EFAULT;
				if (dst[n] == 0)
					return n;
				n++;
				srcva++;
			}
			continue;
		}
		for (uint32_t i = 0; i < chunk; i++)
			if (dst[n + i] == 0)
				return n + i;
		n += chunk;
		srcva += chunk;
	}
	return -ENAMETOOLONG;
}
