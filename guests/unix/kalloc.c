/*
 * kalloc.c - the physical page allocator, with a reference count per page.
 *
 * Memory is split among the nodes (MACHINE.md "Memory and NUMA": node i
 * owns [i*M, (i+1)*M)), and a miss to another node's memory costs three
 * times a local one. So each node has its own free list, and kalloc()
 * takes a page from the node of the CPU that asks, falling back to the
 * other nodes in order only when that one is empty.
 *
 * The boot argument placement=any (main.c) turns that off: pages come
 * from the nodes in turn, whichever CPU asks, ANY_RUN pages from each
 * before the next one (the same fallback after). That is the NUMA-unaware
 * placement of the paper's IRIX 5.3, the baseline of its Figure 8 (about
 * 1/N of a process's misses local on N nodes), and it stays
 * deterministic. Why runs and not single pages: the caches are physically
 * indexed, and each node's free list hands out its pages in address
 * order, so page by page the k-th page of every node would come in a row
 * -- N consecutive pages of one cache colour, a working set crammed into
 * 1/N of the cache. A run of 128 pages (512 KB) is a whole number of
 * colour cycles of every cache up to 512 KB per way (the default 1 MB
 * two-way one, and the 256 KB of the paper's Raytrace), so any placement
 * colours pages as well as node-local allocation does.
 *
 * Every page carries a reference count: 1 when allocated, one more for
 * each extra page-table entry sharing it (copy-on-write fork, sproc), and
 * the page returns to its free list when the count drops to zero.
 *
 * The free lists are linked through a table beside the counts, not
 * through the free pages: a free page's contents are never needed, so the
 * HAL may give it back to a monitor (hal_page_freed) and a page nobody has
 * touched stays untouched (the Disco paper, section 4: monitor calls for
 * a zeroed page and for freed pages).
 *
 * A third table says what each page holds (enum page_kind: kernel text,
 * kernel data, a buffer, a user page, free), for the memory statistics of
 * the paper's Figure 6 only. The disco HAL tells the monitor where it is
 * (hal_page_kinds), so the monitor can split each VM's footprint by kind;
 * natively the boot argument memstat prints the counts at halt.
 */
#include "kernel.h"

extern char __text_end[];   /* end of text and read-only data (kseg0.ld) */

static struct node_mem {
	struct spinlock lock;
	uint32_t free;            /* first free page, 0 if none (page 0 holds
				     the vectors, it is never free) */
	uint32_t nfree;
} node[NCPU];

static volatile uint32_t *refs;   /* per physical page number */
static uint32_t *next_free;       /* per page number: the next free page */
static uint8_t *kinds;            /* per page number: its enum page_kind */

/* Pages in use by kind, and (memstat) the counts when their total was at
   its highest: the footprint of a workload while it runs. The peak is
   kept only with the boot argument, so a run without it takes no lock. */
static int memstat;
static struct spinlock stat_lock;
static volatile uint32_t in_use[PAGE_NKINDS];
static uint32_t peak[PAGE_NKINDS], peak_total;
static uint32_t node_bytes;
static int nnodes;
static uint32_t total_pages;      /* pages the allocator manages */
#define ANY_RUN 128               /* placement=any: pages from a node in a row */
static int placement_any;         /* placement=any: ignore the asking CPU */
static volatile uint32_t any_count; /* placement=any: pages handed out */

static inline uint32_t pfn(uint32_t pa)
{
	return pa >> PAGE_SHIFT;
}

void kmem_count(enum page_kind kind, int delta)
{
	uint32_t total = 0;

	if (kind == PAGE_FREE)
		return;
	atomic_add(&in_use[kind], (uint32_t)delta);
	if (!memstat)
		return;
	acquire(&stat_lock);
	for (int k = 0; k < PAGE_NKINDS; k++)
		total += in_use[k];
	if (total > peak_total) {
		peak_total = total;
		for (int k = 0; k < PAGE_NKINDS; k++)
			peak[k] = in_use[k];
	}
	release(&stat_lock);
}

/* Put a page on its node's free list (its count is already 0). */
static void free_page(uint32_t pa)
{
	struct node_mem *n = &node[pa / node_bytes];

	acquire(&n->lock);
	next_free[pfn(pa)] = n->free;
	n->free = pfn(pa);
	n->nfree++;
	kmem_count(kinds[pfn(pa)], -1);
	kinds[pfn(pa)] = PAGE_FREE;
	release(&n->lock);
}

