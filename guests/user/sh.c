/*
 * sh: the kit's shell. It runs /etc/rc for init, scripts given as an
 * argument, a command string (sh -c 'cmd'), or lines typed at the console.
 *
 *   list     := andor { (';' | '&' | newline) andor }
 *   andor    := ['-'] pipeline { ('&&' | '||') pipeline }
 *   pipeline := command { '|' command }
 *   command  := (word | redir)+  |  '(' list ')' redir*
 *   redir    := '<' word  |  '>' word  |  '>>' word
 *
 * A word is a run of characters other than blanks and | & ; < > ( ); '...'
 * and "..." quote blanks and operators (no variables, no globbing), and a
 * backslash quotes the next character outside single quotes. '#' at the
 * start of a word begins a comment. Programs are looked up in /bin unless
 * the name holds a '/'. Builtins: cd [dir], exit [status], wait.
 * A list is read and run one line at a time.
 *
 * Exit status. A command's status is what wait() gives: its exit value,
 * or -1 if the kernel killed it. Interactively, sh exits with the status
 * of the last command, as any shell. A script (or -c string) instead
 * keeps going after a failure, but remembers it: every list run in the
 * foreground whose status is not 0 counts as a failure, unless it is
 * prefixed with '-' (as make does: "-rm tmpfile"), and the script's exit
 * status is that of the last failure, or 0 if there was none. An
 * explicit "exit N" ends the script with N. This is how init tells
 * whether /etc/rc succeeded: one line per test, each must succeed, and
 * a failure does not hide the results of the lines after it.
 *
 * Background commands ('&') print nothing when started or done (the
 * console must stay deterministic). "wait" waits for all of them and its
 * status is that of the last one that failed, or 0; a script ends with an
 * implicit wait, which counts like any other command, so a test started
 * in the background cannot fail unnoticed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXLINE 1024
#define MAXARGS 32
#define MAXREDIR 8
#define MAXITEMS 32
#define MAXJOBS 64

/* ---- The parse tree of one line, allocated from an arena. ---- */

enum { N_EXEC, N_SUB, N_PIPE, N_AND, N_OR };

struct redir {
	int fd;             /* 0 for '<', 1 for '>' and '>>' */
	int flags;          /* open() flags */
	char *file;
};

struct list;

struct node {
	int type;
	struct node *left, *right;        /* N_PIPE, N_AND, N_OR */
	struct list *sub;                 /* N_SUB */
	char *argv[MAXARGS + 1];          /* N_EXEC */
	int argc;
	struct redir redir[MAXREDIR];     /* N_EXEC, N_SUB */
	int nredir;
};

struct item {
	struct node *andor;
	int background;     /* ended by '&' */
	int ignore;         /* prefixed by '-': its failure does not count */
};

struct list {
	struct item item[MAXITEMS];
	int n;
};

static char arena[16384] __attribute__((aligned(8)));  /* alloc() keeps 8-byte alignment */
static size_t arena_used;

static void *alloc(size_t n)
{
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (arena_used + n > sizeof(arena))
		return NULL;
	p = arena + arena_used;
	arena_used += n;
	memset(p, 0, n);
	return p;
}

/* ---- Tokens ---- */

enum { T_END, T_WORD, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LT, T_GT, T_GTGT,
       T_LPAREN, T_RPAREN };

static const char *line_pos;    /* next character of the line */
static int tok;                 /* current token */
static char *tok_word;          /* its text if T_WORD (in the arena) */
static int tok_quoted;          /* the word had quotes or backslashes */
static int syntax_error;

static int is_special(char c)
{
	return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' ||
	       c == '(' || c == ')';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void next(void)
{
	const char *p = line_pos;
	char *w;
	size_t n = 0;

	while (is_blank(*p))
		p++;
	tok_word = NULL;
	if (*p == 0 || *p == '#') {
		tok = T_END;
		line_pos = p;
		return;
	}
	if (is_special(*p)) {
		char c = *p++;
		if (c == '&' && *p == '&')
			p++, tok = T_AND;
		else if (c == '|' && *p == '|')
			p++, tok = T_OR;
		else if (c == '>' && *p == '>')
			p++, tok = T_GTGT;
		else
			tok = c == '&' ? T_AMP : c == '|' ? T_PIPE : c == ';' ? T_SEMI :
			      c == '<' ? T_LT : c == '>' ? T_GT : c == '(' ? T_LPAREN : T_RPAREN;
		line_pos = p;
		return;
	}
	/* A word: at most as long as what is left of the line. */
	if ((w = alloc(strlen(p) + 1)) == NULL) {
		syntax_error = 1;
		tok = T_END;
		return;
	}
	tok_quoted = 0;
	while (*p && !is_blank(*p) && !is_special(*p)) {
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			tok_quoted = 1;
			while (*p && *p != q) {
				if (q == '"' && *p == '\\' && p[1])
					p++;
				w[n++] = *p++;
			}
			if (*p != q)
				syntax_error = 1;   /* unterminated quote */
			else
				p++;
		} else if (*p == '\\' && p[1]) {
			tok_quoted = 1;
			w[n++] = p[1];
			p += 2;
		} else {
			w[n++] = *p++;
		}
	}
	w[n] = 0;
	tok = T_WORD;
	tok_word = w;
	line_pos = p;
}

