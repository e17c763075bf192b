/*
 * eng_machine.c - the machine-simulator half of the engineering workload:
 * a trace-driven simulation of a CPU's memory system (TLB, two cache
 * levels, memory contents), the kind of architecture study SimOS itself
 * runs.
 *
 * The simulated machine has its own page table in its own memory, a 64-
 * entry 4-way TLB, a 32 KB 2-way L1 with 32-byte lines and a 512 KB 4-way
 * L2 with 64-byte lines. Its "program" is a synthetic reference stream:
 * stack accesses, four sequential streams, random accesses, and a pointer
 * chase through a random linked list stored in the simulated memory (each
 * load's value is the next address). A quarter of the references outside
 * the list are stores that change memory. Simulated memory is a big array
 * of the simulator process and its pages are mapped at random, so even
 * sequential simulated streams touch it all over: many TLB misses on the
 * real machine too.
 */
#include "eng.h"
#include "wl.h"

#define PAGE 4096u
#define L1_SETS 512u
#define L1_WAYS 2u
#define L1_LINE_SHIFT 5
#define L2_SETS 2048u
#define L2_WAYS 4u
#define L2_LINE_SHIFT 6
#define TLB_SETS 16u
#define TLB_WAYS 4u
#define LIST_NODE 64u   /* bytes per linked-list node */

struct way {
	uint32_t tag;       /* line or page number + 1; 0 = empty */
	uint32_t used;      /* time of last use, for LRU */
};

struct machine {
	uint32_t *mem;      /* simulated physical memory */
	uint32_t pt_words;  /* page table: the first words of mem */
	uint32_t vbytes;    /* simulated virtual space */
	struct way tlb[TLB_SETS][TLB_WAYS];
	struct way l1[L1_SETS][L1_WAYS];
	struct way l2[L2_SETS][L2_WAYS];
	uint32_t now;
	uint32_t tlb_misses, l1_misses, l2_misses, loads, stores;
};

/* Look tag up in one set; on a miss, replace the least recently used way.
   Returns 1 on a hit. */
static int lookup(struct way *set, uint32_t ways, uint32_t tag, uint32_t now)
{
	uint32_t victim = 0;

	for (uint32_t w = 0; w < ways; w++) {
		if (set[w].tag == tag) {
			set[w].used = now;
			return 1;
		}
		if (set[w].used < set[victim].used)
			victim = w;
	}
	set[victim].tag = tag;
	set[victim].used = now;
	return 0;
}

static void cache_access(struct machine *m, uint32_t pa)
{
	uint32_t l1 = pa >> L1_LINE_SHIFT, l2 = pa >> L2_LINE_SHIFT;

	if (lookup(m->l1[l1 % L1_SETS], L1_WAYS, l1 + 1, m->now))
		return;
	m->l1_misses++;
	if (!lookup(m->l2[l2 % L2_SETS], L2_WAYS, l2 + 1, m->now))
		m->l2_misses++;
}

/* Virtual to physical: the TLB, or a walk of the page table in memory
   (which goes through the caches like any load). */
static uint32_t translate(struct machine *m, uint32_t va)
{
	uint32_t vpn = va / PAGE;
	struct way *set = m->tlb[vpn % TLB_SETS];

	if (!lookup(set, TLB_WAYS, vpn + 1, m->now)) {
		m->tlb_misses++;
		cache_access(m, vpn * 4);
	}
	return m->mem[vpn] * PAGE + va % PAGE;
}

static uint32_t load(struct machine *m, uint32_t va)
{
	uint32_t pa = translate(m, va & ~3u);

	m->now++;
	m->loads++;
	cache_access(m, pa);
	return m->mem[pa / 4];
}

static void store(struct machine *m, uint32_t va, uint32_t v)
{
	uint32_t pa = translate(m, va & ~3u);

	m->now++;
	m->stores++;
	cache_access(m, pa);
	m->mem[pa / 4] = v;
}

