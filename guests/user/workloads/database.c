/*
 * database - the paper's Database workload (Table 1: "Sybase, decision-
 * support query; single memory-intensive process").
 *
 *   database [-s small|medium|large|ORDERS] [-g]
 *
 * Tables customer, orders and lineitem (gen/tables.h) live in files under
 * /data/db<ORDERS>/, written into the image by gen/wlgen or by -g here.
 * The first run also bulk-loads two B-tree indexes next to them (orders by
 * key, and the first line item of each order). Then, from a cold buffer
 * pool of 8 MB, it runs a stream of four queries after TPC-H once to warm
 * the pool up, then PASSES times measured (between mark 1 and mark 2; the
 * results must not change), and prints the results once:
 *   Q1  pricing summary: a scan of lineitem with a predicate, grouped sums
 *   Q6  revenue forecast: a scan with a range predicate, one sum
 *   Q3  shipping priority: a hash join of customer, orders and lineitem,
 *       grouped by order, top 10 by revenue
 *   QI  index lookups: random order keys through both B-trees, fetching
 *       each order and its line items
 * and the buffer pool's counts. Everything goes through the buffer pool.
 * At the medium size (7 MB of tables and indexes) the data is in the pool
 * after the first stream, and the measured ones make it a memory-intensive
 * user process, as the paper's (Figure 5: ~86% user time natively); at the
 * large size (14 MB) scans keep evicting pages and it stays I/O-bound.
 */
#include "db.h"
#include "gen/tables.h"
#include "wl.h"

static const char *prog = "database";
static const struct wl_sizes sizes = { 5000, 25000, 50000 };

#define POOL_PAGES 2048            /* 8 MB */
#define PASSES 6                   /* measured query streams, after one
					      that warms the pool up */

/* Q1's cutoff: 1998-09-02; Q6's year: 1994; Q3's date: 1995-03-15. */
#define Q1_SHIPDATE 2436
#define Q6_FROM 731
#define Q6_TO 1096
#define Q3_DATE 1169
#define Q3_SEGMENT 1               /* BUILDING */

static struct bp_file *tables[TBL_NTABLES];
static struct btree orders_pk, lineitem_by_order;
static char dir[64];
static int verbose;               /* print the results (first pass only) */

/* A record id: page and slot. */
#define RID(page, slot) ((page) << 7 | (slot))
#define RID_PAGE(rid) ((rid) >> 7)
#define RID_SLOT(rid) ((rid) & 127)

static const void *record(struct bp_frame *fr, int table, uint32_t slot)
{
	return fr->data + TBL_HEADER + slot * tbl_record_size(table);
}

static uint32_t nrecords(struct bp_frame *fr)
{
	return ((const struct tbl_page_header *)fr->data)->nrecords;
}

static void path_of(char *out, int size, const char *file)
{
	snprintf(out, size, "%s/%s", dir, file);
}

/* ---- Setup: tables (-g) and indexes, outside the measured phase ---- */

static void generate(uint32_t orders)
{
	unsigned char *page = wl_malloc(prog, TBL_PAGE);

	mkdir("/data");
	mkdir(dir);
	for (int t = 0; t < TBL_NTABLES; t++) {
		char path[96];
		path_of(path, sizeof(path), tbl_file_name(t));
		int fd = open(path, O_WRONLY | O_CREATE | O_TRUNC);
		if (fd < 0)
			wl_die_errno(prog, path);
		struct tbl_gen g;
		tbl_gen_init(&g, t, orders);
		while (tbl_gen_page(&g, page))
			if (wl_write_all(fd, page, TBL_PAGE) < 0)
				wl_die_errno(prog, path);
		close(fd);
	}
	free(page);
}

static struct bp_file *open_index(const char *name, struct btree *t)
{
	char path[96];
	path_of(path, sizeof(path), name);
	struct bp_file *f = bp_open(path, 0);

	if (f && btree_open(t, f) == 0)
		return f;
	if (f)
		bp_close(f);
	return NULL;
}