/* ---- Parser (recursive descent over the grammar above) ---- */

static struct list *parse_list(int inside_parens);

static void fail_syntax(void)
{
	syntax_error = 1;
}

static int parse_redir(struct redir *r, int *n)
{
	int t = tok;

	if (t != T_LT && t != T_GT && t != T_GTGT)
		return 0;
	next();
	if (tok != T_WORD || *n == MAXREDIR) {
		fail_syntax();
		return 0;
	}
	r[*n].fd = t == T_LT ? 0 : 1;
	r[*n].flags = t == T_LT ? O_RDONLY :
		      t == T_GT ? O_WRONLY | O_CREATE | O_TRUNC :
				  O_WRONLY | O_CREATE | O_APPEND;
	r[*n].file = tok_word;
	(*n)++;
	next();
	return 1;
}

static struct node *parse_command(void)
{
	struct node *c = alloc(sizeof(*c));

	if (c == NULL) {
		fail_syntax();
		return NULL;
	}
	if (tok == T_LPAREN) {
		next();
		c->type = N_SUB;
		c->sub = parse_list(1);
		if (tok != T_RPAREN) {
			fail_syntax();
			return NULL;
		}
		next();
		while (parse_redir(c->redir, &c->nredir))
			;
		return c;
	}
	c->type = N_EXEC;
	for (;;) {
		if (tok == T_WORD) {
			if (c->argc == MAXARGS) {
				fprintf(stderr, "sh: too many arguments\n");
				fail_syntax();
				return NULL;
			}
			c->argv[c->argc++] = tok_word;
			next();
		} else if (!parse_redir(c->redir, &c->nredir)) {
			break;
		}
	}
	if (c->argc == 0 && c->nredir == 0) {
		fail_syntax();
		return NULL;
	}
	return c;
}

static struct node *binary(int type, struct node *l, struct node *r)
{
	struct node *n = alloc(sizeof(*n));

	if (n == NULL || l == NULL || r == NULL) {
		fail_syntax();
		return NULL;
	}
	n->type = type;
	n->left = l;
	n->right = r;
	return n;
}

static struct node *parse_pipeline(void)
{
	struct node *n = parse_command();

	while (!syntax_error && tok == T_PIPE) {
		next();
		n = binary(N_PIPE, n, parse_command());
	}
	return n;
}

static struct node *parse_andor(int *ignore)
{
	struct node *n;

	/* A leading '-' on the first word: "-cmd" or "- cmd". */
	*ignore = 0;
	if (tok == T_WORD && !tok_quoted && tok_word[0] == '-') {
		*ignore = 1;
		if (tok_word[1])
			tok_word++;
		else
			next();
	}
	n = parse_pipeline();
	while (!syntax_error && (tok == T_AND || tok == T_OR)) {
		int type = tok == T_AND ? N_AND : N_OR;
		next();
		n = binary(type, n, parse_pipeline());
	}
	return n;
}

static struct list *parse_list(int inside_parens)
{
	struct list *l = alloc(sizeof(*l));

	if (l == NULL) {
		fail_syntax();
		return NULL;
	}
	while (!syntax_error && tok != T_END && !(inside_parens && tok == T_RPAREN)) {
		struct item *it;
		if (l->n == MAXITEMS) {
			fail_syntax();
			break;
		}
		it = &l->item[l->n++];
		it->andor = parse_andor(&it->ignore);
		if (tok == T_AMP)
			it->background = 1;
		if (tok == T_AMP || tok == T_SEMI)
			next();
		else if (tok != T_END && !(inside_parens && tok == T_RPAREN))
			fail_syntax();
	}
	return l;
}

/* ---- Jobs: children running in the background. ---- */

