/*
 * fs.c - the file system's blocks and inodes (format: unix/fs.h).
 *
 * Layers, as in xv6: blocks (bitmap allocation), inodes (an in-memory
 * table of reference-counted copies, each with a sleeplock), and file
 * contents (bmap: direct, single- and double-indirect blocks). Directories
 * and path names are in dir.c.
 *
 * There is no log: writes are delayed in the buffer cache and reach the
 * disk at sync. Block numbers read from the disk are checked against the
 * superblock before use, so a damaged image gives I/O errors, not a wild
 * disk request.
 */
#include "proc.h"
#include "buf.h"
#include "file.h"
#include <unix/stat.h>

static struct fs_superblock sb;
static struct sleeplock balloc_lock;   /* one block or inode allocation at a time */
static uint32_t balloc_hint, ialloc_hint;

static struct {
	struct spinlock lock;
	struct inode inode[NINODE];
} itable;

#define BAD_BLOCK 0xFFFFFFFFu

static int data_block(uint32_t b)
{
	return b >= sb.datastart && b < sb.size;
}

/* Mount: read and check the superblock of disk dev. */
void fs_init(uint32_t dev)
{
	struct buf *b;
	uint32_t inode_blocks, bitmap_blocks;

	if (hal_disk_sectors(dev) < 2 * FS_SECTORS_PER_BLOCK)
		panic("mount: no disk %u (flashsim --disk IMAGE)", dev);
	b = bread(dev, 1);
	memcpy(&sb, b->data, sizeof sb);
	brelse(b);
	inode_blocks = (sb.ninodes + FS_IPB - 1) / FS_IPB;
	bitmap_blocks = (sb.size + FS_BPB - 1) / FS_BPB;
	if (sb.magic != FS_MAGIC || sb.ninodes < 2 || sb.inodestart != 2 ||
	    sb.bmapstart != sb.inodestart + inode_blocks ||
	    sb.datastart != sb.bmapstart + bitmap_blocks || sb.datastart >= sb.size ||
	    (uint64_t)sb.size * FS_SECTORS_PER_BLOCK > hal_disk_sectors(dev))
		panic("mount: disk %u: not a file system (bad superblock)", dev);
	sleeplock_init(&balloc_lock, "balloc");
	balloc_hint = sb.datastart;
	ialloc_hint = 1;
	spin_init(&itable.lock, "itable");
	for (int i = 0; i < NINODE; i++)
		sleeplock_init(&itable.inode[i].lock, "inode");
}

/* A locked buffer for a block whose old contents do not matter: zeroed
   without reading the disk if it was not cached. */
static struct buf *bzeroed(uint32_t dev, uint32_t blockno)
{
	struct buf *b = bread_nofill(dev, blockno);

	memset(b->data, 0, FS_BSIZE);
	return b;
}

