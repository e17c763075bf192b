/*
 * sysfunc.h - the system calls (sysproc.c, sysfile.c) and their argument
 * helpers (syscall.c).
 */
#ifndef SYSFUNC_H
#define SYSFUNC_H

#include <stdint.h>

int argword(int n, uint32_t *w);
int argint(int n);
int argpath(int n, char *buf);

int sys_exit(void);
int sys_fork(void);
int sys_wait(void);
int sys_exec(void);
int sys_getpid(void);
int sys_kill(void);
int sys_sbrk(void);
int sys_sproc(void);
int sys_yield(void);
int sys_sleep(void);
int sys_uptime(void);
int sys_ncpus(void);
int sys_mark(void);
int sys_halt(void);
int sys_getcpu(void);
int sys_memstat(void);
int sys_getppid(void);

int sys_open(void);
int sys_close(void);
int sys_read(void);
int sys_write(void);
int sys_pipe(void);
int sys_dup(void);
int sys_dup2(void);
int sys_fstat(void);
int sys_link(void);
int sys_unlink(void);
int sys_mkdir(void);
int sys_chdir(void);
int sys_lseek(void);
int sys_sync(void);
int sys_nfsd(void);

#endif
