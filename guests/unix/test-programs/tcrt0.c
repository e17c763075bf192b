/*
 * tcrt0.c - start-up and system-call stubs for the kernel's stand-in test
 * programs (the real C library is guests/lib). The kernel starts a program
 * with a0 = argc, a1 = argv; main's return value goes to exit.
 */
#include <unix/syscall.h>

#define STR(x) #x
#define XSTR(x) STR(x)

__asm__(".set push\n.set noreorder\n"
	".section .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	jal	main\n"
	"	nop\n"
	"	move	$a0, $v0\n"
	"	li	$v0, " XSTR(SYS_exit) "\n"
	"	syscall\n"
	"1:	b	1b\n"
	"	nop\n"
	".set pop\n");

#define STUB(name, num)                                                   \
	__asm__(".set push\n.set noreorder\n.text\n.globl " #name "\n" #name \
		":\n	li	$v0, " XSTR(num) "\n	syscall\n	jr	$ra\n" \
		"	nop\n.set pop\n");

STUB(exit, SYS_exit)
STUB(fork, SYS_fork)
STUB(wait, SYS_wait)
STUB(exec, SYS_exec)
STUB(getpid, SYS_getpid)
STUB(kill, SYS_kill)
STUB(sbrk, SYS_sbrk)
STUB(open, SYS_open)
STUB(close, SYS_close)
STUB(read, SYS_read)
STUB(write, SYS_write)
STUB(pipe, SYS_pipe)
STUB(dup, SYS_dup)
STUB(fstat, SYS_fstat)
STUB(link, SYS_link)
STUB(unlink, SYS_unlink)
STUB(mkdir, SYS_mkdir)
STUB(chdir, SYS_chdir)
STUB(lseek, SYS_lseek)
STUB(sproc, SYS_sproc)
STUB(yield, SYS_yield)
STUB(sleep, SYS_sleep)
STUB(uptime, SYS_uptime)
STUB(ncpus, SYS_ncpus)
STUB(mark, SYS_mark)
STUB(halt, SYS_halt)
STUB(getcpu, SYS_getcpu)
STUB(sync, SYS_sync)
STUB(memstat, SYS_memstat)
STUB(dup2, SYS_dup2)
STUB(getppid, SYS_getppid)
/* rawsys(num, a0, a1, a2): any call number, for testing bad ones. */
__asm__(".set push\n.set noreorder\n.text\n.globl rawsys\nrawsys:\n"
	"	move	$v0, $a0\n	move	$a0, $a1\n	move	$a1, $a2\n"
	"	move	$a2, $a3\n	syscall\n	jr	$ra\n	nop\n.set pop\n");
