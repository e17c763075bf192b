/*
 * tlb.c - flushing the whole TLB (native HAL).
 *
 * Entry by entry, 64 TLBWIs. The rest of TLB maintenance is the same
 * under the monitor: hal/mips/tlb.c.
 */
#include "hal.h"
#include "machine.h"

void hal_tlb_flush_all(void)
{
	int on = hal_intr_off();
	uint32_t hi = mfc0(10);

	for (uint32_t i = 0; i < TLB_ENTRIES; i++)
		tlb_write_unique(i);
	mtc0(10, hi);
	hal_intr_restore(on);
}
