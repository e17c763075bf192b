/*
 * cpu.c - per-CPU CP0 state, interrupts, the timer and idling (native HAL).
 */
#include "hal.h"
#include "mips.h"

#define HAL_MAXCPU 32

/* Read by the assembly in vectors.S, indexed by Context.PTEBase = cpu:
   the page directory the refill handler walks, and the kernel stack top
   for exceptions from user mode. */
uint32_t *hal_cpu_pgdir[HAL_MAXCPU];
uint32_t hal_cpu_kstack[HAL_MAXCPU];

/* Interrupt lines each CPU takes: disk completions, IPIs, hot pages and
   the timer everywhere; console input only on CPU 0, where the device
   raises it. Every line the machine may raise must be taken: WAIT returns
   at once while any line is pending, even a masked one. */
#define IM_ALL  (ST_IM(HAL_IRQ_DISK) | ST_IM(HAL_IRQ_IPI) | ST_IM(HAL_IRQ_HOT) | \
		 ST_IM(HAL_IRQ_TIMER))

/* Called from start.S on a fresh stack. */
void __attribute__((noreturn)) hal_boot(int cpu)
{
	kmain(cpu, hal_ncpus());
}

int hal_cpu_id(void)
{
	uint32_t ebase;

	/* EBase (CP0 15, select 1): CPUNum in bits 9..0. */
	__asm__ volatile("mfc0 %0, $15, 1" : "=r"(ebase));
	return ebase & 0x3FF;
}

void hal_cpu_init(uint32_t *empty_pgdir, uint32_t tick_cycles)
{
	int cpu = hal_cpu_id();
	uint32_t im = IM_ALL | (cpu == 0 ? ST_IM(HAL_IRQ_CONS) : 0);

	mtc0(12, im);                    /* Status: kernel, IE = 0, BEV = 0 */
	mtc0(13, 0);                     /* Cause: no software interrupts */
	mtc0(4, (uint32_t)cpu << 23);    /* Context.PTEBase: who we are */
	hal_cpu_pgdir[cpu] = empty_pgdir;
	mtc0(6, 0);                      /* Wired: TLBWR may use any entry */
	hal_tlb_flush_all();
	hal_set_asid(0);
	mtc0(9, 0);                      /* Count */
	mtc0(11, tick_cycles);           /* Compare: the first tick */
}

int hal_ncpus(void)
{
	return mmio_read(POWER_NCPUS);
}

uint32_t hal_node_mem(void)
{
	return mmio_read(POWER_NODE_MEM);
}

void hal_start_cpu(int cpu)
{
	extern char _start[];

	/* The power device starts the CPU at CPU_PC with $a0 = its number. */
	mmio_write(POWER_CPU_PC, (uint32_t)_start);
	mmio_write(POWER_CPU_START, cpu);
}

void hal_halt(int status)
{
	mmio_write(POWER_HALT, status);
	for (;;)                         /* the simulator stops at the write */
		;
}

void hal_mark(uint32_t value)
{
	mmio_write(POWER_MARK, value);
}

uint64_t hal_cycles(void)
{
	/* Reading CYCLE_LO latches the high half for CYCLE_HI. */
	uint32_t lo = mmio_read(POWER_CYCLE_LO);
	uint32_t hi = mmio_read(POWER_CYCLE_HI);

	return ((uint64_t)hi << 32) | lo;
}

/* ---- Interrupts ---- */

int hal_intr_off(void)
{
	uint32_t st = mfc0(12);

	mtc0(12, st & ~ST_IE);
	return st & ST_IE;
}

void hal_intr_on(void)
{
	mtc0(12, mfc0(12) | ST_IE);
}

void hal_intr_restore(int on)
{
	if (on)
		hal_intr_on();
}

int hal_intr_enabled(void)
{
	return mfc0(12) & ST_IE;
}

uint32_t hal_irq_pending(void)
{
	return ((mfc0(13) & mfc0(12)) & ST_IM_MASK) >> 8;
}

void hal_idle(void)
{
	/* WAIT returns once any interrupt is pending, masked or not, so the
	   caller can keep interrupts off and miss nothing. */
	__asm__ volatile("wait" ::: "memory");
}

void hal_timer_rearm(uint32_t cycles)
{
	uint32_t next = mfc0(11) + cycles;

	/* A late tick (interrupts were off a long time): start afresh
	   rather than owe a burst of ticks. */
	if ((int32_t)(next - mfc0(9)) <= 0)
		next = mfc0(9) + cycles;
	mtc0(11, next);                  /* writing Compare clears IP7 */
}

void hal_hot_drain(void)
{
	/* Each read pops a record (PFN * 256 + node); the last pop clears
	   IP5 on every CPU. */
	while (mmio_read(MAGIC_HOT_POP) != 0xFFFFFFFFu)
		;
}

void hal_ipi_send(int cpu)
{
	mmio_write(IPI_SEND, cpu);
}

void hal_ipi_ack(void)
{
	mmio_write(IPI_ACK, 1);
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
