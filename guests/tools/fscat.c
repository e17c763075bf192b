/*
 * fscat - copy a file of a file-system image to standard output.
 *
 *   fscat IMAGE PATH
 */
#include <stdio.h>

#include "fsimg.h"

int main(int argc, char **argv)
{
	struct img im;
	struct fs_dinode *d;
	const char *why;
	uint32_t inum;
	uint8_t buf[FS_BSIZE];

	img_tool = "fscat";
	if (argc != 3) {
		fprintf(stderr, "usage: fscat IMAGE PATH\n");
		return 2;
	}
	img_load(&im, argv[1]);
	if (!(inum = img_lookup(&im, argv[2], &why)))
		img_die("%s: %s", argv[2], why);
	d = img_inode(&im, inum);
	if (d->type == T_DIR)
		img_die("%s: is a directory", argv[2]);
	if (d->type != T_FILE)
		img_die("%s: not a regular file", argv[2]);
	/* 64-bit offset: a size near 4 GB must end the loop, not wrap it. */
	for (uint64_t off = 0; off < d->size; off += sizeof buf) {
		uint32_t n = d->size - off < sizeof buf ? (uint32_t)(d->size - off) : (uint32_t)sizeof buf;

		if (img_read(&im, d, (uint32_t)off, buf, n) < 0)
			img_die("%s: bad block pointer at offset %llu", argv[2], (unsigned long long)off);
		if (fwrite(buf, 1, n, stdout) != n)
			img_die("write error");
	}
	return 0;
}
