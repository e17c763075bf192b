/*
 * sysproc.c - system calls about processes, memory and time.
 */
#include "proc.h"
#include "file.h"
#include "vm.h"
#include "sysfunc.h"
#include <unix/syscall.h>

int sys_exit(void)
{
	exit(argint(0));
}

int sys_fork(void)
{
	return fork();
}

int sys_wait(void)
{
	uint32_t va;

	argword(0, &va);
	return wait(va);
}

/* exec(path, argv): the strings are copied into one kernel page first,
   so that a bad pointer fails before the old image is touched. */
int sys_exec(void)
{
	char path[MAXPATH];
	char *argv[MAXARG + 1];
	struct as *as = myproc()->as;
	uint32_t uargv, uarg;
	char *strings, *s;
	int r, argc;

	if ((r = argpath(0, path)) < 0)
		return r;
	if ((r = argword(1, &uargv)) < 0)
		return r;
	if (!(strings = kalloc(PAGE_KDATA)))
		return -ENOMEM;
	s = strings;
	for (argc = 0;; argc++) {
		if (argc > MAXARG) {
			r = -E2BIG;
			goto out;
		}
		if (!uargv) {
			argv[argc] = NULL;
			break;
		}
		if ((r = fetchword(as, uargv + 4 * argc, &uarg)) < 0)
			goto out;
		if (!uarg) {
			argv[argc] = NULL;
			break;
		}
		r = copyinstr(as, s, uarg, strings + PAGE_SIZE - s);
		if (r == -ENAMETOOLONG)
			r = -E2BIG;
		if (r < 0)
			goto out;
		argv[argc] = s;
		s += r + 1;
	}
	r = exec(path, argv);
out:
	kfree(strings);
	return r;
}

int sys_getpid(void)
{
	return myproc()->pid;
}

int sys_getppid(void)
{
	struct proc *p = myproc();
	int ppid;

	acquire(&ptable.lock);
	ppid = p->parent ? p->parent->pid : 0;
	release(&ptable.lock);
	return ppid;
}

int sys_kill(void)
{
	return kill(argint(0));
}

int sys_sbrk(void)
{
	return vm_sbrk(myproc()->as, argint(0));
}

int sys_sproc(void)
{
	uint32_t entry, arg, stack;

	argword(0, &entry);
	argword(1, &arg);
	argword(2, &stack);
	return sproc(entry, arg, stack);
}

int sys_yield(void)
{
	yield();
	return 0;
}

int sys_sleep(void)
{
	int n = argint(0);

	return timer_sleep(n < 0 ? 0 : (uint32_t)n);
}

int sys_uptime(void)
{
	return (int)timer_ticks();
}

int sys_ncpus(void)
{
	return ncpu;
}

int sys_mark(void)
{
	hal_mark((uint32_t)argint(0));
	return 0;
}

/* Only init may stop the machine. Dirty buffers go to disk first (init
   has normally synced already, and then this writes nothing). */
int sys_halt(void)
{
	if (myproc() != initproc)
		return -EPERM;
	bsync();
	nfs_unmount();
	kmem_report();
	spin_report();
	hal_halt(argint(0));
}

int sys_getcpu(void)
{
	return hal_cpu_id();
}

int sys_memstat(void)
{
	struct memstat m;
	uint32_t va;

	argword(0, &va);
	kmem_stat(&m.pages_total, &m.pages_free);
	return copyout(myproc()->as, va, &m, sizeof m);
}
