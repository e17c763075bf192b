/*
 * fsimg.h - reading and writing file-system images on the host, for
 * mkfs, fsck, fsls and fscat (format: unix/fs.h).
 *
 * An image is read whole into memory. Every block number and inode
 * number taken from it is checked before use, so a damaged image gives an
 * error message, never a crash.
 */
#ifndef FSIMG_H
#define FSIMG_H

#include <stddef.h>
#include <stdint.h>
#include <unix/fs.h>

/* The kernel's struct stat would clash with the host's: take only the
   inode types from unix/stat.h. */
#define stat unix_stat
#include <unix/stat.h>
#undef stat

struct img {
	const char *path;
	uint8_t *data;
	uint32_t nblocks;              /* blocks in the file */
	struct fs_superblock sb;
};

/* The tool's name, for messages ("mkfs: error: ..."). */
extern const char *img_tool;

/* Print "tool: error: fmt" and exit with status 2. */
void img_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Load an image and check its superblock; dies on failure. */
void img_load(struct img *im, const char *path);
/* The same without checking the superblock (fsck reports it itself). */
void img_load_raw(struct img *im, const char *path);
/* Check the superblock's layout: NULL if sane, else what is wrong. */
const char *img_check_super(const struct fs_superblock *sb, uint32_t nblocks);

uint8_t *img_block(struct img *im, uint32_t b);
/* The inode inum, or NULL if out of range. */
struct fs_dinode *img_inode(struct img *im, uint32_t inum);
/* Block bn of a file: its block number (0 for a hole); -1 if a pointer on
   the way is out of the data area. */
int64_t img_bmap(struct img *im, const struct fs_dinode *d, uint32_t bn);
/* Read n bytes at off of a file; 0, or -1 on a bad block pointer. */
int img_read(struct img *im, const struct fs_dinode *d, uint32_t off, void *buf, uint32_t n);
/* Resolve an absolute path: the inode number, or 0 with *why set. */
uint32_t img_lookup(struct img *im, const char *path, const char **why);

#endif
