/*
 * sysfile.c - system calls on file descriptors: arguments checked, then
 * handed to file.c and pipe.c. The calls that take path names are in
 * syspath.c.
 */
#include "proc.h"
#include "file.h"
#include "sysfunc.h"

/* The open file of descriptor argument n. */
static int argfd(int n, int *pfd, struct file **pf)
{
	int fd = argint(n);
	struct file *f;

	if (fd < 0 || fd >= NOFILE || !(f = myproc()->ofile[fd]))
		return -EBADF;
	if (pfd)
		*pfd = fd;
	if (pf)
		*pf = f;
	return 0;
}

int sys_dup(void)
{
	struct file *f;
	int r;

	if ((r = argfd(0, NULL, &f)) < 0)
		return r;
	if ((r = fdalloc(f)) >= 0)
		filedup(f);
	return r;
}

int sys_dup2(void)
{
	struct proc *p = myproc();
	struct file *f;
	int fd, newfd = argint(1), r;

	if ((r = argfd(0, &fd, &f)) < 0)
		return r;
	if (newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (newfd == fd)
		return newfd;
	filedup(f);
	if (p->ofile[newfd])
		fileclose(p->ofile[newfd]);
	p->ofile[newfd] = f;
	return newfd;
}

int sys_close(void)
{
	struct file *f;
	int fd, r;

	if ((r = argfd(0, &fd, &f)) < 0)
		return r;
	myproc()->ofile[fd] = NULL;
	fileclose(f);
	return 0;
}

int sys_read(void)
{
	struct file *f;
	uint32_t va;
	int r;

	if ((r = argfd(0, NULL, &f)) < 0)
		return r;
	argword(1, &va);
	return fileread(f, va, argint(2));
}

int sys_write(void)
{
	struct file *f;
	uint32_t va;
	int r;

	if ((r = argfd(0, NULL, &f)) < 0)
		return r;
	argword(1, &va);
	return filewrite(f, va, argint(2));
}

int sys_fstat(void)
{
	struct file *f;
	uint32_t va;
	int r;

	if ((r = argfd(0, NULL, &f)) < 0)
		return r;
	argword(1, &va);
	return filestat(f, va);
}

int sys_lseek(void)
{
	struct file *f;
	int r;

	if ((r = argfd(0, NULL, &f)) < 0)
		return r;
	return fileseek(f, argint(1), argint(2));
}

int sys_pipe(void)
{
	struct proc *p = myproc();
	struct file *rf, *wf;
	uint32_t va;
	int fds[2], r;

	argword(0, &va);
	if ((r = pipealloc(&rf, &wf)) < 0)
		return r;
	fds[0] = fdalloc(rf);
	fds[1] = fds[0] < 0 ? -1 : fdalloc(wf);
	if (fds[1] < 0 || copyout(p->as, va, fds, sizeof fds) < 0) {
		r = fds[1] < 0 ? -EMFILE : -EFAULT;
		if (fds[0] >= 0)
			p->ofile[fds[0]] = NULL;
		if (fds[1] >= 0)
			p->ofile[fds[1]] = NULL;
		fileclose(rf);
		fileclose(wf);
		return r;
	}
	return 0;
}

/* The NFS server (nfs.c) runs in the process that calls nfsd, as the
   classic nfssvc() does. */
int sys_nfsd(void)
{
	char path[MAXPATH];
	int err;

	if ((err = argpath(0, path)) < 0)
		return err;
	return nfs_serve(path, argint(1));
}

int sys_sync(void)
{
	bsync();
	return 0;
}
