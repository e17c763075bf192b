/*
 * init.c - a stand-in /bin/init for testing the kernel on its own (the
 * real one, with the shell, is guests/user/init.c).
 *
 * Runs each line of /etc/rc as "program arg..." (no shell: '#' starts a
 * comment line), one after another, then syncs and halts with status 0
 * if every command exited 0, else 1.
 */
#include "tlib.h"

static char rc[8192];

static int run(char *line)
{
	char *argv[32], path[128];
	int argc = 0, pid, status = 0, r;

	while (*line) {
		while (*line == ' ' || *line == '\t')
			*line++ = 0;
		if (!*line)
			break;
		if (argc < 31)
			argv[argc++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	argv[argc] = 0;
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	snprintf(path, sizeof path, argv[0][0] == '/' ? "%s" : "/bin/%s", argv[0]);
	pid = fork();
	if (pid < 0) {
		printf("init: fork: %d\n", pid);
		return 1;
	}
	if (pid == 0) {
		r = exec(path, argv);
		printf("init: exec %s: %d\n", path, r);
		exit(127);
	}
	/* Reap orphans that init inherited until our child is done. */
	while ((r = wait(&status)) != pid)
		if (r < 0) {
			printf("init: wait: %d\n", r);
			return 1;
		}
	if (status != 0)
		printf("init: %s: exit status %d\n", argv[0], status);
	return status != 0;
}

int main(void)
{
	int fd = open("/etc/rc", O_RDONLY), n = 0, r, failed = 0;
	char *line;

	if (fd < 0) {
		printf("init: no /etc/rc: %d\n", fd);
		halt(1);
	}
	while ((r = read(fd, rc + n, sizeof rc - 1 - n)) > 0)
		n += r;
	rc[n] = 0;
	close(fd);
	line = rc;
	while (*line) {
		char *end = line;

		while (*end && *end != '\n')
			end++;
		if (*end)
			*end++ = 0;
		failed += run(line);
		line = end;
	}
	sync();
	printf("init: %s\n", failed ? "some commands failed" : "all commands succeeded");
	halt(failed ? 1 : 0);
	return 0;
}
