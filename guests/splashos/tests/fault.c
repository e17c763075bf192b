/*
 * fault.c - SPLASHOS's exception path, checked by check.sh: after a
 * barrier, the last CPU loads from an unmapped kuseg address. SPLASHOS
 * has no virtual memory, so the TLB refill must end the run with a clear
 * message and status SOS_EXIT_FAULT, never a hang or a double fault.
 */
#include "splashos.h"

int sos_main(int cpu)
{
	sos_barrier();
	if (cpu == sos_ncpus() - 1) {
		volatile uint32_t *bad = (volatile uint32_t *)0x00400000;
		sos_printf("fault: CPU %d loads from %x\n", cpu, (uint32_t)bad);
		return *bad;
	}
	for (;;)   /* the others wait for the halt */
		;
}