static int jobs[MAXJOBS];
static int njobs;
static int job_failure;   /* last failed background job since the last wait */

static void job_done(int i, int status)
{
	if (status != 0)
		job_failure = status;
	jobs[i] = jobs[--njobs];
}

/*
 * Wait until each of the n children in pids has exited, and store their
 * statuses; with n == 0, until every background job has. The kernel's
 * wait takes any child, so the children come back in any order: one of
 * the pids, or a background job (whose failure is noted). The shell has
 * no other children.
 */
static void reap_set(const int *pids, int n, int *status)
{
	int left = n, r, st;

	while (n > 0 ? left > 0 : njobs > 0) {
		if ((r = wait(&st)) < 0) {
			/* Cannot happen; give up on the rest rather than spin. */
			for (int i = 0; i < n; i++)
				if (pids[i] > 0)
					status[i] = -1;
			njobs = 0;
			return;
		}
		for (int i = 0; i < n; i++)
			if (pids[i] == r) {
				status[i] = st;
				left--;
			}
		for (int i = 0; i < njobs; i++)
			if (jobs[i] == r) {
				job_done(i, st);
				break;
			}
	}
}

/* Wait for one child; its status. */
static int reap(int pid)
{
	int status;

	reap_set(&pid, 1, &status);
	return status;
}

/* Wait for every background job. */
static void reap_jobs(void)
{
	reap_set(NULL, 0, NULL);
}

/* ---- Running ---- */

static int run_list(struct list *l, int *failure);
static int run(struct node *n);

static int do_fork(void)
{
	int pid = fork();

	if (pid < 0)
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
	return pid;
}

/* In a child: open the redirections in place of fds 0 and 1. */
static void apply_redirs(struct redir *r, int n)
{
	for (int i = 0; i < n; i++) {
		int fd = open(r[i].file, r[i].flags);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", r[i].file, strerror(errno));
			exit(1);
		}
		if (fd != r[i].fd) {
			dup2(fd, r[i].fd);
			close(fd);
		}
	}
}

/* In a child: become the command. Never returns. */
static void exec_command(struct node *c)
{
	char path[128];

	apply_redirs(c->redir, c->nredir);
	if (c->argc == 0)
		exit(0);        /* only redirections: "> file" makes it empty */
	if (strchr(c->argv[0], '/')) {
		exec(c->argv[0], c->argv);
	} else if (snprintf(path, sizeof(path), "/bin/%s", c->argv[0]) < (int)sizeof(path)) {
		exec(path, c->argv);
	}
	fprintf(stderr, "sh: %s: %s\n", c->argv[0],
		errno == ENOENT ? "not found" : strerror(errno));
	exit(127);
}

static int builtin(struct node *c, int *status)
{
	const char *name = c->argc ? c->argv[0] : "";

	if (strcmp(name, "cd") && strcmp(name, "exit") && strcmp(name, "wait"))
		return 0;
	if (c->nredir) {
		fprintf(stderr, "sh: %s: builtins take no redirections\n", name);
		*status = 2;
		return 1;
	}
	if (strcmp(name, "cd") == 0) {
		const char *dir = c->argc > 1 ? c->argv[1] : "/";
		*status = 0;
		if (chdir(dir) < 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
			*status = 1;
		}
	} else if (strcmp(name, "exit") == 0) {
		exit(c->argc > 1 ? atoi(c->argv[1]) : 0);
	} else {
		reap_jobs();
		*status = job_failure;
		job_failure = 0;
	}
	return 1;
}

/* A process that is one stage of a pipeline or a background job. */
static void run_in_child(struct node *n)
{
	int status;

	if (n->type == N_EXEC && !builtin(n, &status))
		exec_command(n);
	if (n->type == N_EXEC)
		exit(status);
	exit(run(n));
}

static int run_pipeline(struct node *n)
{
	struct node *stage[MAXARGS];
	int pids[MAXARGS], statuses[MAXARGS];
	int nstage = 0, in = -1, status = 0;

	/* The tree leans left: (a | b) | c. */
	for (; n->type == N_PIPE && nstage < MAXARGS - 1; n = n->left)
		stage[nstage++] = n->right;
	stage[nstage++] = n;
	for (int i = 0; i < nstage / 2; i++) {
		struct node *t = stage[i];
		stage[i] = stage[nstage - 1 - i];
		stage[nstage - 1 - i] = t;
	}
	for (int i = 0; i < nstage; i++) {
		int p[2] = { -1, -1 };
		if (i + 1 < nstage && pipe(p) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			status = 1;
			nstage = i;
			break;
		}
		if ((pids[i] = do_fork()) < 0) {
			if (p[0] >= 0) {
				close(p[0]);
				close(p[1]);
			}
			status = 1;
			nstage = i;
			break;
		}
		if (pids[i] == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			run_in_child(stage[i]);
		}
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
	}
	if (in >= 0)
		close(in);
	/* Stages end in any order; the pipeline's status is the last one's. */
	reap_set(pids, nstage, statuses);
	return nstage > 0 && status == 0 ? statuses[nstage - 1] : status;
}

