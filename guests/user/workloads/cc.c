/*
 * cc - the compiler of the pmake workload: one toy-language source file in,
 * one object file (obj.h) out. `cc SOURCE -o OBJECT`
 *
 * Like a real compiler run under make, it is a short-lived process that
 * reads a file, computes, writes a file and exits: the paper's Pmake is
 * many of these (Table 1: "multiprogrammed, short-lived, system and I/O
 * intensive"). It is silent when it succeeds, so the console output of a
 * parallel build does not depend on the order the jobs finish in.
 *
 * The language (what gen/srcgen.c writes):
 *   file   := { "func" NAME "(" [NAME {"," NAME}] ")" block }
 *   block  := "{" { stmt } "}"
 *   stmt   := "let" NAME "=" expr ";" | NAME "=" expr ";"
 *           | "if" "(" expr ")" block [ "else" block ]
 *           | "while" "(" expr ")" block | "return" expr ";"
 *   expr   := C's binary operators || && | ^ & == != < > <= >= << >> + - *
 *             (C precedence, no short circuit), unary - ~ !, numbers,
 *             names, calls NAME "(" args ")", parentheses
 *   "#" starts a comment to the end of the line.
 * Names are function-wide; a name must be a parameter or have a "let"
 * before it is used.
 *
 * The passes: a lexer, a recursive-descent parser building one expression
 * tree at a time, constant folding on the tree, code generation for a
 * stack machine, and a verifier that computes the stack depth at every
 * instruction over the control-flow graph (as a JVM verifier does) and
 * checks it is consistent.
 */
#include "obj.h"
#include "wl.h"

static const char *prog = "cc";
static const char *path;

/* ---- Output buffers ---- */

struct buf {
	unsigned char *p;
	int len, cap;
};

static void grow(struct buf *b, int n)
{
	if (b->len + n <= b->cap)
		return;
	int cap = b->cap ? b->cap * 2 : 4096;
	while (cap < b->len + n)
		cap *= 2;
	unsigned char *p = realloc(b->p, cap);
	if (!p)
		wl_die(prog, "out of memory");
	b->p = p;
	b->cap = cap;
}

static void put8(struct buf *b, uint32_t v)
{
	grow(b, 1);
	b->p[b->len++] = v;
}

static void put32(struct buf *b, uint32_t v)
{
	grow(b, 4);
	obj_put32(b->p + b->len, v);
	b->len += 4;
}

static struct buf code, syms, relocs, strings;

static uint32_t add_string(const char *s)
{
	uint32_t off = strings.len;
	int n = strlen(s) + 1;

	grow(&strings, n);
	memcpy(strings.p + strings.len, s, n);
	strings.len += n;
	return off;
}

/* ---- Lexer ---- */

enum tok {
	T_EOF = 256, T_NAME, T_NUM, T_FUNC, T_LET, T_IF, T_ELSE, T_WHILE,
	T_RETURN, T_EQ, T_NE, T_LE, T_GE, T_SHL, T_SHR, T_LAND, T_LOR,
};

#define NAME_MAX_LEN 31

static const char *src;
static int line = 1;
static int tok;
static char tok_name[NAME_MAX_LEN + 1];
static int32_t tok_num;

static void __attribute__((noreturn)) error(const char *what)
{
	fprintf(stderr, "%s: error: %s:%d: %s\n", prog, path, line, what);
	exit(1);
}

static const struct {
	const char *text;
	int tok;
} keywords[] = {
	{ "func", T_FUNC }, { "let", T_LET }, { "if", T_IF },
	{ "else", T_ELSE }, { "while", T_WHILE }, { "return", T_RETURN },
};

