/*
 * mkfs - make a file-system image for the Unix kernel (format: unix/fs.h).
 *
 *   mkfs IMAGE SIZE_MB [-r ROOTDIR] [-i NINODES]
 *
 * Creates IMAGE, SIZE_MB megabytes, with a root directory holding a copy
 * of the host directory tree ROOTDIR (regular files and directories, in
 * name order so that images are reproducible; symbolic links are
 * followed, anything else is skipped with a warning), and /dev/console, a
 * T_DEV inode with major 1 that opens the console. (The kernel also gives
 * init the console as file descriptors 0, 1 and 2 without it.)
 *
 * Link counts follow the rule of the kernel: an inode's nlink is the
 * number of directory entries naming it, "." and ".." included.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsimg.h"

static struct img im;
static uint32_t next_block, next_inum = FS_ROOTINO;

/* Write the image, leaving all-zero blocks as holes: most of a fresh file
 * system is free blocks, and the tests copy images for every run, so a
 * sparse file keeps a 96 MB image to the few MB it holds (cp keeps the
 * holes). The file reads back the same either way. */
static void write_sparse(FILE *f, const char *image)
{
	static const uint8_t zero[FS_BSIZE];
	for (uint32_t b = 0; b < im.nblocks; b++) {
		const uint8_t *blk = im.data + (size_t)b * FS_BSIZE;
		int r = memcmp(blk, zero, FS_BSIZE) == 0 ? fseek(f, FS_BSIZE, SEEK_CUR)
		                                        : (fwrite(blk, FS_BSIZE, 1, f) == 1 ? 0 : -1);
		if (r != 0)
			img_die("%s: write error: %s", image, strerror(errno));
	}
	if (fflush(f) != 0 || ftruncate(fileno(f), (off_t)im.nblocks * FS_BSIZE) != 0 || fclose(f) != 0)
		img_die("%s: write error: %s", image, strerror(errno));
}

static void usage(void)
{
	fprintf(stderr, "usage: mkfs IMAGE SIZE_MB [-r ROOTDIR] [-i NINODES]\n");
	exit(2);
}

static uint32_t balloc(void)
{
	uint32_t b = next_block++;

	if (b >= im.sb.size)
		img_die("%s: image full: make it larger (SIZE_MB)", im.path);
	img_block(&im, im.sb.bmapstart + b / FS_BPB)[(b % FS_BPB) / 8] |= 1 << (b % 8);
	return b;
}

static uint32_t ialloc(short type)
{
	uint32_t inum = next_inum++;
	struct fs_dinode *d = img_inode(&im, inum);

	if (!d)
		img_die("%s: out of inodes: use -i with more than %u", im.path, im.sb.ninodes);
	memset(d, 0, sizeof *d);
	d->type = type;
	return inum;
}

/* The block holding block bn of inode d, allocated if needed. */
static uint32_t bmap_alloc(struct fs_dinode *d, uint32_t bn)
{
	uint32_t *slot, *a;

	if (bn < FS_NDIRECT) {
		slot = &d->addrs[bn];
	} else if ((bn -= FS_NDIRECT) < FS_NINDIRECT) {
		if (!d->addrs[FS_NDIRECT])
			d->addrs[FS_NDIRECT] = balloc();
		slot = (uint32_t *)img_block(&im, d->addrs[FS_NDIRECT]) + bn;
	} else if ((bn -= FS_NINDIRECT) < FS_NINDIRECT * FS_NINDIRECT) {
		if (!d->addrs[FS_NDIRECT + 1])
			d->addrs[FS_NDIRECT + 1] = balloc();
		a = (uint32_t *)img_block(&im, d->addrs[FS_NDIRECT + 1]);
		if (!a[bn / FS_NINDIRECT])
			a[bn / FS_NINDIRECT] = balloc();
		slot = (uint32_t *)img_block(&im, a[bn / FS_NINDIRECT]) + bn % FS_NINDIRECT;
	} else {
		img_die("%s: file too large for the file system", im.path);
	}
	if (!*slot)
		*slot = balloc();
	return *slot;
}

/* Append n bytes to inode inum. */
static void iappend(uint32_t inum, const void *buf, uint32_t n)
{
	struct fs_dinode *d = img_inode(&im, inum);
	const uint8_t *p = buf;

	while (n > 0) {
		uint32_t off = d->size, boff = off % FS_BSIZE, m = FS_BSIZE - boff;
		uint32_t b;

		if (m > n)
			m = n;
		b = bmap_alloc(d, off / FS_BSIZE);
		d = img_inode(&im, inum);
		memcpy(img_block(&im, b) + boff, p, m);
		d->size += m;
		p += m;
		n -= m;
	}
}

static void dir_add(uint32_t dir, const char *name, uint32_t inum)
{
	struct fs_dirent de;

	memset(&de, 0, sizeof de);
	de.inum = inum;
	memcpy(de.name, name, strnlen(name, FS_DIRSIZ));
	iappend(dir, &de, sizeof de);
	img_inode(&im, inum)->nlink++;
}

