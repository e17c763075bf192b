/*
 * tlb: the TLB and its exceptions, MACHINE.md "CPU" (TLB, vectors).
 *
 * Checks TLBWI/TLBR/TLBP/TLBWR, Random within [Wired, 63], the refill
 * exception (refill vector, BadVAddr, EntryHi, Context), TLB invalid and
 * TLB modified (general vector), ASID matching and the G bit, and finally a
 * software refill handler that maps 512 pages from a page table.
 */
#include "baremetal.h"

/* Load and store with the memory instruction first, so EPC can be checked. */
uint32_t tlb_lw(uint32_t addr);
void tlb_sw(uint32_t addr, uint32_t value);
__asm__(".text\n"
	".set push\n"
	".set noreorder\n"
	".globl tlb_lw\n"
	"tlb_lw:\n"
	"	lw	$v0, 0($a0)\n"
	"	jr	$ra\n"
	"	nop\n"
	".globl tlb_sw\n"
	"tlb_sw:\n"
	"	sw	$a1, 0($a0)\n"
	"	jr	$ra\n"
	"	nop\n"
	".set pop\n");

#define PTEBASE   0x81000000   /* Context bits 31..23, chosen by software */
#define VA_BASE   0x10000000   /* kuseg addresses for the single-page checks */
#define PT_VA     0x20000000   /* the page-table region */
#define PT_PAGES  512
#define CACHED    ENTRYLO_C_CACHED

/* What the handler does with a TLB exception. */
enum handler_mode {
	MAP,         /* install `pending` with TLBWR and retry the access */
	SKIP,        /* skip the faulting instruction */
	SET_DIRTY,   /* set D in the matching entry and retry */
	PAGE_TABLE,  /* refill from page_table[] and retry */
};

static volatile enum handler_mode mode;
static volatile uint32_t pending_lo0, pending_lo1;
static volatile struct {
	uint32_t count;
	uint32_t code, vector, epc, badvaddr, entryhi, context;
} seen;
static volatile uint32_t refills;

/* Page table for PT_VA: one EntryLo pair per virtual page pair. */
static struct {
	uint32_t lo0, lo1;
} page_table[PT_PAGES / 2];

/* Physical page n of the untouched memory above the program. */
static uint32_t free_page(int n)
{
	return kva_to_pa(__free_start) + n * PAGE_SIZE;
}

static void refill_from_page_table(struct trapframe *tf)
{
	uint32_t context = mfc0(CP0_CONTEXT);
	uint32_t vpn2 = (context & CONTEXT_BADVPN2) >> 4;
	uint32_t i = vpn2 - (PT_VA >> 13);

	if (tf->vector != VECTOR_REFILL || i >= PT_PAGES / 2) {
		printf("page-table refill: unexpected ");
		trap_dump(tf);
		halt(1);
	}
	/* EntryHi already holds the missing VPN2 and the current ASID. */
	mtc0(CP0_ENTRYLO0, page_table[i].lo0);
	mtc0(CP0_ENTRYLO1, page_table[i].lo1);
	tlbwr();
	refills++;
}

static void set_dirty(struct trapframe *tf)
{
	uint32_t lo;

	tlbp();                         /* EntryHi was set by the exception */
	tlbr();
	if (tf->badvaddr & PAGE_SIZE) { /* odd page of the pair */
		lo = mfc0(CP0_ENTRYLO1);
		mtc0(CP0_ENTRYLO1, lo | ENTRYLO_D);
	} else {
		lo = mfc0(CP0_ENTRYLO0);
		mtc0(CP0_ENTRYLO0, lo | ENTRYLO_D);
	}
	tlbwi();
}

void handle_exception(struct trapframe *tf)
{
	uint32_t code = exc_code(tf);

	if (code != EXC_TLBL && code != EXC_TLBS && code != EXC_MOD) {
		printf("unexpected ");
		trap_dump(tf);
		halt(1);
	}
	if (mode == PAGE_TABLE) {
		refill_from_page_table(tf);
		return;
	}
	seen.count++;
	seen.code = code;
	seen.vector = tf->vector;
	seen.epc = tf->epc;
	seen.badvaddr = tf->badvaddr;
	seen.entryhi = mfc0(CP0_ENTRYHI);
	seen.context = mfc0(CP0_CONTEXT);

	if (mode == MAP) {
		mtc0(CP0_ENTRYLO0, pending_lo0);
		mtc0(CP0_ENTRYLO1, pending_lo1);
		tlbwr();
	} else if (mode == SET_DIRTY) {
		set_dirty(tf);
	} else {
		tf->epc += 4;
	}
}

