/* cat: copy each file named (or the standard input) to the output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static char buf[4096];

static int copy(int fd, const char *name)
{
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return 1;
		}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return copy(0, "standard input");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
