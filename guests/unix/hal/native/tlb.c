/*
 * tlb.c - TLB maintenance (native HAL).
 *
 * The TLB has 64 entries, each mapping an even/odd pair of 4 KB pages for
 * one ASID (MACHINE.md "TLB"). An entry that must not match anything is
 * given a VPN2 in kseg0, which is never translated, and a distinct one per
 * index: two entries that match the same address are an error the machine
 * counts (software must never do that).
 *
 * These run with interrupts off: they change EntryHi, which also holds the
 * current ASID, and restore it before returning.
 */
#include "hal.h"
#include "mips.h"

static inline void tlb_write_unique(uint32_t index)
{
	mtc0(10, 0x80000000u + (index << 13));   /* EntryHi: kseg0 VPN2 */
	mtc0(2, 0);
	mtc0(3, 0);
	mtc0(0, index);
	__asm__ volatile("tlbwi" ::: "memory");
}

void hal_set_asid(unsigned asid)
{
	mtc0(10, asid & HAL_ASID_MASK);
}

void hal_tlb_flush_all(void)
{
	int on = hal_intr_off();
	uint32_t hi = mfc0(10);

	for (uint32_t i = 0; i < TLB_ENTRIES; i++)
		tlb_write_unique(i);
	mtc0(10, hi);
	hal_intr_restore(on);
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
	uint32_t hi = mfc0(10);
	int i = tlb_probe(va, asid);

	if (i >= 0)
		tlb_write_unique(i);
	mtc0(10, hi);
	hal_intr_restore(on);
}

void hal_tlb_update(uint32_t va, unsigned asid, uint32_t lo0, uint32_t lo1)
{
	int on = hal_intr_off();
	uint32_t hi = mfc0(10);
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
