/*
 * hal_native.c - SPLASHOS on the bare machine: kernel mode, kseg0.
 *
 * The only file of SPLASHOS with privileged instructions (mfc0, mtc0) or
 * device addresses (MACHINE.md, "Devices"). Everything here is what a
 * monitor would have to emulate or replace to run SPLASHOS in a virtual
 * machine, as the paper's SPLASHOS runs on Disco (section 5, Figure 7).
 *
 * Linked with guests/mk/kseg0.ld, which puts .vectors.refill at 0x80000000,
 * .vectors.general at 0x80000180 and .text.start first in the image.
 */
#include "hal.h"

/* Device registers through kseg1 (physical 0x1F000000). */
#define DEV(off)        (*(volatile uint32_t *)(0xBF000000u + (off)))
#define CONSOLE_TX      DEV(0x000000)
#define POWER_HALT      DEV(0x001000)
#define POWER_NCPUS     DEV(0x001004)
#define POWER_NODE_MEM  DEV(0x001008)
#define POWER_CPU_START DEV(0x00100C)
#define POWER_CPU_PC    DEV(0x001010)
#define POWER_MARK      DEV(0x00101C)
#define MAGIC_THRESHOLD DEV(0x004000)

#define KSEG0 0x80000000u

/* One small stack per CPU for the exception path: the fault may be a stack
   overflow, so the vectors never trust the interrupted $sp. */
#define FAULT_STACK_BYTES 1024
char hal_fault_stacks[HAL_MAX_CPUS][FAULT_STACK_BYTES]
	__attribute__((aligned(8)));

/*
 * Reset entry and vectors. At reset only CPU 0 runs, with BEV=1 and
 * $a0 = 0; a CPU started through the power device comes here with $a0 =
 * its number (MACHINE.md, "CPU"). The stack is the top of the CPU's own
 * node memory so that stack misses are local; Status = 0 then clears BEV
 * (an exception with BEV=1 would be a double fault) and leaves interrupts
 * off for good: SPLASHOS takes no interrupts at all.
 */
__asm__(
	"	.set push\n"
	"	.set noreorder\n"
	"	.section .text.start, \"ax\"\n"
	"	.globl _start\n"
	"_start:\n"
	"	lui	$t0, 0xBF00\n"
	"	lw	$t1, 0x1008($t0)\n"          /* POWER_NODE_MEM */
	"	addiu	$t2, $a0, 1\n"
	"	mul	$t2, $t2, $t1\n"
	"	lui	$t3, 0x8000\n"
	"	addu	$sp, $t2, $t3\n"
	"	addiu	$sp, $sp, -32\n"
	"	mtc0	$zero, $12\n"                /* Status: kernel, BEV=0 */
	"	jal	sos_start\n"                 /* sos_start(cpu): no return */
	"	nop\n"
	"1:	b	1b\n"
	"	nop\n"
	"\n"
	/* Both vectors join hal_fault_entry with the vector number in $k1. */
	"	.section .vectors.refill, \"ax\"\n"
	"	j	hal_fault_entry\n"
	"	li	$k1, 0\n"
	"	.section .vectors.general, \"ax\"\n"
	"	j	hal_fault_entry\n"
	"	li	$k1, 1\n"
	"\n"
	/* Build a struct hal_fault on this CPU's fault stack and call
	   sos_fault(). Nothing is saved for a return: there is none. */
	"	.text\n"
	"hal_fault_entry:\n"
	"	mfc0	$k0, $15, 1\n"               /* EBase.CPUNum */
	"	andi	$k0, $k0, 0x1F\n"
	"	addiu	$k0, $k0, 1\n"
	"	sll	$k0, $k0, 10\n"              /* FAULT_STACK_BYTES */
	"	la	$t0, hal_fault_stacks\n"
	"	addu	$k0, $k0, $t0\n"
	"	addiu	$k0, $k0, -32\n"             /* the struct hal_fault */
	"	mfc0	$t0, $13\n"
	"	sw	$t0, 0($k0)\n"               /* cause */
	"	mfc0	$t0, $14\n"
	"	sw	$t0, 4($k0)\n"               /* epc */
	"	mfc0	$t0, $8\n"
	"	sw	$t0, 8($k0)\n"               /* badvaddr */
	"	mfc0	$t0, $12\n"
	"	sw	$t0, 12($k0)\n"              /* status */
	"	sw	$sp, 16($k0)\n"
	"	sw	$ra, 20($k0)\n"
	"	sw	$k1, 24($k0)\n"              /* vector */
	"	move	$a0, $k0\n"
	"	jal	sos_fault\n"
	"	addiu	$sp, $k0, -24\n"             /* (delay slot) o32 arg area */
	"2:	b	2b\n"
	"	nop\n"
	"	.set pop\n");

/* Once, on CPU 0 before the others start. MAGIC raises IP5 when a page
   turns hot (MACHINE.md, "Memory and NUMA"); SPLASHOS migrates nothing, and
   a pending IP5, even masked, would make WAIT return at once, so an idle
   CPU would spin instead of idling. No page ever reaches this threshold. */
void hal_init(void)
{
	MAGIC_THRESHOLD = 0xFFFFFFFFu;
}

int hal_cpu_id(void)
{
	uint32_t ebase;

	__asm__ volatile("mfc0 %0, $15, 1" : "=r"(ebase));
	return ebase & 0x3FF;
}

uint32_t hal_ncpus(void)
{
	return POWER_NCPUS;
}

uint32_t hal_node_mem(void)
{
	return POWER_NODE_MEM;
}

void hal_start_cpu(int cpu)
{
	extern char _start[];

	hal_sync();    /* whatever the new CPU reads must be in memory first */
	POWER_CPU_PC = (uint32_t)_start;
	POWER_CPU_START = cpu;
}

void hal_cons_write(const char *buf, int n)
{
	for (int i = 0; i < n; i++)
		CONSOLE_TX = (uint8_t)buf[i];
}

void hal_mark(uint32_t value)
{
	POWER_MARK = value;
}

void hal_halt(uint32_t status)
{
	hal_sync();
	POWER_HALT = status;
	for (;;)   /* the simulator stops at the write above */
		;
}

/* WAIT idles the CPU (counted as idle time, not busy spinning) until an
   interrupt is pending; interrupts are off, so it never returns. */
void hal_idle_forever(void)
{
	for (;;)
		__asm__ volatile("wait" ::: "memory");
}

void hal_sync(void)
{
	__asm__ volatile("sync" ::: "memory");
}

void *hal_pa2va(uint32_t pa)
{
	return (void *)(pa + KSEG0);
}

uint32_t hal_va2pa(const void *va)
{
	return (uint32_t)va - KSEG0;
}

uint32_t hal_image_end_pa(void)
{
	extern char __free_start[];

	return hal_va2pa(__free_start);
}
