/*
 * wc: count lines, words and bytes of each file (or the standard input):
 * "lines words bytes name", and a total line when there are several files.
 * Bytes other than space, tab, newline, CR, VT and FF are word characters.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static char buf[4096];
static unsigned tl, tw, tc;

static int count(int fd, const char *name)
{
	unsigned l = 0, w = 0, c = 0;
	int inword = 0, n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++) {
			if (buf[i] == '\n')
				l++;
			if (isspace((unsigned char)buf[i]))
				inword = 0;
			else if (!inword) {
				w++;
				inword = 1;
			}
		}
		c += n;
	}
	if (n < 0) {
		fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
		return 1;
	}
	printf("%u %u %u%s%s\n", l, w, c, *name ? " " : "", name);
	tl += l, tw += w, tc += c;
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return count(0, "");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= count(fd, argv[i]);
		close(fd);
	}
	if (argc > 2)
		printf("%u %u %u total\n", tl, tw, tc);
	return status;
}