static const struct {
	char a, b;
	int tok;
} pairs[] = {
	{ '=', '=', T_EQ }, { '!', '=', T_NE }, { '<', '=', T_LE },
	{ '>', '=', T_GE }, { '<', '<', T_SHL }, { '>', '>', T_SHR },
	{ '&', '&', T_LAND }, { '|', '|', T_LOR },
};

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static void next(void)
{
	for (;;) {
		if (*src == '\n')
			line++;
		if (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')
			src++;
		else if (*src == '#')
			while (*src && *src != '\n')
				src++;
		else
			break;
	}
	if (!*src) {
		tok = T_EOF;
	} else if (is_alpha(*src)) {
		int n = 0;
		while (is_alpha(*src) || is_digit(*src)) {
			if (n == NAME_MAX_LEN)
				error("name too long");
			tok_name[n++] = *src++;
		}
		tok_name[n] = '\0';
		tok = T_NAME;
		for (unsigned k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
			if (!strcmp(tok_name, keywords[k].text))
				tok = keywords[k].tok;
	} else if (is_digit(*src)) {
		uint32_t v = 0;
		while (is_digit(*src))
			v = v * 10 + (*src++ - '0');
		tok_num = (int32_t)v;
		tok = T_NUM;
	} else {
		tok = *src++;
		for (unsigned k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++)
			if (tok == pairs[k].a && *src == pairs[k].b) {
				tok = pairs[k].tok;
				src++;
				break;
			}
	}
}

static void expect(int t, const char *what)
{
	if (tok != t)
		error(what);
	next();
}

/* ---- Names of the function being compiled ---- */

#define MAX_SLOTS 64
static char slot_names[MAX_SLOTS][NAME_MAX_LEN + 1];
static int nslots;

static int find_slot(const char *name)
{
	for (int i = 0; i < nslots; i++)
		if (!strcmp(slot_names[i], name))
			return i;
	return -1;
}

static int add_slot(const char *name)
{
	int s = find_slot(name);

	if (s >= 0)
		return s;
	if (nslots == MAX_SLOTS)
		error("too many names in one function");
	strcpy(slot_names[nslots], name);
	return nslots++;
}

/* ---- Expression trees ---- */

enum kind { K_NUM, K_VAR, K_CALL, K_BIN, K_UN };

struct node {
	uint8_t kind, op, nargs;
	int32_t val;     /* K_NUM value, K_VAR slot, K_CALL name offset */
	int a, b;        /* operands; K_CALL: first argument */
	int next;        /* next argument of a call */
};

#define MAX_NODES 4096
static struct node nodes[MAX_NODES];
static int nnodes;

static int new_node(int kind, int op, int32_t val, int a, int b)
{
	if (nnodes == MAX_NODES)
		error("expression too large");
	nodes[nnodes] = (struct node){ kind, op, 0, val, a, b, -1 };
	return nnodes++;
}

static int expr(void);

static int primary(void)
{
	int n;

	if (tok == T_NUM) {
		n = new_node(K_NUM, 0, tok_num, -1, -1);
		next();
	} else if (tok == T_NAME) {
		char name[NAME_MAX_LEN + 1];
		strcpy(name, tok_name);
		next();
		if (tok == '(') {
			next();
			n = new_node(K_CALL, 0, add_string(name), -1, -1);
			int *link = &nodes[n].a;
			while (tok != ')') {
				if (nodes[n].nargs)
					expect(',', "',' expected");
				int arg = expr();
				*link = arg;
				link = &nodes[arg].next;
				nodes[n].nargs++;
			}
			next();
		} else {
			int s = find_slot(name);
			if (s < 0)
				error("undeclared name");
			n = new_node(K_VAR, 0, s, -1, -1);
		}
	} else if (tok == '(') {
		next();
		n = expr();
		expect(')', "')' expected");
	} else if (tok == '-' || tok == '~' || tok == '!') {
		int op = tok == '-' ? OP_NEG : tok == '~' ? OP_NOT : OP_LNOT;
		next();
		n = new_node(K_UN, op, 0, primary(), -1);
	} else {
		error("expression expected");
	}
	return n;
}

/* Binary operators: the token, its precedence (C's) and its opcode. */
static const struct {
	int tok, prec, op;
} binops[] = {
	{ T_LOR, 1, OP_LOR }, { T_LAND, 2, OP_LAND }, { '|', 3, OP_OR },
	{ '^', 4, OP_XOR }, { '&', 5, OP_AND }, { T_EQ, 6, OP_EQ },
	{ T_NE, 6, OP_NE }, { '<', 7, OP_LT }, { '>', 7, OP_GT },
	{ T_LE, 7, OP_LE }, { T_GE, 7, OP_GE }, { T_SHL, 8, OP_SHL },
	{ T_SHR, 8, OP_SHR }, { '+', 9, OP_ADD }, { '-', 9, OP_SUB },
	{ '*', 10, OP_MUL },
};

static int binop(int t)
{
	for (unsigned k = 0; k < sizeof(binops) / sizeof(binops[0]); k++)
		if (binops[k].tok == t)
			return k;
	return -1;
}

/* Precedence climbing: operands joined by operators of at least min. */
static int climb(int min)
{
	int lhs = primary();

	for (int k; (k = binop(tok)) >= 0 && binops[k].prec >= min;) {
		next();
		int rhs = climb(binops[k].prec + 1);
		lhs = new_node(K_BIN, binops[k].op, 0, lhs, rhs);
	}
	return lhs;
}

static int expr(void)
{
	return climb(1);
}

static int32_t eval(int op, int32_t x, int32_t y)
{
	uint32_t a = x, b = y;

	switch (op) {
	case OP_ADD: return a + b;
	case OP_SUB: return a - b;
	case OP_MUL: return a * b;
	case OP_AND: return a & b;
	case OP_OR: return a | b;
	case OP_XOR: return a ^ b;
	case OP_SHL: return a << (b & 31);
	case OP_SHR: return x >> (b & 31);
	case OP_LT: return x < y;
	case OP_GT: return x > y;
	case OP_LE: return x <= y;
	case OP_GE: return x >= y;
	case OP_EQ: return x == y;
	case OP_NE: return x != y;
	case OP_LAND: return x && y;
	case OP_LOR: return x || y;
	case OP_NEG: return -a;
	case OP_NOT: return ~a;
	case OP_LNOT: return !x;
	}
	return 0;
}

/* Constant folding, bottom up: an operator over constants becomes one. */
static void fold(int n)
{
	struct node *p = &nodes[n];

	if (p->kind == K_CALL) {
		for (int a = p->a; a >= 0; a = nodes[a].next)
			fold(a);
	} else if (p->kind == K_UN) {
		fold(p->a);
		if (nodes[p->a].kind == K_NUM) {
			p->val = eval(p->op, nodes[p->a].val, 0);
			p->kind = K_NUM;
		}
	} else if (p->kind == K_BIN) {
		fold(p->a);
		fold(p->b);
		if (nodes[p->a].kind == K_NUM && nodes[p->b].kind == K_NUM) {
			p->val = eval(p->op, nodes[p->a].val, nodes[p->b].val);
			p->kind = K_NUM;
		}
	}
}

/* ---- Code generation ---- */

static void emit(int n)
{
	struct node *p = &nodes[n];

	switch (p->kind) {
	case K_NUM:
		put8(&code, OP_PUSH);
		put32(&code, p->val);
		break;
	case K_VAR:
		put8(&code, OP_LOAD);
		put8(&code, p->val);
		break;
	case K_UN:
		emit(p->a);
		put8(&code, p->op);
		break;
	case K_BIN:
		emit(p->a);
		emit(p->b);
		put8(&code, p->op);
		break;
	case K_CALL:
		for (int a = p->a; a >= 0; a = nodes[a].next)
			emit(a);
		put8(&code, OP_CALL);
		put32(&relocs, code.len);     /* the linker fills the target */
		put32(&relocs, p->val);
		put32(&relocs, p->nargs);
		put32(&code, 0);
		put8(&code, p->nargs);
		break;
	}
}

static void expression(void)
{
	nnodes = 0;
	int n = expr();
	fold(n);
	emit(n);
}

static int jump(int op)
{
	put8(&code, op);
	put32(&code, 0);
	return code.len;    /* the offset is relative to here */
}

static void patch(int from, int to)
{
	obj_put32(code.p + from - 4, to - from);
}

static void block(void);

static void statement(void)
{
	if (tok == T_LET || tok == T_NAME) {
		int let = tok == T_LET;
		if (let)
			next();
		if (tok != T_NAME)
			error("name expected");
		int s = let ? add_slot(tok_name) : find_slot(tok_name);
		if (s < 0)
			error("undeclared name");
		next();
		expect('=', "'=' expected");
		expression();
		put8(&code, OP_STORE);
		put8(&code, s);
		expect(';', "';' expected");
	} else if (tok == T_IF) {
		next();
		expect('(', "'(' expected");
		expression();
		expect(')', "')' expected");
		int skip = jump(OP_JZ);
		block();
		if (tok == T_ELSE) {
			next();
			int end = jump(OP_JMP);
			patch(skip, code.len);
			block();
			patch(end, code.len);
		} else {
			patch(skip, code.len);
		}
	} else if (tok == T_WHILE) {
		int top = code.len;
		next();
		expect('(', "'(' expected");
		expression();
		expect(')', "')' expected");
		int out = jump(OP_JZ);
		block();
		int back = jump(OP_JMP);
		patch(back, top);
		patch(out, code.len);
	} else if (tok == T_RETURN) {
		next();
		expression();
		put8(&code, OP_RET);
		expect(';', "';' expected");
	} else {
		error("statement expected");
	}
}

static void block(void)
{
	expect('{', "'{' expected");
	while (tok != '}')
		statement();
	next();
}

/* ---- The verifier ---- */

/* Length of the instruction at p, and how it changes the stack depth. */
static int insn_len(const unsigned char *p, int *delta)
{
	switch (*p) {
	case OP_PUSH: *delta = 1; return 5;
	case OP_LOAD: *delta = 1; return 2;
	case OP_STORE: *delta = -1; return 2;
	case OP_CALL: *delta = 1 - p[5]; return 6;
	case OP_JZ: *delta = -1; return 5;
	case OP_JMP: *delta = 0; return 5;
	case OP_ENTER: *delta = 0; return 3;
	case OP_RET: *delta = -1; return 1;
	case OP_POP: *delta = -1; return 1;
	case OP_NEG: case OP_NOT: case OP_LNOT: *delta = 0; return 1;
	default: *delta = -1; return 1;    /* binary operators */
	}
}

/*
 * Stack depth at each instruction of one function [start, end): a
 * worklist-free fixpoint, sweeping until nothing changes. Every path must
 * reach an instruction with the same depth, and never go below zero.
 * Returns the largest depth.
 */
static int verify(int start, int end)
{
	int n = end - start, max = 0;
	int16_t *depth = wl_malloc(prog, n * sizeof(*depth));

	for (int i = 0; i < n; i++)
		depth[i] = -1;
	depth[0] = 0;
	for (int changed = 1; changed;) {
		changed = 0;
		for (int i = 0; i < n;) {
			const unsigned char *p = code.p + start + i;
			int delta, len = insn_len(p, &delta);
			if (depth[i] >= 0) {
				int d = depth[i] + delta;
				if (d < 0)
					error("verifier: stack underflow");
				if (d > max)
					max = d;
				int succ[2], ns = 0;
				if (*p != OP_RET && *p != OP_JMP)
					succ[ns++] = i + len;
				if (*p == OP_JZ || *p == OP_JMP)
					succ[ns++] = i + len + (int32_t)obj_get32(p + 1);
				for (int s = 0; s < ns; s++) {
					if (succ[s] < 0 || succ[s] >= n)
						error("verifier: jump out of function");
					if (depth[succ[s]] < 0) {
						depth[succ[s]] = d;
						changed = 1;
					} else if (depth[succ[s]] != d) {
						error("verifier: inconsistent stack");
					}
				}
			}
			i += len;
		}
	}
	free(depth);
	return max;
}

/* ---- Functions and the file ---- */

static void function(void)
{
	expect(T_FUNC, "'func' expected");
	if (tok != T_NAME)
		error("function name expected");
	put32(&syms, add_string(tok_name));
	put32(&syms, code.len);
	int start = code.len;
	next();
	expect('(', "'(' expected");
	nslots = 0;
	while (tok != ')') {
		if (nslots)
			expect(',', "',' expected");
		if (tok != T_NAME)
			error("parameter expected");
		add_slot(tok_name);
		next();
	}
	next();
	int nparams = nslots;
	put32(&syms, nparams);
	put8(&code, OP_ENTER);
	put8(&code, nparams);
	int slots_at = code.len;
	put8(&code, 0);
	block();
	put8(&code, OP_PUSH);       /* falling off the end returns 0 */
	put32(&code, 0);
	put8(&code, OP_RET);
	code.p[slots_at] = nslots;
	verify(start, code.len);
}

int main(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[2], "-o"))
		wl_die(prog, "usage: cc SOURCE -o OBJECT");
	path = argv[1];
	char *text;
	if (wl_read_file(path, &text) < 0)
		wl_die_errno(prog, path);
	src = text;
	next();
	while (tok != T_EOF)
		function();

	struct buf out = { 0, 0, 0 };
	put32(&out, OBJ_MAGIC);
	put32(&out, code.len);
	put32(&out, syms.len / 12);
	put32(&out, relocs.len / 12);
	put32(&out, strings.len);
	struct buf *parts[] = { &code, &syms, &relocs, &strings };
	for (int i = 0; i < 4; i++) {
		if (parts[i]->len == 0)    /* (p may be NULL: no memcpy) */
			continue;
		grow(&out, parts[i]->len);
		memcpy(out.p + out.len, parts[i]->p, parts[i]->len);
		out.len += parts[i]->len;
	}
	if (wl_write_file(argv[3], out.p, out.len) < 0)
		wl_die_errno(prog, argv[3]);
	return 0;
}