static void reset_record(enum handler_mode m)
{
	mode = m;
	seen.count = 0;
	seen.code = seen.vector = seen.epc = seen.badvaddr = 0xDEADBEEF;
}

/* Expect one TLB exception of `code` through `vector` for an access at va
   made by the instruction at epc, with ASID asid in EntryHi. */
static void expect(const char *what, uint32_t code, uint32_t vector,
		   uint32_t epc, uint32_t va, uint32_t asid)
{
	int ok = seen.count == 1 && seen.code == code && seen.vector == vector &&
		 seen.epc == epc && seen.badvaddr == va;

	if (!ok)
		printf("       want one %s via %s at %08x for %08x; got %u, "
		       "last %s via vector %u at %08x for %08x\n",
		       exc_name(code), vector == VECTOR_REFILL ? "refill" : "general",
		       epc, va, seen.count, exc_name(seen.code), seen.vector,
		       seen.epc, seen.badvaddr);
	check(ok, what);
	if (seen.count == 1) {
		check_eq(seen.entryhi, (va & ENTRYHI_VPN2) | asid,
			 "  EntryHi = VPN2 of BadVAddr | current ASID");
		check_eq(seen.context,
			 PTEBASE | ((va >> 13) << 4),
			 "  Context = PTEBase | BadVPN2");
	}
}

static void instructions(void)
{
	uint32_t hi, lo0, lo1, r;
	uint32_t a = VA_BASE + 0x100000;

	printf("TLB instructions:\n");
	tlb_write_index(5, a | 0x12,
			entrylo(free_page(0), CACHED | ENTRYLO_D | ENTRYLO_V),
			entrylo(free_page(1), CACHED | ENTRYLO_V));
	tlb_read(5, &hi, &lo0, &lo1);
	check_eq(hi, a | 0x12, "TLBR reads back EntryHi (VPN2 | ASID)");
	check_eq(lo0, entrylo(free_page(0), CACHED | ENTRYLO_D | ENTRYLO_V),
		 "TLBR reads back EntryLo0");
	check_eq(lo1, entrylo(free_page(1), CACHED | ENTRYLO_V),
		 "TLBR reads back EntryLo1");
	check_eq(mfc0(CP0_PAGEMASK), 0, "PageMask reads 0");
	check_eq(tlb_probe(a | 0x12), 5, "TLBP finds the entry");
	check_eq(tlb_probe(a | 0x12 | PAGE_SIZE), 5,
		 "TLBP matches the odd page of the pair too");
	check_eq(tlb_probe(a | 0x13), (uint32_t)-1,
		 "TLBP with another ASID: no match (Index.P set)");
	check_eq(tlb_probe(a + 2 * PAGE_SIZE), (uint32_t)-1,
		 "TLBP of another VPN2: no match");

	tlb_write_index(6, (a + 2 * PAGE_SIZE) | 0x12,
			entrylo(free_page(0), CACHED | ENTRYLO_V | ENTRYLO_G),
			entrylo(free_page(1), CACHED | ENTRYLO_V | ENTRYLO_G));
	check_eq(tlb_probe((a + 2 * PAGE_SIZE) | 0x55), 6,
		 "TLBP of a global entry matches any ASID");
	tlb_read(6, &hi, &lo0, &lo1);
	check((lo0 & ENTRYLO_G) && (lo1 & ENTRYLO_G),
	      "TLBR of a global entry: G set in both EntryLo");

	/* MIPS32: writing Wired sets Random to 63; then it counts down. */
	mtc0(CP0_WIRED, 8);
	r = mfc0(CP0_RANDOM);
	check(r >= 56 && r <= 63, "Random starts near 63 after writing Wired");
	int in_range = 1, changes = 0;
	uint32_t last = r;
	for (int i = 0; i < 200; i++) {
		r = mfc0(CP0_RANDOM);
		if (r < 8 || r > 63)
			in_range = 0;
		if (r != last)
			changes++;
		last = r;
	}
	check(in_range, "Random stays within [Wired = 8, 63]");
	check(changes > 100, "Random changes as instructions retire");

	/* TLBWR never touches the wired entries 0..7. */
	for (int i = 0; i < 8; i++)
		tlb_write_index(i, VA_BASE + 0x200000 + i * 2 * PAGE_SIZE,
				ENTRYLO_G, ENTRYLO_G);
	int above_wired = 1;
	for (int i = 0; i < 40; i++) {
		uint32_t h = VA_BASE + 0x300000 + i * 2 * PAGE_SIZE;
		tlb_write_random(h, ENTRYLO_G, ENTRYLO_G);
		int idx = tlb_probe(h);
		if (idx < 8)
			above_wired = 0;
	}
	check(above_wired, "TLBWR writes at an index in [Wired, 63]");
	int wired_kept = 1;
	for (int i = 0; i < 8; i++) {
		tlb_read(i, &hi, &lo0, &lo1);
		if (hi != (uint32_t)(VA_BASE + 0x200000 + i * 2 * PAGE_SIZE))
			wired_kept = 0;
	}
	check(wired_kept, "wired entries survive 40 TLBWRs");
	mtc0(CP0_WIRED, 0);
	tlb_invalidate_all();
}

