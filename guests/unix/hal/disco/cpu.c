/*
 * cpu.c - per-vCPU CP0 state, interrupts, the timer, idling and the
 * machine (disco HAL).
 *
 * The native cpu.c with the power and IPI devices replaced by monitor
 * calls (paper section 4.2.3) and, with HALPAGE=1, the frequent Status,
 * Cause and CPU-number accesses replaced by loads and stores to the HAL
 * page (section 4, "HAL patches"). Rare ones (boot, the timer's Compare
 * and Count, once a tick) stay emulated mtc0/mfc0 in both builds.
 */
#include "hal.h"
#include "discohal.h"

/* Read by the assembly in vectors.S, indexed by the vCPU number. */
uint32_t *hal_cpu_pgdir[HAL_MAXCPU];
uint32_t hal_cpu_kstack[HAL_MAXCPU];

/* The native interrupt lines. In a VM only the disk (IP2), IPIs (IP4) and
   the timer (IP7) are ever raised, but taking the same lines keeps the
   rest of the kernel unchanged. */
#define IM_ALL  (ST_IM(HAL_IRQ_DISK) | ST_IM(HAL_IRQ_IPI) | ST_IM(HAL_IRQ_HOT) | \
		 ST_IM(HAL_IRQ_TIMER))

void __attribute__((noreturn)) hal_boot(int cpu)
{
	kmain(cpu, hal_ncpus());
}

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

void hal_cpu_init(uint32_t *empty_pgdir, uint32_t tick_cycles)
{
	int cpu = hal_cpu_id();
	uint32_t im = IM_ALL | (cpu == 0 ? ST_IM(HAL_IRQ_CONS) : 0);

	mtc0(12, im);                    /* Status: kernel, IE = 0, BEV = 0 */
	mtc0(13, 0);                     /* Cause: no software interrupts */
	mtc0(4, (uint32_t)cpu << 23);    /* Context.PTEBase: the refill's CPU */
	hal_cpu_pgdir[cpu] = empty_pgdir;
	mtc0(6, 0);                      /* Wired */
	hal_tlb_flush_all();
	hal_set_asid(0);
	mtc0(9, 0);                      /* Count */
	mtc0(11, tick_cycles);           /* Compare: the first tick */
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

void hal_timer_rearm(uint32_t cycles)
{
	/* Once a tick: the emulated Count and Compare, exactly as native
	   (the page's Count is as old as the last trap, too old to tell a
	   late tick). */
	uint32_t next = mfc0(11) + cycles;

	if ((int32_t)(next - mfc0(9)) <= 0)
		next = mfc0(9) + cycles;
	mtc0(11, next);                  /* writing Compare clears IP7 */
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

/* ---- Trap frames and stacks ---- */

void hal_tf_set_user(struct trapframe *tf, uint32_t pc, uint32_t sp)
{
	tf->epc = pc;
	tf->regs[REG_SP] = sp;
	tf->status = (tf->status & ~(ST_KSU_MASK | ST_EXL | ST_ERL)) |
		     ST_KSU_USER | ST_IE;
}

void hal_set_kstack(void *top)
{
	hal_cpu_kstack[hal_cpu_id()] = (uint32_t)top;
}

void hal_set_pgdir(uint32_t *pgdir)
{
	hal_cpu_pgdir[hal_cpu_id()] = pgdir;
}
