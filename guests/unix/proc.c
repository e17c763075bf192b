/*
 * proc.c - the process table: creating processes (fork, sproc, the first
 * one), ending them (exit, wait, kill).
 *
 * As in xv6, one lock (ptable.lock) protects every process's state, and
 * the kernel stacks are static, one per slot. Each process has a trap
 * frame at the top of its kernel stack: the exception entry puts the user
 * registers there (hal_set_kstack tells it where), and a new process
 * leaves the kernel through hal_trapret from its own.
 */
#include "proc.h"
#include "vm.h"
#include "file.h"
#include <unix/syscall.h>

struct ptable ptable;
struct proc *initproc;
static int nextpid = 1;
static char kstacks[NPROC][KSTACK_SIZE] __attribute__((aligned(PAGE_SIZE)));

void proc_init(void)
{
	spin_init(&ptable.lock, "ptable");
	for (int i = 0; i < NPROC; i++) {
		ptable.proc[i].kstack = kstacks[i];
		ptable.proc[i].cpu = -1;
	}
}

struct proc *myproc(void)
{
	struct proc *p;

	push_off();
	p = mycpu()->proc;
	pop_off();
	return p;
}

/*
 * A new process in state EMBRYO, or NULL if the table is full. Its kernel
 * stack holds, from the top: the trap frame, a 16-byte o32 argument area,
 * and the frame swtch pops, which "returns" into entry.
 */
struct proc *allocproc(void (*entry)(void))
{
	struct proc *p = NULL;
	uint32_t *frame;

	acquire(&ptable.lock);
	for (int i = 0; i < NPROC; i++)
		if (ptable.proc[i].state == UNUSED) {
			p = &ptable.proc[i];
			break;
		}
	if (!p) {
		release(&ptable.lock);
		return NULL;
	}
	p->state = EMBRYO;
	p->pid = nextpid++;
	p->killed = 0;
	p->xstatus = 0;
	p->chan = NULL;
	p->parent = NULL;
	release(&ptable.lock);

	p->as = NULL;
	p->cwd = NULL;
	memset(p->ofile, 0, sizeof p->ofile);
	p->tf = (struct trapframe *)(p->kstack + KSTACK_SIZE) - 1;
	memset(p->tf, 0, sizeof *p->tf);
	frame = (uint32_t *)((char *)p->tf - 16 - 48);
	memset(frame, 0, 48);
	frame[10] = (uint32_t)entry;             /* ra in swtch's frame */
	p->ksp = (uint32_t)frame;
	return p;
}

/* Give back a slot of a process that never ran, or a reaped zombie. */
void freeproc(struct proc *p)
{
	p->pid = 0;
	p->parent = NULL;
	p->name[0] = 0;
	p->killed = 0;
	p->cpu = -1;
	p->state = UNUSED;
}

/* A new process's first instructions: swtch "returns" here holding
   ptable.lock from the scheduler. */
void forkret(void)
{
	release(&ptable.lock);
	hal_trapret(myproc()->tf);
}

/* Copy the parent's open files and directory into np. */
static void inherit_files(struct proc *np, struct proc *p)
{
	for (int i = 0; i < NOFILE; i++)
		if (p->ofile[i])
			np->ofile[i] = filedup(p->ofile[i]);
	np->cwd = p->cwd ? idup(p->cwd) : NULL;
	safestrcpy(np->name, p->name, sizeof np->name);
	np->parent = p;
}

int fork(void)
{
	struct proc *p = myproc(), *np;

	if (!(np = allocproc(forkret)))
		return -EAGAIN;
	if (!(np->as = as_copy(p->as))) {
		acquire(&ptable.lock);
		freeproc(np);
		release(&ptable.lock);
		return -ENOMEM;
	}
	*np->tf = *p->tf;
	np->tf->regs[REG_V0] = 0;                /* fork returns 0 in the child */
	inherit_files(np, p);
	make_runnable(np);
	return np->pid;
}

