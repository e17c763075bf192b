/*
 * tables.h - the database workload's tables, generated.
 *
 * A decision-support schema after TPC-H (the paper's Database workload is
 * a Sybase decision-support query, Table 1): customer, orders, lineitem,
 * sized by the number of orders. Each table file is a sequence of 4 KB
 * pages: a header (record count, table number) and fixed-size records.
 * Records are plain structs of fixed-width fields without padding, the
 * same bytes on the host (wlgen) and the guest (database -g), both
 * little-endian.
 *
 * Dates are days since 1992-01-01. Money is in cents. Orders' keys are
 * sparse (4i+1, as TPC-H's), so index lookups also miss. Each order has 1
 * to 7 line items, stored in order-key order right after each other.
 *
 * Shared by host and guest code: plain C, no library calls.
 */
#ifndef TABLES_H
#define TABLES_H

#include <stdint.h>

#define TBL_PAGE 4096
#define TBL_HEADER 8
#define TBL_CURRENT_DATE 1263   /* 1995-06-17, TPC-H's "current date" */
#define TBL_LAST_DATE 2556      /* 1998-12-31 */

enum { TBL_CUSTOMER, TBL_ORDERS, TBL_LINEITEM, TBL_NTABLES };

struct tbl_page_header {
	uint32_t nrecords;
	uint32_t table;
};

struct customer {
	uint32_t custkey;
	int32_t acctbal;
	uint8_t nation;         /* 0..24 */
	uint8_t segment;        /* 0..4: AUTOMOBILE BUILDING FURNITURE ... */
	uint16_t pad;
	char name[20];
};

struct order {
	uint32_t orderkey;
	uint32_t custkey;
	uint32_t totalprice;
	uint16_t orderdate;
	uint8_t priority;       /* 1..5 */
	uint8_t status;         /* 'O' open, 'F' finished, 'P' partly */
	char clerk[16];
};

struct lineitem {
	uint32_t orderkey;
	uint32_t partkey;
	uint32_t suppkey;
	uint32_t extprice;
	uint16_t shipdate, commitdate, receiptdate;
	uint8_t linenumber, quantity, discount, tax, returnflag, linestatus;
	char comment[36];
};

_Static_assert(sizeof(struct customer) == 32, "customer record");
_Static_assert(sizeof(struct order) == 32, "order record");
_Static_assert(sizeof(struct lineitem) == 64, "lineitem record");

/* "lineitem.tbl" and so on. */
const char *tbl_file_name(int table);
uint32_t tbl_record_size(int table);
uint32_t tbl_per_page(int table);

/* Sizes derived from the number of orders. */
uint32_t tbl_customers(uint32_t orders);
uint32_t tbl_parts(uint32_t orders);

/* Streaming generation: init, then tbl_gen_page() fills one page at a
   time and returns 0 once the table is complete. */
struct tbl_gen {
	int table;
	uint32_t orders;
	uint32_t next;          /* next customer or order */
	uint32_t line;          /* next line item of order `next` */
};
void tbl_gen_init(struct tbl_gen *g, int table, uint32_t orders);
int tbl_gen_page(struct tbl_gen *g, unsigned char page[TBL_PAGE]);

#endif
