/*
 * ld - the linker of the pmake workload. `ld -o OUTPUT DIR N`
 *
 * Reads the objects DIR/m000.o .. DIR/m<N-1>.o (obj.h), lays their code out
 * one after the other, resolves every call by name through a hash table of
 * all defined functions (checking the argument count against the
 * definition), and writes the executable. It prints the counts and a
 * checksum of the executable: the result of the whole build, the same
 * whatever the -j of pmake or the number of CPUs.
 */
#include "obj.h"
#include "wl.h"

static const char *prog = "ld";

struct object {
	unsigned char *data;
	uint32_t ncode, nsyms, nrelocs, nstrings;
	unsigned char *code, *syms, *relocs;
	const char *strings;
	uint32_t base;          /* where its code goes in the executable */
};

struct symbol {
	const char *name;       /* NULL: free slot */
	uint32_t addr, nparams;
};

static struct symbol *table;
static uint32_t table_mask;

static struct symbol *lookup(const char *name)
{
	uint32_t h = wl_hash(WL_HASH0, name, strlen(name));

	for (uint32_t i = h & table_mask;; i = (i + 1) & table_mask)
		if (!table[i].name || !strcmp(table[i].name, name))
			return &table[i];
}

static void load(struct object *o, const char *path)
{
	char *data;
	int n = wl_read_file(path, &data);

	if (n < 0)
		wl_die_errno(prog, path);
	o->data = (unsigned char *)data;
	if (n < OBJ_HEADER_WORDS * 4 || obj_get32(o->data) != OBJ_MAGIC)
		wl_die(prog, "not an object file");
	o->ncode = obj_get32(o->data + 4);
	o->nsyms = obj_get32(o->data + 8);
	o->nrelocs = obj_get32(o->data + 12);
	o->nstrings = obj_get32(o->data + 16);
	if (OBJ_HEADER_WORDS * 4 + o->ncode + 12 * (o->nsyms + o->nrelocs) +
	    o->nstrings != (uint32_t)n)
		wl_die(prog, "object file of the wrong size");
	o->code = o->data + OBJ_HEADER_WORDS * 4;
	o->syms = o->code + o->ncode;
	o->relocs = o->syms + 12 * o->nsyms;
	o->strings = (const char *)o->relocs + 12 * o->nrelocs;
}

int main(int argc, char **argv)
{
	if (argc != 5 || strcmp(argv[1], "-o") || atoi(argv[4]) <= 0)
		wl_die(prog, "usage: ld -o OUTPUT DIR N");
	const char *out = argv[2], *dir = argv[3];
	int nobj = atoi(argv[4]);
	struct object *objs = wl_malloc(prog, nobj * sizeof(*objs));
	uint32_t ncode = 0, nsyms = 0, nrelocs = 0;

	for (int i = 0; i < nobj; i++) {
		char path[128], name[16];
		obj_name(i, name);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		load(&objs[i], path);
		objs[i].base = ncode;
		ncode += objs[i].ncode;
		nsyms += objs[i].nsyms;
		nrelocs += objs[i].nrelocs;
	}

	/* Every defined function in a table at most half full. */
	uint32_t size = 16;
	while (size < 2 * nsyms)
		size *= 2;
	table = calloc(size, sizeof(*table));
	if (!table)
		wl_die(prog, "out of memory");
	table_mask = size - 1;
	for (int i = 0; i < nobj; i++) {
		struct object *o = &objs[i];
		for (uint32_t s = 0; s < o->nsyms; s++) {
			const unsigned char *e = o->syms + 12 * s;
			struct symbol *sym = lookup(o->strings + obj_get32(e));
			if (sym->name)
				wl_die(prog, "function defined twice");
			sym->name = o->strings + obj_get32(e);
			sym->addr = o->base + obj_get32(e + 4);
			sym->nparams = obj_get32(e + 8);
		}
	}

	/* The executable: header, code with every call resolved, then the
	   function table. */
	uint32_t bytes = 12 + ncode + 8 * nsyms;
	unsigned char *exe = wl_malloc(prog, bytes);
	obj_put32(exe, EXE_MAGIC);
	obj_put32(exe + 4, ncode);
	obj_put32(exe + 8, nsyms);
	unsigned char *code = exe + 12, *ftab = code + ncode;
	int undefined = 0, mismatched = 0;
	for (int i = 0; i < nobj; i++) {
		struct object *o = &objs[i];
		memcpy(code + o->base, o->code, o->ncode);
		for (uint32_t r = 0; r < o->nrelocs; r++) {
			const unsigned char *e = o->relocs + 12 * r;
			const char *name = o->strings + obj_get32(e + 4);
			struct symbol *sym = lookup(name);
			if (!sym->name) {
				fprintf(stderr, "ld: undefined: %s\n", name);
				undefined++;
				continue;
			}
			if (sym->nparams != obj_get32(e + 8)) {
				fprintf(stderr, "ld: %s: wrong argument count\n", name);
				mismatched++;
			}
			obj_put32(code + o->base + obj_get32(e), sym->addr);
		}
		for (uint32_t s = 0; s < o->nsyms; s++) {
			const unsigned char *e = o->syms + 12 * s;
			const char *name = o->strings + obj_get32(e);
			obj_put32(ftab, o->base + obj_get32(e + 4));
			obj_put32(ftab + 4, wl_hash(WL_HASH0, name, strlen(name)));
			ftab += 8;
		}
	}
	if (undefined || mismatched)
		wl_die(prog, "unresolved calls");
	if (wl_write_file(out, exe, bytes) < 0)
		wl_die_errno(prog, out);
	printf("ld: %d objects, %u functions, %u calls, %u bytes, "
	       "checksum %08x\n", nobj, nsyms, nrelocs, bytes,
	       wl_hash(WL_HASH0, exe, bytes));
	return 0;
}
