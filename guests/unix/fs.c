/*
 * fs.c - the file system (format: unix/fs.h): mounting, and allocating
 * blocks from the free-block bitmap.
 *
 * Layers, as in xv6: blocks (here), inodes (inode.c: an in-memory table
 * of reference-counted copies, each with a sleeplock), file contents
 * (fileblk.c: direct, single- and double-indirect blocks), directories
 * and path names (dir.c).
 *
 * There is no log: writes are delayed in the buffer cache and reach the
 * disk at sync. Block numbers read from the disk are checked against the
 * superblock before use, so a damaged image gives I/O errors, not a wild
 * disk request.
 */
#include "proc.h"
#include "buf.h"
#include "file.h"
#include "fsys.h"

struct fs_superblock fs_sb;
static struct sleeplock balloc_lock;   /* one block allocation at a time */
static uint32_t balloc_hint;

int fs_data_block(uint32_t b)
{
	return b >= fs_sb.datastart && b < fs_sb.size;
}

/* Mount: read and check the superblock of disk dev. */
void fs_init(uint32_t dev)
{
	struct buf *b;
	uint32_t inode_blocks, bitmap_blocks;

	if (hal_disk_sectors(dev) < 2 * FS_SECTORS_PER_BLOCK)
		panic("mount: no disk %u (flashsim --disk IMAGE)", dev);
	b = bread(dev, 1);
	memcpy(&fs_sb, b->data, sizeof fs_sb);
	brelse(b);
	inode_blocks = (fs_sb.ninodes + FS_IPB - 1) / FS_IPB;
	bitmap_blocks = (fs_sb.size + FS_BPB - 1) / FS_BPB;
	if (fs_sb.magic != FS_MAGIC || fs_sb.ninodes < 2 || fs_sb.inodestart != 2 ||
	    fs_sb.bmapstart != fs_sb.inodestart + inode_blocks ||
	    fs_sb.datastart != fs_sb.bmapstart + bitmap_blocks || fs_sb.datastart >= fs_sb.size ||
	    (uint64_t)fs_sb.size * FS_SECTORS_PER_BLOCK > hal_disk_sectors(dev))
		panic("mount: disk %u: not a file system (bad superblock)", dev);
	sleeplock_init(&balloc_lock, "balloc");
	balloc_hint = fs_sb.datastart;
	inode_init();
}

/* A locked buffer for a block whose old contents do not matter: zeroed
   without reading the disk if it was not cached. */
struct buf *bzeroed(uint32_t dev, uint32_t blockno)
{
	struct buf *b = bread_nofill(dev, blockno);

	memset(b->data, 0, FS_BSIZE);
	return b;
}

/* Allocate a zeroed data block; 0 if the disk is full. */
uint32_t balloc(uint32_t dev)
{
	uint32_t found = 0;

	acquiresleep(&balloc_lock);
	for (uint32_t n = 0; n < fs_sb.size - fs_sb.datastart && !found; ) {
		uint32_t blk = balloc_hint + n;
		struct buf *b;

		if (blk >= fs_sb.size)
			blk = fs_sb.datastart + (blk - fs_sb.size);
		b = bread(dev, fs_sb.bmapstart + blk / FS_BPB);
		/* Scan the rest of this bitmap block. */
		for (; n < fs_sb.size - fs_sb.datastart; n++) {
			uint32_t bi;

			blk = balloc_hint + n;
			if (blk >= fs_sb.size)
				blk = fs_sb.datastart + (blk - fs_sb.size);
			bi = blk % FS_BPB;
			if (fs_sb.bmapstart + blk / FS_BPB != b->blockno)
				break;
			if (!(b->data[bi / 8] & (1 << (bi % 8)))) {
				b->data[bi / 8] |= 1 << (bi % 8);
				bdirty(b);
				found = blk;
				break;
			}
		}
		brelse(b);
	}
	if (found)
		balloc_hint = found + 1 < fs_sb.size ? found + 1 : fs_sb.datastart;
	releasesleep(&balloc_lock);
	if (found) {
		struct buf *z = bzeroed(dev, found);

		bdirty(z);
		brelse(z);
	}
	return found;
}

void bfree(uint32_t dev, uint32_t blk)
{
	struct buf *b;
	uint32_t bi = blk % FS_BPB;

	if (!fs_data_block(blk))
		return;                  /* a damaged pointer: leave it */
	b = bread(dev, fs_sb.bmapstart + blk / FS_BPB);
	if (!(b->data[bi / 8] & (1 << (bi % 8))))
		panic("bfree: block %u is free already", blk);
	b->data[bi / 8] &= ~(1 << (bi % 8));
	bdirty(b);
	brelse(b);
}

