/*
 * trap.c - every exception that reaches the general vector ends up here.
 *
 * hal/native/vectors.S saved the registers in a trap frame (on the
 * process's kernel stack when the exception came from user mode) and left
 * exception level with interrupts off. We sort the exception out:
 *
 *   interrupts       the timer (preemption, ticks), IPIs (TLB shootdowns,
 *                    wakeups of idle CPUs), the disk, the console, and
 *                    MAGIC's hot pages (ignored: no page migration);
 *   SYSCALL          a system call (syscall.c);
 *   TLBL/TLBS/Mod    a page fault (fault.c);
 *   anything else    from user mode: the program is killed, with one
 *                    deterministic line on the console; from the kernel:
 *                    a kernel bug, so panic.
 */
#include "proc.h"
#include "vm.h"
#include "net.h"
#include <unix/syscall.h>

static const char *const exc_names[] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
	"Sys", "Bp", "RI", "CpU", "Ov", "Tr",
};

static const char *exc_name(unsigned code)
{
	return code < ARRAY_SIZE(exc_names) ? exc_names[code] : "?";
}

/* Handle the pending interrupts; 1 if the timer ticked. */
static int interrupts(void)
{
	uint32_t pending;
	int ticked = 0;

	while ((pending = hal_irq_pending()) != 0) {
		if (pending & (1u << HAL_IRQ_TIMER)) {
			timer_intr();
			ticked = 1;
		}
		if (pending & (1u << HAL_IRQ_IPI))
			tlb_ipi();
		if (pending & (1u << HAL_IRQ_DISK))
			disk_intr();
		if (pending & (1u << HAL_IRQ_CONS))
			console_intr();
		if (pending & (1u << HAL_IRQ_HOT))
			hal_hot_drain();   /* no page migration here */
		if (pending & (1u << HAL_IRQ_NET))
			net_intr();
		if (pending & ~((1u << HAL_IRQ_TIMER) | (1u << HAL_IRQ_IPI) |
				(1u << HAL_IRQ_DISK) | (1u << HAL_IRQ_CONS) |
				(1u << HAL_IRQ_HOT) | (1u << HAL_IRQ_NET)))
			panic("unexpected interrupt lines %x", pending);
	}
	return ticked;
}

/* A user program did something it may not: say so and end it. */
static void __attribute__((noreturn)) kill_user(struct proc *p, struct trapframe *tf,
						const char *why)
{
	unsigned code = hal_tf_exccode(tf);
	int has_addr = code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS ||
		       code == EXC_ADEL || code == EXC_ADES;

	if (!why)
		why = exc_name(code);
	if (has_addr)
		kprintf("pid %d (%s): killed: %s at pc 0x%08x badvaddr 0x%08x\n",
			p->pid, p->name, why, tf->epc, tf->badvaddr);
	else
		kprintf("pid %d (%s): killed: %s at pc 0x%08x\n",
			p->pid, p->name, why, tf->epc);
	exit(-1);
}

static void user_exception(struct proc *p, struct trapframe *tf)
{
	unsigned code = hal_tf_exccode(tf);

	switch (code) {
	case EXC_SYS:
		if (hal_tf_in_delay_slot(tf))
			kill_user(p, tf, "syscall in a delay slot");
		syscall(tf);
		return;
	case EXC_TLBL:
		/* An sproc'd process returned from its entry function. */
		if (tf->epc == SPROC_RETURN && tf->badvaddr == SPROC_RETURN)
			exit(tf->regs[REG_V0]);
		/* fall through */
	case EXC_TLBS:
	case EXC_MOD: {
		int r = vm_fault(p->as, tf->badvaddr, code != EXC_TLBL);

		if (r == -ENOMEM)
			kill_user(p, tf, "out of memory");
		if (r < 0)
			kill_user(p, tf, NULL);
		return;
	}
	default:
		kill_user(p, tf, NULL);
	}
}

void trap(struct trapframe *tf)
{
	unsigned code = hal_tf_exccode(tf);
	int user = hal_tf_from_user(tf);
	struct proc *p = myproc();
	int ticked = 0;

	if (code == EXC_INT) {
		ticked = interrupts();
	} else if (!user) {
		panic("kernel %s at pc 0x%08x badvaddr 0x%08x (pid %d)", exc_name(code),
		      tf->epc, tf->badvaddr, p ? p->pid : 0);
	} else {
		if (p->killed)
			exit(-1);
		hal_intr_on();
		user_exception(p, tf);
	}
	/* Preempt at each tick, unless the interrupted code had interrupts
	   off (it may hold a spinlock) or no process is running. */
	if (ticked && p && p->state == RUNNING && (user || hal_tf_intr_enabled(tf)))
		yield();
	if (user && p->killed)
		exit(-1);
	hal_intr_off();
}