static void exceptions(void)
{
	uint32_t va, r;
	volatile uint32_t *page;

	printf("TLB exceptions:\n");
	/* Refill on a load: refill vector; the handler maps the page. */
	va = VA_BASE + 0x10;
	page = pa_to_kva(free_page(2));
	page[4] = 0xCAFE0001;
	reset_record(MAP);
	pending_lo0 = entrylo(free_page(2), CACHED | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
	pending_lo1 = ENTRYLO_G;
	r = tlb_lw(va);
	expect("load miss: TLBL through the refill vector", EXC_TLBL,
	       VECTOR_REFILL, (uint32_t)tlb_lw, va, 0);
	check_eq(r, 0xCAFE0001, "the retried load reads the mapped page");

	/* Refill on a store. */
	va = VA_BASE + 0x2000 + 0x20;
	page = pa_to_kva(free_page(3));
	reset_record(MAP);
	pending_lo0 = entrylo(free_page(3), CACHED | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
	tlb_sw(va, 0xCAFE0002);
	expect("store miss: TLBS through the refill vector", EXC_TLBS,
	       VECTOR_REFILL, (uint32_t)tlb_sw, va, 0);
	check_eq(page[8], 0xCAFE0002, "the retried store writes the mapped page");

	/* Kernel segment kseg3 is mapped too: refill vector as well. */
	va = KSEG3_BASE + 0x10;
	reset_record(MAP);
	pending_lo0 = entrylo(free_page(2), CACHED | ENTRYLO_V | ENTRYLO_G);
	r = tlb_lw(va);
	expect("kseg3 load miss: TLBL through the refill vector", EXC_TLBL,
	       VECTOR_REFILL, (uint32_t)tlb_lw, va, 0);
	check_eq(r, 0xCAFE0001, "the retried kseg3 load reads the mapped page");

	/* An entry that matches but has V = 0: general vector. */
	va = VA_BASE + 0x4000;
	tlb_write_index(10, va, entrylo(free_page(4), CACHED | ENTRYLO_G),
			entrylo(free_page(5), CACHED | ENTRYLO_G));
	reset_record(SKIP);
	tlb_lw(va);
	expect("load of an invalid entry: TLBL through the general vector",
	       EXC_TLBL, VECTOR_GENERAL, (uint32_t)tlb_lw, va, 0);
	reset_record(SKIP);
	tlb_sw(va + PAGE_SIZE, 1);
	expect("store to an invalid entry: TLBS through the general vector",
	       EXC_TLBS, VECTOR_GENERAL, (uint32_t)tlb_sw, va + PAGE_SIZE, 0);

	/* Valid but D = 0: loads work, stores raise Mod. */
	va = VA_BASE + 0x6000;
	page = pa_to_kva(free_page(7));
	page[0] = 0x0D0D0D0D;
	tlb_write_index(11, va, entrylo(free_page(6), CACHED | ENTRYLO_V | ENTRYLO_G),
			entrylo(free_page(7), CACHED | ENTRYLO_V | ENTRYLO_G));
	reset_record(SET_DIRTY);
	r = tlb_lw(va + PAGE_SIZE);
	check(seen.count == 0 && r == 0x0D0D0D0D, "load from a clean page works");
	tlb_sw(va + PAGE_SIZE, 0xD1D1D1D1);
	expect("store to a clean page (D = 0): Mod through the general vector",
	       EXC_MOD, VECTOR_GENERAL, (uint32_t)tlb_sw, va + PAGE_SIZE, 0);
	check_eq(page[0], 0xD1D1D1D1, "the store completes once D is set");
}

static void asids(void)
{
	uint32_t va = VA_BASE + 0x8000, gva = VA_BASE + 0xA000, r;
	volatile uint32_t *page = pa_to_kva(free_page(8));

	printf("ASIDs and the G bit:\n");
	page[0] = 0xA5A5A5A5;
	tlb_write_index(12, va | 5, entrylo(free_page(8), CACHED | ENTRYLO_V), 0);
	tlb_write_index(13, gva | 5,
			entrylo(free_page(8), CACHED | ENTRYLO_V | ENTRYLO_G),
			ENTRYLO_G);

	mtc0(CP0_ENTRYHI, 5);
	reset_record(SKIP);
	r = tlb_lw(va);
	check(seen.count == 0 && r == 0xA5A5A5A5, "ASID 5 reaches its ASID-5 page");

	mtc0(CP0_ENTRYHI, 6);
	reset_record(SKIP);
	tlb_lw(va);
	expect("ASID 6 misses on the ASID-5 entry: refill", EXC_TLBL,
	       VECTOR_REFILL, (uint32_t)tlb_lw, va, 6);

	reset_record(SKIP);
	r = tlb_lw(gva);
	check(seen.count == 0 && r == 0xA5A5A5A5,
	      "ASID 6 reaches a global entry written with ASID 5");
	mtc0(CP0_ENTRYHI, 0);
}

static void software_refill(void)
{
	int ok = 1;

	printf("software refill from a page table (%d pages, 64 TLB entries):\n",
	       PT_PAGES);
	/* Virtual page i of PT_VA is physical free page 16 + i. */
	for (int i = 0; i < PT_PAGES / 2; i++) {
		page_table[i].lo0 = entrylo(free_page(16 + 2 * i),
					    CACHED | ENTRYLO_D | ENTRYLO_V);
		page_table[i].lo1 = entrylo(free_page(16 + 2 * i + 1),
					    CACHED | ENTRYLO_D | ENTRYLO_V);
	}
	tlb_invalidate_all();
	refills = 0;
	mode = PAGE_TABLE;

	for (int i = 0; i < PT_PAGES; i++) {
		volatile uint32_t *p = (volatile uint32_t *)(PT_VA + i * PAGE_SIZE);
		p[i % 1024] = 0x50000000 + i;
	}
	for (int i = 0; i < PT_PAGES; i++) {
		volatile uint32_t *p = (volatile uint32_t *)(PT_VA + i * PAGE_SIZE);
		if (p[i % 1024] != 0x50000000 + (uint32_t)i)
			ok = 0;
	}
	check(ok, "every page reads back what was written through the TLB");
	ok = 1;
	for (int i = 0; i < PT_PAGES; i++) {
		volatile uint32_t *p = pa_to_kva(free_page(16 + i));
		if (p[i % 1024] != 0x50000000 + (uint32_t)i)
			ok = 0;
	}
	check(ok, "each write landed in the physical page the table says");
	printf("       %u refills\n", refills);
	check(refills >= PT_PAGES / 2 + PT_PAGES / 2 - 64,
	      "at least one refill per page pair and pass, less 64 still mapped");
	mode = SKIP;
}

int main(void)
{
	printf("tlb: checking TLB instructions, exceptions, ASIDs, refill\n");
	mtc0(CP0_ENTRYHI, 0);
	mtc0(CP0_WIRED, 0);
	mtc0(CP0_CONTEXT, PTEBASE);
	tlb_invalidate_all();

	instructions();
	exceptions();
	asids();
	software_refill();
	return checks_report("tlb");
}
