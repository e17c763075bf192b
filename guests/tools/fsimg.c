/*
 * fsimg.c - file-system images on the host (fsimg.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsimg.h"

const char *img_tool = "fs";

void img_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", img_tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

const char *img_check_super(const struct fs_superblock *sb, uint32_t nblocks)
{
	uint32_t iblocks, bblocks;

	if (sb->magic != FS_MAGIC)
		return "bad magic number (not a file system image)";
	if (sb->size < 4 || sb->size > nblocks)
		return "size in the superblock does not fit the image";
	if (sb->ninodes < 2 || sb->ninodes > sb->size * FS_IPB)
		return "bad inode count";
	iblocks = (sb->ninodes + FS_IPB - 1) / FS_IPB;
	bblocks = (sb->size + FS_BPB - 1) / FS_BPB;
	if (sb->inodestart != 2)
		return "inodes do not start at block 2";
	if (sb->bmapstart != sb->inodestart + iblocks)
		return "bitmap does not follow the inodes";
	if (sb->datastart != sb->bmapstart + bblocks)
		return "data does not follow the bitmap";
	if (sb->datastart >= sb->size)
		return "no room for data blocks";
	return NULL;
}

void img_load(struct img *im, const char *path)
{
	const char *why;

	img_load_raw(im, path);
	if ((why = img_check_super(&im->sb, im->nblocks)) != NULL)
		img_die("%s: %s", path, why);
}

void img_load_raw(struct img *im, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	memset(im, 0, sizeof *im);
	im->path = path;
	if (!f)
		img_die("%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		img_die("%s: not a regular file", path);
	if (st.st_size < 2 * FS_BSIZE)
		img_die("%s: too small to be an image (%lld bytes)", path, (long long)st.st_size);
	if (st.st_size > (off_t)1 << 32)
		img_die("%s: too large to be an image", path);
	im->nblocks = st.st_size / FS_BSIZE;
	im->data = calloc(im->nblocks, FS_BSIZE);
	if (!im->data)
		img_die("%s: out of memory", path);
	if (fread(im->data, FS_BSIZE, im->nblocks, f) != im->nblocks)
		img_die("%s: read error", path);
	fclose(f);
	memcpy(&im->sb, im->data + FS_BSIZE, sizeof im->sb);
}

uint8_t *img_block(struct img *im, uint32_t b)
{
	return im->data + (size_t)b * FS_BSIZE;
}

struct fs_dinode *img_inode(struct img *im, uint32_t inum)
{
	if (inum == 0 || inum >= im->sb.ninodes)
		return NULL;
	return (struct fs_dinode *)img_block(im, im->sb.inodestart + inum / FS_IPB) +
	       inum % FS_IPB;
}

static int data_block(struct img *im, uint32_t b)
{
	return b >= im->sb.datastart && b < im->sb.size;
}

static int64_t entry(struct img *im, uint32_t blk, uint32_t i)
{
	uint32_t v;

	if (!data_block(im, blk))
		return -1;
	v = ((uint32_t *)img_block(im, blk))[i];
	if (v && !data_block(im, v))
		return -1;
	return v;
}

int64_t img_bmap(struct img *im, const struct fs_dinode *d, uint32_t bn)
{
	int64_t top;

	if (bn < FS_NDIRECT) {
		top = d->addrs[bn];
		return top && !data_block(im, top) ? -1 : top;
	}
	bn -= FS_NDIRECT;
	if (bn < FS_NINDIRECT) {
		top = d->addrs[FS_NDIRECT];
		return top ? entry(im, top, bn) : 0;
	}
	bn -= FS_NINDIRECT;
	if (bn >= FS_NINDIRECT * FS_NINDIRECT)
		return -1;
	top = d->addrs[FS_NDIRECT + 1];
	if (!top)
		return 0;
	top = entry(im, top, bn / FS_NINDIRECT);
	if (top <= 0)
		return top;
	return entry(im, top, bn % FS_NINDIRECT);
}

int img_read(struct img *im, const struct fs_dinode *d, uint32_t off, void *buf, uint32_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		uint32_t boff = off % FS_BSIZE, m = FS_BSIZE - boff;
		int64_t b = img_bmap(im, d, off / FS_BSIZE);

		if (m > n)
			m = n;
		if (b < 0)
			return -1;
		if (b == 0)
			memset(p, 0, m);
		else
			memcpy(p, img_block(im, b) + boff, m);
		p += m;
		off += m;
		n -= m;
	}
	return 0;
}

/* Look name up in directory inode d. */
static uint32_t dir_lookup(struct img *im, struct fs_dinode *d, const char *name,
			   const char **why)
{
	struct fs_dirent de;

	for (uint32_t off = 0; off + sizeof de <= d->size; off += sizeof de) {
		if (img_read(im, d, off, &de, sizeof de) < 0) {
			*why = "a directory has a bad block pointer";
			return 0;
		}
		if (de.inum && strncmp(de.name, name, FS_DIRSIZ) == 0)
			return de.inum;
	}
	*why = "no such file or directory";
	return 0;
}

uint32_t img_lookup(struct img *im, const char *path, const char **why)
{
	uint32_t inum = FS_ROOTINO;
	char name[FS_DIRSIZ + 1];

	if (path[0] != '/') {
		*why = "path must start with /";
		return 0;
	}
	for (;;) {
		struct fs_dinode *d;
		const char *s;
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			return inum;
		for (s = path; *s && *s != '/'; s++)
			;
		len = s - path;
		if (len > FS_DIRSIZ) {
			*why = "name too long";
			return 0;
		}
		memcpy(name, path, len);
		name[len] = 0;
		path = s;
		d = img_inode(im, inum);
		if (!d || d->type != T_DIR) {
			*why = "not a directory";
			return 0;
		}
		inum = dir_lookup(im, d, name, why);
		if (!inum)
			return 0;
		if (!img_inode(im, inum)) {
			*why = "a directory entry has a bad inode number";
			return 0;
		}
	}
}