/* Map the virtual pages onto the data pages in a random order, and thread
   the linked list through the upper half of the virtual space. */
static void setup(struct machine *m, uint32_t mem_bytes, uint32_t *r)
{
	uint32_t pages = mem_bytes / PAGE;
	uint32_t pt_pages = (pages * 4 + PAGE - 1) / PAGE;
	uint32_t vpages = pages - pt_pages;

	m->mem = wl_malloc("engineering", mem_bytes);
	memset(m->mem, 0, mem_bytes);
	m->pt_words = vpages;
	m->vbytes = vpages * PAGE;
	for (uint32_t v = 0; v < vpages; v++)
		m->mem[v] = pt_pages + v;
	for (uint32_t v = vpages - 1; v > 0; v--) {
		uint32_t k = wl_randn(r, v + 1), t = m->mem[v];
		m->mem[v] = m->mem[k];
		m->mem[k] = t;
	}

	/* A random cyclic list: a shuffled order of the nodes. */
	uint32_t first = m->vbytes / 2 / LIST_NODE;
	uint32_t nodes = m->vbytes / LIST_NODE - first;
	uint32_t *order = wl_malloc("engineering", nodes * sizeof(uint32_t));
	for (uint32_t i = 0; i < nodes; i++)
		order[i] = first + i;
	for (uint32_t i = nodes - 1; i > 0; i--) {
		uint32_t k = wl_randn(r, i + 1), t = order[i];
		order[i] = order[k];
		order[k] = t;
	}
	for (uint32_t i = 0; i < nodes; i++) {
		uint32_t va = order[i] * LIST_NODE;
		uint32_t pa = m->mem[va / PAGE] * PAGE + va % PAGE;
		m->mem[pa / 4] = order[(i + 1) % nodes] * LIST_NODE;
	}
	free(order);
}

void eng_machine(uint32_t mem_bytes, uint32_t refs, uint32_t seed,
		 char *result, int size)
{
	struct machine *m = wl_malloc("engineering", sizeof(*m));
	uint32_t r = wl_mix(seed ^ 0xABCDEFu) | 1;

	memset(m, 0, sizeof(*m));
	if (mem_bytes < 64 * PAGE)
		mem_bytes = 64 * PAGE;
	setup(m, mem_bytes & ~(PAGE - 1), &r);

	uint32_t half = m->vbytes / 2, stack = half - 8192;
	uint32_t stream[4] = { 0, half / 4, half / 2, half / 4 * 3 };
	uint32_t chase = (m->vbytes / 2 / LIST_NODE) * LIST_NODE;
	uint32_t acc = 0;
	for (uint32_t i = 0; i < refs; i++) {
		uint32_t what = wl_randn(&r, 100), va;
		if (what < 20) {
			/* Pointer chase: the loaded value is the next node. */
			chase = load(m, chase);
			acc += chase;
			continue;
		}
		if (what < 60)
			va = stack + wl_randn(&r, 8192);
		else if (what < 90) {
			uint32_t s = what & 3;
			va = stream[s];
			stream[s] = (stream[s] + 4 + 4 * (s & 1)) % (stack - 4);
		} else
			va = wl_randn(&r, stack);
		if ((what & 3) == 0)
			store(m, va, acc = acc * 31 + i);
		else
			acc += load(m, va);
	}

	uint32_t hash = wl_hash(WL_HASH0, m->mem, mem_bytes & ~(PAGE - 1));
	snprintf(result, size, "machine: %u KB, %u references, %u loads, "
		 "%u stores, TLB misses %u, L1 misses %u, L2 misses %u, "
		 "checksum %08x\n", mem_bytes / 1024, refs, m->loads,
		 m->stores, m->tlb_misses, m->l1_misses, m->l2_misses,
		 wl_hash32(hash, acc));
	free(m->mem);
	free(m);
}
