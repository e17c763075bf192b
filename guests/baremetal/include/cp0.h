/*
 * cp0.h: access to coprocessor 0, the MIPS system control registers.
 *
 * CP0 registers are read with MFC0 and written with MTC0. The register number
 * (and "select") is encoded in the instruction itself, so these helpers must be
 * inlined with constant arguments; always_inline makes sure they are.
 * Register numbers and fields are in machine.h (MACHINE.md, "CPU").
 */
#ifndef BAREMETAL_CP0_H
#define BAREMETAL_CP0_H

#include <stdint.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE uint32_t mfc0(int reg)
{
	uint32_t v;
	__asm__ volatile("mfc0 %0, $%1" : "=r"(v) : "i"(reg));
	return v;
}

ALWAYS_INLINE uint32_t mfc0_sel(int reg, int sel)
{
	uint32_t v;
	__asm__ volatile("mfc0 %0, $%1, %2" : "=r"(v) : "i"(reg), "i"(sel));
	return v;
}

/* The "memory" clobber keeps the compiler from moving loads and stores
   across a CP0 write: writing EntryHi or Status changes how they behave. */
ALWAYS_INLINE void mtc0(int reg, uint32_t v)
{
	__asm__ volatile("mtc0 %0, $%1" : : "r"(v), "i"(reg) : "memory");
}

/* TLB instructions (MIPS32): they work on Index, EntryHi, EntryLo0/1. */
ALWAYS_INLINE void tlbwi(void) { __asm__ volatile("tlbwi" ::: "memory"); }
ALWAYS_INLINE void tlbwr(void) { __asm__ volatile("tlbwr" ::: "memory"); }
ALWAYS_INLINE void tlbp(void)  { __asm__ volatile("tlbp" ::: "memory"); }
ALWAYS_INLINE void tlbr(void)  { __asm__ volatile("tlbr" ::: "memory"); }

/* WAIT: idle until an interrupt is pending, even a masked one. */
ALWAYS_INLINE void wait_for_interrupt(void) { __asm__ volatile("wait" ::: "memory"); }

/* SYNC: a memory barrier, for the compiler as much as for the machine. */
ALWAYS_INLINE void sync(void) { __asm__ volatile("sync" ::: "memory"); }

#endif
