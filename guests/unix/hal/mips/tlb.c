/*
 * tlb.c - TLB maintenance (both HALs).
 *
 * The TLB has 64 entries, each mapping an even/odd pair of 4 KB pages for
 * one ASID (MACHINE.md "TLB"). Under the monitor it is the vCPU's virtual
 * TLB: TLBWI, TLBP and the EntryHi and EntryLo writes are emulated (paper
 * section 4.2.2), the same instructions. Only a whole flush (tlb.c of each
 * HAL) and reading EntryHi back (entryhi(), machine.h) differ.
 *
 * These run with interrupts off: they change EntryHi, which also holds the
 * current ASID, and restore it before returning.
 */
#include "hal.h"
#include "machine.h"

void hal_set_asid(unsigned asid)
{
	/* A trap even with the HAL page: the monitor must load the new ASID
	   into the real EntryHi (guest ASIDs are used as they are). */
	mtc0(10, asid & HAL_ASID_MASK);
}

/* TLBP for va's pair under asid: the index, or -1. Leaves EntryHi set. */
static int tlb_probe(uint32_t va, unsigned asid)
{
	uint32_t index;

	mtc0(10, (va & 0xFFFFE000u) | (asid & HAL_ASID_MASK));
	__asm__ volatile("tlbp" ::: "memory");
	index = mfc0(0);
	return (index & INDEX_P) ? -1 : (int)(index & 63);
}

void hal_tlb_invalidate(uint32_t va, unsigned asid)
{
	int on = hal_intr_off();
	uint32_t hi = entryhi();
	int i = tlb_probe(va, asid);

	if (i >= 0)
		tlb_write_unique(i);
	mtc0(10, hi);
	hal_intr_restore(on);
}

void hal_tlb_update(uint32_t va, unsigned asid, uint32_t lo0, uint32_t lo1)
{
	int on = hal_intr_off();
	uint32_t hi = entryhi();
	int i = tlb_probe(va, asid);

	if (i >= 0) {
		/* EntryHi still holds va's VPN2 | asid from the probe. */
		mtc0(2, lo0);
		mtc0(3, lo1);
		__asm__ volatile("tlbwi" ::: "memory");
	}
	mtc0(10, hi);
	hal_intr_restore(on);
}
