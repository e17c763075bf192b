/*
 * cpu.c - per-vCPU CP0 state, interrupts, the timer, idling and the
 * machine (disco HAL).
 *
 * The native cpu.c with the power and IPI devices replaced by monitor
 * calls (paper section 4.2.4) and, with HALPAGE=1, the frequent Status,
 * Cause and CPU-number accesses replaced by loads and stores to the HAL
 * page (section 4, "HAL patches"). Rare ones (boot, the timer's Compare
 * and Count, once a tick) stay emulated mtc0/mfc0 in both builds, the
 * native code: hal/mips/cpu.c.
 */
#include "hal.h"
#include "machine.h"

int hal_cpu_id(void)
{
#if HALPAGE
	return halpage[HALPAGE_CPUID];
#else
	uint32_t ebase;

	__asm__ volatile("mfc0 %0, $15, 1" : "=r"(ebase));
	return ebase & 0x3FF;            /* EBase.CPUNum, emulated */
#endif
}

int hal_ncpus(void)
{
	return mcall(MC_INFO, MC_INFO_NCPUS);
}

/* A VM has no nodes: each vCPU's "node" is an equal share of its memory,
   so a VM of n vCPUs and n times a node's memory looks to the kernel like
   the n-node machine (and prints the same banner). */
uint32_t hal_node_mem(void)
{
	uint32_t share = mcall(MC_INFO, MC_INFO_MEMSIZE) / (uint32_t)hal_ncpus();

	return share & ~(HAL_PAGE_SIZE - 1);
}

/* The configuration's `args`: a NUL-terminated string the monitor wrote
   in the last page of memory, its physical address in $a3 at reset. Copied
   at once, before kalloc may hand that page out. */
#define BOOT_ARGS_MAX 256
static char boot_args[BOOT_ARGS_MAX];

void hal_boot_args_save(uint32_t boot_a3)
{
	uint32_t mem = mcall(MC_INFO, MC_INFO_MEMSIZE);
	const char *s = hal_pa2kva(boot_a3);

	if (boot_a3 == 0 || boot_a3 >= mem || (boot_a3 & (HAL_PAGE_SIZE - 1)))
		return;                  /* not the monitor's: no arguments */
	for (int i = 0; i < BOOT_ARGS_MAX - 1 && s[i]; i++)
		boot_args[i] = s[i];
}

const char *hal_boot_args(void)
{
	return boot_args;
}

void hal_start_cpu(int cpu)
{
	extern char _start[];

	mcall4(MC_CPU_START, cpu, (uint32_t)_start, 0, 0, 0);
}

void hal_halt(int status)
{
	hal_cons_flush();                /* the console's last partial line */
	for (;;)
		mcall(MC_HALT, status);
}

void hal_mark(uint32_t value)
{
	mcall(MC_MARK, value);
}

uint64_t hal_cycles(void)
{
	uint32_t hi, lo = mcall4(MC_CYCLES, 0, 0, 0, 0, &hi);

	return ((uint64_t)hi << 32) | lo;
}

/* ---- Memory hints (paper section 4: a zeroed page, freed pages) ---- */

/* The monitor zeroes the machine page, or, if the page was freed and
   never touched since, does nothing: a fresh machine page is zero. */
void hal_page_zero(uint32_t pa)
{
	mcall(MC_ZERO_PAGE, pa);
}

/* The monitor may take the machine page back until the page is used. */
void hal_page_freed(uint32_t pa)
{
	mcall(MC_FREE_PAGE, pa);
}

/* The kernel's page kinds are the monitor's (abi.h). A monitor that
   refuses the table only has less to say in its statistics. */
_Static_assert(PAGE_FREE == MC_KIND_FREE && PAGE_KTEXT == MC_KIND_KTEXT &&
	       PAGE_KDATA == MC_KIND_KDATA && PAGE_BUFFER == MC_KIND_BUFFER &&
	       PAGE_USER == MC_KIND_USER && PAGE_NKINDS == MC_NKINDS,
	       "enum page_kind is abi.h's MC_KIND_*");

void hal_page_kinds(const uint8_t *table, uint32_t npages)
{
	mcall4(MC_PAGE_KINDS, hal_kva2pa(table), npages, 0, 0, 0);
}

/* ---- Interrupts ---- */

#if HALPAGE
/*
 * Status.IE is a store to the page. The monitor reads it back at the next
 * trap, but it forwards a virtual interrupt only on a trap: so enabling
 * interrupts with one pending (the page's Cause, as of the last trap, or
 * newer: a vCPU with interrupts on is kicked into a trap whenever one is
 * raised) must make a monitor call, any call, to be interrupted.
 */
int hal_intr_off(void)
{
	uint32_t st = halpage[HALPAGE_STATUS];

	halpage[HALPAGE_STATUS] = st & ~ST_IE;
	barrier();
	return st & ST_IE;
}

void hal_intr_on(void)
{
	uint32_t st;

	barrier();
	st = halpage[HALPAGE_STATUS] | ST_IE;
	halpage[HALPAGE_STATUS] = st;
	if (halpage[HALPAGE_CAUSE] & st & ST_IM_MASK)
		mcall(MC_INFO, MC_INFO_VMID);    /* a cheap trap: take it now */
}

int hal_intr_enabled(void)
{
	return halpage[HALPAGE_STATUS] & ST_IE;
}

uint32_t hal_irq_pending(void)
{
	/* Every acknowledgement (MC_IPI_ACK, MC_DISK_STATUS, the Compare
	   write) is a trap, which refreshes the page's Cause. */
	return (halpage[HALPAGE_CAUSE] & halpage[HALPAGE_STATUS] & ST_IM_MASK) >> 8;
}
#else
int hal_intr_off(void)
{
	uint32_t st = mfc0(12);

	mtc0(12, st & ~ST_IE);
	return st & ST_IE;
}

void hal_intr_on(void)
{
	mtc0(12, mfc0(12) | ST_IE);      /* the trap delivers what is pending */
}

int hal_intr_enabled(void)
{
	return mfc0(12) & ST_IE;
}

uint32_t hal_irq_pending(void)
{
	return ((mfc0(13) & mfc0(12)) & ST_IM_MASK) >> 8;
}
#endif

void hal_intr_restore(int on)
{
	if (on)
		hal_intr_on();
}

void hal_idle(void)
{
	/* MC_IDLE is WAIT as one monitor call: the vCPU leaves its CPU until
	   a virtual interrupt is pending, masked or not. */
#if HALPAGE
	if (halpage[HALPAGE_CAUSE] & CAUSE_IP_MASK)
		return;                  /* one is pending already */
#endif
	mcall(MC_IDLE, 0);
}

void hal_hot_drain(void)
{
	/* Hot pages are the monitor's (its NUMA policy, section 4.2.2): a VM
	   never sees IP5. */
}

void hal_ipi_send(int cpu)
{
	mcall(MC_IPI_SEND, cpu);
}

void hal_ipi_ack(void)
{
	mcall(MC_IPI_ACK, 0);
}
