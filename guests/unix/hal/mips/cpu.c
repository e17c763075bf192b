/*
 * cpu.c - per-CPU CP0 state, the timer and the trap frame (both HALs).
 *
 * What a CPU does the same on the bare machine and as a vCPU of the
 * monitor: there every mtc0 and mfc0 here is emulated, the same code. How
 * a CPU learns its number, turns interrupts on and off, idles and reaches
 * the power and IPI devices is each HAL's own cpu.c.
 */
#include "hal.h"
#include "mips.h"

/* Read by the assembly in vectors.S, indexed by the CPU number (natively
   Context.PTEBase = cpu): the page directory the refill handler walks,
   and the kernel stack top for exceptions from user mode. */
uint32_t *hal_cpu_pgdir[HAL_MAXCPU];
uint32_t hal_cpu_kstack[HAL_MAXCPU];

/* Interrupt lines each CPU takes: disk completions, IPIs, hot pages and
   the timer everywhere; console input only on CPU 0, where the device
   raises it. Every line the machine may raise must be taken: WAIT returns
   at once while any line is pending, even a masked one. (In a VM only the
   disk, IPIs and the timer are ever raised, but taking the same lines
   keeps the rest of the kernel unchanged.) */
#define IM_ALL  (ST_IM(HAL_IRQ_DISK) | ST_IM(HAL_IRQ_IPI) | ST_IM(HAL_IRQ_HOT) | \
		 ST_IM(HAL_IRQ_TIMER))

/* Called from start.S on a fresh stack; boot_a3 is the reset value of $a3. */
void __attribute__((noreturn)) hal_boot(int cpu, uint32_t boot_a3)
{
	if (cpu == 0)
		hal_boot_args_save(boot_a3);
	kmain(cpu, hal_ncpus());
}

void hal_cpu_init(uint32_t *empty_pgdir, uint32_t tick_cycles)
{
	int cpu = hal_cpu_id();
	uint32_t im = IM_ALL | (cpu == 0 ? ST_IM(HAL_IRQ_CONS) | ST_IM(HAL_IRQ_NET) : 0);

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

void hal_timer_rearm(uint32_t cycles)
{
	/* Once a tick, so under the monitor the emulated Count and Compare
	   even with the HAL page (the page's Count is as old as the last
	   trap, too old to tell a late tick). */
	uint32_t next = mfc0(11) + cycles;

	/* A late tick (interrupts were off a long time): start afresh
	   rather than owe a burst of ticks. */
	if ((int32_t)(next - mfc0(9)) <= 0)
		next = mfc0(9) + cycles;
	mtc0(11, next);                  /* writing Compare clears IP7 */
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
