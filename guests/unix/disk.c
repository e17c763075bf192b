/*
 * disk.c - the disk request queue, on top of the HAL's disk driver.
 *
 * A controller does one DMA request at a time (MACHINE.md "Devices"), so
 * each disk keeps a FIFO of buffers. The process that queues a buffer
 * sleeps until the completion interrupt (IP2, on the CPU that started the
 * request) marks it done and starts the next request. One 4 KB block is
 * one request of 8 sectors, DMAed straight into the buffer's page.
 */
#include "proc.h"
#include "buf.h"
#include <unix/fs.h>

static struct disk {
	struct spinlock lock;
	struct buf *head, *tail;   /* head is the request in progress */
	uint32_t sectors;
} disks[NDISK];

void disk_init(void)
{
	for (int i = 0; i < NDISK; i++) {
		spin_init(&disks[i].lock, "disk");
		disks[i].sectors = hal_disk_sectors(i);
	}
}

static void start(int dev, struct buf *b)
{
	hal_disk_start(dev, b->io_write, b->blockno * FS_SECTORS_PER_BLOCK,
		       FS_SECTORS_PER_BLOCK, hal_kva2pa(b->data));
}

/* Read block blockno of disk dev straight into page (a kernel address),
   bypassing the buffer cache: the caller makes sure the cache holds no
   newer copy (bio_dirty). Panics on a disk error, as disk_rw does. */
void disk_read_page(uint32_t dev, uint32_t blockno, void *page)
{
	struct buf b = {.dev = dev, .blockno = blockno, .data = page};

	disk_rw(&b, 0);
}

/* Read or write a locked buffer; returns when the transfer is done. */
void disk_rw(struct buf *b, int write)
{
	struct disk *d;

	if (b->dev >= NDISK || (uint64_t)(b->blockno + 1) * FS_SECTORS_PER_BLOCK >
	    disks[b->dev].sectors)
		panic("disk_rw: no block %u on disk %u", b->blockno, b->dev);
	d = &disks[b->dev];
	acquire(&d->lock);
	b->io_write = write;
	b->io_done = 0;
	b->io_error = 0;
	b->qnext = NULL;
	if (d->tail)
		d->tail->qnext = b;
	else
		d->head = b;
	d->tail = b;
	if (d->head == b)
		start(b->dev, b);
	while (!b->io_done)
		sleep(b, &d->lock);
	release(&d->lock);
	if (b->io_error)
		panic("disk %u: error on block %u", b->dev, b->blockno);
}

void disk_intr(void)
{
	for (int dev = 0; dev < NDISK; dev++) {
		struct disk *d = &disks[dev];
		struct buf *b;
		int r;

		if (!d->sectors)
			continue;
		acquire(&d->lock);
		r = hal_disk_poll(dev);
		if (r != 0 && (b = d->head) != NULL) {
			d->head = b->qnext;
			if (!d->head)
				d->tail = NULL;
			b->io_error = r < 0;
			b->io_done = 1;
			wakeup(b);
			if (d->head)
				start(dev, d->head);
		}
		release(&d->lock);
	}
}
