/*
 * tlb.c: writing and reading the 64-entry TLB (MACHINE.md, "CPU", TLB).
 *
 * An entry maps an even/odd pair of 4 KB pages: EntryHi holds the virtual
 * page pair (VPN2) and the ASID, EntryLo0 and EntryLo1 the two physical
 * pages with their C, D, V, G bits. The TLB instructions take their operands
 * from these CP0 registers, and EntryHi's ASID is also the current address
 * space, so every helper puts the caller's EntryHi back when it is done.
 */
#include "baremetal.h"

void tlb_write_index(int index, uint32_t entryhi, uint32_t lo0, uint32_t lo1)
{
	uint32_t saved = mfc0(CP0_ENTRYHI);

	mtc0(CP0_INDEX, index);
	mtc0(CP0_ENTRYHI, entryhi);
	mtc0(CP0_ENTRYLO0, lo0);
	mtc0(CP0_ENTRYLO1, lo1);
	tlbwi();
	mtc0(CP0_ENTRYHI, saved);
}

void tlb_write_random(uint32_t entryhi, uint32_t lo0, uint32_t lo1)
{
	uint32_t saved = mfc0(CP0_ENTRYHI);

	mtc0(CP0_ENTRYHI, entryhi);
	mtc0(CP0_ENTRYLO0, lo0);
	mtc0(CP0_ENTRYLO1, lo1);
	tlbwr();    /* the index is CP0 Random, somewhere in [Wired, 63] */
	mtc0(CP0_ENTRYHI, saved);
}

void tlb_read(int index, uint32_t *entryhi, uint32_t *lo0, uint32_t *lo1)
{
	uint32_t saved = mfc0(CP0_ENTRYHI);

	mtc0(CP0_INDEX, index);
	tlbr();
	*entryhi = mfc0(CP0_ENTRYHI);
	*lo0 = mfc0(CP0_ENTRYLO0);
	*lo1 = mfc0(CP0_ENTRYLO1);
	mtc0(CP0_ENTRYHI, saved);
}

int tlb_probe(uint32_t entryhi)
{
	uint32_t saved = mfc0(CP0_ENTRYHI);
	uint32_t index;

	mtc0(CP0_ENTRYHI, entryhi);
	tlbp();
	index = mfc0(CP0_INDEX);
	mtc0(CP0_ENTRYHI, saved);
	return (index & INDEX_P) ? -1 : (int)(index & 63);
}

/* Point every entry at a distinct kseg0 address: kseg0 is never translated,
   so these entries can never match, and distinct VPN2s mean no two entries
   match the same address (which the machine counts as a fault). */
void tlb_invalidate_all(void)
{
	for (int i = 0; i < TLB_ENTRIES; i++)
		tlb_write_index(i, KSEG0_BASE + i * 2 * PAGE_SIZE, 0, 0);
}
