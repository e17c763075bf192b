/*
 * exec.c - replace a process's program with an ELF file's.
 *
 * The new address space is built completely before the old one is let
 * go, so a failure (a bad file, no memory) returns an error to a process
 * that is still intact. The ELF file is checked field by field: anything
 * this kernel cannot run is -ENOEXEC, never a crash.
 *
 * Segments with file contents are read in at once; the rest of each
 * segment (bss), the heap and the stack come as zeroed pages on demand
 * (fault.c). Pages of segments without PF_W are mapped read-only; under
 * disco their whole pages come straight from the disk (read_text_page),
 * so that VMs running one program share its text.
 *
 * The new stack's top page holds the argument strings and the argv
 * array; the program starts with a0 = argc, a1 = argv and sp 8-aligned
 * below them, with the o32 argument area reserved.
 */
#include "proc.h"
#include "vm.h"
#include "file.h"
#include "elf.h"
#include <unix/stat.h>
#include <unix/fs.h>

#define MAXPHNUM 16

static int check_header(struct elfhdr *eh, uint32_t size)
{
	return eh->magic == ELF_MAGIC && eh->class == ELFCLASS32 &&
	       eh->data == ELFDATA2LSB && eh->type == ET_EXEC &&
	       eh->machine == EM_MIPS && eh->phentsize == sizeof(struct proghdr) &&
	       eh->phnum >= 1 && eh->phnum <= MAXPHNUM && eh->phoff < size &&
	       eh->phnum * sizeof(struct proghdr) <= size - eh->phoff;
}

static int check_segment(struct proghdr *ph, uint32_t size)
{
	return ph->memsz >= ph->filesz && ph->off <= size &&
	       ph->filesz <= size - ph->off && ph->vaddr >= USER_MIN &&
	       ph->vaddr < HEAP_LIMIT && ph->memsz <= HEAP_LIMIT - ph->vaddr;
}

/* A whole page of read-only text whose file offset is block-aligned, when
   the HAL says so (hal_disk_maps_pages: a cow disk under disco), is read
   from the disk straight into the user page: the monitor then maps the
   block's machine page from its global disk cache, one copy for every VM
   running the program (the paper, 4.2.5 and 5.3). 1 if done; 0 if the
   page must be copied from the buffer cache (natively, a private disk, a
   hole, a block the cache holds newer or in use). */
static int read_text_page(struct inode *ip, struct proghdr *ph, uint32_t va, void *page)
{
	uint32_t off = ph->off + (va - ph->vaddr), blk;

	if (off % FS_BSIZE != 0 || !hal_disk_maps_pages((int)ip->dev))
		return 0;
	blk = file_block(ip, off / FS_BSIZE);
	if (blk == 0 || bio_dirty(ip->dev, blk))
		return 0;
	disk_read_page(ip->dev, blk, page);
	return 1;
}

/* Read a segment's file contents into fresh pages of as. */
static int load_segment(struct as *as, struct inode *ip, struct proghdr *ph)
{
	int writable = (ph->flags & PF_W) != 0;
	uint32_t end = ph->vaddr + ph->filesz;

	for (uint32_t va = PGROUNDDOWN(ph->vaddr); va < end; va += PAGE_SIZE) {
		uint32_t *pte, lo = MAX(va, ph->vaddr), hi = MIN(end, va + PAGE_SIZE);
		void *page;

		acquire(&as->lock);
		pte = vm_walk(as, va, 1);
		if (pte && !(*pte & PTE_V) && (page = kzalloc(PAGE_USER)) != NULL)
			*pte = hal_pte_make(hal_kva2pa(page), PTE_V | PTE_CACHED);
		if (pte && (*pte & PTE_V) && writable)
			*pte |= PTE_D;
		release(&as->lock);
		if (!pte || !(*pte & PTE_V))
			return -ENOMEM;
		page = hal_pa2kva(hal_pte_pa(*pte));
		if (!writable && lo == va && hi == va + PAGE_SIZE && read_text_page(ip, ph, va, page))
			continue;
		if (readi(ip, 0, (uint32_t)page + (lo - va), ph->off + (lo - ph->vaddr),
			  hi - lo) != (int)(hi - lo))
			return -ENOEXEC;
	}
	return 0;
}

