/*
 * sched.c - the scheduler, context switches, sleep and wakeup.
 *
 * Every CPU runs scheduler() on its boot stack: pick a RUNNABLE process,
 * load its address space (asid.c), switch to its kernel stack; when it
 * gives the CPU back (sched), unload the address space and look again.
 * There is one run "queue", the process table, scanned round-robin from
 * where this CPU stopped last time, preferring a process that last ran
 * here (its cache lines and its pages are on this node).
 *
 * A CPU with nothing to run waits in WAIT (hal_idle) with interrupts off:
 * WAIT returns as soon as an interrupt is pending, even a masked one, so
 * there is no window in which a wakeup is lost. A CPU that makes a
 * process runnable sends an IPI to one idle CPU so it need not wait for
 * its next timer tick.
 */
#include "proc.h"
#include "vm.h"

static volatile uint32_t idle_cpus;   /* CPUs in hal_idle, to kick */

/* ptable.lock held: p becomes RUNNABLE; wake an idle CPU for it. */
void set_runnable(struct proc *p)
{
	uint32_t idle = idle_cpus & ~(1u << hal_cpu_id());

	p->state = RUNNABLE;
	if (idle) {
		int c = __builtin_ctz(idle);

		atomic_clear(&idle_cpus, 1u << c);
		hal_ipi_send(c);
	}
}

void make_runnable(struct proc *p)
{
	acquire(&ptable.lock);
	set_runnable(p);
	release(&ptable.lock);
}

/* The next process for CPU c, or NULL. ptable.lock held. */
static struct proc *pick(struct cpu *c)
{
	struct proc *any = NULL;

	for (int n = 0; n < NPROC; n++) {
		int i = (c->next_slot + n) % NPROC;
		struct proc *p = &ptable.proc[i];

		if (p->state != RUNNABLE)
			continue;
		if (p->cpu == c->id || p->cpu < 0) {
			c->next_slot = i + 1;
			return p;
		}
		if (!any)
			any = p;
	}
	if (any)
		c->next_slot = (any - ptable.proc) + 1;
	return any;
}

void scheduler(void)
{
	struct cpu *c = mycpu();

	for (;;) {
		/* Let pending interrupts (IPIs, the timer) in, then look with
		   interrupts off until we run something or WAIT. */
		hal_intr_on();
		hal_intr_off();
		acquire(&ptable.lock);
		struct proc *p = pick(c);

		if (p) {
			p->state = RUNNING;
			p->cpu = c->id;
			c->proc = p;
			hal_set_kstack(p->kstack + KSTACK_SIZE);
			if (p->as)
				as_activate(p->as);
			swtch(&c->sched_sp, p->ksp);
			/* Back from the process (sched). */
			as_deactivate();
			c->proc = NULL;
			release(&ptable.lock);
		} else {
			atomic_or(&idle_cpus, 1u << c->id);
			release(&ptable.lock);
			hal_idle();
			atomic_clear(&idle_cpus, 1u << c->id);
		}
	}
}

/* Give the CPU back to the scheduler. ptable.lock held, and nothing
   else; the process's state already changed. */
void sched(void)
{
	struct proc *p = myproc();
	struct cpu *c = mycpu();
	int intena;

	if (!holding(&ptable.lock))
		panic("sched: ptable.lock not held");
	if (c->noff != 1)
		panic("sched: %d locks held", c->noff);
	if (p->state == RUNNING)
		panic("sched: still running");
	if (hal_intr_enabled())
		panic("sched: interrupts on");
	intena = c->intena;
	swtch(&p->ksp, c->sched_sp);
	mycpu()->intena = intena;   /* we may be on another CPU now */
}

void yield(void)
{
	acquire(&ptable.lock);
	myproc()->state = RUNNABLE;
	sched();
	release(&ptable.lock);
}

/* Atomically release lk and sleep on chan; lk is held again on return. */
void sleep(void *chan, struct spinlock *lk)
{
	struct proc *p = myproc();

	if (lk != &ptable.lock) {
		acquire(&ptable.lock);
		release(lk);
	}
	p->chan = chan;
	p->state = SLEEPING;
	sched();
	p->chan = NULL;
	if (lk != &ptable.lock) {
		release(&ptable.lock);
		acquire(lk);
	}
}

void wakeup(void *chan)
{
	acquire(&ptable.lock);
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &ptable.proc[i];

		if (p->state == SLEEPING && p->chan == chan)
			set_runnable(p);
	}
	release(&ptable.lock);
}