/* Build both indexes in one scan of each table, in key order. */
static void build_indexes(void)
{
	char path[96];

	path_of(path, sizeof(path), "orders.idx");
	struct bp_file *fo = bp_open(path, 1);
	path_of(path, sizeof(path), "lineitem.idx");
	struct bp_file *fl = bp_open(path, 1);
	if (!fo || !fl)
		wl_die_errno(prog, path);

	struct btree_builder *b = btree_build_begin(fo);
	for (uint32_t p = 0; p < tables[TBL_ORDERS]->npages; p++) {
		struct bp_frame *fr = bp_get(tables[TBL_ORDERS], p);
		for (uint32_t s = 0; s < nrecords(fr); s++) {
			const struct order *o = record(fr, TBL_ORDERS, s);
			btree_build_add(b, o->orderkey, RID(p, s));
		}
		bp_unpin(fr);
	}
	btree_build_end(b);

	b = btree_build_begin(fl);
	uint32_t last = 0;
	for (uint32_t p = 0; p < tables[TBL_LINEITEM]->npages; p++) {
		struct bp_frame *fr = bp_get(tables[TBL_LINEITEM], p);
		for (uint32_t s = 0; s < nrecords(fr); s++) {
			const struct lineitem *l = record(fr, TBL_LINEITEM, s);
			if (l->orderkey != last)
				btree_build_add(b, l->orderkey, RID(p, s));
			last = l->orderkey;
		}
		bp_unpin(fr);
	}
	btree_build_end(b);
	bp_close(fo);
	bp_close(fl);
}

static void open_all(void)
{
	for (int t = 0; t < TBL_NTABLES; t++) {
		char path[96];
		path_of(path, sizeof(path), tbl_file_name(t));
		if (!(tables[t] = bp_open(path, 0))) {
			fprintf(stderr, "%s: error: %s: no table (run database -g, "
				"or build the image with gen/wlgen)\n", prog, path);
			exit(2);
		}
	}
	if (!open_index("orders.idx", &orders_pk) ||
	    !open_index("lineitem.idx", &lineitem_by_order)) {
		build_indexes();
		if (!open_index("orders.idx", &orders_pk) ||
		    !open_index("lineitem.idx", &lineitem_by_order))
			wl_die(prog, "cannot open the indexes just built");
	}
}

/* ---- Queries ---- */

/* Apply fn to every line item, page by page through the pool. */
static void scan_lineitem(void (*fn)(const struct lineitem *, void *), void *arg)
{
	struct bp_file *f = tables[TBL_LINEITEM];

	for (uint32_t p = 0; p < f->npages; p++) {
		struct bp_frame *fr = bp_get(f, p);
		for (uint32_t s = 0, n = nrecords(fr); s < n; s++)
			fn(record(fr, TBL_LINEITEM, s), arg);
		bp_unpin(fr);
	}
}

static uint64_t disc_price(const struct lineitem *l)
{
	return (uint64_t)l->extprice * (100 - l->discount) / 100;
}

struct q1_group {
	uint64_t qty, base, disc, charge;
	uint32_t count;
};

static void q1_row(const struct lineitem *l, void *arg)
{
	struct q1_group *g = arg;

	if (l->shipdate > Q1_SHIPDATE)
		return;
	/* Groups by (returnflag, linestatus): A/N/R x F/O. */
	int rf = l->returnflag == 'A' ? 0 : l->returnflag == 'N' ? 1 : 2;
	g += rf * 2 + (l->linestatus == 'O');
	g->qty += l->quantity;
	g->base += l->extprice;
	g->disc += disc_price(l);
	g->charge += disc_price(l) * (100 + l->tax) / 100;
	g->count++;
}

static uint32_t q1(void)
{
	struct q1_group g[6];
	uint32_t hash = WL_HASH0;

	memset(g, 0, sizeof(g));
	scan_lineitem(q1_row, g);
	for (int i = 0; i < 6; i++) {
		if (!g[i].count)
			continue;
		if (verbose)
			printf("database: q1 %c%c: %u rows, qty %llu, base %llu, "
		       "disc %llu, charge %llu\n", "ANR"[i / 2], "FO"[i % 2],
		       g[i].count, (unsigned long long)g[i].qty,
		       (unsigned long long)g[i].base,
		       (unsigned long long)g[i].disc,
		       (unsigned long long)g[i].charge);
		uint64_t v[5] = { g[i].qty, g[i].base, g[i].disc, g[i].charge,
				  g[i].count };
		hash = wl_hash(hash, v, sizeof(v));
	}
	return hash;
}

struct q6_sum {
	uint64_t revenue;
	uint32_t rows;
};

