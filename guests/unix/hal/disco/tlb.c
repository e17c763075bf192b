/*
 * tlb.c - flushing the whole TLB (disco HAL).
 *
 * The guest's TLB is the monitor's virtual TLB: TLBWI, TLBP and the EntryHi
 * and EntryLo writes are emulated (paper section 4.2.2), which is what
 * makes TLB writes expensive in a VM. The native code is kept for one
 * entry (hal/mips/tlb.c); a whole flush, 64 emulated writes natively, is
 * one MC_TLB_FLUSH (a HAL patch of the kind the paper describes in
 * section 4).
 */
#include "hal.h"
#include "machine.h"

void hal_tlb_flush_all(void)
{
	mcall(MC_TLB_FLUSH, 0);
}