static int run(struct node *n)
{
	int pid, status;

	switch (n->type) {
	case N_EXEC:
		if (builtin(n, &status))
			return status;
		if ((pid = do_fork()) < 0)
			return 1;
		if (pid == 0)
			exec_command(n);
		status = reap(pid);
		if (status == -1)
			fprintf(stderr, "sh: %s: killed\n", n->argc ? n->argv[0] : "");
		return status;
	case N_SUB:
		if ((pid = do_fork()) < 0)
			return 1;
		if (pid == 0) {
			int failure;
			njobs = 0;      /* the parent's jobs are not ours */
			apply_redirs(n->redir, n->nredir);
			exit(run_list(n->sub, &failure));
		}
		return reap(pid);
	case N_PIPE:
		return run_pipeline(n);
	case N_AND:
		status = run(n->left);
		return status == 0 ? run(n->right) : status;
	case N_OR:
		status = run(n->left);
		return status != 0 ? run(n->right) : status;
	}
	return 2;
}

/*
 * Run each item of a list; returns the last one's status and records in
 * *failure the status of the last foreground item that failed and counts.
 */
static int run_list(struct list *l, int *failure)
{
	int status = 0;

	*failure = 0;
	for (int i = 0; l && i < l->n; i++) {
		struct item *it = &l->item[i];
		if (it->background) {
			int pid = do_fork();
			if (pid == 0) {
				njobs = 0;
				run_in_child(it->andor);
			}
			if (pid > 0 && njobs < MAXJOBS)
				jobs[njobs++] = pid;
			status = pid < 0;
		} else {
			status = run(it->andor);
		}
		if (status != 0 && !it->ignore)
			*failure = status;
	}
	return status;
}

/* Parse and run one line; 2 for a syntax error. */
static int run_line(const char *line, int *failure)
{
	struct list *l;

	arena_used = 0;
	syntax_error = 0;
	line_pos = line;
	next();
	l = parse_list(0);
	if (syntax_error || tok != T_END) {
		fprintf(stderr, "sh: syntax error: %s", line);
		if (line[0] && line[strlen(line) - 1] != '\n')
			fprintf(stderr, "\n");
		*failure = 2;
		return 2;
	}
	return run_list(l, failure);
}

/*
 * Run lines from fd (or the one string cmd) until the end. Returns the
 * exit status: the last failure for a script, the last status if
 * interactive.
 */
static int run_input(int fd, const char *cmd, int interactive)
{
	char line[MAXLINE];
	int status = 0, last_failure = 0, failure;

	for (;;) {
		if (cmd) {
			if (strlen(cmd) >= sizeof(line)) {
				fprintf(stderr, "sh: command too long\n");
				return 2;
			}
			strcpy(line, cmd);
		} else {
			if (interactive)
				fputs("$ ", 2);
			if (fgets(line, sizeof(line), fd) == NULL)
				break;
			if (strlen(line) == sizeof(line) - 1 && line[sizeof(line) - 2] != '\n') {
				fprintf(stderr, "sh: line too long\n");
				last_failure = 2;
				while (fgets(line, sizeof(line), fd) && !strchr(line, '\n'))
					;
				continue;
			}
		}
		status = run_line(line, &failure);
		if (failure)
			last_failure = failure;
		if (cmd)
			break;
	}
	if (interactive)
		return status;
	/* The implicit wait at the end of a script. */
	reap_jobs();
	if (job_failure)
		last_failure = job_failure;
	return last_failure;
}

int main(int argc, char *argv[])
{
	struct stat st;
	int fd;

	if (argc >= 3 && strcmp(argv[1], "-c") == 0)
		return run_input(-1, argv[2], 0);
	if (argc >= 2) {
		if ((fd = open(argv[1], O_RDONLY)) < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		return run_input(fd, NULL, 0);
	}
	/* Standard input: interactive if it is the console. */
	return run_input(0, NULL, fstat(0, &st) == 0 && st.type == T_DEV);
}
