/*
 * discohal.h - the virtual machine as numbers, for the disco HAL only.
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
 * cost of those traps. Included by C and assembly files of hal/disco.
 */
#ifndef HAL_DISCO_DISCOHAL_H
#define HAL_DISCO_DISCOHAL_H

#include "disco/abi.h"

#ifndef HALPAGE
#error "build with -DHALPAGE=0 or -DHALPAGE=1 (guests/unix/disco.mk)"
#endif

/* CP0 registers. */
#define C0_INDEX     $0
#define C0_ENTRYLO0  $2
#define C0_ENTRYLO1  $3
#define C0_CONTEXT   $4
#define C0_BADVADDR  $8
#define C0_ENTRYHI   $10
#define C0_STATUS    $12
#define C0_CAUSE     $13
#define C0_EPC       $14

/* Status and Cause fields. */
#define ST_IE        0x00000001
#define ST_EXL       0x00000002
#define ST_ERL       0x00000004
#define ST_KSU_MASK  0x00000018
#define ST_KSU_USER  0x00000010
#define ST_IM_MASK   0x0000FF00
#define ST_IM(n)     (1 << (8 + (n)))
#define CAUSE_IP_MASK 0x0000FF00

#define INDEX_P      0x80000000
#define TLB_ENTRIES  64
#define HAL_MAXCPU   32

/* The HAL page is the last page below 0xE0000000, so assembly reaches word
   i as "lui r, 0xE000" then "lw x, HP_OFF(i)(r)" (abi.h has the layout;
   its MC_HALPAGE has a C suffix the assembler does not take). */
#define HP_HI        0xE000
#define HP_OFF(i)    ((i) * 4 - 4096)

/* struct trapframe offsets (hal.h). */
#define TF_REG(n)    ((n) * 4)
#define TF_HI        128
#define TF_LO        132
#define TF_EPC       136
#define TF_STATUS    140
#define TF_CAUSE     144
#define TF_BADVADDR  148
#define TF_SIZE      160

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

#else /* C */

#include <stdint.h>

_Static_assert(MC_HALPAGE == 0xE0000000u - 4096, "HP_OFF assumes the last page");

#define mfc0(reg) ({ uint32_t v_; \
	__asm__ volatile("mfc0 %0, $" #reg : "=r"(v_)); v_; })
#define mtc0(reg, v) \
	__asm__ volatile("mtc0 %0, $" #reg : : "r"((uint32_t)(v)) : "memory")

/* The HAL page: volatile, since the monitor rewrites it at every trap. */
#define halpage ((volatile uint32_t *)MC_HALPAGE)

/* A compiler barrier: memory accesses stay on their side of an interrupt
   enable or disable done by a plain store. */
#define barrier() __asm__ volatile("" ::: "memory")

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