void kalloc_init(void *free_start, uint32_t node_mem, int nodes)
{
	uint32_t start = hal_kva2pa(free_start);
	uint32_t end = node_mem * nodes;
	uint32_t npages = end >> PAGE_SHIFT;

	node_bytes = node_mem;
	nnodes = nodes;
	for (int i = 0; i < nodes; i++)
		spin_init(&node[i].lock, "kmem");
	spin_init(&stat_lock, "kmemstat");
	/* The reference counts, free-list links and kinds live in the first
	   free pages. */
	refs = free_start;
	memset((void *)refs, 0, npages * sizeof refs[0]);
	next_free = (uint32_t *)(refs + npages);
	kinds = (uint8_t *)(next_free + npages);
	start = PGROUNDUP(hal_kva2pa(kinds + npages));
	/* Below start: page 0 (the vectors) and the kernel's text and
	   read-only data up to __text_end (kseg0.ld) are text; its data and
	   bss and these tables are data. */
	for (uint32_t p = 0; p < npages; p++)
		kinds[p] = p < pfn(start) ? PAGE_KDATA : PAGE_FREE;
	for (uint32_t p = 0; p < PGROUNDUP(hal_kva2pa(__text_end)) >> PAGE_SHIFT; p++)
		kinds[p] = PAGE_KTEXT;
	hal_page_kinds(kinds, npages);
	for (uint32_t p = 0; p < pfn(start); p++)
		kmem_count(kinds[p], 1);
	/* Free from the top, so that allocation starts at the bottom. */
	for (uint32_t pa = end - PAGE_SIZE; pa >= start; pa -= PAGE_SIZE) {
		free_page(pa);
		total_pages++;
	}
}

static void *alloc_from(struct node_mem *n)
{
	uint32_t p;

	acquire(&n->lock);
	p = n->free;
	if (p) {
		n->free = next_free[p];
		n->nfree--;
	}
	release(&n->lock);
	return p ? hal_pa2kva(p << PAGE_SHIFT) : NULL;
}

void kalloc_set_placement(int any)
{
	placement_any = any;
}

void *kalloc(enum page_kind kind)
{
	int here = placement_any ? (int)((atomic_add(&any_count, 1) - 1) / ANY_RUN % (uint32_t)nnodes)
				 : hal_cpu_id() % nnodes;
	void *r = NULL;

	for (int i = 0; i < nnodes && !r; i++)
		r = alloc_from(&node[(here + i) % nnodes]);
	if (!r)
		return NULL;
	refs[pfn(hal_kva2pa(r))] = 1;
	kinds[pfn(hal_kva2pa(r))] = (uint8_t)kind;
	if (kind != PAGE_BUFFER)     /* a buffer counts once it holds a block */
		kmem_count(kind, 1);
	return r;
}

void *kzalloc(enum page_kind kind)
{
	void *p = kalloc(kind);

	if (p)
		hal_page_zero(hal_kva2pa(p));   /* natively memset */
	return p;
}

void kfree(void *kva)
{
	page_put(hal_kva2pa(kva));
}

void page_get(uint32_t pa)
{
	atomic_add(&refs[pfn(pa)], 1);
}

void page_put(uint32_t pa)
{
	uint32_t n = atomic_add(&refs[pfn(pa)], -1);

	if (n == 0) {
		hal_page_freed(pa);      /* before another CPU may reuse it */
		free_page(pa);
	} else if (n > 0x80000000u)
		panic("page_put: page %x has no references", pa);
}

uint32_t page_refs(uint32_t pa)
{
	return refs[pfn(pa)];
}

uint32_t kmem_free_pages(void)
{
	uint32_t n = 0;

	for (int i = 0; i < nnodes; i++)
		n += node[i].nfree;
	return n;
}

void kmem_stat(uint32_t *total, uint32_t *free)
{
	*total = total_pages;
	*free = kmem_free_pages();
}

void kalloc_set_memstat(int on)
{
	memstat = on;
}

/* memstat: the pages in use by kind at the peak, natively the kernel's
   footprint (the native row of the paper's Figure 6; in a VM the
   monitor's statistics count what the VM touched). Static text and data
   count whole; a buffer counts from the first block it holds. */
void kmem_report(void)
{
	if (!memstat)
		return;
	acquire(&stat_lock);
	kprintf("unix: memory at its peak: kernel text %u, kernel data %u, buffer cache %u, user %u pages\n",
		peak[PAGE_KTEXT], peak[PAGE_KDATA], peak[PAGE_BUFFER], peak[PAGE_USER]);
	release(&stat_lock);
}