/* Allocate a zeroed data block; 0 if the disk is full. */
static uint32_t balloc(uint32_t dev)
{
	uint32_t found = 0;

	acquiresleep(&balloc_lock);
	for (uint32_t n = 0; n < sb.size - sb.datastart && !found; ) {
		uint32_t blk = balloc_hint + n;
		struct buf *b;

		if (blk >= sb.size)
			blk = sb.datastart + (blk - sb.size);
		b = bread(dev, sb.bmapstart + blk / FS_BPB);
		/* Scan the rest of this bitmap block. */
		for (; n < sb.size - sb.datastart; n++) {
			uint32_t bi;

			blk = balloc_hint + n;
			if (blk >= sb.size)
				blk = sb.datastart + (blk - sb.size);
			bi = blk % FS_BPB;
			if (sb.bmapstart + blk / FS_BPB != b->blockno)
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
		balloc_hint = found + 1 < sb.size ? found + 1 : sb.datastart;
	releasesleep(&balloc_lock);
	if (found) {
		struct buf *z = bzeroed(dev, found);

		bdirty(z);
		brelse(z);
	}
	return found;
}

static void bfree(uint32_t dev, uint32_t blk)
{
	struct buf *b;
	uint32_t bi = blk % FS_BPB;

	if (!data_block(blk))
		return;                  /* a damaged pointer: leave it */
	b = bread(dev, sb.bmapstart + blk / FS_BPB);
	if (!(b->data[bi / 8] & (1 << (bi % 8))))
		panic("bfree: block %u is free already", blk);
	b->data[bi / 8] &= ~(1 << (bi % 8));
	bdirty(b);
	brelse(b);
}

/* ---- Inodes ---- */

/* The in-memory inode for inum, referenced, not locked (nor read); NULL
   if inum is out of range or the table is full. */
struct inode *iget_inum(uint32_t dev, uint32_t inum)
{
	struct inode *ip, *empty = NULL;

	if (inum == 0 || inum >= sb.ninodes)
		return NULL;
	acquire(&itable.lock);
	for (ip = itable.inode; ip < itable.inode + NINODE; ip++) {
		if (ip->ref > 0 && ip->dev == dev && ip->inum == inum) {
			ip->ref++;
			release(&itable.lock);
			return ip;
		}
		if (!empty && ip->ref == 0)
			empty = ip;
	}
	if (empty) {
		empty->dev = dev;
		empty->inum = inum;
		empty->ref = 1;
		empty->valid = 0;
	}
	release(&itable.lock);
	return empty;                    /* NULL: the table is full */
}

struct inode *iget_root(void)
{
	return iget_inum(ROOTDEV, FS_ROOTINO);
}

static struct fs_dinode *dinode(struct buf *b, uint32_t inum)
{
	return (struct fs_dinode *)b->data + inum % FS_IPB;
}

uint32_t fs_ninodes(void)
{
	return sb.ninodes;
}

/* Mark inode inum free on the disk again. */
static void ifree_disk(uint32_t dev, uint32_t inum)
{
	struct buf *b = bread(dev, sb.inodestart + inum / FS_IPB);

	dinode(b, inum)->type = 0;
	bdirty(b);
	brelse(b);
}

/* A new inode of the given type, referenced, not locked; NULL with *err
   = -ENOSPC if there is no free inode on the disk, -ENFILE if there is no
   room in the inode table. */
struct inode *ialloc(uint32_t dev, short type, int *err)
{
	struct inode *ip;
	uint32_t found = 0;

	acquiresleep(&balloc_lock);
	for (uint32_t n = 0; n < sb.ninodes - 1 && !found; n++) {
		uint32_t inum = 1 + (ialloc_hint - 1 + n) % (sb.ninodes - 1);
		struct buf *b = bread(dev, sb.inodestart + inum / FS_IPB);
		struct fs_dinode *d = dinode(b, inum);

		if (d->type == 0) {
			memset(d, 0, sizeof *d);
			d->type = type;
			bdirty(b);
			found = inum;
		}
		brelse(b);
	}
	if (found)
		ialloc_hint = found + 1 < sb.ninodes ? found + 1 : 1;
	releasesleep(&balloc_lock);
	if (!found) {
		*err = -ENOSPC;
		return NULL;
	}
	if (!(ip = iget_inum(dev, found))) {
		ifree_disk(dev, found);
		*err = -ENFILE;
	}
	return ip;
}

/* Copy a locked inode back to its disk block (delayed write). */
void iupdate(struct inode *ip)
{
	struct buf *b = bread(ip->dev, sb.inodestart + ip->inum / FS_IPB);
	struct fs_dinode *d = dinode(b, ip->inum);

	d->type = ip->type;
	d->major = ip->major;
	d->nlink = ip->nlink;
	d->size = ip->size;
	memcpy(d->addrs, ip->addrs, sizeof d->addrs);
	bdirty(b);
	brelse(b);
}

struct inode *idup(struct inode *ip)
{
	acquire(&itable.lock);
	ip->ref++;
	release(&itable.lock);
	return ip;
}

void ilock(struct inode *ip)
{
	if (!ip || ip->ref < 1)
		panic("ilock");
	acquiresleep(&ip->lock);
	if (!ip->valid) {
		struct buf *b = bread(ip->dev, sb.inodestart + ip->inum / FS_IPB);
		struct fs_dinode *d = dinode(b, ip->inum);

		ip->type = d->type;
		ip->major = d->major;
		ip->nlink = d->nlink;
		ip->size = d->size;
		memcpy(ip->addrs, d->addrs, sizeof ip->addrs);
		brelse(b);
		ip->valid = 1;
	}
}

void iunlock(struct inode *ip)
{
	if (!ip || !holdingsleep(&ip->lock) || ip->ref < 1)
		panic("iunlock");
	releasesleep(&ip->lock);
}

/* Drop a reference. The last reference to an inode with no links frees
   it and its blocks. */
void iput(struct inode *ip)
{
	acquiresleep(&ip->lock);
	if (ip->valid && ip->nlink == 0) {
		int r;

		acquire(&itable.lock);
		r = ip->ref;
		release(&itable.lock);
		if (r == 1) {
			itrunc(ip);
			ip->type = 0;
			iupdate(ip);
			ip->valid = 0;
		}
	}
	releasesleep(&ip->lock);
	acquire(&itable.lock);
	ip->ref--;
	release(&itable.lock);
}

void iunlockput(struct inode *ip)
{
	iunlock(ip);
	iput(ip);
}

/* ---- Contents ---- */

/* Entry i of indirect block `blk`, allocating if asked: a block number,
   0 (none, or no space), or BAD_BLOCK (a damaged pointer). */
static uint32_t indirect(struct inode *ip, uint32_t blk, uint32_t i, int alloc)
{
	struct buf *b = bread(ip->dev, blk);
	uint32_t *a = (uint32_t *)b->data, addr = a[i];

	if (addr && !data_block(addr)) {
		addr = BAD_BLOCK;
	} else if (!addr && alloc && (addr = balloc(ip->dev)) != 0) {
		a[i] = addr;
		bdirty(b);
	}
	brelse(b);
	return addr;
}

/* The disk block holding block bn of the file (locked inode). */
static uint32_t bmap(struct inode *ip, uint32_t bn, int alloc)
{
	uint32_t *slot, top;

	if (bn < FS_NDIRECT) {
		slot = &ip->addrs[bn];
	} else if (bn < FS_NDIRECT + FS_NINDIRECT) {
		slot = &ip->addrs[FS_NDIRECT];
	} else if (bn < FS_MAXFILE) {
		slot = &ip->addrs[FS_NDIRECT + 1];
	} else {
		return 0;
	}
	top = *slot;
	if (top && !data_block(top))
		return BAD_BLOCK;
	if (!top) {
		if (!alloc || !(top = balloc(ip->dev)))
			return 0;
		*slot = top;
		iupdate(ip);
	}
	if (bn < FS_NDIRECT)
		return top;
	bn -= FS_NDIRECT;
	if (bn < FS_NINDIRECT)
		return indirect(ip, top, bn, alloc);
	bn -= FS_NINDIRECT;
	top = indirect(ip, top, bn / FS_NINDIRECT, alloc);
	if (top == 0 || top == BAD_BLOCK)
		return top;
	return indirect(ip, top, bn % FS_NINDIRECT, alloc);
}

/* Free the blocks listed in indirect block blk (depth 1 or 2), then it. */
static void free_indirect(struct inode *ip, uint32_t blk, int depth)
{
	struct buf *b;
	uint32_t *a;

	if (!data_block(blk))
		return;
	b = bread(ip->dev, blk);
	a = (uint32_t *)b->data;
	for (uint32_t i = 0; i < FS_NINDIRECT; i++) {
		if (!a[i])
			continue;
		if (depth > 1)
			free_indirect(ip, a[i], depth - 1);
		else
			bfree(ip->dev, a[i]);
	}
	brelse(b);
	bfree(ip->dev, blk);
}

/* Free all the contents of a locked inode. */
void itrunc(struct inode *ip)
{
	for (uint32_t i = 0; i < FS_NDIRECT; i++)
		if (ip->addrs[i]) {
			bfree(ip->dev, ip->addrs[i]);
			ip->addrs[i] = 0;
		}
	if (ip->addrs[FS_NDIRECT])
		free_indirect(ip, ip->addrs[FS_NDIRECT], 1);
	if (ip->addrs[FS_NDIRECT + 1])
		free_indirect(ip, ip->addrs[FS_NDIRECT + 1], 2);
	ip->addrs[FS_NDIRECT] = ip->addrs[FS_NDIRECT + 1] = 0;
	ip->size = 0;
	iupdate(ip);
}

void stati(struct inode *ip, struct stat *st)
{
	st->type = ip->type;
	st->nlink = ip->nlink;
	st->dev = ip->dev;
	st->ino = ip->inum;
	st->size = ip->size;
}

/* Copy to or from user memory (user != 0) or kernel memory. */
static int copy_to(int user, uint32_t dst, const void *src, uint32_t n)
{
	if (user)
		return copyout(myproc()->as, dst, src, n);
	memmove((void *)dst, src, n);
	return 0;
}

static int copy_from(int user, void *dst, uint32_t src, uint32_t n)
{
	if (user)
		return copyin(myproc()->as, dst, src, n);
	memmove(dst, (const void *)src, n);
	return 0;
}

/* Read from a locked inode: bytes read, or a negative errno. Holes read
   as zeros. */
int readi(struct inode *ip, int user, uint32_t dst, uint32_t off, uint32_t n)
{
	uint32_t done = 0;

	if (off >= ip->size)
		return 0;
	if (n > ip->size - off)
		n = ip->size - off;
	while (done < n) {
		uint32_t addr = bmap(ip, off / FS_BSIZE, 0);
		uint32_t boff = off % FS_BSIZE, m = MIN(n - done, FS_BSIZE - boff);
		int r;

		if (addr == BAD_BLOCK)
			return done ? (int)done : -EIO;
		if (addr == 0) {
			static const uint8_t zeros[256];
			m = MIN(m, sizeof zeros);
			r = copy_to(user, dst, zeros, m);
		} else {
			struct buf *b = bread(ip->dev, addr);

			r = copy_to(user, dst, b->data + boff, m);
			brelse(b);
		}
		if (r < 0)
			return done ? (int)done : r;
		done += m;
		off += m;
		dst += m;
	}
	return done;
}

/* Write to a locked inode: bytes written, or a negative errno. */
int writei(struct inode *ip, int user, uint32_t src, uint32_t off, uint32_t n)
{
	uint32_t done = 0;

	if (off + n < off)
		return -EFBIG;
	while (done < n) {
		uint32_t addr = bmap(ip, off / FS_BSIZE, 1);
		uint32_t boff = off % FS_BSIZE, m = MIN(n - done, FS_BSIZE - boff);
		struct buf *b;
		int r;

		if (addr == 0 || addr == BAD_BLOCK) {
			if (!done)
				return addr ? -EIO : (off / FS_BSIZE >= FS_MAXFILE ? -EFBIG : -ENOSPC);
			break;
		}
		/* A whole block is overwritten: no need to read it first. */
		b = m == FS_BSIZE ? bread_nofill(ip->dev, addr) : bread(ip->dev, addr);
		r = copy_from(user, b->data + boff, src, m);
		bdirty(b);            /* even after a fault: part may be copied */
		if (r < 0) {
			brelse(b);
			if (!done)
				return r;
			break;
		}
		brelse(b);
		done += m;
		off += m;
		src += m;
	}
	if (off > ip->size)
		ip->size = off;
	iupdate(ip);
	return done;
}
