/*
 * malloc.c - a free-list allocator over sbrk (after K&R, section 8.7).
 *
 * Every block starts with a header holding its size in header-sized units
 * (8 bytes, so blocks stay 8-byte aligned). Free blocks sit on a circular
 * list sorted by address; free() puts a block back in its place and merges
 * it with a free neighbour on either side, so memory returned in any order
 * coalesces back into large blocks. malloc takes the first block that fits
 * (starting where the last search stopped) and cuts the request from its
 * end. When no block fits, the heap grows by at least MIN_GROW; when a free
 * block at the very top of the heap reaches TRIM bytes, it is given back to
 * the kernel with a negative sbrk, so a program that frees what it took
 * leaves the system's free memory as it found it.
 *
 * Processes made by sproc share the heap, so a spin lock guards it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>

typedef union header {
	struct {
		union header *next;  /* next free block, by address */
		size_t units;        /* size of this block, header included */
	} s;
	long long align;             /* forces 8-byte alignment */
} header;

#define UNIT      sizeof(header)
#define MIN_GROW  (16384 / UNIT)     /* grow the heap 16 KB at least */
#define TRIM      (128 * 1024)       /* give back a free top of this size */
#define MAX_ALLOC 0x7FFF0000u        /* larger requests cannot be met */

static header base;                  /* the list's anchor, of size 0 */
static header *freep;                /* where the next search starts */
static spinlock_t heap_lock = SPINLOCK_INIT;

static void release(header *bp, int may_trim);

/* Ask the kernel for at least nunits more and put them on the free list. */
static header *morecore(size_t nunits)
{
	char *brk = sbrk(0);
	size_t misalign = (uintptr_t)brk & (UNIT - 1);
	header *h;

	/* Someone else may have moved the break to an odd place. */
	if (brk == (char *)-1 || (misalign && sbrk(UNIT - misalign) == (void *)-1))
		return NULL;
	if (nunits < MIN_GROW)
		nunits = MIN_GROW;
	h = sbrk((int)(nunits * UNIT));
	if (h == (void *)-1)
		return NULL;
	h->s.units = nunits;
	release(h, 0);  /* not trim: we just asked for it */
	return freep;
}

void *malloc(size_t n)
{
	header *prev, *p;
	size_t nunits;

	if (n == 0 || n > MAX_ALLOC)
		return NULL;
	nunits = (n + UNIT - 1) / UNIT + 1;
	spin_lock(&heap_lock);
	if ((prev = freep) == NULL) {
		base.s.next = freep = prev = &base;
		base.s.units = 0;
	}
	for (p = prev->s.next;; prev = p, p = p->s.next) {
		if (p->s.units >= nunits) {
			if (p->s.units == nunits) {
				prev->s.next = p->s.next;
			} else {
				p->s.units -= nunits;
				p += p->s.units;
				p->s.units = nunits;
			}
			freep = prev;
			spin_unlock(&heap_lock);
			return p + 1;
		}
		if (p == freep && (p = morecore(nunits)) == NULL) {
			spin_unlock(&heap_lock);
			return NULL;
		}
	}
}

/* Give a free block at the top of the heap back to the kernel. */
static void trim(header *bp)
{
	header *prev;

	if (bp->s.units * UNIT < TRIM || (char *)(bp + bp->s.units) != sbrk(0))
		return;
	for (prev = &base; prev->s.next != bp; prev = prev->s.next)
		;
	if (sbrk(-(int)(bp->s.units * UNIT)) == (void *)-1)
		return;                 /* keep it then */
	prev->s.next = bp->s.next;
	freep = prev;
}

/* Put bp on the free list in address order, merging with neighbours. */
static void release(header *bp, int may_trim)
{
	header *p;

	for (p = freep; !(bp > p && bp < p->s.next); p = p->s.next)
		if (p >= p->s.next && (bp > p || bp < p->s.next))
			break;  /* bp goes at one end of the list */
	if (bp + bp->s.units == p->s.next) {
		bp->s.units += p->s.next->s.units;
		bp->s.next = p->s.next->s.next;
	} else {
		bp->s.next = p->s.next;
	}
	if (p != &base && p + p->s.units == bp) {
		p->s.units += bp->s.units;
		p->s.next = bp->s.next;
		bp = p;
	} else {
		p->s.next = bp;
	}
	freep = p;
	if (may_trim)
		trim(bp);
}

void free(void *ptr)
{
	if (ptr == NULL)
		return;
	spin_lock(&heap_lock);
	release((header *)ptr - 1, 1);
	spin_unlock(&heap_lock);
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > MAX_ALLOC / size)
		return NULL;
	if ((p = malloc(count * size)) != NULL)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *ptr, size_t n)
{
	header *h;
	size_t have;
	void *q;

	if (ptr == NULL)
		return malloc(n);
	if (n == 0) {
		free(ptr);
		return NULL;
	}
	h = (header *)ptr - 1;
	have = (h->s.units - 1) * UNIT;
	if (n <= have)
		return ptr;
	if ((q = malloc(n)) == NULL)
		return NULL;
	memcpy(q, ptr, have);
	free(ptr);
	return q;
}
