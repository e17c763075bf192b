/*
 * db_bpool.c - the database's buffer pool (db.h): fixed frames, a hash
 * table from (file, page) to frame, and an LRU list for replacement.
 */
#include "db.h"
#include "wl.h"

static const char *prog = "database";

struct bp_stats bp_stats;

static struct bp_frame *frames;
static uint32_t nframes;
static struct bp_frame **hash;
static uint32_t hash_mask;
static struct bp_frame lru;       /* anchor: lru.newer is the oldest */
static int next_file_id;

static uint32_t slot(int id, uint32_t page)
{
	return wl_mix(page * 64 + id) & hash_mask;
}

static void lru_remove(struct bp_frame *fr)
{
	fr->older->newer = fr->newer;
	fr->newer->older = fr->older;
}

static void lru_push_newest(struct bp_frame *fr)
{
	fr->newer = &lru;
	fr->older = lru.older;
	lru.older->newer = fr;
	lru.older = fr;
}

void bp_init(uint32_t n)
{
	nframes = n;
	frames = wl_malloc(prog, n * sizeof(*frames));
	uint32_t size = 1;
	while (size < 2 * n)
		size *= 2;
	hash = calloc(size, sizeof(*hash));
	if (!hash)
		wl_die(prog, "out of memory");
	hash_mask = size - 1;
	lru.newer = lru.older = &lru;
	unsigned char *data = wl_malloc(prog, n * DB_PAGE);
	for (uint32_t i = 0; i < n; i++) {
		frames[i] = (struct bp_frame){ .data = data + i * DB_PAGE };
		lru_push_newest(&frames[i]);
	}
}

struct bp_file *bp_open(const char *path, int create)
{
	int fd = open(path, create ? O_RDWR | O_CREATE | O_TRUNC : O_RDWR);

	if (fd < 0)
		return NULL;
	int size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		close(fd);
		return NULL;
	}
	struct bp_file *f = wl_malloc(prog, sizeof(*f));
	f->fd = fd;
	f->id = next_file_id++;
	f->npages = size / DB_PAGE;
	return f;
}

static void write_back(struct bp_frame *fr)
{
	if (lseek(fr->file->fd, fr->page * DB_PAGE, SEEK_SET) < 0 ||
	    wl_write_all(fr->file->fd, fr->data, DB_PAGE) != DB_PAGE)
		wl_die_errno(prog, "page write");
	fr->dirty = 0;
	bp_stats.writes++;
}

static void unhash(struct bp_frame *fr)
{
	struct bp_frame **p = &hash[slot(fr->file->id, fr->page)];

	while (*p != fr)
		p = &(*p)->hnext;
	*p = fr->hnext;
	fr->file = NULL;
}

/* The least recently used unpinned frame, emptied. */
static struct bp_frame *victim(void)
{
	struct bp_frame *fr = lru.newer;

	while (fr != &lru && fr->pins)
		fr = fr->newer;
	if (fr == &lru)
		wl_die(prog, "buffer pool: every frame is pinned");
	if (fr->file) {
		if (fr->dirty)
			write_back(fr);
		unhash(fr);
		bp_stats.evictions++;
	}
	return fr;
}

static struct bp_frame *install(struct bp_file *f, uint32_t page)
{
	struct bp_frame *fr = victim();
	uint32_t h = slot(f->id, page);

	fr->file = f;
	fr->page = page;
	fr->pins = 1;
	fr->dirty = 0;
	fr->hnext = hash[h];
	hash[h] = fr;
	lru_remove(fr);
	lru_push_newest(fr);
	return fr;
}

struct bp_frame *bp_get(struct bp_file *f, uint32_t page)
{
	for (struct bp_frame *fr = hash[slot(f->id, page)]; fr; fr = fr->hnext)
		if (fr->file == f && fr->page == page) {
			bp_stats.hits++;
			fr->pins++;
			lru_remove(fr);
			lru_push_newest(fr);
			return fr;
		}
	if (page >= f->npages)
		wl_die(prog, "read past the end of a table or index");
	bp_stats.misses++;
	struct bp_frame *fr = install(f, page);
	if (lseek(f->fd, page * DB_PAGE, SEEK_SET) < 0 ||
	    wl_read_all(f->fd, fr->data, DB_PAGE) != DB_PAGE)
		wl_die_errno(prog, "page read");
	bp_stats.reads++;
	return fr;
}

struct bp_frame *bp_new(struct bp_file *f)
{
	struct bp_frame *fr = install(f, f->npages++);

	memset(fr->data, 0, DB_PAGE);
	fr->dirty = 1;
	return fr;
}

void bp_unpin(struct bp_frame *fr)
{
	fr->pins--;
}

void bp_flush(struct bp_file *f)
{
	for (uint32_t i = 0; i < nframes; i++)
		if (frames[i].file == f && frames[i].dirty)
			write_back(&frames[i]);
}

void bp_close(struct bp_file *f)
{
	bp_flush(f);
	for (uint32_t i = 0; i < nframes; i++)
		if (frames[i].file == f)
			unhash(&frames[i]);
	close(f->fd);
	free(f);
}

void bp_drop_all(void)
{
	for (uint32_t i = 0; i < nframes; i++)
		if (frames[i].file) {
			if (frames[i].dirty || frames[i].pins)
				wl_die(prog, "bp_drop_all: page in use");
			unhash(&frames[i]);
		}
	memset(&bp_stats, 0, sizeof(bp_stats));
}
