/*
 * cpu.c - the CPU number, interrupts, idling and the power and IPI
 * devices (native HAL). The rest of a CPU's CP0 state, the timer and the
 * trap frame are hal/mips/cpu.c.
 */
#include "hal.h"
#include "machine.h"

int hal_cpu_id(void)
{
	uint32_t ebase;

	/* EBase (CP0 15, select 1): CPUNum in bits 9..0. */
	__asm__ volatile("mfc0 %0, $15, 1" : "=r"(ebase));
	return ebase & 0x3FF;
}

int hal_ncpus(void)
{
	return mmio_read(POWER_NCPUS);
}

uint32_t hal_node_mem(void)
{
	return mmio_read(POWER_NODE_MEM);
}

/* The bare machine passes no boot arguments ($a3 is undefined at reset). */
void hal_boot_args_save(uint32_t boot_a3)
{
	(void)boot_a3;
}

const char *hal_boot_args(void)
{
	return "";
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
