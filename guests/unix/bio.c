/*
 * bio.c - the buffer cache.
 *
 * Each buffer holds one 4 KB file-system block in its own physical page
 * (the disk DMAs whole pages; on the disco port a page-sized, page-aligned
 * buffer is what the monitor's copy-on-write disk can map instead of copy).
 * The number of buffers grows with memory: 1/32 of it, between NBUF_MIN
 * and NBUF_MAX.
 *
 * Writes are delayed: bdirty() marks a buffer, and it reaches the disk
 * when the buffer is recycled or at sync (bsync, which init calls before
 * halting). A buffer's sleeplock gives one process at a time its data;
 * bcache.lock protects identities, reference counts and the LRU list.
 */
#include "proc.h"
#include "buf.h"
#include <unix/fs.h>

static struct {
	struct spinlock lock;
	struct buf buf[NBUF_MAX];
	int nbuf;
	struct buf head;           /* LRU list: head.next is the most recent */
	int waiting;               /* processes waiting for a free buffer */
	struct sleeplock sync_lock; /* one bsync at a time (it uses order[]) */
	struct buf *order[NBUF_MAX];
} bcache;

void binit(void)
{
	uint32_t total, free;

	kmem_stat(&total, &free);
	bcache.nbuf = total / 32;
	if (bcache.nbuf < NBUF_MIN)
		bcache.nbuf = NBUF_MIN;
	if (bcache.nbuf > NBUF_MAX)
		bcache.nbuf = NBUF_MAX;
	spin_init(&bcache.lock, "bcache");
	sleeplock_init(&bcache.sync_lock, "bsync");
	bcache.head.prev = bcache.head.next = &bcache.head;
	for (int i = 0; i < bcache.nbuf; i++) {
		struct buf *b = &bcache.buf[i];

		if (!(b->data = kalloc(PAGE_BUFFER)))
			panic("binit: no memory for buffers");
		sleeplock_init(&b->lock, "buffer");
		b->dev = b->blockno = 0xFFFFFFFFu;
		b->next = bcache.head.next;
		b->prev = &bcache.head;
		bcache.head.next->prev = b;
		bcache.head.next = b;
	}
}

/* Write a locked buffer back to disk. */
static void write_back(struct buf *b)
{
	disk_rw(b, 1);
	b->dirty = 0;
}

/* The buffer for (dev, blockno), locked: the cached one, or the least
   recently used free one, written back first if it is dirty. */
static struct buf *bget(uint32_t dev, uint32_t blockno)
{
	struct buf *b;

	acquire(&bcache.lock);
	for (;;) {
		for (b = bcache.head.next; b != &bcache.head; b = b->next)
			if (b->dev == dev && b->blockno == blockno) {
				b->refcnt++;
				release(&bcache.lock);
				acquiresleep(&b->lock);
				return b;
			}
		for (b = bcache.head.prev; b != &bcache.head; b = b->prev)
			if (b->refcnt == 0 && !b->dirty) {
				if (b->dev == 0xFFFFFFFFu)
					kmem_count(PAGE_BUFFER, 1); /* its first block */
				b->dev = dev;
				b->blockno = blockno;
				b->valid = 0;
				b->refcnt = 1;
				release(&bcache.lock);
				acquiresleep(&b->lock);
				return b;
			}
		for (b = bcache.head.prev; b != &bcache.head; b = b->prev)
			if (b->refcnt == 0)
				break;
		if (b != &bcache.head) {
			/* Only dirty buffers are free: clean the oldest, then
			   look again (someone may have cached our block). */
			b->refcnt++;
			release(&bcache.lock);
			acquiresleep(&b->lock);
			if (b->dirty)
				write_back(b);
			releasesleep(&b->lock);
			acquire(&bcache.lock);
			b->refcnt--;
			continue;
		}
		bcache.waiting++;
		sleep(&bcache, &bcache.lock);
		bcache.waiting--;
	}
}

struct buf *bread(uint32_t dev, uint32_t blockno)
{
	struct buf *b = bget(dev, blockno);

	if (!b->valid) {
		disk_rw(b, 0);
		b->valid = 1;
	}
	return b;
}

/* The buffer for a block about to be overwritten: not read from the
   disk if it is not cached (then it reads as zeros). */
struct buf *bread_nofill(uint32_t dev, uint32_t blockno)
{
	struct buf *b = bget(dev, blockno);

	if (!b->valid) {
		memset(b->data, 0, FS_BSIZE);
		b->valid = 1;
	}
	return b;
}

/* Scratch buffers hold pages that are no disk's blocks (the NFS client's,
   nfs.c): each gets an identity of its own on a device no disk has, so
   that nobody finds it, and loses it in bforget. */
#define SCRATCH_DEV 0xFFFFFFFEu

struct buf *bscratch(void)
{
	static uint32_t next;
	struct buf *b = bget(SCRATCH_DEV, atomic_add(&next, 1));

	b->valid = 0;
	return b;
}

void bforget(struct buf *b)
{
	if (!holdingsleep(&b->lock) || b->dirty)
		panic("bforget: buffer not locked, or dirty");
	acquire(&bcache.lock);
	b->blockno = 0xFFFFFFFFu;       /* no scratch identity is this */
	b->valid = 0;
	release(&bcache.lock);
	brelse(b);
}

int bio_dirty(uint32_t dev, uint32_t blockno)
{
	int dirty = 0;

	acquire(&bcache.lock);
	for (struct buf *b = bcache.head.next; b != &bcache.head; b = b->next)
		if (b->dev == dev && b->blockno == blockno)
			dirty = b->dirty || b->refcnt > 0;
	release(&bcache.lock);
	return dirty;
}

void bdirty(struct buf *b)
{
	if (!holdingsleep(&b->lock))
		panic("bdirty: buffer not locked");
	b->dirty = 1;
}

void bwrite(struct buf *b)
{
	if (!holdingsleep(&b->lock))
		panic("bwrite: buffer not locked");
	write_back(b);
}

void brelse(struct buf *b)
{
	if (!holdingsleep(&b->lock))
		panic("brelse: buffer not locked");
	releasesleep(&b->lock);
	acquire(&bcache.lock);
	if (--b->refcnt == 0) {
		b->next->prev = b->prev;
		b->prev->next = b->next;
		b->next = bcache.head.next;
		b->prev = &bcache.head;
		bcache.head.next->prev = b;
		bcache.head.next = b;
		if (bcache.waiting)
			wakeup(&bcache);
	}
	release(&bcache.lock);
}

/* Write every dirty buffer, in block order (the disk charges a seek for
   every request that does not follow the previous one). */
void bsync(void)
{
	struct buf **order = bcache.order;
	int n = 0;

	acquiresleep(&bcache.sync_lock);
	acquire(&bcache.lock);
	for (int i = 0; i < bcache.nbuf; i++) {
		struct buf *b = &bcache.buf[i];
		int j;

		if (!b->dirty)
			continue;
		b->refcnt++;
		for (j = n; j > 0 && (order[j - 1]->dev > b->dev ||
				      (order[j - 1]->dev == b->dev &&
				       order[j - 1]->blockno > b->blockno)); j--)
			order[j] = order[j - 1];
		order[j] = b;
		n++;
	}
	release(&bcache.lock);
	for (int i = 0; i < n; i++) {
		struct buf *b = order[i];

		acquiresleep(&b->lock);
		if (b->dirty)
			write_back(b);
		brelse(b);
	}
	releasesleep(&bcache.sync_lock);
}
