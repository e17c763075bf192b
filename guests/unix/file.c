/*
 * file.c - open files: the system-wide table and the operations that
 * dispatch on what a file is (an inode, a pipe, the console).
 */
#include "proc.h"
#include "file.h"
#include <unix/fcntl.h>
#include <unix/stat.h>

static struct {
	struct spinlock lock;
	struct file file[NFILE];
} ftable;

void file_init(void)
{
	spin_init(&ftable.lock, "ftable");
}

struct file *filealloc(void)
{
	acquire(&ftable.lock);
	for (struct file *f = ftable.file; f < ftable.file + NFILE; f++)
		if (f->ref == 0) {
			f->ref = 1;
			release(&ftable.lock);
			return f;
		}
	release(&ftable.lock);
	return NULL;
}

struct file *filedup(struct file *f)
{
	acquire(&ftable.lock);
	if (f->ref < 1)
		panic("filedup");
	f->ref++;
	release(&ftable.lock);
	return f;
}

void fileclose(struct file *f)
{
	struct file ff;

	acquire(&ftable.lock);
	if (f->ref < 1)
		panic("fileclose");
	if (--f->ref > 0) {
		release(&ftable.lock);
		return;
	}
	ff = *f;
	f->ref = 0;
	f->type = FD_NONE;
	release(&ftable.lock);
	if (ff.type == FD_PIPE)
		pipeclose(ff.pipe, ff.writable);
	else if (ff.type == FD_INODE)
		iput(ff.ip);
}

/* A descriptor of the current process for f: the lowest free one, or
   -EMFILE. */
int fdalloc(struct file *f)
{
	struct proc *p = myproc();

	for (int fd = 0; fd < NOFILE; fd++)
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			return fd;
		}
	return -EMFILE;
}

int filestat(struct file *f, uint32_t st_va)
{
	struct stat st;

	if (f->type == FD_INODE) {
		ilock(f->ip);
		stati(f->ip, &st);
		iunlock(f->ip);
	} else {
		memset(&st, 0, sizeof st);
		st.type = f->type == FD_CONSOLE ? T_DEV : 0;
	}
	return copyout(myproc()->as, st_va, &st, sizeof st);
}

static int is_console(struct file *f)
{
	return f->type == FD_CONSOLE ||
	       (f->type == FD_INODE && f->ip->type == T_DEV && f->ip->major == CONSOLE_MAJOR);
}

int fileread(struct file *f, uint32_t va, int n)
{
	int r;

	if (!f->readable)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (is_console(f))
		return console_read(va, n);
	if (f->type == FD_PIPE)
		return piperead(f->pipe, va, n);
	if (f->type != FD_INODE)
		return -EBADF;
	ilock(f->ip);
	if (f->ip->type == T_DEV) {
		iunlock(f->ip);
		return -EIO;                 /* a device we do not have */
	}
	if ((r = readi(f->ip, 1, va, f->off, n)) > 0)
		f->off += r;
	iunlock(f->ip);
	return r;
}

int filewrite(struct file *f, uint32_t va, int n)
{
	int r;

	if (!f->writable)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	if (is_console(f))
		return console_write(va, n);
	if (f->type == FD_PIPE)
		return pipewrite(f->pipe, va, n);
	if (f->type != FD_INODE)
		return -EBADF;
	ilock(f->ip);
	if (f->ip->type == T_DEV) {
		iunlock(f->ip);
		return -EIO;
	}
	if (f->append)
		f->off = f->ip->size;
	if ((r = writei(f->ip, 1, va, f->off, n)) > 0)
		f->off += r;
	iunlock(f->ip);
	return r;
}

int fileseek(struct file *f, int off, int whence)
{
	int64_t pos;

	if (f->type != FD_INODE || f->ip->type == T_DEV)
		return -ESPIPE;
	ilock(f->ip);
	switch (whence) {
	case SEEK_SET: pos = off; break;
	case SEEK_CUR: pos = (int64_t)f->off + off; break;
	case SEEK_END: pos = (int64_t)f->ip->size + off; break;
	default: pos = -1;
	}
	if (pos < 0 || pos > 0x7FFFFFFF) {
		iunlock(f->ip);
		return -EINVAL;
	}
	f->off = (uint32_t)pos;
	iunlock(f->ip);
	return (int)pos;
}