static void q6_row(const struct lineitem *l, void *arg)
{
	struct q6_sum *q = arg;

	if (l->shipdate >= Q6_FROM && l->shipdate < Q6_TO &&
	    l->discount >= 5 && l->discount <= 7 && l->quantity < 24) {
		q->revenue += (uint64_t)l->extprice * l->discount;
		q->rows++;
	}
}

static uint32_t q6(void)
{
	struct q6_sum q = { 0, 0 };

	scan_lineitem(q6_row, &q);
	if (verbose)
		printf("database: q6: %u rows, revenue %llu\n", q.rows,
	       (unsigned long long)q.revenue);
	uint64_t v[2] = { q.revenue, q.rows };
	return wl_hash(WL_HASH0, v, sizeof(v));
}

/* Q3's hash table: qualifying orders by key, with their revenue. */
struct q3_entry {
	uint32_t orderkey;             /* 0: empty */
	uint16_t orderdate;
	uint8_t priority, pad;
	uint64_t revenue;
};

struct q3_table {
	struct q3_entry *e;
	uint32_t mask;
};

static struct q3_entry *q3_slot(struct q3_table *t, uint32_t key)
{
	uint32_t i = wl_mix(key) & t->mask;

	while (t->e[i].orderkey && t->e[i].orderkey != key)
		i = (i + 1) & t->mask;
	return &t->e[i];
}

static void q3_row(const struct lineitem *l, void *arg)
{
	if (l->shipdate <= Q3_DATE)
		return;
	struct q3_entry *e = q3_slot(arg, l->orderkey);
	if (e->orderkey)
		e->revenue += disc_price(l);
}

/* Does a rank before b: more revenue, then earlier date, then key. */
static int q3_before(const struct q3_entry *a, const struct q3_entry *b)
{
	if (a->revenue != b->revenue)
		return a->revenue > b->revenue;
	if (a->orderdate != b->orderdate)
		return a->orderdate < b->orderdate;
	return a->orderkey < b->orderkey;
}

static uint32_t q3(void)
{
	uint32_t ncust = tables[TBL_CUSTOMER]->npages *
			 tbl_per_page(TBL_CUSTOMER);
	uint8_t *building = calloc(ncust + 2, 1);
	struct q3_table t;
	uint32_t size = 1, norders = 0;

	if (!building)
		wl_die(prog, "out of memory");
	/* Build: customers in the segment, then their early orders. */
	struct bp_file *f = tables[TBL_CUSTOMER];
	for (uint32_t p = 0; p < f->npages; p++) {
		struct bp_frame *fr = bp_get(f, p);
		for (uint32_t s = 0; s < nrecords(fr); s++) {
			const struct customer *c = record(fr, TBL_CUSTOMER, s);
			if (c->segment == Q3_SEGMENT && c->custkey <= ncust + 1)
				building[c->custkey] = 1;
		}
		bp_unpin(fr);
	}
	f = tables[TBL_ORDERS];
	while (size < f->npages * tbl_per_page(TBL_ORDERS))
		size *= 2;
	t.e = calloc(size, sizeof(*t.e));
	if (!t.e)
		wl_die(prog, "out of memory");
	t.mask = size - 1;
	for (uint32_t p = 0; p < f->npages; p++) {
		struct bp_frame *fr = bp_get(f, p);
		for (uint32_t s = 0; s < nrecords(fr); s++) {
			const struct order *o = record(fr, TBL_ORDERS, s);
			if (o->orderdate >= Q3_DATE || o->custkey > ncust + 1 ||
			    !building[o->custkey])
				continue;
			struct q3_entry *e = q3_slot(&t, o->orderkey);
			e->orderkey = o->orderkey;
			e->orderdate = o->orderdate;
			e->priority = o->priority;
			e->revenue = 0;
			norders++;
		}
		bp_unpin(fr);
	}
	/* Probe with every late-shipped line item. */
	scan_lineitem(q3_row, &t);

	/* Top 10 by insertion into a short sorted list. */
	struct q3_entry top[10];
	uint32_t ntop = 0, groups = 0;
	for (uint32_t i = 0; i < size; i++) {
		struct q3_entry *e = &t.e[i];
		if (!e->orderkey || !e->revenue)
			continue;
		groups++;
		uint32_t k = ntop < 10 ? ntop++ : 10;
		while (k > 0 && q3_before(e, &top[k - 1])) {
			if (k < 10)
				top[k] = top[k - 1];
			k--;
		}
		if (k < 10)
			top[k] = *e;
	}
	uint32_t hash = WL_HASH0;
	for (uint32_t i = 0; i < ntop; i++) {
		hash = wl_hash32(hash, top[i].orderkey);
		hash = wl_hash32(hash, (uint32_t)top[i].revenue);
		hash = wl_hash32(hash, top[i].orderdate);
	}
	if (verbose)
		printf("database: q3: %u orders joined, %u groups, first %u revenue "
	       "%llu, top-10 checksum %08x\n", norders, groups,
	       ntop ? top[0].orderkey : 0,
	       ntop ? (unsigned long long)top[0].revenue : 0ull, hash);
	free(t.e);
	free(building);
	return hash;
}

