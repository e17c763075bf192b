/*
 * pipe.c - pipes: a one-page ring buffer between a writer and a reader.
 *
 * User data moves through a small bounce buffer on the kernel stack,
 * copied outside the pipe's spinlock: copying from user memory may fault
 * pages in and shoot TLBs down, which is not allowed under a spinlock.
 */
#include "proc.h"
#include "file.h"

#define PIPESIZE (PAGE_SIZE - 32)
#define CHUNK 256

struct pipe {
	struct spinlock lock;
	uint32_t nread, nwrite;      /* bytes ever read and written */
	int readopen, writeopen;
	uint8_t data[PIPESIZE];
};

_Static_assert(sizeof(struct pipe) <= PAGE_SIZE, "a pipe fits in a page");

int pipealloc(struct file **f0, struct file **f1)
{
	struct pipe *p = NULL;

	*f0 = *f1 = NULL;
	if (!(p = kalloc(PAGE_KDATA)) || !(*f0 = filealloc()) || !(*f1 = filealloc())) {
		if (p)
			kfree(p);
		if (*f0)
			fileclose(*f0);
		return p ? -ENFILE : -ENOMEM;
	}
	spin_init(&p->lock, "pipe");
	p->nread = p->nwrite = 0;
	p->readopen = p->writeopen = 1;
	(*f0)->type = FD_PIPE;
	(*f0)->readable = 1;
	(*f0)->writable = 0;
	(*f0)->pipe = p;
	(*f1)->type = FD_PIPE;
	(*f1)->readable = 0;
	(*f1)->writable = 1;
	(*f1)->pipe = p;
	return 0;
}

void pipeclose(struct pipe *p, int writable)
{
	acquire(&p->lock);
	if (writable) {
		p->writeopen = 0;
		wakeup(&p->nread);
	} else {
		p->readopen = 0;
		wakeup(&p->nwrite);
	}
	if (!p->readopen && !p->writeopen) {
		release(&p->lock);
		kfree(p);
		return;
	}
	release(&p->lock);
}

int pipewrite(struct pipe *p, uint32_t va, int n)
{
	uint8_t buf[CHUNK];
	int done = 0;

	while (done < n) {
		int m = MIN(n - done, CHUNK), i = 0;

		if (copyin(myproc()->as, buf, va + done, m) < 0)
			return done ? done : -EFAULT;
		acquire(&p->lock);
		while (i < m) {
			if (!p->readopen || myproc()->killed) {
				release(&p->lock);
				return done ? done : (p->readopen ? -EINTR : -EPIPE);
			}
			if (p->nwrite == p->nread + PIPESIZE) {
				wakeup(&p->nread);
				sleep(&p->nwrite, &p->lock);
				continue;
			}
			p->data[p->nwrite++ % PIPESIZE] = buf[i++];
			done++;
		}
		wakeup(&p->nread);
		release(&p->lock);
	}
	return done;
}

int piperead(struct pipe *p, uint32_t va, int n)
{
	uint8_t buf[CHUNK];
	int done = 0;

	if (n == 0)
		return 0;
	acquire(&p->lock);
	while (p->nread == p->nwrite && p->writeopen) {
		if (myproc()->killed) {
			release(&p->lock);
			return -EINTR;
		}
		sleep(&p->nread, &p->lock);
	}
	while (done < n && p->nread != p->nwrite) {
		int m = 0;

		while (m < CHUNK && done + m < n && p->nread != p->nwrite)
			buf[m++] = p->data[p->nread++ % PIPESIZE];
		wakeup(&p->nwrite);
		release(&p->lock);
		if (copyout(myproc()->as, va + done, buf, m) < 0)
			return done ? done : -EFAULT;
		done += m;
		acquire(&p->lock);
	}
	release(&p->lock);
	return done;
}
