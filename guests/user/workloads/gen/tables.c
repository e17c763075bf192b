/*
 * tables.c - generate the database tables (tables.h). Every field is a
 * hash of the record's number, so any record can be made on its own and
 * host and guest agree byte for byte.
 */
#include "tables.h"

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x;
}

/* The r-th random draw for item i of a stream. */
static uint32_t draw(uint32_t stream, uint32_t i, uint32_t r)
{
	return mix(mix(stream * 0x9E3779B9u + i) + r * 0x7F4A7C15u);
}

static void zero(void *p, uint32_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = 0;
}

/* Text fields: a prefix and a number, or words, NUL-padded. */
static void text_number(char *out, int size, const char *prefix, uint32_t v)
{
	int n = 0;

	while (*prefix && n < size)
		out[n++] = *prefix++;
	char digits[10];
	for (int d = 9; d >= 0; d--, v /= 10)
		digits[d] = '0' + v % 10;
	for (int d = 0; d < 10 && n < size; d++)
		out[n++] = digits[d];
}

static void text_words(char *out, int size, uint32_t seed)
{
	static const char *const words[] = {
		"carefully", "final", "deposits", "furiously", "regular",
		"accounts", "quickly", "ironic", "requests", "packages",
		"slyly", "express", "pending", "blithely", "bold", "even",
	};
	int n = 0;

	for (uint32_t w = 0; n < size - 1; w++) {
		const char *s = words[draw(7, seed, w) % 16];
		if (n)
			out[n++] = ' ';
		while (*s && n < size - 1)
			out[n++] = *s++;
	}
}

const char *tbl_file_name(int table)
{
	static const char *const names[] = {
		"customer.tbl", "orders.tbl", "lineitem.tbl",
	};
	return names[table];
}

uint32_t tbl_record_size(int table)
{
	return table == TBL_LINEITEM ? sizeof(struct lineitem)
		: table == TBL_ORDERS ? sizeof(struct order)
		: sizeof(struct customer);
}

uint32_t tbl_per_page(int table)
{
	return (TBL_PAGE - TBL_HEADER) / tbl_record_size(table);
}

uint32_t tbl_customers(uint32_t orders)
{
	return orders / 10 + 1;
}

uint32_t tbl_parts(uint32_t orders)
{
	return orders * 2 / 15 + 1;
}

static uint32_t lines_of(uint32_t order)
{
	return 1 + draw(1, order, 0) % 7;
}

static uint32_t order_date(uint32_t order)
{
	return draw(2, order, 0) % (TBL_LAST_DATE - 151);
}

static void make_customer(uint32_t i, struct customer *c)
{
	zero(c, sizeof(*c));
	c->custkey = i + 1;
	c->acctbal = (int32_t)(draw(3, i, 0) % 1099999) - 99999;
	c->nation = draw(3, i, 1) % 25;
	c->segment = draw(3, i, 2) % 5;
	text_number(c->name, sizeof(c->name), "Customer#", i + 1);
}

static void make_lineitem(uint32_t orders, uint32_t o, uint32_t j,
			  struct lineitem *l)
{
	uint32_t parts = tbl_parts(orders), date = order_date(o);

	zero(l, sizeof(*l));
	l->orderkey = 4 * o + 1;
	l->partkey = 1 + draw(4, o * 8 + j, 0) % parts;
	l->suppkey = 1 + (l->partkey + j * (parts / 4 + 1)) % (parts / 20 + 1);
	l->linenumber = j + 1;
	l->quantity = 1 + draw(4, o * 8 + j, 1) % 50;
	uint32_t retail = 90000 + (l->partkey / 10) % 20001 +
			  100 * (l->partkey % 1000);
	l->extprice = l->quantity * retail;
	l->discount = draw(4, o * 8 + j, 2) % 11;
	l->tax = draw(4, o * 8 + j, 3) % 9;
	l->shipdate = date + 1 + draw(4, o * 8 + j, 4) % 121;
	l->commitdate = date + 30 + draw(4, o * 8 + j, 5) % 61;
	l->receiptdate = l->shipdate + 1 + draw(4, o * 8 + j, 6) % 30;
	l->returnflag = l->receiptdate <= TBL_CURRENT_DATE
		? (draw(4, o * 8 + j, 7) & 1 ? 'R' : 'A') : 'N';
	l->linestatus = l->shipdate > TBL_CURRENT_DATE ? 'O' : 'F';
	text_words(l->comment, sizeof(l->comment), o * 8 + j);
}

static void make_order(uint32_t orders, uint32_t i, struct order *o)
{
	uint32_t total = 0, open = 0, n = lines_of(i);

	zero(o, sizeof(*o));
	for (uint32_t j = 0; j < n; j++) {
		struct lineitem l;
		make_lineitem(orders, i, j, &l);
		total += l.extprice / 100 * (100 - l.discount) / 100 *
			 (100 + l.tax);
		open += l.linestatus == 'O';
	}
	o->orderkey = 4 * i + 1;
	o->custkey = 1 + draw(5, i, 0) % tbl_customers(orders);
	o->totalprice = total;
	o->orderdate = order_date(i);
	o->priority = 1 + draw(5, i, 1) % 5;
	o->status = open == n ? 'O' : open == 0 ? 'F' : 'P';
	text_number(o->clerk, sizeof(o->clerk), "Clerk#", 1 + draw(5, i, 2) % 1000);
}

void tbl_gen_init(struct tbl_gen *g, int table, uint32_t orders)
{
	g->table = table;
	g->orders = orders;
	g->next = 0;
	g->line = 0;
}

int tbl_gen_page(struct tbl_gen *g, unsigned char page[TBL_PAGE])
{
	uint32_t limit = g->table == TBL_CUSTOMER ? tbl_customers(g->orders)
						  : g->orders;
	uint32_t per = tbl_per_page(g->table), n = 0;

	if (g->next >= limit)
		return 0;
	zero(page, TBL_PAGE);
	for (; n < per && g->next < limit; n++) {
		void *rec = page + TBL_HEADER + n * tbl_record_size(g->table);
		if (g->table == TBL_CUSTOMER) {
			make_customer(g->next++, rec);
		} else if (g->table == TBL_ORDERS) {
			make_order(g->orders, g->next++, rec);
		} else {
			make_lineitem(g->orders, g->next, g->line, rec);
			if (++g->line == lines_of(g->next)) {
				g->line = 0;
				g->next++;
			}
		}
	}
	struct tbl_page_header *h = (struct tbl_page_header *)page;
	h->nrecords = n;
	h->table = g->table;
	return 1;
}
