/*
 * syspath.c - system calls that take path names: open, mkdir, chdir,
 * link, unlink. Arguments are checked, then handed to dir.c and inode.c.
 */
#include "proc.h"
#include "file.h"
#include "sysfunc.h"
#include <unix/fcntl.h>
#include <unix/stat.h>

/* Make a new inode named path: returned locked. An existing file is
   returned as it is when a file was asked for (open O_CREATE). */
static struct inode *create(const char *path, short type, int *err)
{
	char name[FS_DIRSIZ + 1];
	struct inode *dp;

	if (!(dp = nameiparent(path, name, err)))
		return NULL;
	return create_in(dp, name, type, err);
}

struct inode *create_in(struct inode *dp, const char *name, short type, int *err)
{
	struct inode *ip;

	if (fs_remote(dp->dev))
		return nfs_create(dp, name, type, err);
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
	if (!(dp = nameiparent(new, name, &err))) {
		iput(ip);
		return err;
	}
	return link_in(ip, dp, name);
}

int link_in(struct inode *ip, struct inode *dp, const char *name)
{
	int err;

	if (ip->dev != dp->dev) {
		iput(ip);
		iput(dp);
		return -EXDEV;
	}
	if (fs_remote(dp->dev))
		return nfs_link(ip, dp, name);
	ilock(ip);
	if (ip->type == T_DIR) {
		iunlockput(ip);
		iput(dp);
		return -EPERM;
	}
	ip->nlink++;
	iupdate(ip);
	iunlock(ip);
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
	struct inode *dp;
	int err;

	if ((err = argpath(0, path)) < 0)
		return err;
	if (!(dp = nameiparent(path, name, &err)))
		return err;
	return unlink_in(dp, name);
}

int unlink_in(struct inode *dp, const char *name)
{
	struct fs_dirent de;
	struct inode *ip;
	uint32_t off;
	int err;

	if (fs_remote(dp->dev))
		return nfs_remove(dp, name);
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
	if (fs_covered(ip) >= 0) {
		iunlockput(ip);
		iunlockput(dp);
		return -EBUSY;               /* a disk is mounted on it */
	}
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
