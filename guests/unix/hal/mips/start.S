/*
 * start.S - where every CPU begins (both HALs).
 *
 * MACHINE.md "CPU": at reset only CPU 0 runs, in kernel mode with BEV=1
 * and interrupts off, at the ELF entry point, $a0 = 0, $sp undefined.
 * CPU 0 later starts the others through the power device (hal_start_cpu),
 * at this same entry with $a0 = their number. With BEV=1 any exception
 * stops the machine, so the first instruction moves the vectors to kseg0.
 *
 * The monitor starts vCPU 0 the same way, in the guest's kernel mode
 * (supervisor mode really) with the virtual BEV = 1 and also $a1 = vCPUs,
 * $a2 = memory bytes, $a3 = the physical address of the boot arguments
 * (the configuration's `args`, a string in the last page of memory); hal_boot
 * gets $a3 as its second argument, which only the disco HAL reads (on the
 * bare machine $a3 is undefined at reset). vCPUs started by MC_CPU_START
 * come here with $a0 = their number. There clearing BEV is an emulated mtc0, and before it the
 * disco HAL checks that it has its HAL page (RESET_CHECK, machine.h).
 *
 * Each CPU gets a boot stack from hal_boot_stacks (in .bss); it later
 * serves as that CPU's scheduler stack.
 */
#include "machine.h"

#define BOOT_STACK_SHIFT 13              /* 8 KB per CPU */

	.set noreorder

	.section .text.start, "ax"
	.globl _start
	.ent _start
_start:
	RESET_CHECK
	/* Status = 0: kernel mode, interrupts off, BEV = 0. */
	mtc0	$zero, C0_STATUS
	bnez	$a0, 2f
	nop

#if HAL_CLEAR_BSS
	/* CPU 0: clear .bss before anything uses it (the stacks are in it).
	   The loader zeroes it too, but a real boot would not. The disco
	   HAL leaves it (machine.h: HAL_CLEAR_BSS). */
	la	$t0, __bss_start
	la	$t1, __bss_end
1:	beq	$t0, $t1, 2f
	nop
	sw	$zero, 0($t0)
	b	1b
	addiu	$t0, $t0, 4
#endif

2:	/* sp = top of hal_boot_stacks[cpu], less the o32 argument area. */
	sltiu	$t1, $a0, HAL_MAXCPU
	beqz	$t1, 3f                 /* a CPU we have no stack for: park it */
	la	$t0, hal_boot_stacks
	addiu	$t1, $a0, 1
	sll	$t1, $t1, BOOT_STACK_SHIFT
	addu	$sp, $t0, $t1
	move	$a1, $a3                /* the monitor's boot arguments (CPU 0 in a VM) */
	jal	hal_boot                /* hal_boot(cpu, a3) never returns */
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
