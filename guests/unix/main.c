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
 * process), reads the boot arguments in /etc/bootargs if there is one,
 * opens the console as file descriptors 0, 1 and 2, and execs /bin/init,
 * which it then enters as any process returns to user mode.
 *
 * Boot arguments are words separated by blanks (README.md, "Boot
 * arguments"): first the HAL's (in a VM the configuration's `args`; none
 * on the bare machine, which has no way to pass them), then those of
 * /etc/bootargs, a later word overriding an earlier one. The only one so
 * far are placement=local|any (kalloc.c), which prints nothing, so a run
 * with it prints what a run without it does; memstat (kalloc.c), which
 * prints the pages in use by kind when init halts the machine; lockstat
 * (spinlock.c), which prints the cycles spent spinning in spinlocks then; and
 * mount=DISK:PATH (fs.c), which mounts the file system of another disk on
 * a directory once the root is up, and nfs=ADDR:PATH (nfs.c), which mounts
 * the directory the VM at network address ADDR serves (nfsd) on PATH;
 * both print only if they cannot. An
 * unknown or malformed word is reported on the console and ignored.
 */
#include "proc.h"
#include "vm.h"
#include "file.h"
#include "net.h"

struct cpu cpus[NCPU];
int ncpu;

extern char __free_start[];   /* end of the kernel image (kseg0.ld) */

#define BOOTARGS_MAX 256

/* mount=DISK:PATH boot arguments, mounted once the root is (init_main). */
static struct {
	int want;
	char path[MAXPATH];
} mount_arg[NDISK];

static uint32_t nfs_server;          /* nfs=ADDR:PATH: the server's address */
static char nfs_path[MAXPATH];

/* Note nfs=ADDR:PATH (word has the "nfs=" stripped); 0 if malformed. */
static int nfs_word(const char *w)
{
	uint32_t addr = 0;
	int n = 0;

	while (*w >= '0' && *w <= '9' && n < 3)
		addr = addr * 10 + (uint32_t)(*w++ - '0'), n++;
	if (n == 0 || addr == 0 || addr > 254 || *w++ != ':' || *w != '/' || strlen(w) >= MAXPATH)
		return 0;
	nfs_server = addr;
	safestrcpy(nfs_path, w, MAXPATH);
	return 1;
}

/* Note mount=DISK:PATH (word has the "mount=" stripped); 0 if malformed. */
static int mount_word(const char *w)
{
	uint32_t dev = 0;
	int n = 0;

	while (*w >= '0' && *w <= '9' && n < 3)
		dev = dev * 10 + (uint32_t)(*w++ - '0'), n++;
	if (n == 0 || *w++ != ':' || *w != '/' || dev >= NDISK || dev == ROOTDEV ||
	    strlen(w) >= MAXPATH)
		return 0;
	mount_arg[dev].want = 1;
	safestrcpy(mount_arg[dev].path, w, MAXPATH);
	return 1;
}

/* Mount what the boot arguments asked for; a failure is reported, and
   the system comes up without that disk. */
static void mount_disks(void)
{
	for (uint32_t d = 0; d < NDISK; d++) {
		int r;

		if (!mount_arg[d].want || (r = fs_mount(d, mount_arg[d].path)) == 0)
			continue;
		kprintf("unix: mount=%u:%s: %s\n", d, mount_arg[d].path,
			r == -ENXIO    ? "no such disk" :
			r == -EINVAL   ? "not a file system" :
			r == -ENOENT   ? "no such directory" :
			r == -ENOTDIR  ? "not a directory" :
			r == -EBUSY    ? "mounted already, or a mount point" : "cannot mount");
	}
	if (nfs_server) {
		int r = nfs_mount(nfs_server, nfs_path);

		if (r < 0)
			kprintf("unix: nfs=%u:%s: %s\n", nfs_server, nfs_path,
				r == -ENXIO   ? "no network" :
				r == -EIO     ? "no answer from the server" :
				r == -ENOENT  ? "no such directory" :
				r == -ENOTDIR ? "not a directory" :
				r == -EBUSY   ? "a mount point already" : "cannot mount");
	}
}

/* Apply the boot arguments in s (from names their source in messages). */
static void bootargs(const char *s, const char *from)
{
	char word[BOOTARGS_MAX];

	while (*s) {
		int n = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
			if (n < BOOTARGS_MAX - 1)
				word[n++] = *s;
			s++;
		}
		word[n] = 0;
		if (n == 0)
			break;
		if (!strncmp(word, "placement=local", sizeof word))
			kalloc_set_placement(0);
		else if (!strncmp(word, "placement=any", sizeof word))
			kalloc_set_placement(1);
		else if (!strncmp(word, "memstat", sizeof word))
			kalloc_set_memstat(1);
		else if (!strncmp(word, "lockstat", sizeof word))
			spin_set_lockstat(1);
		else if (!strncmp(word, "mount=", 6) && mount_word(word + 6))
			;
		else if (!strncmp(word, "nfs=", 4) && nfs_word(word + 4))
			;
		else
			kprintf("unix: %s: unknown boot argument %s\n", from, word);
	}
}

/* The boot arguments in /etc/bootargs, if the root file system has one. */
static void bootargs_file(void)
{
	static char buf[BOOTARGS_MAX];
	struct inode *ip;
	int r, n;

	if (!(ip = namei("/etc/bootargs", &r)))
		return;
	ilock(ip);
	n = readi(ip, 0, (uint32_t)buf, 0, sizeof buf - 1);
	iunlockput(ip);
	buf[n > 0 ? n : 0] = 0;
	bootargs(buf, "/etc/bootargs");
}

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
	bootargs_file();
	mount_disks();
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
		bootargs(hal_boot_args(), "boot");
		kalloc_init(__free_start, hal_node_mem(), n);
		vm_init();
		hal_cpu_init(vm_empty_pgdir(), TICK_CYCLES);
		kprintf("unix: %d cpu%s, %u MB\n", ncpu, ncpu == 1 ? "" : "s",
			(hal_node_mem() >> 20) * n);
		proc_init();
		binit();
		disk_init();
		net_init();
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
