/*
 * disk: disk controller 0 and its DMA, MACHINE.md "Devices".
 * Run with --nodes 2 and a 1 MB image as disk 0 (2048 sectors).
 *
 * Writes a pattern by DMA, reads it back into another buffer and compares;
 * checks CAPACITY, the STATUS sequence (busy, then done, then idle after
 * ACK), that IP2 goes to TARGET_CPU (CPU 1 here) and not elsewhere, and
 * that a request past the end of the disk ends in STATUS error.
 */
#include "baremetal.h"

#define DISK 0
#define IMAGE_SECTORS 2048      /* the runner's 1 MB image */
#define SECTORS 8
#define FIRST 16                /* where the pattern goes */
#define IP2 (1 << IRQ_DISK)
#define TIMEOUT_CYCLES 200000000u

static uint8_t out[SECTORS * SECTOR_SIZE] __attribute__((aligned(LINE_SIZE)));
static uint8_t in[SECTORS * SECTOR_SIZE] __attribute__((aligned(LINE_SIZE)));

/* What each CPU's disk interrupt handler saw. */
static volatile uint32_t irqs[2];
static volatile uint32_t status_in_handler[2];

void handle_exception(struct trapframe *tf)
{
	int cpu = cpu_id();

	if (exc_code(tf) != EXC_INT || !((tf->cause >> CAUSE_IP_SHIFT) & IP2) ||
	    cpu > 1) {
		printf("CPU %d: unexpected ", cpu);
		trap_dump(tf);
		halt(1);
	}
	status_in_handler[cpu] = disk_read_reg(DISK, DISK_STATUS);
	disk_write_reg(DISK, DISK_ACK, 1);    /* clears done and IP2 */
	irqs[cpu]++;
}

/* CPU 1 sleeps with the disk interrupt enabled. */
static void cpu1_main(int cpu)
{
	(void)cpu;
	intr_enable(IP2);
	for (;;)
		wait_for_interrupt();
}

/* Poll STATUS while it says busy; return the final status. */
static uint32_t poll_while_busy(void)
{
	uint64_t start = read_cycles();
	uint32_t status;

	do {
		status = disk_read_reg(DISK, DISK_STATUS);
	} while (status == DISK_BUSY && read_cycles() - start < TIMEOUT_CYCLES);
	return status;
}

static void wait_for_irq(int cpu, uint32_t count)
{
	uint64_t start = read_cycles();

	while (irqs[cpu] != count && read_cycles() - start < TIMEOUT_CYCLES)
		;
}

int main(void)
{
	uint32_t status;

	printf("disk: checking DMA, STATUS, IP2 and errors on disk 0\n");
	check(ncpus() >= 2, "two CPUs (run with --nodes 2)");
	check_eq(disk_read_reg(DISK, DISK_CAPACITY), IMAGE_SECTORS,
		 "CAPACITY = 2048 sectors for a 1 MB image");
	check_eq(disk_read_reg(DISK, DISK_STATUS), DISK_IDLE, "STATUS starts idle");

	/* Write, polling, interrupts off: IP2 shows up in Cause. */
	for (uint32_t i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + i / SECTOR_SIZE + 3);
	disk_start(DISK, DISK_CMD_WRITE, FIRST, SECTORS, kva_to_pa(out), 0);
	check_eq(disk_read_reg(DISK, DISK_STATUS), DISK_BUSY,
		 "STATUS busy right after CMD write");
	status = poll_while_busy();
	check_eq(status, DISK_DONE, "STATUS done when the write completes");
	check(intr_pending() & IP2, "IP2 pending on TARGET_CPU 0");
	disk_write_reg(DISK, DISK_ACK, 1);
	check_eq(disk_read_reg(DISK, DISK_STATUS), DISK_IDLE, "ACK makes STATUS idle");
	check_eq(intr_pending() & IP2, 0, "ACK clears IP2");

	/* Read back, completion interrupt to CPU 1. */
	start_cpu(1, cpu1_main);
	memset(in, 0xEE, sizeof(in));   /* now cached: DMA must invalidate it */
	disk_start(DISK, DISK_CMD_READ, FIRST, SECTORS, kva_to_pa(in), 1);
	wait_for_irq(1, 1);
	check_eq(irqs[1], 1, "CPU 1 (TARGET_CPU) takes one IP2 interrupt");
	check_eq(status_in_handler[1], DISK_DONE, "  and sees STATUS done");
	check_eq(irqs[0], 0, "CPU 0 takes none");
	check_eq(intr_pending() & IP2, 0, "IP2 never pending on CPU 0");
	check(memcmp(in, out, sizeof(in)) == 0, "data read back = data written");

	/* One sector from the middle: sector numbers address the disk. */
	/* WAIT with interrupts off (it wakes on a masked pending interrupt),
	   then let the interrupt in: no window where it could come between
	   the test of irqs[0] and the WAIT and leave us asleep forever. */
	memset(in, 0xEE, sizeof(in));
	intr_enable(IP2);
	intr_disable();
	disk_start(DISK, DISK_CMD_READ, FIRST + 3, 1, kva_to_pa(in), 0);
	while (irqs[0] == 0) {
		wait_for_interrupt();
		intr_enable(IP2);
		intr_disable();
	}
	check_eq(status_in_handler[0], DISK_DONE, "CPU 0 woken from WAIT by IP2");
	check(memcmp(in, out + 3 * SECTOR_SIZE, SECTOR_SIZE) == 0,
	      "sector FIRST+3 holds the fourth sector written");
	check_eq(in[SECTOR_SIZE], 0xEE, "a one-sector read writes one sector");

	/* Never written: zeros, as truncate(1) made them. */
	disk_start(DISK, DISK_CMD_READ, 1000, 1, kva_to_pa(in), 0);
	status = poll_while_busy();
	disk_write_reg(DISK, DISK_ACK, 1);
	int zeros = 1;
	for (int i = 0; i < SECTOR_SIZE; i++)
		if (in[i] != 0)
			zeros = 0;
	check(status == DISK_DONE && zeros, "an unwritten sector reads as zeros");

	/* Past the end. */
	disk_start(DISK, DISK_CMD_READ, IMAGE_SECTORS - 1, 2, kva_to_pa(in), 0);
	status = poll_while_busy();
	check_eq(status, DISK_ERROR, "a request crossing the end: STATUS error");
	disk_write_reg(DISK, DISK_ACK, 1);
	check_eq(disk_read_reg(DISK, DISK_STATUS), DISK_IDLE, "ACK clears the error");
	disk_start(DISK, DISK_CMD_WRITE, IMAGE_SECTORS, 1, kva_to_pa(out), 0);
	status = poll_while_busy();
	check_eq(status, DISK_ERROR, "a request starting past the end: STATUS error");
	disk_write_reg(DISK, DISK_ACK, 1);
	check_eq(intr_pending() & IP2, 0, "no IP2 left pending");

	return checks_report("disk");
}
