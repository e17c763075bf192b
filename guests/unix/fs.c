/*
 * fs.c - the file system (format: unix/fs.h): mounting, and allocating
 * blocks from the free-block bitmap.
 *
 * Every disk may hold a file system: the root one (disk ROOTDEV), mounted
 * at boot, and others mounted on a directory of one already mounted by
 * the boot argument mount=DISK:PATH (main.c). The directory is then
 * covered: a path through it continues at the root of the other disk, and
 * ".." from that root goes back through it (dir.c). An inode's dev says
 * which disk it is on, so everything below path names works per disk.
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
#include <unix/stat.h>

static struct fs_mount {
	int mounted;
	int remote;                     /* NFSDEV: an NFS mount (nfs.c), no superblock */
	uint32_t root;                  /* its root's inode number (a disk's: FS_ROOTINO) */
	struct fs_superblock sb;
	struct sleeplock balloc_lock;   /* one block allocation at a time */
	uint32_t balloc_hint;
	struct inode *on;               /* the directory it covers (NULL: root) */
} mounts[NDEV];
static struct sleeplock mount_lock;    /* one mount at a time */

const struct fs_superblock *fs_super(uint32_t dev)
{
	if (dev >= NDISK || !mounts[dev].mounted)
		panic("fs: disk %u is not mounted", dev);
	return &mounts[dev].sb;
}

int fs_mounted(uint32_t dev)
{
	return dev < NDEV && mounts[dev].mounted;
}

int fs_remote(uint32_t dev)
{
	return dev < NDEV && mounts[dev].remote;
}

uint32_t fs_root(uint32_t dev)
{
	return dev < NDEV && mounts[dev].mounted ? mounts[dev].root : FS_ROOTINO;
}

int fs_data_block(uint32_t dev, uint32_t b)
{
	const struct fs_superblock *sb = fs_super(dev);

	return b >= sb->datastart && b < sb->size;
}

/* Read and check the superblock of disk dev into m; 0, or -ENXIO if
   there is no such disk, -EINVAL if it holds no file system. */
static int read_super(uint32_t dev, struct fs_mount *m)
{
	struct fs_superblock *sb = &m->sb;
	struct buf *b;
	uint32_t inode_blocks, bitmap_blocks;

	if (dev >= NDISK || hal_disk_sectors(dev) < 2 * FS_SECTORS_PER_BLOCK)
		return -ENXIO;
	b = bread(dev, 1);
	memcpy(sb, b->data, sizeof *sb);
	brelse(b);
	inode_blocks = (sb->ninodes + FS_IPB - 1) / FS_IPB;
	bitmap_blocks = (sb->size + FS_BPB - 1) / FS_BPB;
	if (sb->magic != FS_MAGIC || sb->ninodes < 2 || sb->inodestart != 2 ||
	    sb->bmapstart != sb->inodestart + inode_blocks ||
	    sb->datastart != sb->bmapstart + bitmap_blocks || sb->datastart >= sb->size ||
	    (uint64_t)sb->size * FS_SECTORS_PER_BLOCK > hal_disk_sectors(dev))
		return -EINVAL;
	sleeplock_init(&m->balloc_lock, "balloc");
	m->balloc_hint = sb->datastart;
	return 0;
}

/* Mount the root file system, disk dev (ROOTDEV), at boot. */
void fs_init(uint32_t dev)
{
	int r;

	sleeplock_init(&mount_lock, "mount");
	inode_init();
	if ((r = read_super(dev, &mounts[dev])) == -ENXIO)
		panic("mount: no disk %u (flashsim --disk IMAGE)", dev);
	if (r < 0)
		panic("mount: disk %u: not a file system (bad superblock)", dev);
	mounts[dev].root = FS_ROOTINO;
	mounts[dev].mounted = 1;
}

/* Cover the directory path with file system dev (a disk's, or with
   remote set the NFS mount's, whose root is inode root). */
static int cover(uint32_t dev, const char *path, int remote, uint32_t root)
{
	struct inode *ip;
	int err = 0;

	if (!(ip = namei(path, &err)))
		return err;
	ilock(ip);
	acquiresleep(&mount_lock);
	if (ip->type != T_DIR)
		err = -ENOTDIR;
	else if (mounts[dev].mounted || fs_covered(ip) >= 0 || ip->inum == fs_root(ip->dev))
		err = -EBUSY;           /* mounted, or a mount point already */
	else if (remote || (err = read_super(dev, &mounts[dev])) == 0) {
		mounts[dev].on = ip;    /* keeps its reference */
		mounts[dev].remote = remote;
		mounts[dev].root = root;
		mounts[dev].mounted = 1;
	}
	releasesleep(&mount_lock);
	iunlock(ip);
	if (err < 0)
		iput(ip);
	return err;
}

int fs_mount(uint32_t dev, const char *path)
{
	return dev < NDISK ? cover(dev, path, 0, FS_ROOTINO) : -ENXIO;
}

int fs_mount_remote(const char *path, uint32_t root)
{
	return cover(NFSDEV, path, 1, root);
}

int fs_covered(const struct inode *ip)
{
	for (int d = 0; d < NDEV; d++)
		if (mounts[d].on && mounts[d].on->dev == ip->dev && mounts[d].on->inum == ip->inum)
			return d;
	return -1;
}

struct inode *fs_mount_point(uint32_t dev)
{
	return dev < NDEV ? mounts[dev].on : NULL;
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
	struct fs_mount *m = &mounts[dev];
	const struct fs_superblock *sb = fs_super(dev);
	uint32_t found = 0;

	acquiresleep(&m->balloc_lock);
	for (uint32_t n = 0; n < sb->size - sb->datastart && !found; ) {
		uint32_t blk = m->balloc_hint + n;
		struct buf *b;

		if (blk >= sb->size)
			blk = sb->datastart + (blk - sb->size);
		b = bread(dev, sb->bmapstart + blk / FS_BPB);
		/* Scan the rest of this bitmap block. */
		for (; n < sb->size - sb->datastart; n++) {
			uint32_t bi;

			blk = m->balloc_hint + n;
			if (blk >= sb->size)
				blk = sb->datastart + (blk - sb->size);
			bi = blk % FS_BPB;
			if (sb->bmapstart + blk / FS_BPB != b->blockno)
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
		m->balloc_hint = found + 1 < sb->size ? found + 1 : sb->datastart;
	releasesleep(&m->balloc_lock);
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

	if (!fs_data_block(dev, blk))
		return;                  /* a damaged pointer: leave it */
	b = bread(dev, fs_super(dev)->bmapstart + blk / FS_BPB);
	if (!(b->data[bi / 8] & (1 << (bi % 8))))
		panic("bfree: block %u is free already", blk);
	b->data[bi / 8] &= ~(1 << (bi % 8));
	bdirty(b);
	brelse(b);
}

