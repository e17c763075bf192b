/*
 * start.S - where every vCPU begins (disco HAL).
 *
 * The monitor starts vCPU 0 as a real CPU 0 leaves reset (MACHINE.md),
 * in the guest's kernel mode (supervisor mode really) with the virtual
 * Status.BEV = 1, $a0 = 0, $a1 = vCPUs, $a2 = memory bytes; vCPUs started
 * by MC_CPU_START come here with $a0 = their number. From there on it is
 * the native start: clear BEV (an emulated mtc0), clear .bss, take the
 * vCPU's boot stack, call hal_boot.
 */
#include "discohal.h"

#define BOOT_STACK_SHIFT 13              /* 8 KB per CPU */

	.set noreorder

	.section .text.start, "ax"
	.globl _start
	.ent _start
_start:
#if HALPAGE
	/* Touch the HAL page while BEV is still 1: if the monitor does not
	   map it ([monitor] halpage = off), the access is an exception with
	   BEV = 1, and the monitor stops the VM at once as a double fault at
	   this address, instead of the kernel failing obscurely later. */
	lui	$t0, HP_HI
	lw	$t0, HP_OFF(HALPAGE_CPUID)($t0)
#endif
	mtc0	$zero, C0_STATUS        /* kernel, interrupts off, BEV = 0 */
	bnez	$a0, 2f
	nop

	/* vCPU 0: clear .bss (fresh guest pages are zero already, but the
	   kernel does not rely on its loader). */
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4

2:	sltiu	$t1, $a0, HAL_MAXCPU
	beqz	$t1, 3f                 /* a vCPU we have no stack for: park it */
	la	$t0, hal_boot_stacks
	addiu	$t1, $a0, 1
	sll	$t1, $t1, BOOT_STACK_SHIFT
	addu	$sp, $t0, $t1
	jal	hal_boot                /* hal_boot(cpu) never returns */
	addiu	$sp, $sp, -16
3:	wait
	b	3b
	nop
	.end _start

	.bss
	.align	12
	.globl hal_boot_stacks
hal_boot_stacks:
	.space	HAL_MAXCPU << BOOT_STACK_SHIFT
