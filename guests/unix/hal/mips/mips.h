/*
 * mips.h - the MIPS CPU as numbers, shared by both HALs.
 *
 * CP0 register numbers and fields, the TLB's size, the trap frame's layout
 * (MACHINE.md "CPU", "TLB"): what does not depend on the machine the CPU
 * sits in. Each HAL's machine.h includes it and adds how that machine's
 * devices and privileged registers are reached. Included by C and assembly
 * files of hal/; nothing else in the kernel may include it. The C part
 * (CP0 access) needs inline asm, which is exactly what must stay inside
 * the HAL.
 */
#ifndef HAL_MIPS_MIPS_H
#define HAL_MIPS_MIPS_H

/* CP0 registers. */
#define C0_INDEX     $0
#define C0_ENTRYLO0  $2
#define C0_ENTRYLO1  $3
#define C0_CONTEXT   $4
#define C0_WIRED     $6
#define C0_BADVADDR  $8
#define C0_COUNT     $9
#define C0_ENTRYHI   $10
#define C0_COMPARE   $11
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
#define ST_BEV       0x00400000
#define CAUSE_IP_MASK 0x0000FF00

#define INDEX_P      0x80000000
#define TLB_ENTRIES  64
#define HAL_MAXCPU   32

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

/*
 * The general registers of a trap frame at $sp, for vectors.S. Not $0
 * (always zero), $k0/$k1 (the o32 ABI gives them to exception handlers,
 * which have used them by now) nor $sp, which the handler saves itself
 * (TF_REG(29)) because the frame is on the new stack. HI and LO go
 * through $t0, saved already.
 */
	.macro SAVE_GPRS
	.irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	sw	$\r, TF_REG(\r)($sp)
	.endr
	mfhi	$t0
	sw	$t0, TF_HI($sp)
	mflo	$t0
	sw	$t0, TF_LO($sp)
	.endm

/* The reverse, and $sp last: it is the base register. Then only ERET. */
	.macro RESTORE_GPRS
	lw	$t0, TF_HI($sp)
	mthi	$t0
	lw	$t0, TF_LO($sp)
	mtlo	$t0
	.irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	lw	$\r, TF_REG(\r)($sp)
	.endr
	lw	$sp, TF_REG(29)($sp)
	.endm

#else /* C */

#include <stdint.h>

#define mfc0(reg) ({ uint32_t v_; \
	__asm__ volatile("mfc0 %0, $" #reg : "=r"(v_)); v_; })
#define mtc0(reg, v) \
	__asm__ volatile("mtc0 %0, $" #reg : : "r"((uint32_t)(v)) : "memory")

/*
 * Make TLB entry index match nothing: a VPN2 in kseg0, which is never
 * translated, and a distinct one per index, since two entries that match
 * the same address are an error the machine counts (software must never
 * do that). Changes EntryHi; the caller restores it.
 */
static inline void tlb_write_unique(uint32_t index)
{
	mtc0(10, 0x80000000u + (index << 13));   /* EntryHi: kseg0 VPN2 */
	mtc0(2, 0);
	mtc0(3, 0);
	mtc0(0, index);
	__asm__ volatile("tlbwi" ::: "memory");
}

#endif /* __ASSEMBLER__ */

#endif
