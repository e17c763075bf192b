/*
 * sysfile.c - system calls about files: arguments checked, then handed
 * to file.c, fs.c and dir.c.
 */
#include "proc.h"
#include "file.h"
#include "sysfunc.h"
#include <unix/fcntl.h>
#include <unix/stat.h>

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

static int fdalloc(struct file *f)
{
	struct proc *p = myproc();

	for (int fd = 0; fd < NOFILE; fd++)
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			return fd;
		}
	return -EMFILE;
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

/* Make a new inode named path: returned locked. An existing file is
   returned as it is when a file was asked for (open O_CREATE). */
static struct inode *create(const char *path, short type, int *err)
{
	char name[FS_DIRSIZ + 1];
	struct inode *dp, *ip;

	if (!(dp = nameiparent(path, name, err)))
		return NULL;
	ilock(dp);
	if ((ip = dirlookup(dp, name, NULL, err)) != NULL) {
		iunlockput(dp);
		ilock(ip);
		if (type == T_FILE && ip->type != T_DIR)
			return ip;
		*err = type == T_FILE ? -EISDIR : -EEXIST;
		iunlockput(ip);
		return NULL;
	}
	if (*err != -ENOENT || dp->nlink == 0) {   /* or a removed directory */
		*err = dp->nlink == 0 ? -ENOENT : *err;
		iunlockput(dp);
		return NULL;
	}
	if (!(ip = ialloc(dp->dev, type, err))) {
		iunlockput(dp);
		return NULL;
	}
	ilock(ip);
	ip->major = 0;
	ip->nlink = 1;
	if (type == T_DIR)
		ip->nlink = 2;               /* its entry and its "." */
	iupdate(ip);
	if ((type == T_DIR && (dirlink(ip, ".", ip->inum) < 0 ||
			       dirlink(ip, "..", dp->inum) < 0)) ||
	    (*err = dirlink(dp, name, ip->inum)) < 0) {
		if (*err >= 0)
			*err = -ENOSPC;
		ip->nlink = 0;               /* iput frees it */
		iupdate(ip);
		iunlockput(ip);
		iunlockput(dp);
		return NULL;
	}
	if (type == T_DIR) {
		dp->nlink++;                 /* the new ".." */
		iupdate(dp);
	}
	iunlockput(dp);
	return ip;
}

int sys_open(void)
{
	char path[MAXPATH];
	int flags = argint(1), acc = flags & 3, err = 0, fd;
	struct inode *ip;
	struct file *f;

	if ((err = argpath(0, path)) < 0)
		return err;
	if (acc == 3)
		return -EINVAL;
	if (flags & O_CREATE) {
		if (!(ip = create(path, T_FILE, &err)))
			return err;
	} else {
		if (!(ip = namei(path, &err)))
			return err;
		ilock(ip);
	}
	if (ip->type == T_DIR && acc != O_RDONLY) {
		iunlockput(ip);
		return -EISDIR;
	}
	if (!(f = filealloc())) {
		iunlockput(ip);
		return -ENFILE;
	}
	if ((fd = fdalloc(f)) < 0) {
		fileclose(f);
		iunlockput(ip);
		return fd;
	}
	if ((flags & O_TRUNC) && ip->type == T_FILE && acc != O_RDONLY)
		itrunc(ip);
	f->type = FD_INODE;
	f->ip = ip;
	f->off = 0;
	f->readable = acc != O_WRONLY;
	f->writable = acc != O_RDONLY;
	f->append = (flags & O_APPEND) != 0;
	iunlock(ip);
	return fd;
}

int sys_mkdir(void)
{
	char path[MAXPATH];
	struct inode *ip;
	int err;

	if ((err = argpath(0, path)) < 0)
		return err;
	if (!(ip = create(path, T_DIR, &err)))
		return err;
	iunlockput(ip);
	return 0;
}

int sys_chdir(void)
{
	char path[MAXPATH];
	struct proc *p = myproc();
	struct inode *ip;
	int err;

	if ((err = argpath(0, path)) < 0)
		return err;
	if (!(ip = namei(path, &err)))
		return err;
	ilock(ip);
	if (ip->type != T_DIR) {
		iunlockput(ip);
		return -ENOTDIR;
	}
	iunlock(ip);
	iput(p->cwd);
	p->cwd = ip;
	return 0;
}

int sys_link(void)
{
	char old[MAXPATH], new[MAXPATH], name[FS_DIRSIZ + 1];
	struct inode *ip, *dp;
	int err;

	if ((err = argpath(0, old)) < 0 || (err = argpath(1, new)) < 0)
		return err;
	if (!(ip = namei(old, &err)))
		return err;
	ilock(ip);
	if (ip->type == T_DIR) {
		iunlockput(ip);
		return -EPERM;
	}
	ip->nlink++;
	iupdate(ip);
	iunlock(ip);
	if (!(dp = nameiparent(new, name, &err)))
		goto undo;
	ilock(dp);
	if (dp->dev != ip->dev)
		err = -EXDEV;
	else if (dp->nlink == 0)
		err = -ENOENT;             /* a removed directory */
	else
		err = dirlink(dp, name, ip->inum);
	iunlockput(dp);
	if (err < 0)
		goto undo;
	iput(ip);
	return 0;
undo:
	ilock(ip);
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
	return err;
}

int sys_unlink(void)
{
	char path[MAXPATH], name[FS_DIRSIZ + 1];
	struct fs_dirent de;
	struct inode *ip, *dp;
	uint32_t off;
	int err;

	if ((err = argpath(0, path)) < 0)
		return err;
	if (!(dp = nameiparent(path, name, &err)))
		return err;
	ilock(dp);
	if (namecmp(name, ".") == 0 || namecmp(name, "..") == 0) {
		iunlockput(dp);
		return -EINVAL;
	}
	if (!(ip = dirlookup(dp, name, &off, &err))) {
		iunlockput(dp);
		return err;
	}
	ilock(ip);
	if (ip->type == T_DIR && !dir_isempty(ip)) {
		iunlockput(ip);
		iunlockput(dp);
		return -ENOTEMPTY;
	}
	memset(&de, 0, sizeof de);
	if (writei(dp, 0, (uint32_t)&de, off, sizeof de) != sizeof de) {
		iunlockput(ip);
		iunlockput(dp);
		return -EIO;
	}
	if (ip->type == T_DIR) {
		dp->nlink--;                 /* its ".." */
		iupdate(dp);
		ip->nlink--;                 /* its "." */
	}
	ip->nlink--;
	iupdate(ip);
	iunlockput(ip);
	iunlockput(dp);
	return 0;
}

int sys_sync(void)
{
	bsync();
	return 0;
}
