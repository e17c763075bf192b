/*
 * unix.c - errno, and small helpers built on the system calls.
 */
#include <errno.h>
#include <unistd.h>

int errno;

int stat(const char *path, struct stat *st)
{
	int fd, r, saved;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	r = fstat(fd, st);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/*
 * The kernel's wait takes any child; waitpid wants one. Children reaped
 * on the way are kept, with their statuses, in a small table that later
 * waitpid calls look in first, so a program can wait for its children in
 * any order. (A plain wait() does not look there; the table is as big as
 * the kernel's process table, and an entry that does not fit is lost.)
 */
#define NREAPED 128

static struct {
	int pid, status;
} reaped[NREAPED];
static int nreaped;

int waitpid(int pid, int *status)
{
	int r, st;

	for (int i = 0; i < nreaped; i++)
		if (reaped[i].pid == pid) {
			if (status)
				*status = reaped[i].status;
			reaped[i] = reaped[--nreaped];
			return pid;
		}
	while ((r = wait(&st)) >= 0 && r != pid)
		if (nreaped < NREAPED) {
			reaped[nreaped].pid = r;
			reaped[nreaped].status = st;
			nreaped++;
		}
	if (r >= 0 && status)
		*status = st;
	return r;
}

static const char *const errors[] = {
	[EPERM] = "not allowed",
	[ENOENT] = "no such file or directory",
	[ESRCH] = "no such process",
	[EINTR] = "interrupted",
	[EIO] = "i/o error",
	[ENXIO] = "no such disk",
	[E2BIG] = "argument list too long",
	[ENOEXEC] = "not an executable",
	[EBADF] = "bad file descriptor",
	[ECHILD] = "no child processes",
	[EAGAIN] = "no process slot",
	[ENOMEM] = "out of memory",
	[EFAULT] = "bad address",
	[EBUSY] = "busy",
	[EEXIST] = "file exists",
	[EXDEV] = "cross-device link",
	[ENOTDIR] = "not a directory",
	[EISDIR] = "is a directory",
	[EINVAL] = "invalid argument",
	[ENFILE] = "file table full",
	[EMFILE] = "too many open files",
	[EFBIG] = "file too large",
	[ENOSPC] = "no space left on disk",
	[ESPIPE] = "illegal seek",
	[EPIPE] = "broken pipe",
	[ENAMETOOLONG] = "name too long",
	[ENOSYS] = "no such system call",
	[ENOTEMPTY] = "directory not empty",
};

const char *strerror(int err)
{
	if (err > 0 && err < (int)(sizeof(errors) / sizeof(errors[0])) && errors[err])
		return errors[err];
	return "unknown error";
}
