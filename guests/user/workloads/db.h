/*
 * db.h - the database workload's storage layer: a buffer pool of 4 KB
 * pages over files (db_bpool.c) and B-tree indexes in such files
 * (db_btree.c).
 *
 * As in a real DBMS (the paper's Sybase), the process keeps its own cache
 * of pages, several megabytes, evicting the least recently used; it reads
 * and writes whole pages with lseek + read/write.
 */
#ifndef DB_H
#define DB_H

#include <stdint.h>

#define DB_PAGE 4096

/* ---- Buffer pool ---- */

struct bp_file {
	int fd;
	int id;
	uint32_t npages;       /* pages in the file (grows with bp_new) */
};

struct bp_frame {
	unsigned char *data;   /* DB_PAGE bytes */
	struct bp_file *file;  /* NULL: the frame is free */
	uint32_t page;
	int pins;
	int dirty;
	struct bp_frame *older, *newer;   /* LRU list */
	struct bp_frame *hnext;           /* hash chain */
};

struct bp_stats {
	uint32_t hits, misses, reads, writes, evictions;
};

extern struct bp_stats bp_stats;

void bp_init(uint32_t frames);
/* Open (or with create, create empty) a file of pages. NULL on error. */
struct bp_file *bp_open(const char *path, int create);
void bp_close(struct bp_file *f);           /* flushes it first */
/* The page, read in if needed, pinned until bp_unpin. */
struct bp_frame *bp_get(struct bp_file *f, uint32_t page);
/* A new zeroed page at the end of the file, pinned and dirty. */
struct bp_frame *bp_new(struct bp_file *f);
void bp_unpin(struct bp_frame *fr);
void bp_flush(struct bp_file *f);           /* write its dirty pages */
/* Forget every page (all must be clean and unpinned): a cold cache. */
void bp_drop_all(void);

/* ---- B-tree: unique 32-bit keys to 32-bit values ---- */

struct btree {
	struct bp_file *file;
	uint32_t root, levels, nkeys;
};

/* Bulk load from keys given in increasing order. */
struct btree_builder;
struct btree_builder *btree_build_begin(struct bp_file *f);
void btree_build_add(struct btree_builder *b, uint32_t key, uint32_t value);
void btree_build_end(struct btree_builder *b);

/* Open a built tree; 0 on success. */
int btree_open(struct btree *t, struct bp_file *f);
/* 1 and *value if key is in the tree, else 0. */
int btree_find(struct btree *t, uint32_t key, uint32_t *value);

#endif
