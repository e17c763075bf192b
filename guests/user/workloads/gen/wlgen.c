/*
 * wlgen - host tool: write the input files of the workloads into a
 * directory that mkfs turns into (part of) a disk image.
 *
 *   wlgen DIR [-p FILES] [-d ORDERS]...
 *
 * -p writes the pmake sources DIR/src/pmake/m000.t ... (FILES of them);
 * -d writes the database tables for that size into DIR/data/db<ORDERS>/
 * (repeat for several sizes). The same generators are linked into the
 * guest programs (pmake -g, database -g), which write the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srcgen.h"
#include "tables.h"

static const char *dir;

static void die(const char *what)
{
	fprintf(stderr, "wlgen: error: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path);
}

static void write_file(const char *path, const void *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, n, f) != n || fclose(f) != 0)
		die(path);
}

static void pmake_sources(int nfiles)
{
	static char text[SRCGEN_MAX_FILE_BYTES];
	char path[4096], name[16];

	snprintf(path, sizeof(path), "%s/src", dir);
	make_dir(path);
	snprintf(path, sizeof(path), "%s/src/pmake", dir);
	make_dir(path);
	for (int i = 0; i < nfiles; i++) {
		srcgen_name(i, name);
		snprintf(path, sizeof(path), "%s/src/pmake/%s", dir, name);
		write_file(path, text, srcgen_file(i, text));
	}
}

static void db_tables(int orders)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/data", dir);
	make_dir(path);
	snprintf(path, sizeof(path), "%s/data/db%d", dir, orders);
	make_dir(path);
	for (int t = 0; t < TBL_NTABLES; t++) {
		char file[4200];
		snprintf(file, sizeof(file), "%s/%s", path, tbl_file_name(t));
		FILE *f = fopen(file, "wb");
		if (!f)
			die(file);
		static unsigned char page[TBL_PAGE];
		struct tbl_gen g;
		tbl_gen_init(&g, t, orders);
		while (tbl_gen_page(&g, page))
			if (fwrite(page, 1, TBL_PAGE, f) != TBL_PAGE)
				die(file);
		if (fclose(f) != 0)
			die(file);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: wlgen DIR [-p FILES] [-d ORDERS]...\n");
		return 2;
	}
	dir = argv[1];
	make_dir(dir);
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc || atoi(argv[i + 1]) <= 0) {
			fprintf(stderr, "wlgen: error: %s: needs a number\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "-p"))
			pmake_sources(atoi(argv[++i]));
		else if (!strcmp(argv[i], "-d"))
			db_tables(atoi(argv[++i]));
		else {
			fprintf(stderr, "wlgen: error: %s: unknown option\n", argv[i]);
			return 2;
		}
	}
	return 0;
}