static uint32_t make_dir(uint32_t parent)
{
	uint32_t inum = ialloc(T_DIR);

	dir_add(inum, ".", inum);
	dir_add(inum, "..", parent ? parent : inum);
	return inum;
}

/* Look name up among the entries of directory dir (made by us). */
static uint32_t dir_find(uint32_t dir, const char *name)
{
	struct fs_dinode *d = img_inode(&im, dir);
	struct fs_dirent de;

	for (uint32_t off = 0; off < d->size; off += sizeof de) {
		img_read(&im, d, off, &de, sizeof de);
		if (de.inum && strncmp(de.name, name, FS_DIRSIZ) == 0)
			return de.inum;
	}
	return 0;
}

static void copy_file(uint32_t dir, const char *name, const char *hostpath)
{
	FILE *f = fopen(hostpath, "rb");
	uint32_t inum;
	uint8_t buf[FS_BSIZE];
	size_t n;

	if (!f)
		img_die("%s: %s", hostpath, strerror(errno));
	inum = ialloc(T_FILE);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		iappend(inum, buf, n);
	if (ferror(f))
		img_die("%s: read error", hostpath);
	fclose(f);
	dir_add(dir, name, inum);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void copy_tree(uint32_t dir, const char *hostdir, int depth)
{
	DIR *dh = opendir(hostdir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!dh)
		img_die("%s: %s", hostdir, strerror(errno));
	if (depth > 32)
		img_die("%s: directories nested too deep", hostdir);
	while ((e = readdir(dh)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap && !(names = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names)))
			img_die("out of memory");
		if (!(names[n++] = strdup(e->d_name)))
			img_die("out of memory");
	}
	closedir(dh);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", hostdir, names[i]);
		if (strlen(names[i]) > FS_DIRSIZ)
			img_die("%s: name longer than %u bytes", path, FS_DIRSIZ);
		if (stat(path, &st) != 0)
			img_die("%s: %s", path, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			uint32_t sub = make_dir(dir);

			dir_add(dir, names[i], sub);
			copy_tree(sub, path, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			copy_file(dir, names[i], path);
		} else {
			fprintf(stderr, "%s: warning: %s: not a file or directory, skipped\n",
				img_tool, path);
		}
		free(names[i]);
	}
	free(names);
}

/* -i NINODES: a plain decimal number from 1 to MAX_INODES, nothing else. */
#define MAX_INODES (1u << 24)
static uint32_t parse_ninodes(const char *s)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno == ERANGE || n < 1 || n > MAX_INODES)
		img_die("-i %s: must be a number of inodes from 1 to %u", s, MAX_INODES);
	return (uint32_t)n;
}

int main(int argc, char **argv)
{
	const char *image, *rootdir = NULL;
	uint32_t mb, ninodes = 0, root, dev, con;
	char *end;
	FILE *f;

	img_tool = "mkfs";
	if (argc < 3)
		usage();
	image = argv[1];
	mb = strtoul(argv[2], &end, 10);
	if (*end || mb < 1 || mb > 4095)
		img_die("size %s: must be a number of megabytes from 1 to 4095", argv[2]);
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rootdir = argv[++i];
		else if (!strcmp(argv[i], "-i") && i + 1 < argc)
			ninodes = parse_ninodes(argv[++i]);
		else
			usage();
	}

	im.path = image;
	im.nblocks = mb * (1024 * 1024 / FS_BSIZE);
	if (!ninodes)
		ninodes = im.nblocks / 8 > 256 ? im.nblocks / 8 : 256;
	ninodes = (ninodes + FS_IPB - 1) / FS_IPB * FS_IPB;
	im.sb.magic = FS_MAGIC;
	im.sb.size = im.nblocks;
	im.sb.ninodes = ninodes;
	im.sb.inodestart = 2;
	im.sb.bmapstart = 2 + ninodes / FS_IPB;
	im.sb.datastart = im.sb.bmapstart + (im.nblocks + FS_BPB - 1) / FS_BPB;
	if (img_check_super(&im.sb, im.nblocks))
		img_die("%u MB is too small for %u inodes", mb, ninodes);
	if (!(im.data = calloc(im.nblocks, FS_BSIZE)))
		img_die("out of memory for a %u MB image", mb);
	memcpy(img_block(&im, 1), &im.sb, sizeof im.sb);
	/* The blocks before the data area are in use. */
	for (next_block = 0; next_block < im.sb.datastart;)
		balloc();

	root = make_dir(0);
	if (root != FS_ROOTINO)
		img_die("internal: root is inode %u", root);
	if (rootdir)
		copy_tree(root, rootdir, 0);
	if (!(dev = dir_find(root, "dev"))) {
		dev = make_dir(root);
		dir_add(root, "dev", dev);
	} else if (img_inode(&im, dev)->type != T_DIR) {
		img_die("%s/dev: not a directory", rootdir);
	}
	if (!dir_find(dev, "console")) {
		con = ialloc(T_DEV);
		img_inode(&im, con)->major = 1;
		dir_add(dev, "console", con);
	}

	if (!(f = fopen(image, "wb")))
		img_die("%s: %s", image, strerror(errno));
	write_sparse(f, image);
	return 0;
}
