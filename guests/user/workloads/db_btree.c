/*
 * db_btree.c - B-tree indexes in buffer-pool pages (db.h).
 *
 * Page 0 of the index file describes the tree; every other page is a
 * node. A leaf holds sorted (key, value) pairs and the number of the next
 * leaf; an internal node holds (smallest key below, child page) pairs. The
 * indexes of a decision-support database are built once and then only
 * read, so they are bulk-loaded from sorted keys, full leaves first, then
 * each level above from the first keys of the level below.
 */
#include "db.h"
#include "wl.h"

static const char *prog = "database";

#define BT_MAGIC 0x45455242u      /* "BREE" */

struct bt_meta {
	uint32_t magic, root, levels, nkeys;
};

struct bt_node {
	uint32_t leaf, n, next;
	uint32_t e[][2];               /* (key, value or child page) */
};

#define BT_FANOUT ((DB_PAGE - 12) / 8)

struct btree_builder {
	struct bp_file *file;
	struct bp_frame *leaf;         /* the leaf being filled */
	uint32_t nkeys;
	uint32_t (*level)[2];          /* (first key, page) of each leaf */
	uint32_t nlevel, cap;
};

static void note_node(struct btree_builder *b, uint32_t key, uint32_t page)
{
	if (b->nlevel == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->level = realloc(b->level, b->cap * sizeof(*b->level));
		if (!b->level)
			wl_die(prog, "out of memory");
	}
	b->level[b->nlevel][0] = key;
	b->level[b->nlevel][1] = page;
	b->nlevel++;
}

struct btree_builder *btree_build_begin(struct bp_file *f)
{
	struct btree_builder *b = wl_malloc(prog, sizeof(*b));

	memset(b, 0, sizeof(*b));
	b->file = f;
	struct bp_frame *meta = bp_new(f);   /* page 0, filled in at the end */
	bp_unpin(meta);
	return b;
}

void btree_build_add(struct btree_builder *b, uint32_t key, uint32_t value)
{
	struct bt_node *n = b->leaf ? (struct bt_node *)b->leaf->data : NULL;

	if (n && b->nkeys && key <= n->e[n->n - 1][0])
		wl_die(prog, "btree: keys out of order");
	if (!n || n->n == BT_FANOUT) {
		struct bp_frame *fr = bp_new(b->file);
		if (b->leaf) {
			n->next = fr->page;
			bp_unpin(b->leaf);
		}
		b->leaf = fr;
		n = (struct bt_node *)fr->data;
		n->leaf = 1;
		note_node(b, key, fr->page);
	}
	n->e[n->n][0] = key;
	n->e[n->n][1] = value;
	n->n++;
	b->nkeys++;
}

void btree_build_end(struct btree_builder *b)
{
	uint32_t levels = 1;

	if (b->leaf)
		bp_unpin(b->leaf);
	else
		note_node(b, 0, 0);            /* empty tree: no root */
	/* Levels above the leaves until one node is left: the root. */
	while (b->nlevel > 1) {
		uint32_t (*below)[2] = b->level, nbelow = b->nlevel;
		b->level = NULL;
		b->nlevel = b->cap = 0;
		for (uint32_t i = 0; i < nbelow; i += BT_FANOUT) {
			struct bp_frame *fr = bp_new(b->file);
			struct bt_node *n = (struct bt_node *)fr->data;
			for (uint32_t k = i; k < nbelow && k < i + BT_FANOUT; k++) {
				n->e[n->n][0] = below[k][0];
				n->e[n->n][1] = below[k][1];
				n->n++;
			}
			note_node(b, below[i][0], fr->page);
			bp_unpin(fr);
		}
		free(below);
		levels++;
	}
	struct bp_frame *meta = bp_get(b->file, 0);
	struct bt_meta *m = (struct bt_meta *)meta->data;
	m->magic = BT_MAGIC;
	m->root = b->level[0][1];
	m->levels = levels;
	m->nkeys = b->nkeys;
	meta->dirty = 1;
	bp_unpin(meta);
	bp_flush(b->file);
	free(b->level);
	free(b);
}

int btree_open(struct btree *t, struct bp_file *f)
{
	if (f->npages == 0)
		return -1;
	struct bp_frame *meta = bp_get(f, 0);
	struct bt_meta *m = (struct bt_meta *)meta->data;
	int ok = m->magic == BT_MAGIC;

	t->file = f;
	t->root = m->root;
	t->levels = m->levels;
	t->nkeys = m->nkeys;
	bp_unpin(meta);
	return ok ? 0 : -1;
}

/* Index of the last entry whose key is <= key, or -1. */
static int search(const struct bt_node *n, uint32_t key)
{
	int lo = 0, hi = n->n - 1, found = -1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (n->e[mid][0] <= key) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

int btree_find(struct btree *t, uint32_t key, uint32_t *value)
{
	if (t->nkeys == 0)
		return 0;
	uint32_t page = t->root;
	for (;;) {
		struct bp_frame *fr = bp_get(t->file, page);
		const struct bt_node *n = (const struct bt_node *)fr->data;
		int i = search(n, key);
		if (n->leaf) {
			int hit = i >= 0 && n->e[i][0] == key;
			if (hit)
				*value = n->e[i][1];
			bp_unpin(fr);
			return hit;
		}
		if (i < 0) {
			bp_unpin(fr);
			return 0;
		}
		page = n->e[i][1];
		bp_unpin(fr);
	}
}
