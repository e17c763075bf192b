/*
 * cp: cp from to, or cp file... dir (each file into dir under its own
 * name). The target is created or truncated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.type == T_DIR;
}

static int copy(const char *from, const char *to)
{
	int in, out, n, status = 0;

	if ((in = open(from, O_RDONLY)) < 0) {
		fprintf(stderr, "cp: %s: %s\n", from, strerror(errno));
		return 1;
	}
	if ((out = open(to, O_WRONLY | O_CREATE | O_TRUNC)) < 0) {
		fprintf(stderr, "cp: %s: %s\n", to, strerror(errno));
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			fprintf(stderr, "cp: %s: %s\n", to, strerror(errno));
			status = 1;
			break;
		}
	if (n < 0) {
		fprintf(stderr, "cp: %s: %s\n", from, strerror(errno));
		status = 1;
	}
	close(in);
	close(out);
	return status;
}

int main(int argc, char *argv[])
{
	const char *dir = argv[argc - 1];
	char path[256];
	int status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: cp from to, or cp file... dir\n");
		return 2;
	}
	if (!is_dir(dir)) {
		if (argc > 3) {
			fprintf(stderr, "cp: %s: not a directory\n", dir);
			return 1;
		}
		return copy(argv[1], dir);
	}
	for (int i = 1; i < argc - 1; i++) {
		const char *slash = strrchr(argv[i], '/');
		const char *base = slash ? slash + 1 : argv[i];
		if (snprintf(path, sizeof(path), "%s/%s", dir, base) >= (int)sizeof(path)) {
			fprintf(stderr, "cp: %s/%s: name too long\n", dir, base);
			status = 1;
			continue;
		}
		status |= copy(argv[i], path);
	}
	return status;
}
