/*
 * init: the first user process (pid 1).
 *
 * It gives itself the console as fds 0, 1 and 2 unless the kernel already
 * did, runs "/bin/sh /etc/rc" and waits for it, adopting and reaping any
 * orphan that exits meanwhile (every orphan's parent becomes init). When
 * the script ends, init writes every dirty buffer to disk (there is no
 * journal: an image is only consistent after sync) and halts the machine
 * with status 0 if the script succeeded, else 1 (see sh.c for what
 * "succeeded" means). With no /etc/rc, it runs an interactive shell on the
 * console instead and halts the same way when that shell exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static void open_console(void)
{
	struct stat st;

	if (fstat(0, &st) == 0)
		return;         /* the kernel gave us fds already */
	if (open("/dev/console", O_RDWR) != 0 && open("/console", O_RDWR) != 0)
		halt(1);        /* no way to say anything */
	dup(0);
	dup(0);
}

int main(void)
{
	char *rc_argv[] = { "sh", "/etc/rc", 0 };
	char *sh_argv[] = { "sh", 0 };
	char **argv = rc_argv;
	struct stat st;
	int pid, r, status = 1;

	open_console();
	if (stat("/etc/rc", &st) < 0) {
		fprintf(stderr, "init: no /etc/rc: starting an interactive shell\n");
		argv = sh_argv;
	}
	if ((pid = fork()) < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		halt(1);
	}
	if (pid == 0) {
		exec("/bin/sh", argv);
		fprintf(stderr, "init: exec /bin/sh: %s\n", strerror(errno));
		exit(127);
	}
	while ((r = wait(&status)) >= 0 && r != pid)
		;  /* an orphan: reaped, nothing else to do */
	if (r < 0)
		status = 1;
	if (status != 0)
		fprintf(stderr, "init: %s failed (status %d)\n",
			argv == rc_argv ? "/etc/rc" : "sh", status);
	sync();
	halt(status == 0 ? 0 : 1);
	return 1;  /* not reached unless halt failed */
}
