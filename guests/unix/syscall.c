/*
 * syscall.c - system call dispatch and argument fetching.
 *
 * The ABI (unix/syscall.h, MIPS o32 as IRIX): v0 = call number, a0..a3
 * the first four arguments, a fifth and sixth at 16(sp) and 20(sp) of the
 * user stack; the result goes back in v0, negative for an error.
 */
#include "proc.h"
#include "sysfunc.h"
#include <unix/syscall.h>

/* Argument n (0-based) of the current call. */
int argword(int n, uint32_t *w)
{
	struct trapframe *tf = myproc()->tf;

	if (n < 4) {
		*w = tf->regs[REG_A0 + n];
		return 0;
	}
	return fetchword(myproc()->as, tf->regs[REG_SP] + 16 + 4 * (n - 4), w);
}

int argint(int n)
{
	uint32_t w = 0;

	argword(n, &w);
	return (int)w;
}

/* A path argument: copied into buf (MAXPATH bytes). */
int argpath(int n, char *buf)
{
	uint32_t va;
	int r;

	if ((r = argword(n, &va)) < 0)
		return r;
	r = copyinstr(myproc()->as, buf, va, MAXPATH);
	return r == -ENAMETOOLONG ? -ENAMETOOLONG : r;
}

static int (*const syscalls[SYS_MAX + 1])(void) = {
	[SYS_exit] = sys_exit,       [SYS_fork] = sys_fork,
	[SYS_wait] = sys_wait,       [SYS_exec] = sys_exec,
	[SYS_getpid] = sys_getpid,   [SYS_kill] = sys_kill,
	[SYS_sbrk] = sys_sbrk,       [SYS_open] = sys_open,
	[SYS_close] = sys_close,     [SYS_read] = sys_read,
	[SYS_write] = sys_write,     [SYS_pipe] = sys_pipe,
	[SYS_dup] = sys_dup,         [SYS_fstat] = sys_fstat,
	[SYS_link] = sys_link,       [SYS_unlink] = sys_unlink,
	[SYS_mkdir] = sys_mkdir,     [SYS_chdir] = sys_chdir,
	[SYS_lseek] = sys_lseek,     [SYS_sproc] = sys_sproc,
	[SYS_yield] = sys_yield,     [SYS_sleep] = sys_sleep,
	[SYS_uptime] = sys_uptime,   [SYS_ncpus] = sys_ncpus,
	[SYS_mark] = sys_mark,       [SYS_halt] = sys_halt,
	[SYS_getcpu] = sys_getcpu,   [SYS_sync] = sys_sync,
	[SYS_memstat] = sys_memstat, [SYS_dup2] = sys_dup2,
	[SYS_getppid] = sys_getppid, [SYS_nfsd] = sys_nfsd,
};

void syscall(struct trapframe *tf)
{
	uint32_t num = tf->regs[REG_V0];

	tf->epc += 4;   /* resume after the SYSCALL (fork's child too) */
	if (num <= SYS_MAX && syscalls[num])
		tf->regs[REG_V0] = syscalls[num]();
	else
		tf->regs[REG_V0] = -ENOSYS;
}
