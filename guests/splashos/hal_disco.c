/*
 * hal_disco.c - SPLASHOS in a virtual machine of the Disco monitor.
 *
 * The paper runs SPLASHOS directly on Disco (section 5, Figure 7: radix on
 * SPLASHOS under Disco against IRIX on the bare machine). This is the same
 * interface as hal_native.c for that case: linked in the supervisor
 * segment (guests/mk/sseg.ld; guest physical address = VA - 0xC0000000),
 * run in supervisor mode, with every device replaced by a monitor call
 * (guests/include/disco/abi.h: a SYSCALL in supervisor mode). The few
 * privileged instructions left (Status, EBase, the fault registers) are
 * emulated by the monitor. A VM has no nodes; each vCPU's "node" is an
 * equal share of the VM's memory, its stack at the top.
 */
#include "disco/abi.h"
#include "hal.h"

/* Set by vCPU 0 before anything else runs, in .data so that clearing .bss
   does not undo it. */
__attribute__((section(".data"))) uint32_t hal_share_bytes;
__attribute__((section(".data"))) uint32_t hal_vcpus;

#define FAULT_STACK_BYTES 1024
char hal_fault_stacks[HAL_MAX_CPUS][FAULT_STACK_BYTES]
	__attribute__((aligned(8)));

/*
 * vCPU 0 starts as a real CPU 0 at reset: $a0 = 0, $a1 = vCPUs, $a2 =
 * memory bytes; vCPUs started by MC_CPU_START come here with $a0 = their
 * number. The vectors and the fault path are hal_native.c's, relocated.
 */
__asm__(
	"	.set push\n"
	"	.set noreorder\n"
	"	.section .text.start, \"ax\"\n"
	"	.globl _start\n"
	"_start:\n"
	"	bnez	$a0, 1f\n"
	"	nop\n"
	"	divu	$zero, $a2, $a1\n"           /* share = memory / vCPUs */
	"	mflo	$t0\n"
	"	li	$t1, -4096\n"
	"	and	$t0, $t0, $t1\n"             /* whole pages */
	"	la	$t1, hal_share_bytes\n"
	"	sw	$t0, 0($t1)\n"
	"	la	$t1, hal_vcpus\n"
	"	sw	$a1, 0($t1)\n"
	"1:	la	$t1, hal_share_bytes\n"
	"	lw	$t1, 0($t1)\n"
	"	addiu	$t2, $a0, 1\n"
	"	mul	$t2, $t2, $t1\n"
	"	lui	$t3, 0xC000\n"
	"	addu	$sp, $t2, $t3\n"
	"	addiu	$sp, $sp, -32\n"
	"	mtc0	$zero, $12\n"                /* emulated: BEV off */
	"	jal	sos_start\n"
	"	nop\n"
	"2:	b	2b\n"
	"	nop\n"
	"\n"
	"	.section .vectors.refill, \"ax\"\n"
	"	j	hal_fault_entry\n"
	"	li	$k1, 0\n"
	"	.section .vectors.general, \"ax\"\n"
	"	j	hal_fault_entry\n"
	"	li	$k1, 1\n"
	"\n"
	"	.text\n"
	"hal_fault_entry:\n"
	"	mfc0	$k0, $15, 1\n"
	"	andi	$k0, $k0, 0x1F\n"
	"	addiu	$k0, $k0, 1\n"
	"	sll	$k0, $k0, 10\n"
	"	la	$t0, hal_fault_stacks\n"
	"	addu	$k0, $k0, $t0\n"
	"	addiu	$k0, $k0, -32\n"
	"	mfc0	$t0, $13\n"
	"	sw	$t0, 0($k0)\n"
	"	mfc0	$t0, $14\n"
	"	sw	$t0, 4($k0)\n"
	"	mfc0	$t0, $8\n"
	"	sw	$t0, 8($k0)\n"
	"	mfc0	$t0, $12\n"
	"	sw	$t0, 12($k0)\n"
	"	sw	$sp, 16($k0)\n"
	"	sw	$ra, 20($k0)\n"
	"	sw	$k1, 24($k0)\n"
	"	move	$a0, $k0\n"
	"	jal	sos_fault\n"
	"	addiu	$sp, $k0, -24\n"
	"3:	b	3b\n"
	"	nop\n"
	"	.set pop\n");

/* A monitor call: v0 = number, a0..a1 arguments, result in v0. */
static uint32_t mcall(uint32_t nr, uint32_t arg0, uint32_t arg1)
{
	register uint32_t v0 __asm__("$2") = nr;
	register uint32_t a0 __asm__("$4") = arg0;
	register uint32_t a1 __asm__("$5") = arg1;

	__asm__ volatile("syscall"
			 : "+r"(v0), "+r"(a0), "+r"(a1)
			 :
			 : "$3", "$6", "$7", "$8", "$9", "$10", "$11", "$12",
			   "$13", "$14", "$15", "$24", "$25", "$1", "hi", "lo",
			   "memory");
	return v0;
}

void hal_init(void)
{
}

int hal_cpu_id(void)
{
	uint32_t ebase;

	__asm__ volatile("mfc0 %0, $15, 1" : "=r"(ebase));
	return ebase & 0x3FF;
}

uint32_t hal_ncpus(void)
{
	return mcall(MC_INFO, MC_INFO_NCPUS, 0);
}

uint32_t hal_node_mem(void)
{
	return hal_share_bytes;
}

void hal_start_cpu(int cpu)
{
	extern char _start[];

	hal_sync();
	mcall(MC_CPU_START, cpu, (uint32_t)_start);
}

void hal_cons_write(const char *buf, int n)
{
	/* One monitor call per line, as the paper's Disco drivers make one
	   per request (section 4.2.4). */
	mcall(MC_CONS_WRITE, hal_va2pa(buf), n);
}

void hal_mark(uint32_t value)
{
	mcall(MC_MARK, value, 0);
}

void hal_halt(uint32_t status)
{
	hal_sync();
	for (;;)
		mcall(MC_HALT, status, 0);
}

void hal_idle_forever(void)
{
	for (;;)
		mcall(MC_IDLE, 0, 0);
}

void hal_sync(void)
{
	__asm__ volatile("sync" ::: "memory");
}

void *hal_pa2va(uint32_t pa)
{
	return (void *)(pa + MC_KSEG);
}

uint32_t hal_va2pa(const void *va)
{
	return (uint32_t)va - MC_KSEG;
}

uint32_t hal_image_end_pa(void)
{
	extern char __free_start[];

	return hal_va2pa(__free_start);
}
