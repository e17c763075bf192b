/*
 * sum: print "crc size name" for each file (or the standard input): the
 * CRC-32 of its bytes in hex (the IEEE polynomial, as zlib and Python's
 * zlib.crc32 compute it, so a host script can check a guest's output)
 * and its size in bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static uint32_t table[256];
static char buf[4096];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static int sum(int fd, const char *name)
{
	uint32_t crc = 0xFFFFFFFFu;
	unsigned size = 0;
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++)
			crc = table[(crc ^ (unsigned char)buf[i]) & 0xFF] ^ (crc >> 8);
		size += n;
	}
	if (n < 0) {
		fprintf(stderr, "sum: %s: %s\n", name, strerror(errno));
		return 1;
	}
	printf("%08x %u%s%s\n", crc ^ 0xFFFFFFFFu, size, *name ? " " : "", name);
	return 0;
}

int main(int argc, char *argv[])
{
	int status = 0;

	make_table();
	if (argc < 2)
		return sum(0, "");
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "sum: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= sum(fd, argv[i]);
		close(fd);
	}
	return status;
}