/* Load the program in ip (locked) into a new address space. */
static int load(struct inode *ip, struct as *as, uint32_t *entry)
{
	struct elfhdr eh;
	struct proghdr ph;
	uint32_t top = 0;
	int r, entry_ok = 0;

	if (ip->type != T_FILE || readi(ip, 0, (uint32_t)&eh, 0, sizeof eh) != sizeof eh ||
	    !check_header(&eh, ip->size))
		return -ENOEXEC;
	for (int i = 0; i < eh.phnum; i++) {
		if (readi(ip, 0, (uint32_t)&ph, eh.phoff + i * sizeof ph, sizeof ph) != sizeof ph)
			return -ENOEXEC;
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (!check_segment(&ph, ip->size) || as->nseg == NSEG)
			return -ENOEXEC;
		if ((r = load_segment(as, ip, &ph)) < 0)
			return r;
		as->seg[as->nseg++] = (struct seg){PGROUNDDOWN(ph.vaddr),
						   ph.vaddr + ph.memsz,
						   (ph.flags & PF_W) != 0};
		if (eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz && (ph.flags & PF_X))
			entry_ok = 1;
		if (ph.vaddr + ph.memsz > top)
			top = ph.vaddr + ph.memsz;
	}
	if (!entry_ok || (eh.entry & 3))
		return -ENOEXEC;
	as->heap_base = as->brk = top;
	*entry = eh.entry;
	return 0;
}

/* Build the argument block at the top of the new stack: a0, a1, sp. */
static int push_args(struct as *as, char *const argv[], uint32_t *argc_out,
		     uint32_t *argv_out, uint32_t *sp_out)
{
	uint32_t *block = kzalloc(PAGE_KDATA), sp = USTACK_TOP, uargv[MAXARG + 1];
	int argc, r;

	if (!block)
		return -ENOMEM;
	for (argc = 0; argv[argc]; argc++) {
		uint32_t len = strlen(argv[argc]) + 1;

		if (argc >= MAXARG || len > sp - (USTACK_TOP - PAGE_SIZE) - 256) {
			kfree(block);
			return -E2BIG;
		}
		sp -= len;
		memcpy((char *)block + (sp - (USTACK_TOP - PAGE_SIZE)), argv[argc], len);
		uargv[argc] = sp;
	}
	uargv[argc] = 0;
	sp &= ~3u;
	sp -= (argc + 1) * 4;
	if (sp < USTACK_TOP - PAGE_SIZE + 32) {
		kfree(block);
		return -E2BIG;
	}
	memcpy((char *)block + (sp - (USTACK_TOP - PAGE_SIZE)), uargv, (argc + 1) * 4);
	*argv_out = sp;
	*argc_out = argc;
	*sp_out = ((sp - 16) & ~7u);
	r = copyout(as, USTACK_TOP - PAGE_SIZE, block, PAGE_SIZE);
	kfree(block);
	return r < 0 ? -ENOMEM : 0;
}

int exec(const char *path, char *const argv[])
{
	struct proc *p = myproc();
	struct trapframe *tf = p->tf;
	struct inode *ip;
	struct as *as, *old;
	uint32_t entry, argc, uargv, sp;
	const char *last, *s;
	int r;

	if (!(ip = namei(path, &r)))
		return r;
	if (!(as = as_create())) {
		iput(ip);
		return -ENOMEM;
	}
	ilock(ip);
	r = load(ip, as, &entry);
	iunlockput(ip);
	if (r == 0)
		r = push_args(as, argv, &argc, &uargv, &sp);
	if (r < 0) {
		as_put(as);
		return r;
	}

	/* The point of no return: switch to the new address space. */
	for (last = s = path; *s; s++)
		if (*s == '/')
			last = s + 1;
	safestrcpy(p->name, last, sizeof p->name);
	old = p->as;
	push_off();
	p->as = as;
	as_activate(as);
	pop_off();
	if (old)
		as_put(old);
	memset(tf->regs, 0, sizeof tf->regs);
	tf->hi = tf->lo = 0;
	tf->regs[REG_A0] = argc;
	tf->regs[REG_A1] = uargv;
	tf->regs[25] = entry;               /* t9 */
	hal_tf_set_user(tf, entry, sp);
	return argc;                        /* lands in v0 (syscall.c) */
}