/*
 * sproc: a new process in the caller's address space (IRIX sproc). It
 * starts at entry(arg) with sp just below stack_top (8-byte aligned, less
 * the o32 argument area) and ra = SPROC_RETURN, an address that is never
 * mapped: when entry returns, the fetch there faults and trap() turns it
 * into exit(return value).
 */
int sproc(uint32_t entry, uint32_t arg, uint32_t stack_top)
{
	struct proc *p = myproc(), *np;

	if (entry < USER_MIN || entry >= USER_TOP || (entry & 3) ||
	    stack_top < USER_MIN + 32 || stack_top > USER_TOP)
		return -EINVAL;
	if (!(np = allocproc(forkret)))
		return -EAGAIN;
	as_hold(p->as);
	np->as = p->as;
	*np->tf = *p->tf;
	np->tf->regs[REG_A0] = arg;
	np->tf->regs[REG_V0] = 0;
	np->tf->regs[25] = entry;                /* t9: the callee's address */
	np->tf->regs[REG_RA] = SPROC_RETURN;
	hal_tf_set_user(np->tf, entry, (stack_top & ~7u) - 16);
	inherit_files(np, p);
	make_runnable(np);
	return np->pid;
}

/* The first process: pid 1, which mounts the root file system and execs
   /bin/init (main.c: init_main). */
void user_init(void (*entry)(void))
{
	struct proc *p = allocproc(entry);

	if (!p)
		panic("user_init: no process");
	initproc = p;
	safestrcpy(p->name, "init", sizeof p->name);
	make_runnable(p);
}

/* Wake a parent sleeping in wait(). ptable.lock held. */
static void wakeup_parent(struct proc *parent)
{
	if (parent->state == SLEEPING && parent->chan == parent)
		set_runnable(parent);
}

void exit(int status)
{
	struct proc *p = myproc();
	struct as *as = p->as;

	if (p == initproc)
		panic("init exiting (status %d)", status);
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->ofile[fd]) {
			fileclose(p->ofile[fd]);
			p->ofile[fd] = NULL;
		}
	if (p->cwd) {
		iput(p->cwd);
		p->cwd = NULL;
	}
	/* Stop running on the address space before letting it go. */
	push_off();
	p->as = NULL;
	as_deactivate();
	pop_off();
	if (as)
		as_put(as);

	acquire(&ptable.lock);
	/* Children go to init, which reaps them. */
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &ptable.proc[i];

		if (q->parent == p) {
			q->parent = initproc;
			if (q->state == ZOMBIE)
				wakeup_parent(initproc);
		}
	}
	p->xstatus = status;
	p->state = ZOMBIE;
	wakeup_parent(p->parent);
	sched();
	panic("zombie ran");
}

/* Wait for a child to exit: its pid, and its status stored at status_va
   (if not 0); -ECHILD if there are no children. */
int wait(uint32_t status_va)
{
	struct proc *p = myproc();

	acquire(&ptable.lock);
	for (;;) {
		int have_kids = 0;

		for (int i = 0; i < NPROC; i++) {
			struct proc *q = &ptable.proc[i];

			if (q->parent != p)
				continue;
			have_kids = 1;
			if (q->state == ZOMBIE) {
				int pid = q->pid, xs = q->xstatus;

				freeproc(q);
				release(&ptable.lock);
				if (status_va && copyout(p->as, status_va, &xs, sizeof xs) < 0)
					return -EFAULT;
				return pid;
			}
		}
		if (!have_kids) {
			release(&ptable.lock);
			return -ECHILD;
		}
		if (p->killed) {
			release(&ptable.lock);
			return -EINTR;
		}
		sleep(p, &ptable.lock);
	}
}

/* Mark pid killed; it exits (status -1) the next time it is about to
   return to user mode, and a sleep it is in ends early. */
int kill(int pid)
{
	acquire(&ptable.lock);
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &ptable.proc[i];

		if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE &&
		    p->state != EMBRYO) {
			p->killed = 1;
			if (p->state == SLEEPING)
				set_runnable(p);
			release(&ptable.lock);
			return 0;
		}
	}
	release(&ptable.lock);
	return -ESRCH;
}

int proc_killed(struct proc *p)
{
	return p->killed;
}