/* QI: look random order keys up; one in four is not a key (keys are
   4i+1) and misses in the index. */
static uint32_t qi(uint32_t lookups, uint32_t orders)
{
	uint32_t r = 0xDB5EED, found = 0, lines = 0;
	uint64_t price = 0, qty = 0;

	for (uint32_t i = 0; i < lookups; i++) {
		uint32_t key = 4 * wl_randn(&r, orders) + (i % 4 ? 1 : 2), rid;
		if (!btree_find(&orders_pk, key, &rid))
			continue;
		found++;
		struct bp_frame *fr = bp_get(tables[TBL_ORDERS], RID_PAGE(rid));
		const struct order *o = record(fr, TBL_ORDERS, RID_SLOT(rid));
		if (o->orderkey != key)
			wl_die(prog, "orders index points to the wrong order");
		price += o->totalprice;
		bp_unpin(fr);
		if (!btree_find(&lineitem_by_order, key, &rid))
			wl_die(prog, "an order without line items");
		/* The order's line items follow each other, maybe across
		   a page boundary. */
		for (uint32_t p = RID_PAGE(rid), s = RID_SLOT(rid);; p++, s = 0) {
			if (p >= tables[TBL_LINEITEM]->npages)
				break;
			fr = bp_get(tables[TBL_LINEITEM], p);
			uint32_t n = nrecords(fr);
			for (; s < n; s++) {
				const struct lineitem *l = record(fr, TBL_LINEITEM, s);
				if (l->orderkey != key)
					break;
				qty += l->quantity;
				lines++;
			}
			bp_unpin(fr);
			if (s < n)
				break;
		}
	}
	if (verbose)
		printf("database: qi: %u lookups, %u found, %u line items, "
	       "price %llu, quantity %llu\n", lookups, found, lines,
	       (unsigned long long)price, (unsigned long long)qty);
	uint32_t v[4] = { found, lines, (uint32_t)price, (uint32_t)qty };
	return wl_hash(WL_HASH0, v, sizeof(v));
}

int main(int argc, char **argv)
{
	struct wl_args args;

	wl_getargs(argc, argv, "[-s small|medium|large|ORDERS] [-g]", &sizes,
		   sizes.medium, &args);
	uint32_t orders = args.size;
	if (orders > 4000000)
		wl_die(prog, "at most 4000000 orders");
	snprintf(dir, sizeof(dir), "/data/db%u", orders);
	if (args.generate)
		generate(orders);
	bp_init(POOL_PAGES);
	open_all();
	bp_drop_all();     /* every run starts from a cold pool */

	/* The first stream warms the pool up (the tables come from disk);
	   the measured streams then run on a warm database, as the paper's
	   decision-support query on Sybase. */
	uint32_t hash = 0;
	for (int pass = 0; pass <= PASSES; pass++) {
		if (pass == 1)
			mark(WL_MARK_START);
		verbose = pass == 0;
		uint32_t h = q1();
		h = wl_hash32(h, q6());
		h = wl_hash32(h, q3());
		h = wl_hash32(h, qi(orders / 2, orders));
		if (pass > 0 && h != hash)
			wl_die(prog, "a query stream gave other results than the first");
		hash = h;
	}
	mark(WL_MARK_END);

	printf("database: %u orders, %u line item pages, %d query streams, "
	       "pool %u pages: %u hits, %u misses, %u evictions\n", orders,
	       tables[TBL_LINEITEM]->npages, PASSES + 1, POOL_PAGES, bp_stats.hits,
	       bp_stats.misses, bp_stats.evictions);
	printf("database: checksum %08x\n", hash);
	return 0;
}
