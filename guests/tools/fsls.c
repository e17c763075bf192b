/*
 * fsls - list a directory (or describe a file) of a file-system image.
 *
 *   fsls IMAGE PATH
 *
 * One line per entry: type (d directory, - file, c device), inode number,
 * link count, size in bytes, name. "." and ".." are listed too.
 */
#include <stdio.h>
#include <string.h>

#include "fsimg.h"

static char type_char(int type)
{
	return type == T_DIR ? 'd' : type == T_FILE ? '-' : type == T_DEV ? 'c' : '?';
}

static void line(struct img *im, uint32_t inum, const char *name)
{
	struct fs_dinode *d = img_inode(im, inum);

	if (!d) {
		printf("? %5u %3s %10s %.60s (bad inode number)\n", inum, "-", "-", name);
		return;
	}
	printf("%c %5u %3d %10u %.60s\n", type_char(d->type), inum, d->nlink, d->size, name);
}

int main(int argc, char **argv)
{
	struct img im;
	struct fs_dinode *d;
	struct fs_dirent de;
	const char *why;
	uint32_t inum;

	img_tool = "fsls";
	if (argc != 3) {
		fprintf(stderr, "usage: fsls IMAGE PATH\n");
		return 2;
	}
	img_load(&im, argv[1]);
	if (!(inum = img_lookup(&im, argv[2], &why)))
		img_die("%s: %s", argv[2], why);
	d = img_inode(&im, inum);
	if (d->type != T_DIR) {
		line(&im, inum, argv[2]);
		return 0;
	}
	for (uint32_t off = 0; off + sizeof de <= d->size; off += sizeof de) {
		char name[FS_DIRSIZ + 1];

		if (img_read(&im, d, off, &de, sizeof de) < 0)
			img_die("%s: directory has a bad block pointer", argv[2]);
		if (!de.inum)
			continue;
		memcpy(name, de.name, FS_DIRSIZ);
		name[FS_DIRSIZ] = 0;
		line(&im, de.inum, name);
	}
	return 0;
}
