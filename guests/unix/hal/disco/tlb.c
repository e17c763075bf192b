/*
 * tlb.c - TLB maintenance (disco HAL).
 *
 * The guest's TLB is the monitor's virtual TLB: TLBWI, TLBP and the EntryHi
 * and EntryLo writes are emulated (paper section 4.2.2), which is what
 * makes TLB writes expensive in a VM. The native code is kept for one
 * entry; a whole flush, 64 emulated writes natively, is one MC_TLB_FLUSH
 * (a HAL patch of the kind the paper describes in section 4).
 *
 * As natively, these run with interrupts off and restore EntryHi, which
 * also holds the current ASID.
 */
#include "hal.h"
#include "discohal.h"

/* EntryHi, to restore the ASID after a probe: the page holds it as of the
   last trap, and only a trap changes it. */
#if HALPAGE
#define entryhi() halpage[HALPAGE_ENTRYHI]
#else
#define entryhi() mfc0(10)
#endif

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
	/* A trap even with the HAL page: the monitor must load the new ASID
	   into the real EntryHi (guest ASIDs are used as they are). */
	mtc0(10, asid & HAL_ASID_MASK);
}

void hal_tlb_flush_all(void)
{
	mcall(MC_TLB_FLUSH, 0);
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
