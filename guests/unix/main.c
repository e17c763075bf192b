/*
 * main.c - booting.
 *
 * CPU 0 arrives first (hal/mips/start.S), sets up memory, the process
 * table, the buffer cache and the devices, makes the first process, and
 * starts the other CPUs through the power device. Every CPU then sets up
 * its own CP0 state (hal_cpu_init) and enters the scheduler.
 *
 * The first process (pid 1) begins in the kernel, in init_main: it mounts
 * the root file system (it may sleep on the disk, so it must be a
 * process), opens the console as file descriptors 0, 1 and 2, and execs
 * /bin/init, which it then enters as any process returns to user mode.
 */
#include "proc.h"
#include "vm.h"
#include "file.h"

struct cpu cpus[NCPU];
int ncpu;

extern char __free_start[];   /* end of the kernel image (kseg0.ld) */

static void init_main(void)
{
	struct proc *p = myproc();
	char *argv[] = {"/bin/init", NULL};
	struct file *f;
	int r;

	release(&ptable.lock);          /* held since the scheduler */
	hal_intr_on();
	fs_init(ROOTDEV);
	if (!(p->cwd = iget_root()))
		panic("no root inode");
	if (!(f = filealloc()))
		panic("init: no file");
	f->type = FD_CONSOLE;
	f->readable = f->writable = 1;
	p->ofile[0] = f;
	p->ofile[1] = filedup(f);
	p->ofile[2] = filedup(f);
	if ((r = exec(argv[0], argv)) < 0)
		panic("exec %s: error %d", argv[0], -r);
	hal_intr_off();
	hal_trapret(p->tf);
}

void kmain(int cpu, int n)
{
	if (cpu == 0) {
		ncpu = n < NCPU ? n : NCPU;
		for (int i = 0; i < NCPU; i++)
			cpus[i].id = i;
		console_init();
		kalloc_init(__free_start, hal_node_mem(), n);
		vm_init();
		hal_cpu_init(vm_empty_pgdir(), TICK_CYCLES);
		kprintf("unix: %d cpu%s, %u MB\n", ncpu, ncpu == 1 ? "" : "s",
			(hal_node_mem() >> 20) * n);
		proc_init();
		binit();
		disk_init();
		file_init();
		spin_init(&tickslock, "ticks");
		user_init(init_main);
		for (int i = 1; i < ncpu; i++)
			hal_start_cpu(i);
	} else {
		if (cpu >= ncpu)
			for (;;)
				hal_idle();
		hal_cpu_init(vm_empty_pgdir(), TICK_CYCLES);
	}
	cpus[cpu].started = 1;
	scheduler();
}
