/*
 * proc.h - processes.
 */
#ifndef PROC_H
#define PROC_H

#include "kernel.h"

enum procstate { UNUSED, EMBRYO, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct proc {
	enum procstate state;    /* all of these under ptable.lock */
	int pid;
	struct proc *parent;
	void *chan;              /* sleeping on this */
	volatile int killed;
	int xstatus;             /* exit status, for wait */
	int cpu;                 /* where it last ran, -1 if never */

	/* Private to the process (or set before it first runs). */
	struct as *as;           /* shared with its sproc relatives */
	char *kstack;            /* KSTACK_SIZE bytes */
	struct trapframe *tf;    /* at the top of kstack: the user registers */
	uint32_t ksp;            /* saved kernel stack pointer (swtch) */
	struct file *ofile[NOFILE];
	struct inode *cwd;
	char name[16];
};

struct ptable {
	struct spinlock lock;
	struct proc proc[NPROC];
};

extern struct ptable ptable;
extern struct proc *initproc;

struct proc *allocproc(void (*entry)(void));
void freeproc(struct proc *p);
void make_runnable(struct proc *p);   /* takes ptable.lock */
void set_runnable(struct proc *p);    /* ptable.lock held */
void forkret(void);

#endif
