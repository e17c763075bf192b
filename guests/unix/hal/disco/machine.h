/*
 * machine.h - the virtual machine as numbers, for the disco HAL only.
 *
 * Under the monitor the kernel runs in supervisor mode: every mfc0, mtc0,
 * tlbw*, tlbp, eret and wait traps and is emulated on the vCPU's virtual
 * CP0 (paper section 4.2.1), and devices are monitor calls (a SYSCALL in
 * supervisor mode, guests/include/disco/abi.h). Both cost a trap, so this
 * header gives the HAL two ways to reach the frequently used privileged
 * registers, chosen at build time:
 *
 *   HALPAGE=1  loads and stores to the vCPU's privileged-register page at
 *              0xDFFFF000, which the monitor fills before every return to
 *              the guest and reads back at every trap (the paper's "HAL
 *              patches", section 4: frequent privileged-register accesses
 *              become loads and stores to a special page);
 *   HALPAGE=0  the same mfc0/mtc0 as the native HAL, emulated.
 *
 * Everything else is the same in both builds, so their difference is the
 * cost of those traps. The CPU's own numbers are in hal/mips/mips.h,
 * shared with the native HAL. Included by C and assembly files of
 * hal/disco and hal/mips.
 */
#ifndef HAL_DISCO_MACHINE_H
#define HAL_DISCO_MACHINE_H

#include "disco/abi.h"
#include "mips.h"

#ifndef HALPAGE
#error "build with -DHALPAGE=0 or -DHALPAGE=1 (guests/unix/disco.mk)"
#endif

/* The HAL page is the last page below 0xE0000000, so assembly reaches word
   i as "lui r, 0xE000" then "lw x, HP_OFF(i)(r)" (abi.h has the layout;
   its MC_HALPAGE has a C suffix the assembler does not take). */
#define HP_HI        0xE000
#define HP_OFF(i)    ((i) * 4 - 4096)

#ifdef __ASSEMBLER__

/* GETREG r, i, c0: r = privileged register i of the HAL page, or mfc0 c0.
   (Assembler macros: a multi-line C macro cannot hold a newline.) */
	.macro GETREG r, i, c0
#if HALPAGE
	lui	\r, HP_HI
	lw	\r, HP_OFF(\i)(\r)
#else
	mfc0	\r, \c0
#endif
	.endm

/* Whether hal/mips/start.S clears .bss. Not in a VM: the monitor loads
   the kernel with its bss zero (a page the VM has never touched is a
   fresh zero page, MACHINE.md "Loading"), and a store to every word
   would back all of it with machine pages -- 1.5 MB per VM, mostly the
   kernel stacks of processes that never run. Left untouched, a bss page
   costs machine memory only once the kernel uses it (the paper, 5.3:
   the footprint of each VM is what it touches). */
#define HAL_CLEAR_BSS 0

/* hal/mips/start.S runs this first, while the virtual Status.BEV is still
   1. With HALPAGE, touch the HAL page: if the monitor does not map it
   ([monitor] halpage = off), the access is an exception with BEV = 1, and
   the monitor stops the VM at once as a double fault at this address,
   instead of the kernel failing obscurely later. */
	.macro RESET_CHECK
#if HALPAGE
	lui	$t0, HP_HI
	lw	$t0, HP_OFF(HALPAGE_CPUID)($t0)
#endif
	.endm

#else /* C */

_Static_assert(MC_HALPAGE == 0xE0000000u - 4096, "HP_OFF assumes the last page");

/* The HAL page: volatile, since the monitor rewrites it at every trap. */
#define halpage ((volatile uint32_t *)MC_HALPAGE)

/* A compiler barrier: memory accesses stay on their side of an interrupt
   enable or disable done by a plain store. */
#define barrier() __asm__ volatile("" ::: "memory")

/* EntryHi, to restore the ASID after a probe (hal/mips/tlb.c): the page
   holds it as of the last trap, and only a trap changes it. */
#if HALPAGE
#define entryhi() halpage[HALPAGE_ENTRYHI]
#else
#define entryhi() mfc0(10)
#endif

/*
 * A monitor call: SYSCALL in supervisor mode, v0 = number, a0..a3, result
 * in v0 (and v1). The monitor changes nothing else, but the guest's memory
 * may change (a disk DMA, a zeroed page): hence "memory".
 */
static inline uint32_t mcall4(uint32_t nr, uint32_t a, uint32_t b, uint32_t c,
			      uint32_t d, uint32_t *hi)
{
	register uint32_t v0 __asm__("$2") = nr;
	register uint32_t v1 __asm__("$3");
	register uint32_t a0 __asm__("$4") = a;
	register uint32_t a1 __asm__("$5") = b;
	register uint32_t a2 __asm__("$6") = c;
	register uint32_t a3 __asm__("$7") = d;

	__asm__ volatile("syscall"
			 : "+r"(v0), "=r"(v1)
			 : "r"(a0), "r"(a1), "r"(a2), "r"(a3)
			 : "memory");
	if (hi)
		*hi = v1;
	return v0;
}

static inline uint32_t mcall(uint32_t nr, uint32_t a)
{
	return mcall4(nr, a, 0, 0, 0, 0);
}

/* Send the console's buffered partial line (devices.c), before a halt. */
void hal_cons_flush(void);

#endif /* __ASSEMBLER__ */

#endif
