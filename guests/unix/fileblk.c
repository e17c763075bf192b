/*
 * fileblk.c - the contents of files: which disk block holds each block
 * of a file (bmap: 11 direct blocks, one single-indirect block of 1024
 * pointers, one double-indirect block), reading, writing, truncating.
 * All on locked inodes.
 */
#include "proc.h"
#include "buf.h"
#include "file.h"
#include "fsys.h"

/* Entry i of indirect block `blk`, allocating if asked: a block number,
   0 (none, or no space), or BAD_BLOCK (a damaged pointer). */
static uint32_t indirect(struct inode *ip, uint32_t blk, uint32_t i, int alloc)
{
	struct buf *b = bread(ip->dev, blk);
	uint32_t *a = (uint32_t *)b->data, addr = a[i];

	if (addr && !fs_data_block(ip->dev, addr)) {
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
	if (top && !fs_data_block(ip->dev, top))
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

	if (!fs_data_block(ip->dev, blk))
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
	if (fs_remote(ip->dev)) {
		nfs_trunc(ip);
		return;
	}
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

/* Copy to or from user memory (user != 0) or kernel memory. */
int either_copyout(int user, uint32_t dst, const void *src, uint32_t n)
{
	if (user)
		return copyout(myproc()->as, dst, src, n);
	memmove((void *)dst, src, n);
	return 0;
}

int either_copyin(int user, void *dst, uint32_t src, uint32_t n)
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

	if (fs_remote(ip->dev))
		return nfs_read(ip, user, dst, off, n);
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
			r = either_copyout(user, dst, zeros, m);
		} else {
			struct buf *b = bread(ip->dev, addr);

			r = either_copyout(user, dst, b->data + boff, m);
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

	if (fs_remote(ip->dev))
		return nfs_write(ip, user, src, off, n);
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
		r = either_copyin(user, b->data + boff, src, m);
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

/* The disk block holding block bn of the file, without allocating: 0 if
   it is a hole or a pointer on the way is damaged (locked inode). */
uint32_t file_block(struct inode *ip, uint32_t bn)
{
	uint32_t b = fs_remote(ip->dev) ? 0 : bmap(ip, bn, 0);

	return b == BAD_BLOCK ? 0 : b;
}

uint32_t file_block_alloc(struct inode *ip, uint32_t bn)
{
	uint32_t b = bmap(ip, bn, 1);

	return b == BAD_BLOCK ? 0 : b;
}
