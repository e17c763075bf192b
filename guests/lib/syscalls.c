/*
 * syscalls.c - one stub per system call of unix/syscall.h.
 *
 * The stubs are assembly; they live in top-level asm statements in a C
 * file because unix/syscall.h (which gives the numbers) also declares a C
 * struct and so cannot be included by a .S file.
 *
 * The arguments are already where the kernel wants them (a0..a3, and any
 * fifth and sixth at 16(sp) and 20(sp) of the caller's frame, which is ours
 * since a stub never moves sp), so a stub only puts the call number in v0
 * and traps. A negative result is an error -E: the shared tail stores E in
 * errno and returns -1 (for sbrk, (void *)-1).
 */
#include <unix/syscall.h>

#define STR(x) #x
#define XSTR(x) STR(x)

#define SYSCALL(name, number)                     \
	__asm__(".text\n"                         \
		".globl " #name "\n"              \
		".ent " #name "\n"                \
		#name ":\n"                       \
		"	.set noreorder\n"         \
		"	li	$v0, " XSTR(number) "\n" \
		"	syscall\n"                \
		"	bltz	$v0, __syscall_error\n" \
		"	nop\n"                    \
		"	jr	$ra\n"            \
		"	nop\n"                    \
		"	.set reorder\n"           \
		".end " #name "\n");

SYSCALL(exit, SYS_exit)
SYSCALL(fork, SYS_fork)
SYSCALL(wait, SYS_wait)
SYSCALL(exec, SYS_exec)
SYSCALL(getpid, SYS_getpid)
SYSCALL(kill, SYS_kill)
SYSCALL(sbrk, SYS_sbrk)
SYSCALL(open, SYS_open)
SYSCALL(close, SYS_close)
SYSCALL(read, SYS_read)
SYSCALL(write, SYS_write)
SYSCALL(pipe, SYS_pipe)
SYSCALL(dup, SYS_dup)
SYSCALL(fstat, SYS_fstat)
SYSCALL(link, SYS_link)
SYSCALL(unlink, SYS_unlink)
SYSCALL(mkdir, SYS_mkdir)
SYSCALL(chdir, SYS_chdir)
SYSCALL(lseek, SYS_lseek)
SYSCALL(__sproc, SYS_sproc)      /* sproc.c wraps it */
SYSCALL(yield, SYS_yield)
SYSCALL(sleep, SYS_sleep)
SYSCALL(uptime, SYS_uptime)
SYSCALL(ncpus, SYS_ncpus)
SYSCALL(mark, SYS_mark)
SYSCALL(halt, SYS_halt)
SYSCALL(getcpu, SYS_getcpu)
SYSCALL(sync, SYS_sync)
SYSCALL(memstat, SYS_memstat)
SYSCALL(dup2, SYS_dup2)
SYSCALL(getppid, SYS_getppid)
SYSCALL(nfsd, SYS_nfsd)

/*
 * syscall(number, a0, a1, a2, a3): any call by number, for tests of the
 * kernel's argument checking (an unknown number is ENOSYS). The arguments
 * move down one register; the fourth comes from 16(sp).
 *
 * __syscall_error: v0 = -E; errno = E; return -1.
 */
__asm__(".text\n"
	".globl syscall\n"
	".ent syscall\n"
	"syscall:\n"
	"	.set noreorder\n"
	"	move	$v0, $a0\n"
	"	move	$a0, $a1\n"
	"	move	$a1, $a2\n"
	"	move	$a2, $a3\n"
	"	lw	$a3, 16($sp)\n"
	"	syscall\n"
	"	bltz	$v0, __syscall_error\n"
	"	nop\n"
	"	jr	$ra\n"
	"	nop\n"
	".end syscall\n"
	"\n"
	".globl __syscall_error\n"
	".ent __syscall_error\n"
	"__syscall_error:\n"
	"	subu	$v0, $zero, $v0\n"
	"	lui	$t0, %hi(errno)\n"
	"	sw	$v0, %lo(errno)($t0)\n"
	"	jr	$ra\n"
	"	li	$v0, -1\n"
	"	.set reorder\n"
	".end __syscall_error\n");
