/*
 * ls: list directories, one entry a line: "name type inode size", type
 * being d (directory), f (file) or c (the console device). Entries come in
 * directory order, which mkfs and the kernel make deterministic. A file
 * named on the command line is listed by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <unix/fs.h>

static char type_letter(int type)
{
	return type == T_DIR ? 'd' : type == T_FILE ? 'f' : type == T_DEV ? 'c' : '?';
}

static void show(const char *name, const struct stat *st)
{
	printf("%-20s %c %4u %8u\n", name, type_letter(st->type), st->ino, st->size);
}

static int list(const char *path)
{
	struct fs_dirent de;
	struct stat st;
	char name[FS_DIRSIZ + 1], full[512];
	int fd, n, status = 0;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (st.type != T_DIR) {
		show(path, &st);
		close(fd);
		return 0;
	}
	while ((n = read(fd, &de, sizeof(de))) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		/* Names are NUL-padded but not terminated when they fill the field. */
		memcpy(name, de.name, FS_DIRSIZ);
		name[FS_DIRSIZ] = 0;
		snprintf(full, sizeof(full), "%s/%s", path, name);
		if (stat(full, &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", full, strerror(errno));
			status = 1;
			continue;
		}
		show(name, &st);
	}
	if (n < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
	}
	close(fd);
	return status;
}

int main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		return list(".");
	for (int i = 1; i < argc; i++)
		status |= list(argv[i]);
	return status;
}
