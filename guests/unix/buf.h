/*
 * buf.h - a buffer of the block cache: one 4 KB disk block in one
 * page-aligned physical page, so the disk can DMA straight into it.
 */
#ifndef BUF_H
#define BUF_H

#include "sleeplock.h"

struct buf {
	int valid;               /* data holds the block */
	int dirty;               /* data is newer than the disk */
	uint32_t dev, blockno;
	struct sleeplock lock;   /* held by the one user of the data */
	uint32_t refcnt;         /* under bcache.lock */
	struct buf *prev, *next; /* LRU list, most recent first */
	uint8_t *data;           /* FS_BSIZE bytes: one page */

	/* The disk driver's (disk.c), under its lock. */
	struct buf *qnext;
	int io_write, io_done, io_error;
};

#endif
