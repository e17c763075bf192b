/*
 * runtime.c: boot, starting other CPUs, and the simple devices
 * (power, IPI, disk, MAGIC registers). MACHINE.md, "Devices".
 */
#include "baremetal.h"

uint32_t boot_ncpus;
uint32_t boot_membytes;

extern char __bss_start[], __bss_end[];

/* What each secondary CPU runs; written by start_cpu() before the CPU starts. */
static void (*cpu_entry[MAX_CPUS])(int cpu);

/* A CPU with nothing left to do: WAIT with interrupts off, forever. */
static void __attribute__((noreturn)) park(void)
{
	intr_disable();
	for (;;)
		wait_for_interrupt();
}

/* Called by _start (start.S) on every CPU, on its own stack, with BEV = 0. */
void __attribute__((noreturn)) runtime_start(uint32_t cpu, uint32_t ncpus,
					      uint32_t membytes)
{
	if (cpu == 0) {
		/* The loader zeroes .bss too, but real hardware would not. */
		memset(__bss_start, 0, __bss_end - __bss_start);
		boot_ncpus = ncpus;
		boot_membytes = membytes;
		halt(main());
	}
	if (cpu < MAX_CPUS && cpu_entry[cpu])
		cpu_entry[cpu](cpu);
	park();
}

void start_cpu(int cpu, void (*fn)(int cpu))
{
	extern char _start[];

	if (cpu <= 0 || cpu >= MAX_CPUS || (uint32_t)cpu >= ncpus()) {
		printf("start_cpu: no CPU %d\n", cpu);
		halt(EXIT_UNEXPECTED_TRAP);
	}
	cpu_entry[cpu] = fn;
	sync();
	/* The power device starts a CPU at CPU_PC with $a0 = its number. */
	mmio_write(POWER_BASE + POWER_CPU_PC, (uint32_t)_start);
	mmio_write(POWER_BASE + POWER_CPU_START, cpu);
}

/* ---- Power and simulator control ---- */

void halt(uint32_t status)
{
	mmio_write(POWER_BASE + POWER_HALT, status);
	for (;;)	/* the simulator stops at the write above */
		;
}

void mark(uint32_t value)
{
	mmio_write(POWER_BASE + POWER_MARK, value);
}

uint64_t read_cycles(void)
{
	uint32_t hi, lo;

	/* Read HI again in case LO wrapped between the two reads. */
	do {
		hi = mmio_read(POWER_BASE + POWER_CYCLE_HI);
		lo = mmio_read(POWER_BASE + POWER_CYCLE_LO);
	} while (hi != mmio_read(POWER_BASE + POWER_CYCLE_HI));
	return ((uint64_t)hi << 32) | lo;
}

uint32_t ncpus(void)
{
	return mmio_read(POWER_BASE + POWER_NCPUS);
}

uint32_t node_mem_bytes(void)
{
	return mmio_read(POWER_BASE + POWER_NODE_MEM);
}

/* ---- Inter-processor interrupts ---- */

void ipi_send(int cpu)
{
	mmio_write(IPI_BASE + IPI_SEND, cpu);
}

void ipi_ack(void)
{
	mmio_write(IPI_BASE + IPI_ACK, 1);
}

/* ---- Disks ---- */

uint32_t disk_read_reg(int disk, uint32_t reg)
{
	return mmio_read(DISK_BASE(disk) + reg);
}

void disk_write_reg(int disk, uint32_t reg, uint32_t value)
{
	mmio_write(DISK_BASE(disk) + reg, value);
}

void disk_start(int disk, uint32_t cmd, uint32_t sector, uint32_t count,
		uint32_t pa, int target_cpu)
{
	disk_write_reg(disk, DISK_SECTOR, sector);
	disk_write_reg(disk, DISK_COUNT, count);
	disk_write_reg(disk, DISK_DMA_ADDR, pa);
	disk_write_reg(disk, DISK_TARGET_CPU, target_cpu);
	disk_write_reg(disk, DISK_CMD, cmd);   /* last: this starts it */
}

/* ---- MAGIC ---- */

uint32_t magic_read(uint32_t reg)
{
	return mmio_read(MAGIC_BASE + reg);
}

void magic_write(uint32_t reg, uint32_t value)
{
	mmio_write(MAGIC_BASE + reg, value);
}
