/*
 * inode.c - inodes: the in-memory table and the disk inodes behind it.
 *
 * An in-memory inode is a reference-counted copy of a disk inode (ref and
 * identity under itable.lock); its sleeplock protects the copy, which
 * ilock reads from the disk the first time. The last iput of an inode
 * that no directory names any more frees it and its blocks.
 */
#include "proc.h"
#include "buf.h"
#include "file.h"
#include "fsys.h"
#include <unix/stat.h>

static struct sleeplock ialloc_lock;   /* one inode allocation at a time */
static uint32_t ialloc_hint[NDISK];   /* per disk: where to look first */

static struct {
	struct spinlock lock;
	struct inode inode[NINODE];
} itable;

void inode_init(void)
{
	sleeplock_init(&ialloc_lock, "ialloc");
	for (int i = 0; i < NDISK; i++)
		ialloc_hint[i] = 1;
	spin_init(&itable.lock, "itable");
	for (int i = 0; i < NINODE; i++)
		sleeplock_init(&itable.inode[i].lock, "inode");
}

/* The in-memory inode for inum, referenced, not locked (nor read); NULL
   if inum is out of range or the table is full. */
struct inode *iget_inum(uint32_t dev, uint32_t inum)
{
	struct inode *ip, *empty = NULL;

	if (inum == 0 || (!fs_remote(dev) && inum >= fs_super(dev)->ninodes))
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

uint32_t fs_ninodes(uint32_t dev)
{
	return fs_super(dev)->ninodes;
}

/* Mark inode inum free on the disk again. */
static void ifree_disk(uint32_t dev, uint32_t inum)
{
	struct buf *b = bread(dev, fs_super(dev)->inodestart + inum / FS_IPB);

	dinode(b, inum)->type = 0;
	bdirty(b);
	brelse(b);
}

/* A new inode of the given type, referenced, not locked; NULL with *err
   = -ENOSPC if there is no free inode on the disk, -ENFILE if there is no
   room in the inode table. */
struct inode *ialloc(uint32_t dev, short type, int *err)
{
	const struct fs_superblock *sb = fs_super(dev);
	struct inode *ip;
	uint32_t found = 0;

	acquiresleep(&ialloc_lock);
	for (uint32_t n = 0; n < sb->ninodes - 1 && !found; n++) {
		uint32_t inum = 1 + (ialloc_hint[dev] - 1 + n) % (sb->ninodes - 1);
		struct buf *b = bread(dev, sb->inodestart + inum / FS_IPB);
		struct fs_dinode *d = dinode(b, inum);

		if (d->type == 0) {
			uint16_t gen = d->gen;

			memset(d, 0, sizeof *d);
			d->type = type;
			d->gen = (uint16_t)(gen + 1);   /* a new file: old handles are stale */
			bdirty(b);
			found = inum;
		}
		brelse(b);
	}
	if (found)
		ialloc_hint[dev] = found + 1 < sb->ninodes ? found + 1 : 1;
	releasesleep(&ialloc_lock);
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
	if (fs_remote(ip->dev))
		return;                  /* the server's: changed by its requests */
	struct buf *b = bread(ip->dev, fs_super(ip->dev)->inodestart + ip->inum / FS_IPB);
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
	if (fs_remote(ip->dev)) {
		nfs_getattr(ip);         /* every time: other clients change it */
	} else if (!ip->valid) {
		struct buf *b = bread(ip->dev, fs_super(ip->dev)->inodestart + ip->inum / FS_IPB);
		struct fs_dinode *d = dinode(b, ip->inum);

		ip->type = d->type;
		ip->major = d->major;
		ip->nlink = d->nlink;
		ip->gen = d->gen;
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
	if (ip->valid && ip->nlink == 0 && !fs_remote(ip->dev)) {
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

void stati(struct inode *ip, struct stat *st)
{
	st->type = ip->type;
	st->nlink = ip->nlink;
	st->dev = ip->dev;
	st->ino = ip->inum;
	st->size = ip->size;
}
