/*
 * vm.h - address spaces.
 *
 * A user address space (struct as) is a two-level page table plus the
 * description of which addresses may be demand-filled (segments, heap,
 * stack). Processes made by sproc share one; fork copies it copy-on-write.
 *
 * Page tables (guests/README.md): a 4 KB page directory of 1024 kernel
 * virtual pointers to page-table pages, each of 1024 PTEs in EntryLo
 * format. A directory slot with nothing mapped points at one shared page
 * of invalid PTEs, so the refill handler never has to test for it.
 */
#ifndef VM_H
#define VM_H

#include "kernel.h"

#define NSEG 4   /* ELF PT_LOAD segments a program may have */

struct seg {
	uint32_t start, end;     /* [start, end), start page-aligned */
	int writable;
};

struct as {
	struct spinlock lock;    /* page tables, segments, brk */
	uint32_t *pgdir;
	volatile uint32_t ref;   /* processes using this address space */
	struct seg seg[NSEG];
	int nseg;
	uint32_t heap_base, brk; /* the heap is [heap_base, brk) */

	/* TLB context (asid.c): the ASID it has on each CPU, as a generation
	   << 8 | ASID (0: none yet), and the CPUs running it right now. */
	struct spinlock ctxlock;
	uint32_t asid[NCPU];
	volatile uint32_t active;
	int used;
};

uint32_t *vm_walk(struct as *as, uint32_t va, int alloc);
int vm_legal(struct as *as, uint32_t va, int write);
int vm_sbrk(struct as *as, int incr);
void tlb_refresh(struct as *as, uint32_t va);
uint32_t asid_new(struct cpu *c);

#endif
