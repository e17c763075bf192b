/*
 * fsck - check a file-system image (format: unix/fs.h).
 *
 *   fsck IMAGE
 *
 * Exit status 0 if the image is consistent; 1, with one line per problem
 * on stdout, if it is not; 2 if it cannot be read at all. What is checked:
 *
 *   - the superblock's layout;
 *   - every inode in use has a known type and a size its blocks can hold;
 *   - every block pointer is in the data area, no block is used twice, no
 *     block is mapped beyond the end of its file;
 *   - the bitmap marks exactly the metadata blocks and the blocks in use;
 *   - directories: a whole number of entries, "." first naming the
 *     directory itself, ".." second naming its parent (the root's is
 *     itself), entries naming inodes in use, each directory named by
 *     exactly one entry outside itself;
 *   - link counts: nlink equals the number of entries naming the inode,
 *     "." and ".." included, and no inode in use is unreachable.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsimg.h"

static struct img im;
static int problems;
static uint32_t *block_owner;    /* inode using each block, 0 = none */
static uint32_t *links;          /* entries naming each inode */
static uint32_t *parent_of;      /* for directories: the entry's directory */

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void problem(const char *fmt, ...)
{
	va_list ap;

	if (++problems > 100)
		return;
	printf("fsck: %s: ", im.path);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int data_block(uint32_t b)
{
	return b >= im.sb.datastart && b < im.sb.size;
}

/* Claim block b for inode inum; 0 if it cannot be used. */
static int claim(uint32_t inum, uint32_t b, const char *what)
{
	if (!data_block(b)) {
		problem("inode %u: %s %u is outside the data area", inum, what, b);
		return 0;
	}
	if (block_owner[b]) {
		problem("block %u used twice: by inode %u and inode %u", b, block_owner[b], inum);
		return 0;
	}
	block_owner[b] = inum;
	return 1;
}

/* Check an indirect block (depth 1: data pointers; 2: indirect ones),
   covering file blocks from `first`; nblocks is the file's size in blocks. */
static void check_indirect(uint32_t inum, uint32_t blk, int depth, uint64_t first,
			   uint64_t nblocks)
{
	uint32_t *a;
	uint64_t span = depth == 1 ? 1 : FS_NINDIRECT;

	if (!claim(inum, blk, depth == 1 ? "indirect block" : "double-indirect block"))
		return;
	a = (uint32_t *)img_block(&im, blk);
	for (uint32_t i = 0; i < FS_NINDIRECT; i++) {
		uint64_t bn = first + i * span;

		if (!a[i])
			continue;
		if (bn >= nblocks) {
			problem("inode %u: block pointer for file block %llu, beyond its size",
				inum, (unsigned long long)bn);
			continue;
		}
		if (depth == 2)
			check_indirect(inum, a[i], 1, bn, nblocks);
		else
			claim(inum, a[i], "block");
	}
}

static void check_inode(uint32_t inum, struct fs_dinode *d)
{
	uint64_t nblocks = ((uint64_t)d->size + FS_BSIZE - 1) / FS_BSIZE;

	if (d->type != T_DIR && d->type != T_FILE && d->type != T_DEV) {
		problem("inode %u: unknown type %d", inum, d->type);
		return;
	}
	if (nblocks > FS_MAXFILE) {
		problem("inode %u: size %u is too large", inum, d->size);
		return;
	}
	for (uint32_t i = 0; i < FS_NDIRECT; i++) {
		if (!d->addrs[i])
			continue;
		if (i >= nblocks)
			problem("inode %u: direct block %u beyond its size %u", inum, i, d->size);
		else
			claim(inum, d->addrs[i], "block");
	}
	if (d->addrs[FS_NDIRECT]) {
		if (nblocks <= FS_NDIRECT)
			problem("inode %u: indirect block beyond its size %u", inum, d->size);
		else
			check_indirect(inum, d->addrs[FS_NDIRECT], 1, FS_NDIRECT, nblocks);
	}
	if (d->addrs[FS_NDIRECT + 1]) {
		if (nblocks <= FS_NDIRECT + FS_NINDIRECT)
			problem("inode %u: double-indirect block beyond its size %u", inum, d->size);
		else
			check_indirect(inum, d->addrs[FS_NDIRECT + 1], 2,
				       FS_NDIRECT + FS_NINDIRECT, nblocks);
	}
	if (d->type == T_DIR && d->size % sizeof(struct fs_dirent))
		problem("inode %u: directory size %u is not a whole number of entries",
			inum, d->size);
}

static void check_bitmap(void)
{
	for (uint32_t b = 0; b < im.sb.size; b++) {
		uint8_t byte = img_block(&im, im.sb.bmapstart + b / FS_BPB)[(b % FS_BPB) / 8];
		int marked = (byte >> (b % 8)) & 1;
		int used = b < im.sb.datastart || block_owner[b];

		if (used && !marked)
			problem("block %u is in use but free in the bitmap", b);
		else if (!used && marked)
			problem("block %u is marked in the bitmap but not used", b);
	}
	/* Bits past the end of the file system should be clear. */
}

/* Walk directory dir (named from parent), counting links; recurse. */
static void walk(uint32_t dir, uint32_t parent, int depth)
{
	struct fs_dinode *d = img_inode(&im, dir);
	struct fs_dirent de;

	if (depth > 1000) {
		problem("directory %u: nested too deep (a cycle?)", dir);
		return;
	}
	for (uint32_t off = 0; off + sizeof de <= d->size; off += sizeof de) {
		struct fs_dinode *c;
		uint32_t idx = off / sizeof de;

		if (img_read(&im, d, off, &de, sizeof de) < 0)
			return;          /* reported by check_inode */
		if (idx == 0 && (de.inum != dir || strncmp(de.name, ".", FS_DIRSIZ)))
			problem("directory %u: first entry is not \".\" naming itself", dir);
		if (idx == 1 && (de.inum != parent || strncmp(de.name, "..", FS_DIRSIZ)))
			problem("directory %u: second entry is not \"..\" naming its parent %u",
				dir, parent);
		if (de.inum == 0)
			continue;
		if (!(c = img_inode(&im, de.inum)) || c->type == 0) {
			problem("directory %u: entry \"%.60s\" names inode %u, which is not in use",
				dir, de.name, de.inum);
			continue;
		}
		links[de.inum]++;
		if (idx < 2 || c->type != T_DIR)
			continue;
		if (parent_of[de.inum]) {
			problem("directory %u is named from directories %u and %u",
				de.inum, parent_of[de.inum], dir);
			continue;
		}
		if (de.inum == FS_ROOTINO) {
			problem("directory %u: entry \"%.60s\" names the root", dir, de.name);
			continue;
		}
		parent_of[de.inum] = dir;
		walk(de.inum, dir, depth + 1);
	}
	if (d->size < 2 * sizeof de)
		problem("directory %u: has no \".\" and \"..\"", dir);
}

int main(int argc, char **argv)
{
	struct fs_dinode *root;
	const char *why;

	img_tool = "fsck";
	if (argc != 2) {
		fprintf(stderr, "usage: fsck IMAGE\n");
		return 2;
	}
	im.path = argv[1];
	img_load_raw(&im, argv[1]);
	if ((why = img_check_super(&im.sb, im.nblocks)) != NULL) {
		problem("superblock: %s", why);
		return 1;
	}
	block_owner = calloc(im.sb.size, sizeof *block_owner);
	links = calloc(im.sb.ninodes, sizeof *links);
	parent_of = calloc(im.sb.ninodes, sizeof *parent_of);
	if (!block_owner || !links || !parent_of)
		img_die("out of memory");

	for (uint32_t inum = 1; inum < im.sb.ninodes; inum++) {
		struct fs_dinode *d = img_inode(&im, inum);

		if (d->type != 0)
			check_inode(inum, d);
	}
	check_bitmap();
	root = img_inode(&im, FS_ROOTINO);
	if (root->type != T_DIR) {
		problem("the root (inode %u) is not a directory", FS_ROOTINO);
	} else {
		parent_of[FS_ROOTINO] = FS_ROOTINO;
		walk(FS_ROOTINO, FS_ROOTINO, 0);
	}
	for (uint32_t inum = 1; inum < im.sb.ninodes; inum++) {
		struct fs_dinode *d = img_inode(&im, inum);

		if (d->type == 0)
			continue;
		if (links[inum] == 0)
			problem("inode %u (type %d) is in use but no directory names it", inum, d->type);
		else if ((uint32_t)d->nlink != links[inum])
			problem("inode %u: link count %d, but %u entries name it",
				inum, d->nlink, links[inum]);
	}
	if (problems) {
		if (problems > 100)
			printf("fsck: %s: ... and %d more\n", im.path, problems - 100);
		printf("fsck: %s: %d problem%s\n", im.path, problems, problems == 1 ? "" : "s");
		return 1;
	}
	return 0;
}
