/*
 * fsys.h - what the parts of the file system (fs.c, inode.c, fileblk.c)
 * share among themselves.
 */
#ifndef FSYS_H
#define FSYS_H

#include <stdint.h>
#include <unix/fs.h>

#define BAD_BLOCK 0xFFFFFFFFu   /* a damaged block pointer */

/* The superblock of the file system on disk dev, which is mounted (every
   inode's dev is). */
const struct fs_superblock *fs_super(uint32_t dev);
int fs_data_block(uint32_t dev, uint32_t b); /* in dev's data area? */
uint32_t balloc(uint32_t dev);       /* a zeroed block, or 0: disk full */
void bfree(uint32_t dev, uint32_t b);
struct buf *bzeroed(uint32_t dev, uint32_t blockno);
void inode_init(void);

#endif
