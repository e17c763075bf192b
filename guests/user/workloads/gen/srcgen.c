/*
 * srcgen.c - generate pmake's toy-language sources (srcgen.h).
 *
 * Each file holds a comment block and 12 to 23 functions of straight-line
 * code, ifs and loops over its parameters and locals, with calls to
 * functions of earlier files (the cross-file references the linker
 * resolves). Sizes come out at 8 to 20 KB, like the C files of a small
 * program.
 */
#include <stdint.h>

#include "srcgen.h"

struct out {
	char *p;
	int len;
};

static void put(struct out *o, const char *s)
{
	while (*s && o->len < SRCGEN_MAX_FILE_BYTES - 1)
		o->p[o->len++] = *s++;
}

static void putn(struct out *o, uint32_t v)
{
	char d[12];
	int n = 0;

	do {
		d[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	char s[12];
	for (int i = 0; i < n; i++)
		s[i] = d[n - 1 - i];
	s[n] = '\0';
	put(o, s);
}

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x;
}

static uint32_t rnd(uint32_t *s, uint32_t n)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x % n;
}

/* Shape of every function, known to every file that calls it. */
static int nfuncs(int file)
{
	return 12 + mix(file * 7919u + 1) % 12;
}

static int nparams(int file, int func)
{
	return 1 + mix(file * 64u + func + 100003u) % 3;
}

static void func_name(struct out *o, int file, int func)
{
	put(o, "f");
	putn(o, file);
	put(o, "_");
	putn(o, func);
}

struct fn {
	int file, func, params, locals;
	uint32_t seed;
};

static void expr(struct out *o, struct fn *f, int depth);

static void operand(struct out *o, struct fn *f, int depth)
{
	uint32_t r = rnd(&f->seed, 10);

	if (r < 3 || depth > 1) {
		if (rnd(&f->seed, 2) && f->locals > 0) {
			put(o, "v");
			putn(o, rnd(&f->seed, f->locals));
		} else {
			put(o, "p");
			putn(o, rnd(&f->seed, f->params));
		}
	} else if (r < 5) {
		putn(o, rnd(&f->seed, 1000));
	} else if (r < 7 && (f->file > 0 || f->func > 0)) {
		/* A call to an earlier function: this file or a previous one. */
		int file = rnd(&f->seed, f->file + 1), func;
		if (file == f->file && f->func == 0)
			file = rnd(&f->seed, f->file);
		func = file == f->file ? (int)rnd(&f->seed, f->func)
				       : (int)rnd(&f->seed, nfuncs(file));
		func_name(o, file, func);
		put(o, "(");
		for (int a = 0, n = nparams(file, func); a < n; a++) {
			if (a)
				put(o, ", ");
			expr(o, f, depth + 1);
		}
		put(o, ")");
	} else {
		put(o, "(");
		expr(o, f, depth + 1);
		put(o, ")");
	}
}

static void expr(struct out *o, struct fn *f, int depth)
{
	static const char *const ops[] = {
		" + ", " - ", " * ", " & ", " | ", " ^ ", " << ", " >> ",
		" < ", " == ", " + ", " - ",
	};
	int terms = 1 + rnd(&f->seed, depth ? 2 : 3);

	if (rnd(&f->seed, 8) == 0)
		put(o, rnd(&f->seed, 2) ? "-" : "~");
	operand(o, f, depth);
	for (int t = 1; t < terms; t++) {
		put(o, ops[rnd(&f->seed, sizeof(ops) / sizeof(ops[0]))]);
		operand(o, f, depth);
	}
}

static void indent(struct out *o, int level)
{
	for (int i = 0; i < level; i++)
		put(o, "    ");
}

static void block(struct out *o, struct fn *f, int level, int stmts)
{
	for (int s = 0; s < stmts; s++) {
		uint32_t r = rnd(&f->seed, 10);
		indent(o, level);
		if (r < 6 || level > 2) {
			if (f->locals < 8 && (f->locals == 0 || r < 2)) {
				put(o, "let v");
				putn(o, f->locals++);
			} else {
				put(o, "v");
				putn(o, rnd(&f->seed, f->locals));
			}
			put(o, " = ");
			expr(o, f, 0);
			put(o, ";\n");
		} else if (r < 8) {
			put(o, "if (");
			expr(o, f, 1);
			put(o, ") {\n");
			block(o, f, level + 1, 1 + rnd(&f->seed, 3));
			indent(o, level);
			if (rnd(&f->seed, 2)) {
				put(o, "} else {\n");
				block(o, f, level + 1, 1 + rnd(&f->seed, 2));
				indent(o, level);
			}
			put(o, "}\n");
		} else {
			put(o, "while (");
			expr(o, f, 1);
			put(o, ") {\n");
			block(o, f, level + 1, 1 + rnd(&f->seed, 3));
			indent(o, level);
			put(o, "}\n");
		}
	}
}

static const char *const words[] = {
	"the", "board", "move", "piece", "search", "depth", "score", "king",
	"pawn", "table", "hash", "evaluate", "position", "generate", "check",
	"capture", "window", "alpha", "beta", "ply", "bishop", "rook",
};

int srcgen_file(int i, char *buf)
{
	struct out o = { buf, 0 };
	uint32_t seed = mix(i + 0x51u) | 1;

	put(&o, "# ");
	char name[16];
	srcgen_name(i, name);
	put(&o, name);
	put(&o, ": generated for the pmake workload\n#\n");
	for (int line = 0, n = 3 + rnd(&seed, 5); line < n; line++) {
		put(&o, "#");
		for (int w = 0, nw = 6 + rnd(&seed, 6); w < nw; w++) {
			put(&o, " ");
			put(&o, words[rnd(&seed, sizeof(words) / sizeof(words[0]))]);
		}
		put(&o, "\n");
	}
	for (int k = 0, n = nfuncs(i); k < n; k++) {
		struct fn f = { i, k, nparams(i, k), 0, mix(i * 1000u + k) | 1 };
		put(&o, "\nfunc ");
		func_name(&o, i, k);
		put(&o, "(");
		for (int p = 0; p < f.params; p++) {
			if (p)
				put(&o, ", ");
			put(&o, "p");
			putn(&o, p);
		}
		put(&o, ") {\n");
		block(&o, &f, 1, 3 + rnd(&f.seed, 5));
		put(&o, "    return ");
		expr(&o, &f, 0);
		put(&o, ";\n}\n");
	}
	buf[o.len] = '\0';
	return o.len;
}

void srcgen_name(int i, char *buf)
{
	buf[0] = 'm';
	buf[1] = '0' + i / 100 % 10;
	buf[2] = '0' + i / 10 % 10;
	buf[3] = '0' + i % 10;
	buf[4] = '.';
	buf[5] = 't';
	buf[6] = '\0';
}
