/*
 * eng.h - the two simulators of the engineering workload.
 *
 * Each runs in its own process, allocates its working set with malloc,
 * and reports its counts and a checksum in one line of text.
 */
#ifndef ENG_H
#define ENG_H

#include <stdint.h>

/* Gate-level logic simulation: gates, clock cycles, netlist seed. */
void eng_logic(uint32_t gates, uint32_t cycles, uint32_t seed,
	       char *result, int size);

/* Machine (memory hierarchy) simulation: bytes of simulated memory,
   references, seed. */
void eng_machine(uint32_t mem_bytes, uint32_t refs, uint32_t seed,
		 char *result, int size);

#endif
