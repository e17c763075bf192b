/*
 * usertests: tests of the kernel through its system calls, in the style of
 * xv6's usertests.
 *
 *   usertests            run every test
 *   usertests NAME...    run the tests named
 *
 * Each test runs in a child process of its own, in a scratch directory,
 * so that a test that crashes or leaks cannot take the others down. A test
 * passes when its child exits with status 0, and the runner prints
 * "test NAME: ok"; a failing test prints "test NAME: FAIL: reason" (the
 * child prints it where it knows the reason, the runner otherwise). The
 * last line is "usertests: N passed, M failed", and the exit status is 1
 * if any test failed. Nothing printed depends on timing, pids or CPU
 * numbers: the output of a run is the same on every run, natively or
 * under the monitor, with any number of CPUs.
 *
 * What is "right" follows unix/syscall.h and unix/errno.h. Where the
 * contract leaves a choice to the kernel (for example, whether running out
 * of memory fails an sbrk or kills the process when it touches the page),
 * a test accepts every allowed outcome and says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread.h>
#include <unistd.h>
#include <unix/fs.h>

#define PAGE 4096
#define KILLED (-1)          /* wait status of a process the kernel killed */
#define SCRATCH "/usertests.tmp"
#define REPORTED 101       /* exit status of a test that printed its FAIL line */

static const char *test_name;

/* ---- Helpers for tests (they run in the test's child) ---- */

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("test %s: FAIL: %s\n", test_name, msg);
	exit(REPORTED);
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* A call that must fail with errno e. */
#define EXPECT_ERR(call, e) do {                                          \
		errno = 0;                                                \
		int r_ = (int)(call);                                     \
		CHECK(r_ == -1 && errno == (e), "%s: got %d errno %d, want -1 errno %d", \
		      #call, r_, errno, (e));                             \
	} while (0)

static int xfork(void)
{
	int pid = fork();

	CHECK(pid >= 0, "fork: errno %d", errno);
	return pid;
}

/* Wait for pid, which must be our child; its status. */
static int xwait(int pid)
{
	int status, r;

	r = waitpid(pid, &status);
	CHECK(r == pid, "wait for %d: got %d errno %d", pid, r, errno);
	return status;
}

static int xopen(const char *path, int flags)
{
	int fd = open(path, flags);

	CHECK(fd >= 0, "open %s: errno %d", path, errno);
	return fd;
}

static void xwrite(int fd, const void *buf, int n)
{
	int r = write(fd, buf, n);

	CHECK(r == n, "write %d bytes: got %d errno %d", n, r, errno);
}

/* Read exactly n bytes unless the end comes first; returns the count. */
static int readall(int fd, void *buf, int n)
{
	int got = 0, r;

	while (got < n && (r = read(fd, (char *)buf + got, n - got)) > 0)
		got += r;
	return got;
}

static unsigned free_pages(void)
{
	struct memstat m;

	CHECK(memstat(&m) == 0, "memstat: errno %d", errno);
	return m.pages_free;
}

/* Fill and check buffers with a pattern that depends on a seed. */
static void fill(void *buf, int n, uint32_t seed)
{
	uint32_t s = seed;

	for (int i = 0; i < n; i++)
		((unsigned char *)buf)[i] = (unsigned char)xorshift32(&s);
}

static int same(const void *buf, int n, uint32_t seed)
{
	uint32_t s = seed;

	for (int i = 0; i < n; i++)
		if (((const unsigned char *)buf)[i] != (unsigned char)xorshift32(&s))
			return 0;
	return 1;
}

static char buf[16384];

/* ---- Processes ---- */

static void test_exitwait(void)
{
	int pid, status, r;

	for (int i = 0; i < 10; i++) {
		if ((pid = xfork()) == 0)
			exit(40 + i);
		r = wait(&status);
		CHECK(r == pid, "wait returned %d, want %d", r, pid);
		CHECK(status == 40 + i, "child exit status %d, want %d", status, 40 + i);
	}
	EXPECT_ERR(wait(&status), ECHILD);
}

static void test_forkmany(void)
{
	enum { N = 20 };
	int pids[N], seen[N] = { 0 }, status, sum = 0;

	for (int i = 0; i < N; i++)
		if ((pids[i] = xfork()) == 0) {
			/* A grandchild too, reaped by its own parent. */
			int g = fork();
			if (g == 0)
				exit(0);
			if (g < 0 || xwait(g) != 0)
				exit(100);
			exit(i);
		}
	for (int i = 0; i < N; i++) {
		int r = wait(&status), k;
		for (k = 0; k < N && pids[k] != r; k++)
			;
		CHECK(k < N, "wait returned %d, not a child", r);
		CHECK(!seen[k], "pid %d reaped twice", r);
		CHECK(status == k, "child %d exited %d", k, status);
		seen[k] = 1;
		sum += status;
	}
	CHECK(sum == N * (N - 1) / 2, "sum of statuses %d", sum);
	EXPECT_ERR(wait(&status), ECHILD);
}

static void test_getpid(void)
{
	int me = getpid(), pid, p[2];
	int child[2];

	CHECK(me > 0, "getpid %d", me);
	CHECK(pipe(p) == 0, "pipe");
	if ((pid = xfork()) == 0) {
		int ids[2] = { getpid(), getppid() };
		write(p[1], ids, sizeof(ids));
		exit(0);
	}
	CHECK(readall(p[0], child, sizeof(child)) == sizeof(child), "short read");
	CHECK(child[0] == pid, "child's getpid %d, fork said %d", child[0], pid);
	CHECK(child[1] == me, "child's getppid %d, want %d", child[1], me);
	CHECK(xwait(pid) == 0, "child failed");
}

/* Run argv with stdout into a pipe; returns what it printed, and its status. */
static int run_capture(char *const argv[], char *out, int size)
{
	int p[2], pid, n;

	CHECK(pipe(p) == 0, "pipe: errno %d", errno);
	if ((pid = xfork()) == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		exec(argv[0], argv);
		exit(127);
	}
	close(p[1]);
	n = readall(p[0], out, size - 1);
	out[n] = 0;
	close(p[0]);
	return xwait(pid);
}

static void test_exec(void)
{
	char out[256];
	char *echo[] = { "/bin/echo", "hello", "world", 0 };
	char *tru[] = { "/bin/true", 0 };
	char *fals[] = { "/bin/false", 0 };
	char *none[] = { "/bin/no-such-program", 0 };
	char *notelf[] = { "notelf", 0 };
	int fd, status;

	status = run_capture(echo, out, sizeof(out));
	CHECK(status == 0, "echo exited %d", status);
	CHECK(strcmp(out, "hello world\n") == 0, "echo printed \"%s\"", out);
	CHECK(run_capture(tru, out, sizeof(out)) == 0, "true failed");
	CHECK(run_capture(fals, out, sizeof(out)) == 1, "false did not exit 1");

	/* A failed exec returns, and the caller goes on as before. */
	EXPECT_ERR(exec(none[0], none), ENOENT);
	fd = xopen("notelf", O_CREATE | O_WRONLY);
	static const char script[] = "#!/bin/sh\necho this is not an ELF file\n";
	xwrite(fd, script, sizeof(script) - 1);
	close(fd);
	EXPECT_ERR(exec(notelf[0], notelf), ENOEXEC);
	unlink("notelf");
}

static void test_execargs(void)
{
	enum { N = 24 };
	char *argv[N + 2], words[N][40], out[2048], want[2048];
	int n = 0;

	argv[0] = "/bin/echo";
	for (int i = 0; i < N; i++) {
		snprintf(words[i], sizeof(words[i]), "arg%d-%.*s", i, i + 1,
			 "abcdefghijklmnopqrstuvwxyz0123456789");
		argv[i + 1] = words[i];
		n += snprintf(want + n, sizeof(want) - n, "%s%c", words[i],
			      i + 1 < N ? ' ' : '\n');
	}
	argv[N + 1] = 0;
	CHECK(run_capture(argv, out, sizeof(out)) == 0, "echo failed");
	CHECK(strcmp(out, want) == 0, "echo printed \"%.60s...\"", out);

	/* More arguments than the kernel takes (MAXARG is 64): E2BIG. */
	static char *many[202];
	many[0] = "/bin/echo";
	for (int i = 1; i < 201; i++)
		many[i] = "x";
	many[201] = 0;
	EXPECT_ERR(exec(many[0], many), E2BIG);

	/* A path longer than any the kernel takes (MAXPATH is 256). */
	static char path[400];
	memset(path, 'a', sizeof(path) - 1);
	EXPECT_ERR(open(path, O_RDONLY), ENAMETOOLONG);
	EXPECT_ERR(exec(path, argv), ENAMETOOLONG);
}

/* Many processes exec the same program at once. */
static void test_execmany(void)
{
	enum { N = 8 };
	int p[2], pids[N], n, total = 0, seen = 0;
	char arg[N][8];

	CHECK(pipe(p) == 0, "pipe");
	for (int i = 0; i < N; i++) {
		snprintf(arg[i], sizeof(arg[i]), "%d", i);
		if ((pids[i] = xfork()) == 0) {
			char *argv[] = { "/bin/echo", arg[i], 0 };
			dup2(p[1], 1);
			close(p[0]);
			close(p[1]);
			exec(argv[0], argv);
			exit(127);
		}
	}
	close(p[1]);
	/* Each echo writes "i\n" in one write: whole lines, any order. */
	while ((n = read(p[0], buf + total, sizeof(buf) - total)) > 0)
		total += n;
	close(p[0]);
	CHECK(total == 2 * N, "read %d bytes", total);
	for (int i = 0; i < total; i += 2) {
		CHECK(buf[i] >= '0' && buf[i] < '0' + N && buf[i + 1] == '\n', "bad output");
		seen |= 1 << (buf[i] - '0');
	}
	CHECK(seen == (1 << N) - 1, "lines missing: %x", seen);
	for (int i = 0; i < N; i++)
		CHECK(xwait(pids[i]) == 0, "echo %d failed", i);
}

/* The shell: operators, pipes, redirections and its script exit status. */
static void test_sh(void)
{
	static const struct {
		const char *cmd;
		int status;
		const char *out;
	} cases[] = {
		{ "echo a; echo b", 0, "a\nb\n" },
		{ "false; echo after", 1, "after\n" },
		{ "-false; echo after", 0, "after\n" },
		{ "false || echo or", 0, "or\n" },
		{ "true && echo and", 0, "and\n" },
		{ "false && echo and", 1, "" },
		{ "echo one two | wc", 0, "1 2 8\n" },
		{ "echo x > sh.tmp; echo y >> sh.tmp; cat < sh.tmp | cat; rm sh.tmp", 0, "x\ny\n" },
		{ "(echo in; echo sub) | wc", 0, "2 2 7\n" },
		{ "echo 'quoted  words' \"and|more\" # a comment", 0, "quoted  words and|more\n" },
		{ "echo bg > sh.bg & wait; cat sh.bg; rm sh.bg", 0, "bg\n" },
		{ "exit 3", 3, "" },
		{ "no-such-command", 127, "sh: no-such-command: not found\n" },
	};
	char out[256];
	char *argv[] = { "/bin/sh", "-c", 0, 0 };

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status;
		argv[2] = (char *)cases[i].cmd;
		status = run_capture(argv, out, sizeof(out));
		CHECK(status == cases[i].status, "sh -c '%s' exited %d, want %d",
		      cases[i].cmd, status, cases[i].status);
		CHECK(strcmp(out, cases[i].out) == 0, "sh -c '%s' printed \"%s\"",
		      cases[i].cmd, out);
	}
}

/* ---- Pipes ---- */

static void test_pipe(void)
{
	enum { CHUNK = 1033, N = 20 };
	int p[2], pid, total = 0, n;
	uint32_t s = 7, want = 7;

	CHECK(pipe(p) == 0, "pipe: errno %d", errno);
	if ((pid = xfork()) == 0) {
		close(p[0]);
		for (int i = 0; i < N; i++) {
			for (int j = 0; j < CHUNK; j++)
				buf[j] = (char)xorshift32(&s);
			if (write(p[1], buf, CHUNK) != CHUNK)
				exit(2);
		}
		exit(0);
	}
	close(p[1]);
	/* Odd-sized reads, so chunk and read boundaries never line up. */
	while ((n = read(p[0], buf, 777)) > 0) {
		for (int j = 0; j < n; j++)
			CHECK(buf[j] == (char)xorshift32(&want), "wrong byte at %d", total + j);
		total += n;
	}
	CHECK(n == 0, "read: errno %d", errno);
	CHECK(total == CHUNK * N, "got %d bytes, want %d", total, CHUNK * N);
	EXPECT_ERR(write(p[0], "x", 1), EBADF);   /* the read end */
	close(p[0]);
	CHECK(xwait(pid) == 0, "writer failed");
	CHECK(pipe(p) == 0, "pipe");
	EXPECT_ERR(read(p[1], buf, 1), EBADF);    /* the write end */
	close(p[0]);
	close(p[1]);
}

/* A write much larger than the pipe's buffer blocks until it is all read. */
static void test_pipebig(void)
{
	enum { SIZE = 100000 };
	int p[2], pid, got;
	char *big = malloc(SIZE);

	CHECK(big != NULL, "malloc");
	CHECK(pipe(p) == 0, "pipe: errno %d", errno);
	if ((pid = xfork()) == 0) {
		close(p[0]);
		fill(big, SIZE, 99);
		exit(write(p[1], big, SIZE) == SIZE ? 0 : 2);
	}
	close(p[1]);
	got = readall(p[0], big, SIZE);
	CHECK(got == SIZE, "read %d of %d bytes", got, SIZE);
	CHECK(same(big, SIZE, 99), "data differs");
	CHECK(read(p[0], big, 1) == 0, "no EOF after the writer exited");
	CHECK(xwait(pid) == 0, "writer failed");
	free(big);
}

/* EOF comes only when every write end is closed, in every process. */
static void test_pipeeof(void)
{
	int p[2], pids[3], n, total = 0;

	CHECK(pipe(p) == 0, "pipe: errno %d", errno);
	for (int i = 0; i < 3; i++)
		if ((pids[i] = xfork()) == 0) {
			close(p[0]);
			for (int k = 0; k < 100; k++)
				write(p[1], "0123456789", 10);
			exit(0);
		}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		total += n;
	CHECK(n == 0 && total == 3000, "read %d bytes, last read %d", total, n);
	for (int i = 0; i < 3; i++)
		CHECK(xwait(pids[i]) == 0, "writer failed");
	close(p[0]);
}

/*
 * Writing to a pipe nobody can read: EPIPE (the kit's kernel has no
 * signals; a kernel that kills the writer instead, as SIGPIPE would, also
 * passes). Both a writer that finds the reader gone and one blocked in
 * write when the reader goes away.
 */
static void test_pipeclosed(void)
{
	int p[2], pid, status;

	CHECK(pipe(p) == 0, "pipe: errno %d", errno);
	if ((pid = xfork()) == 0) {
		close(p[0]);
		exit(write(p[1], "x", 1) == -1 && errno == EPIPE ? 0 : 2);
	}
	close(p[0]);
	close(p[1]);
	status = xwait(pid);
	CHECK(status == 0 || status == KILLED, "writer exited %d", status);

	CHECK(pipe(p) == 0, "pipe: errno %d", errno);
	if ((pid = xfork()) == 0) {
		close(p[0]);
		for (int i = 0; i < 1000; i++)  /* fills the pipe, then blocks */
			if (write(p[1], buf, sizeof(buf)) < 0)
				exit(errno == EPIPE ? 0 : 2);
		exit(3);
	}
	close(p[1]);
	CHECK(read(p[0], buf, 10) == 10, "read");
	close(p[0]);
	status = xwait(pid);
	CHECK(status == 0 || status == KILLED, "blocked writer exited %d", status);
}

/* ---- Files ---- */

static void test_fileio(void)
{
	struct stat st;
	char small[64];
	int fd;

	fd = xopen("f1", O_CREATE | O_RDWR);
	fill(buf, 3000, 1);
	xwrite(fd, buf, 1000);
	xwrite(fd, buf + 1000, 2000);
	CHECK(fstat(fd, &st) == 0 && st.type == T_FILE && st.size == 3000,
	      "fstat: type %d size %u", st.type, st.size);
	CHECK(st.nlink == 1, "nlink %d", st.nlink);
	close(fd);

	memset(buf, 0, 3000);
	fd = xopen("f1", O_RDONLY);
	CHECK(readall(fd, buf, 4000) == 3000, "read back a different size");
	CHECK(same(buf, 3000, 1), "read back different data");
	CHECK(read(fd, buf, 10) == 0, "no EOF");
	EXPECT_ERR(write(fd, "x", 1), EBADF);   /* opened read-only */
	close(fd);

	fd = xopen("f1", O_WRONLY);
	EXPECT_ERR(read(fd, small, 1), EBADF);   /* opened write-only */
	xwrite(fd, "abc", 3);                    /* overwrites, no truncation */
	close(fd);
	CHECK(stat("f1", &st) == 0 && st.size == 3000, "size %u after overwrite", st.size);

	fd = xopen("f1", O_WRONLY | O_APPEND);
	xwrite(fd, "tail", 4);
	close(fd);
	fd = xopen("f1", O_RDONLY);
	CHECK(lseek(fd, -4, SEEK_END) == 3000, "lseek SEEK_END");
	CHECK(read(fd, small, 10) == 4 && memcmp(small, "tail", 4) == 0, "append");
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, small, 3) == 3 &&
	      memcmp(small, "abc", 3) == 0, "overwrite");
	close(fd);

	fd = xopen("f1", O_RDWR | O_TRUNC);
	CHECK(fstat(fd, &st) == 0 && st.size == 0, "size %u after O_TRUNC", st.size);
	close(fd);
	EXPECT_ERR(open("no-such-file", O_RDONLY), ENOENT);
	CHECK(unlink("f1") == 0, "unlink: errno %d", errno);
	EXPECT_ERR(open("f1", O_RDONLY), ENOENT);
	EXPECT_ERR(unlink("f1"), ENOENT);
}

static void test_lseek(void)
{
	int fd, p[2];
	char c;

	fd = xopen("seek", O_CREATE | O_RDWR);
	xwrite(fd, "0123456789", 10);
	CHECK(lseek(fd, 3, SEEK_SET) == 3, "SEEK_SET");
	CHECK(read(fd, &c, 1) == 1 && c == '3', "read after SEEK_SET");
	CHECK(lseek(fd, 2, SEEK_CUR) == 6, "SEEK_CUR");
	CHECK(read(fd, &c, 1) == 1 && c == '6', "read after SEEK_CUR");
	CHECK(lseek(fd, -1, SEEK_END) == 9, "SEEK_END");
	CHECK(read(fd, &c, 1) == 1 && c == '9', "read after SEEK_END");
	EXPECT_ERR(lseek(fd, -20, SEEK_CUR), EINVAL);
	EXPECT_ERR(lseek(fd, 0, 7), EINVAL);
	close(fd);
	unlink("seek");
	CHECK(pipe(p) == 0, "pipe");
	EXPECT_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	EXPECT_ERR(lseek(99, 0, SEEK_SET), EBADF);
}

/* Descriptors made by dup and fork share one offset. */
static void test_dup(void)
{
	int fd, fd2, pid;
	char b[8];

	fd = xopen("dup", O_CREATE | O_RDWR);
	fd2 = dup(fd);
	CHECK(fd2 >= 0 && fd2 != fd, "dup: %d", fd2);
	xwrite(fd, "ab", 2);
	xwrite(fd2, "cd", 2);
	CHECK(dup2(fd, 10) == 10, "dup2 to 10: errno %d", errno);
	CHECK(dup2(fd, fd) == fd, "dup2 to itself");
	close(fd);
	xwrite(10, "ef", 2);
	if ((pid = xfork()) == 0) {
		exit(write(fd2, "gh", 2) == 2 ? 0 : 1);
	}
	CHECK(xwait(pid) == 0, "child write");
	xwrite(fd2, "ij", 2);
	CHECK(lseek(fd2, 0, SEEK_SET) == 0, "lseek");
	CHECK(readall(10, b, 8) == 8 && memcmp(b, "abcdefgh", 8) == 0,
	      "file holds \"%.8s\"", b);
	close(fd2);
	close(10);
	EXPECT_ERR(dup(fd), EBADF);
	EXPECT_ERR(dup2(fd, 11), EBADF);
	unlink("dup");
}

/* Enough data to need the single and the double indirect block. */
static void test_bigfile(void)
{
	enum { BLOCKS = FS_NDIRECT + FS_NINDIRECT + 20 };
	struct stat st;
	int fd;

	fd = xopen("big", O_CREATE | O_WRONLY);
	for (int b = 0; b < BLOCKS; b++) {
		fill(buf, FS_BSIZE, b + 1);
		xwrite(fd, buf, FS_BSIZE);
	}
	close(fd);
	CHECK(stat("big", &st) == 0 && st.size == BLOCKS * FS_BSIZE, "size %u", st.size);
	fd = xopen("big", O_RDONLY);
	for (int b = 0; b < BLOCKS; b++) {
		CHECK(readall(fd, buf, FS_BSIZE) == FS_BSIZE, "short read at block %d", b);
		CHECK(same(buf, FS_BSIZE, b + 1), "block %d differs", b);
	}
	CHECK(read(fd, buf, 1) == 0, "no EOF");
	/* A random read in the double-indirect part. */
	CHECK(lseek(fd, (BLOCKS - 3) * FS_BSIZE, SEEK_SET) == (BLOCKS - 3) * FS_BSIZE, "lseek");
	CHECK(readall(fd, buf, FS_BSIZE) == FS_BSIZE && same(buf, FS_BSIZE, BLOCKS - 2),
	      "block %d after lseek", BLOCKS - 3);
	close(fd);
	CHECK(unlink("big") == 0, "unlink: errno %d", errno);
}

/*
 * Fill the disk: writes end with ENOSPC (and nothing worse), and once the
 * file is gone its blocks can all be used again.
 */
static int fill_disk(const char *name)
{
	int fd = xopen(name, O_CREATE | O_WRONLY), r, blocks = 0;

	memset(buf, 'D', sizeof(buf));
	while ((r = write(fd, buf, FS_BSIZE)) == (int)FS_BSIZE)
		blocks++;
	CHECK(r >= 0 || errno == ENOSPC, "write on a full disk: %d errno %d", r, errno);
	close(fd);
	return blocks;
}

static void test_diskfull(void)
{
	int first, second, fd;

	first = fill_disk("full1");
	CHECK(first > 100, "only %d blocks fit", first);
	/* Full: another file can be created (inodes are left) but not grown. */
	fd = open("full2", O_CREATE | O_WRONLY);
	if (fd >= 0) {
		errno = 0;
		CHECK(write(fd, buf, FS_BSIZE) < (int)FS_BSIZE, "a write on a full disk succeeded");
		close(fd);
		unlink("full2");
	}
	CHECK(unlink("full1") == 0, "unlink: errno %d", errno);
	second = fill_disk("full1");
	CHECK(second == first, "%d blocks fit the first time, %d the second", first, second);
	CHECK(unlink("full1") == 0, "unlink: errno %d", errno);
}

/* An unlinked file lives on while it is open. */
static void test_unlinkopen(void)
{
	int fd, fd2;

	fd = xopen("uo", O_CREATE | O_RDWR);
	fill(buf, 5000, 3);
	xwrite(fd, buf, 5000);
	fd2 = xopen("uo", O_RDONLY);
	CHECK(unlink("uo") == 0, "unlink: errno %d", errno);
	EXPECT_ERR(open("uo", O_RDONLY), ENOENT);
	memset(buf, 0, 5000);
	CHECK(readall(fd2, buf, 5000) == 5000 && same(buf, 5000, 3), "data lost");
	close(fd);
	close(fd2);
	/* The name can be used again at once. */
	fd = xopen("uo", O_CREATE | O_RDWR);
	CHECK(read(fd, buf, 10) == 0, "new file not empty");
	close(fd);
	unlink("uo");
}

static void test_dirs(void)
{
	struct stat st;
	int fd;

	CHECK(mkdir("d") == 0, "mkdir: errno %d", errno);
	EXPECT_ERR(mkdir("d"), EEXIST);
	CHECK(stat("d", &st) == 0 && st.type == T_DIR, "d is not a directory");
	fd = xopen("d/f", O_CREATE | O_WRONLY);
	xwrite(fd, "hi", 2);
	close(fd);
	EXPECT_ERR(open("d", O_WRONLY), EISDIR);
	EXPECT_ERR(unlink("d"), ENOTEMPTY);
	EXPECT_ERR(open("d/f/x", O_RDONLY), ENOTDIR);
	EXPECT_ERR(chdir("d/f"), ENOTDIR);
	EXPECT_ERR(chdir("nodir"), ENOENT);
	EXPECT_ERR(open("nodir/f", O_CREATE | O_WRONLY), ENOENT);

	CHECK(mkdir("d/e") == 0 && mkdir("d/e/g") == 0, "nested mkdir: errno %d", errno);
	CHECK(chdir("d/e/g") == 0, "chdir: errno %d", errno);
	fd = xopen("../../f", O_RDONLY);
	CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "hi", 2) == 0, "read ../../f");
	close(fd);
	CHECK(chdir("../..") == 0, "chdir ../..");
	CHECK(stat("e/g", &st) == 0 && st.type == T_DIR, "e/g from d");
	CHECK(unlink("e/g") == 0 && unlink("e") == 0, "rmdir: errno %d", errno);
	CHECK(unlink("f") == 0, "unlink f: errno %d", errno);
	CHECK(chdir("..") == 0, "chdir ..");
	CHECK(unlink("d") == 0, "unlink empty d: errno %d", errno);
	EXPECT_ERR(chdir("d"), ENOENT);

	/* ".." of the root is the root. */
	CHECK(stat("/..", &st) == 0 && st.ino == FS_ROOTINO, "/.. is inode %u", st.ino);
	CHECK(unlink(".") < 0 && unlink("..") < 0, "unlinked . or ..");
}

static void test_manyfiles(void)
{
	enum { N = 100 };
	char name[32], got[32];
	struct fs_dirent de;
	int fd, entries = 0;

	CHECK(mkdir("many") == 0, "mkdir: errno %d", errno);
	for (int i = 0; i < N; i++) {
		int n = snprintf(name, sizeof(name), "many/file%03d", i);
		fd = xopen(name, O_CREATE | O_WRONLY);
		xwrite(fd, name, n);
		close(fd);
	}
	for (int i = 0; i < N; i++) {
		int n = snprintf(name, sizeof(name), "many/file%03d", i);
		fd = xopen(name, O_RDONLY);
		CHECK(read(fd, got, sizeof(got)) == n && memcmp(got, name, n) == 0,
		      "%s holds the wrong data", name);
		close(fd);
	}
	/* The directory lists them all (plus . and .. if it holds those). */
	fd = xopen("many", O_RDONLY);
	while (read(fd, &de, sizeof(de)) == sizeof(de))
		if (de.inum != 0 && strncmp(de.name, "file", 4) == 0)
			entries++;
	close(fd);
	CHECK(entries == N, "directory lists %d files", entries);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "many/file%03d", i);
		CHECK(unlink(name) == 0, "unlink %s: errno %d", name, errno);
	}
	CHECK(unlink("many") == 0, "unlink dir: errno %d", errno);
}

static void test_link(void)
{
	struct stat st;
	int fd;

	fd = xopen("l1", O_CREATE | O_WRONLY);
	xwrite(fd, "linked", 6);
	close(fd);
	CHECK(link("l1", "l2") == 0, "link: errno %d", errno);
	EXPECT_ERR(link("l1", "l2"), EEXIST);
	EXPECT_ERR(link("nofile", "l3"), ENOENT);
	CHECK(stat("l2", &st) == 0 && st.nlink == 2, "nlink %d", st.nlink);
	CHECK(unlink("l1") == 0, "unlink");
	fd = xopen("l2", O_RDONLY);
	CHECK(read(fd, buf, 10) == 6 && memcmp(buf, "linked", 6) == 0, "data via l2");
	CHECK(fstat(fd, &st) == 0 && st.nlink == 1, "nlink %d after unlink", st.nlink);
	close(fd);
	unlink("l2");
}

/* Every process has a bounded table of descriptors. */
static void test_fdlimit(void)
{
	int fds[200], n = 0, fd;

	fd = xopen("fdl", O_CREATE | O_WRONLY);
	close(fd);
	while (n < 200 && (fd = open("fdl", O_RDONLY)) >= 0)
		fds[n++] = fd;
	CHECK(n < 200, "opened 200 files without a limit");
	CHECK(errno == EMFILE || errno == ENFILE, "errno %d at the limit", errno);
	for (int i = 0; i < n; i++)
		CHECK(close(fds[i]) == 0, "close");
	fd = xopen("fdl", O_RDONLY);
	close(fd);
	unlink("fdl");
}

/* Four processes write four files at once. */
static void test_fourfiles(void)
{
	enum { N = 4, SIZE = 12000 };
	int pids[N];
	char name[8];

	for (int i = 0; i < N; i++)
		if ((pids[i] = xfork()) == 0) {
			snprintf(name, sizeof(name), "ff%d", i);
			int fd = open(name, O_CREATE | O_WRONLY);
			if (fd < 0)
				exit(2);
			memset(buf, 'a' + i, 500);
			for (int k = 0; k < SIZE / 500; k++)
				if (write(fd, buf, 500) != 500)
					exit(3);
			exit(0);
		}
	for (int i = 0; i < N; i++)
		CHECK(xwait(pids[i]) == 0, "writer %d failed", i);
	for (int i = 0; i < N; i++) {
		int fd, n, total = 0;
		snprintf(name, sizeof(name), "ff%d", i);
		fd = xopen(name, O_RDONLY);
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			for (int k = 0; k < n; k++)
				CHECK(buf[k] == 'a' + i, "%s: wrong byte", name);
			total += n;
		}
		CHECK(total == SIZE, "%s has %d bytes", name, total);
		close(fd);
		unlink(name);
	}
}

/* Two processes append through one shared descriptor: nothing is lost. */
static void test_sharedfd(void)
{
	enum { N = 500 };
	int fd, pid, n, counts[2] = { 0, 0 };

	fd = xopen("sharedfd", O_CREATE | O_RDWR | O_TRUNC);
	pid = xfork();
	memset(buf, pid == 0 ? 'c' : 'p', 10);
	for (int i = 0; i < N; i++)
		if (write(fd, buf, 10) != 10) {
			if (pid == 0)
				exit(2);
			fail("parent's write");
		}
	if (pid == 0)
		exit(0);
	CHECK(xwait(pid) == 0, "child's writes");
	close(fd);
	fd = xopen("sharedfd", O_RDONLY);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (int i = 0; i < n; i++) {
			CHECK(buf[i] == 'c' || buf[i] == 'p', "stray byte");
			counts[buf[i] == 'p']++;
		}
	close(fd);
	unlink("sharedfd");
	CHECK(counts[0] == 10 * N && counts[1] == 10 * N, "counts %d %d",
	      counts[0], counts[1]);
}

/* Processes create and remove files in one directory at the same time. */
static void test_createdelete(void)
{
	enum { NPROC = 4, N = 20 };
	int pids[NPROC];
	char name[16];

	CHECK(mkdir("cd") == 0, "mkdir");
	for (int p = 0; p < NPROC; p++)
		if ((pids[p] = xfork()) == 0) {
			for (int i = 0; i < N; i++) {
				snprintf(name, sizeof(name), "cd/%c%d", 'a' + p, i);
				int fd = open(name, O_CREATE | O_WRONLY);
				if (fd < 0)
					exit(2);
				close(fd);
				/* Remove every other one, a little later. */
				if (i > 0 && i % 2 == 0) {
					snprintf(name, sizeof(name), "cd/%c%d", 'a' + p, i - 1);
					if (unlink(name) < 0)
						exit(3);
				}
			}
			exit(0);
		}
	for (int p = 0; p < NPROC; p++)
		CHECK(xwait(pids[p]) == 0, "process %d failed", p);
	for (int p = 0; p < NPROC; p++)
		for (int i = 0; i < N; i++) {
			struct stat st;
			int odd_removed = (i % 2 == 1 && i + 1 < N);
			snprintf(name, sizeof(name), "cd/%c%d", 'a' + p, i);
			CHECK((stat(name, &st) == 0) == !odd_removed, "%s %s", name,
			      odd_removed ? "still there" : "missing");
			if (!odd_removed)
				CHECK(unlink(name) == 0, "unlink %s", name);
		}
	CHECK(unlink("cd") == 0, "directory not empty at the end: errno %d", errno);
}

/* ---- Memory ---- */

static int data_word = 12345;
static int bss_words[5000];

static void test_loader(void)
{
	CHECK(data_word == 12345, "initialised data is %d", data_word);
	for (int i = 0; i < 5000; i++)
		CHECK(bss_words[i] == 0, "bss word %d is %d", i, bss_words[i]);
}

static void test_sbrk(void)
{
	char *old = sbrk(0), *p;
	int pid, status;

	p = sbrk(10 * PAGE);
	CHECK(p == old, "sbrk returned %p, break was %p", p, old);
	CHECK(sbrk(0) == old + 10 * PAGE, "break did not move");
	for (int i = 0; i < 10 * PAGE; i += 512)
		CHECK(p[i] == 0, "new memory is not zero");
	memset(p, 0x5A, 10 * PAGE);
	CHECK(sbrk(-10 * PAGE) == old + 10 * PAGE, "shrink");
	CHECK(sbrk(0) == old, "break after shrink");
	/* The pages are gone: touching them kills. */
	if ((pid = xfork()) == 0) {
		volatile char *q = old + 5 * PAGE;
		*q = 1;
		exit(0);
	}
	status = xwait(pid);
	CHECK(status == KILLED, "touching freed heap: child exited %d", status);
	/* Grown again: zero again. */
	p = sbrk(PAGE);
	CHECK(p == old && p[100] == 0, "regrown page not zero");
	sbrk(-PAGE);
	EXPECT_ERR((intptr_t)sbrk(0x7FFF0000), ENOMEM);
	CHECK(sbrk(0) == old, "a failed sbrk moved the break");
	/* Below the start of the heap: refused, whatever the errno. */
	CHECK(sbrk(-0x10000000) == (void *)-1, "sbrk shrank below the heap's start");
	CHECK(sbrk(0) == old, "a failed sbrk moved the break");
}

/* The stack grows on demand. */
static int deep(int n)
{
	volatile char frame[1000];

	frame[0] = (char)n;
	/* Let the array escape, or the compiler keeps only frame[0]. */
	__asm__ volatile("" : : "r"(frame) : "memory");
	if (n == 0)
		return 0;
	return deep(n - 1) + frame[0] - (char)n + 1;
}

static void test_stack(void)
{
	int pid, status;

	CHECK(deep(400) == 400, "recursion went wrong");   /* about 400 KB */
	/* Past the 1 MB limit the stack does not grow: the process dies. */
	if ((pid = xfork()) == 0)
		exit(deep(3000) == 3000 ? 0 : 2);
	status = xwait(pid);
	CHECK(status == KILLED, "3 MB of stack: child exited %d", status);
}

/*
 * Copy-on-write: after fork, parent and child write the same pages and
 * each sees its own data; the fork itself copies little, and every page is
 * free again when the child has gone.
 */
static void test_cow(void)
{
	enum { NPAGES = 64 };
	int before, after_fork, after;
	char *mem = sbrk(NPAGES * PAGE);
	int pid, p[2];

	CHECK(mem != (char *)-1, "sbrk");
	for (int i = 0; i < NPAGES; i++)
		fill(mem + i * PAGE, PAGE, i + 1);
	CHECK(pipe(p) == 0, "pipe");
	before = free_pages();
	if ((pid = xfork()) == 0) {
		int in_child = free_pages();
		write(p[1], &in_child, sizeof(in_child));
		for (int i = 0; i < NPAGES; i++)
			if (!same(mem + i * PAGE, PAGE, i + 1))
				exit(2);
		for (int i = 0; i < NPAGES; i++)
			fill(mem + i * PAGE, PAGE, 1000 + i);
		for (int i = 0; i < NPAGES; i++)
			if (!same(mem + i * PAGE, PAGE, 1000 + i))
				exit(3);
		exit(0);
	}
	CHECK(read(p[0], &after_fork, sizeof(after_fork)) == sizeof(after_fork), "pipe read");
	for (int i = 0; i < NPAGES; i += 2)
		fill(mem + i * PAGE, PAGE, 2000 + i);
	CHECK(xwait(pid) == 0, "child saw wrong data");
	for (int i = 0; i < NPAGES; i++)
		CHECK(same(mem + i * PAGE, PAGE, i % 2 ? i + 1 : 2000 + i),
		      "parent's page %d changed", i);
	after = free_pages();
	CHECK(before - after_fork < NPAGES / 2,
	      "fork took %d pages for a %d-page heap: no copy-on-write?",
	      before - after_fork, NPAGES);
	CHECK(after + 8 >= before, "%d pages lost after the child exited", before - after);
	sbrk(-NPAGES * PAGE);
}

/*
 * The kernel itself writes user memory in read() (copyout). Into a page
 * shared copy-on-write after fork it must copy first, or the parent's
 * page changes; into a fresh heap page it must fill it on demand.
 */
static void test_cowcopyout(void)
{
	enum { SIZE = 3 * PAGE };
	char *mem = sbrk(SIZE);
	int fd, pid, p[2];

	CHECK(mem != (char *)-1, "sbrk");
	fd = xopen("cco", O_CREATE | O_RDWR);
	fill(buf, SIZE, 5);
	xwrite(fd, buf, SIZE);
	memset(mem, 'P', SIZE);
	if ((pid = xfork()) == 0) {
		lseek(fd, 0, SEEK_SET);
		if (readall(fd, mem, SIZE) != SIZE || !same(mem, SIZE, 5))
			exit(2);
		exit(0);
	}
	CHECK(xwait(pid) == 0, "the child's read went wrong");
	for (int i = 0; i < SIZE; i++)
		CHECK(mem[i] == 'P', "the child's read() changed the parent's byte %d", i);
	close(fd);
	unlink("cco");

	/* A pipe read into heap pages nobody has touched yet. */
	char *fresh = sbrk(2 * PAGE);
	CHECK(fresh != (char *)-1 && pipe(p) == 0, "sbrk or pipe");
	xwrite(p[1], "fresh", 5);
	CHECK(read(p[0], fresh + PAGE - 2, 5) == 5 && memcmp(fresh + PAGE - 2, "fresh", 5) == 0,
	      "read into untouched pages");
	close(p[0]);
	close(p[1]);
	sbrk(-2 * PAGE);
	sbrk(-SIZE);
}

/* Many forks of a process with a big heap do not eat memory. */
static void test_cowmany(void)
{
	enum { NPAGES = 256, FORKS = 30 };
	char *mem = sbrk(NPAGES * PAGE);
	int before;

	CHECK(mem != (char *)-1, "sbrk");
	memset(mem, 1, NPAGES * PAGE);
	before = free_pages();
	for (int k = 0; k < FORKS; k++) {
		int pid = xfork();
		if (pid == 0) {
			mem[k * PAGE] = 2;   /* one page copied */
			exit(mem[(k + 1) * PAGE] == 1 ? 0 : 2);
		}
		CHECK(xwait(pid) == 0, "child %d", k);
	}
	CHECK(mem[0] == 1 && mem[5 * PAGE] == 1, "a child's write reached the parent");
	CHECK((int)free_pages() + 8 >= before, "%d pages lost over %d forks",
	      before - (int)free_pages(), FORKS);
	sbrk(-NPAGES * PAGE);
}

/*
 * Run the machine out of memory: a child grows its heap and touches every
 * page until sbrk fails (or, if the kernel hands out pages lazily and has
 * none left when one is touched, until the kernel kills it). Afterwards
 * the memory must all come back and the system must still work.
 */
static void test_outofmemory(void)
{
	int before = free_pages(), after;
	int pid, status, p[2];
	int pages = 0;

	CHECK(pipe(p) == 0, "pipe");
	if ((pid = xfork()) == 0) {
		int got = 0;
		close(p[0]);
		for (int step = 16 * PAGE; step >= PAGE; step /= 16) {
			char *m;
			while ((m = sbrk(step)) != (char *)-1) {
				for (int i = 0; i < step; i += PAGE)
					m[i] = 1;
				got += step / PAGE;
				/* Tell the parent as we go: we may be killed. */
				write(p[1], &got, sizeof(got));
			}
			if (errno != ENOMEM)
				exit(2);
		}
		exit(0);
	}
	close(p[1]);
	while (read(p[0], &pages, sizeof(pages)) == sizeof(pages))
		;
	close(p[0]);
	status = xwait(pid);
	CHECK(status == 0 || status == KILLED, "child exited %d", status);
	CHECK(pages > before / 2, "got only %d of %d free pages", pages, before);
	after = free_pages();
	CHECK(after + 8 >= before, "%d pages lost", before - after);
	/* Still alive: a fork and an exec work. */
	char *argv[] = { "/bin/true", 0 };
	CHECK(run_capture(argv, buf, 64) == 0, "cannot run a program afterwards");
}

/*
 * A fork bomb stops at the size of the process table with EAGAIN; the
 * children wait on a pipe, so they are all alive at the peak.
 */
static void test_forkbomb(void)
{
	enum { MAX = 2000 };
	static int pids[MAX];
	int p[2], n = 0, pid, err;
	char c;

	CHECK(pipe(p) == 0, "pipe");
	for (;;) {
		CHECK(n < MAX, "%d processes and no limit", MAX);
		pid = fork();
		if (pid == 0) {
			close(p[1]);
			read(p[0], &c, 1);  /* until the parent closes its end */
			exit(0);
		}
		if (pid < 0)
			break;
		pids[n++] = pid;
	}
	err = errno;
	close(p[1]);
	for (int i = 0; i < n; i++)
		CHECK(xwait(pids[i]) == 0, "child failed");
	CHECK(err == EAGAIN, "fork failed with errno %d, want EAGAIN", err);
	CHECK(n >= 8, "only %d processes", n);
	pid = xfork();
	if (pid == 0)
		exit(7);
	CHECK(xwait(pid) == 7, "fork after the bomb");
}

/* ---- Faults and kill ---- */

/* A child that does something illegal is killed; we go on. */
static void expect_killed(void (*bad)(void), const char *what)
{
	int pid = xfork(), status;

	if (pid == 0) {
		bad();
		exit(0);
	}
	status = xwait(pid);
	CHECK(status == KILLED, "%s: child exited %d, not killed", what, status);
}

static void null_read(void) { (void)*(volatile int *)0; }
static void null_write(void) { *(volatile int *)0 = 1; }
static void kernel_read(void) { (void)*(volatile int *)0x80000000; }
static void kernel_write(void) { *(volatile int *)0x80001000 = 1; }
static void device_write(void) { *(volatile int *)0xBF001000 = 9; } /* HALT */
static void unaligned(void) { (void)*(volatile int *)((uintptr_t)buf + 1); }
static void trap(void) { __builtin_trap(); }
static void jump_null(void)
{
	/* volatile: a call through a constant null pointer is undefined, and
	   clang would compile it to nothing. */
	void (*volatile fn)(void) = 0;
	fn();
}
static void priv_insn(void) { __asm__ volatile("mfc0 $t0, $12" ::: "t0"); }
static void text_write(void) { *(volatile int *)(uintptr_t)expect_killed = 0; }

static void test_faults(void)
{
	expect_killed(null_read, "read of address 0");
	expect_killed(null_write, "write of address 0");
	expect_killed(kernel_read, "read of kseg0");
	expect_killed(kernel_write, "write of kseg0");
	expect_killed(device_write, "write of the halt register");
	expect_killed(unaligned, "unaligned load");
	expect_killed(trap, "break instruction");
	expect_killed(jump_null, "jump to 0");
	expect_killed(priv_insn, "mfc0 in user mode");
	expect_killed(text_write, "write to the (read-only) text");
}

static void test_kill(void)
{
	int pid, status, p[2];
	char c;

	/* A process that computes forever. */
	if ((pid = xfork()) == 0)
		for (volatile int i = 0;; i++)
			;
	CHECK(kill(pid) == 0, "kill: errno %d", errno);
	status = xwait(pid);
	CHECK(status == KILLED, "spinning child exited %d", status);

	/* A process asleep in read. */
	CHECK(pipe(p) == 0, "pipe");
	if ((pid = xfork()) == 0) {
		read(p[0], &c, 1);
		exit(0);
	}
	sleep(1);
	CHECK(kill(pid) == 0, "kill: errno %d", errno);
	status = xwait(pid);
	CHECK(status == KILLED, "reading child exited %d", status);
	close(p[0]);
	close(p[1]);

	/* A process in sleep(): killing it must not wait for the alarm. */
	int t0 = uptime();
	if ((pid = xfork()) == 0) {
		sleep(100000);
		exit(0);
	}
	sleep(1);
	CHECK(kill(pid) == 0, "kill: errno %d", errno);
	status = xwait(pid);
	CHECK(status == KILLED, "sleeping child exited %d", status);
	CHECK(uptime() - t0 < 1000, "the sleeper was killed only when its sleep ended");
	EXPECT_ERR(kill(99999), ESRCH);
}

/* ---- Bad arguments ---- */

static void test_badfd(void)
{
	struct stat st;
	int fd;

	EXPECT_ERR(read(-1, buf, 1), EBADF);
	EXPECT_ERR(read(99, buf, 1), EBADF);
	EXPECT_ERR(write(1000, buf, 1), EBADF);
	EXPECT_ERR(close(-5), EBADF);
	EXPECT_ERR(fstat(77, &st), EBADF);
	EXPECT_ERR(dup(42), EBADF);
	EXPECT_ERR(lseek(42, 0, SEEK_SET), EBADF);
	fd = xopen("/", O_RDONLY);
	close(fd);
	EXPECT_ERR(close(fd), EBADF);
	EXPECT_ERR(read(fd, buf, 1), EBADF);
}

static void test_badptr(void)
{
	char *heap_end = sbrk(0);
	char *bad[] = { (char *)0, (char *)0x80000000, (char *)0x80001000,
			(char *)0xBF000000, heap_end + 16 * PAGE,
			(char *)0xFFFFF000 };
	/* If a bad exec succeeded anyway, false's status 1 would show it. */
	char *argv_bad[] = { "/bin/false", (char *)0x80000000, 0 };
	int fd, r;

	fd = xopen("badptr", O_CREATE | O_RDWR);
	xwrite(fd, "0123456789", 10);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *b = bad[i];
		lseek(fd, 0, SEEK_SET);
		EXPECT_ERR(read(fd, b, 10), EFAULT);
		EXPECT_ERR(write(fd, b, 10), EFAULT);
		EXPECT_ERR(write(1, b, 10), EFAULT);
		EXPECT_ERR(open(b, O_RDONLY), EFAULT);
		EXPECT_ERR(fstat(fd, (struct stat *)b), EFAULT);
		EXPECT_ERR(pipe((int *)b), EFAULT);
		EXPECT_ERR(exec(b, argv_bad), EFAULT);
		if (b != 0)  /* a NULL argv is allowed: no arguments */
			EXPECT_ERR(exec("/bin/false", (char **)b), EFAULT);
		EXPECT_ERR(mkdir(b), EFAULT);
		EXPECT_ERR(chdir(b), EFAULT);
		EXPECT_ERR(unlink(b), EFAULT);
		EXPECT_ERR(link(b, "x"), EFAULT);
		EXPECT_ERR(link("badptr", b), EFAULT);
		EXPECT_ERR(memstat((struct memstat *)b), EFAULT);
	}
	EXPECT_ERR(exec("/bin/false", argv_bad), EFAULT);
	/* Ranges that wrap around, or run into the kernel's half. */
	EXPECT_ERR(write(fd, (char *)0xFFFFFF00, 0x200), EFAULT);
	/*
	 * Buffers that start in good memory and run off its end: EFAULT, or
	 * a short count if the kernel copies up to the bad page, but never
	 * all of it.
	 */
	errno = 0;
	r = write(fd, buf, 0x7FFFFFFF);
	CHECK((r == -1 && errno == EFAULT) || (r >= 0 && r < 0x7FFFFFFF),
	      "write of 2 GB from the data segment: %d errno %d", r, errno);
	errno = 0;
	r = write(fd, (char *)0x7FFFF000 - 0x100, 0x200);
	CHECK((r == -1 && errno == EFAULT) || (r >= 0 && r < 0x200),
	      "write across the stack's end: %d errno %d", r, errno);
	close(fd);
	unlink("badptr");
	/* wait with a bad status pointer (the child's status is lost). */
	int pid = xfork();
	if (pid == 0)
		exit(0);
	EXPECT_ERR(wait((int *)0x80000000), EFAULT);
	/* And nothing above hurt the process. */
	CHECK(stat("/", &(struct stat){0}) == 0, "the process is damaged");
}

static void test_badcall(void)
{
	EXPECT_ERR(syscall(0, 0, 0, 0, 0), ENOSYS);
	EXPECT_ERR(syscall(SYS_MAX + 1, 0, 0, 0, 0), ENOSYS);
	EXPECT_ERR(syscall(1000, 0, 0, 0, 0), ENOSYS);
	EXPECT_ERR(syscall(-1, 0, 0, 0, 0), ENOSYS);
	/* Only init may halt the machine. */
	EXPECT_ERR(halt(77), EPERM);
}

/* ---- Shared memory: sproc ---- */

enum { NTHREADS = 4, ROUNDS = 2000 };
static spinlock_t counter_lock = SPINLOCK_INIT;
static int counter;
static volatile int atomic_counter;
static int *shared_results;

static void worker(void *arg)
{
	int id = (int)(intptr_t)arg;

	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&counter_lock);
		counter++;
		spin_unlock(&counter_lock);
		atomic_add(&atomic_counter, 1);
	}
	/* The heap is shared too: the parent reads this. */
	shared_results[id] = getpid();
}

static void test_sproc(void)
{
	char *stacks[NTHREADS];
	int pids[NTHREADS], seen = 0, status;

	shared_results = calloc(NTHREADS, sizeof(int));
	CHECK(shared_results != NULL, "calloc");
	for (int i = 0; i < NTHREADS; i++) {
		stacks[i] = malloc(16384);
		CHECK(stacks[i] != NULL, "malloc");
		pids[i] = sproc(worker, (void *)(intptr_t)i, stacks[i] + 16384);
		CHECK(pids[i] > 0, "sproc: errno %d", errno);
	}
	for (int i = 0; i < NTHREADS; i++) {
		int r = wait(&status);
		CHECK(r > 0 && status == 0, "wait: %d, status %d", r, status);
		seen++;
	}
	CHECK(seen == NTHREADS, "reaped %d", seen);
	CHECK(counter == NTHREADS * ROUNDS, "locked counter %d, want %d", counter,
	      NTHREADS * ROUNDS);
	CHECK(atomic_counter == NTHREADS * ROUNDS, "atomic counter %d", atomic_counter);
	for (int i = 0; i < NTHREADS; i++)
		CHECK(shared_results[i] == pids[i], "thread %d wrote %d, pid %d", i,
		      shared_results[i], pids[i]);
	for (int i = 0; i < NTHREADS; i++)
		free(stacks[i]);
	free(shared_results);
}

/* Memory a thread gets with sbrk is the parent's too. */
static volatile char *thread_mem;
static void grower(void *arg)
{
	(void)arg;
	thread_mem = sbrk(PAGE);
	if (thread_mem != (char *)-1)
		thread_mem[10] = 42;
}

static void test_sprocsbrk(void)
{
	static char stack[8192];
	int pid, status;

	pid = sproc(grower, 0, stack + sizeof(stack));
	CHECK(pid > 0, "sproc: errno %d", errno);
	CHECK(wait(&status) == pid && status == 0, "thread failed");
	CHECK(thread_mem != (char *)-1 && thread_mem != 0, "thread's sbrk failed");
	CHECK(thread_mem[10] == 42, "the thread's new page is not shared");
	CHECK((char *)sbrk(0) == (char *)thread_mem + PAGE, "break not shared");
}

/*
 * A page the heap gives back must vanish from every CPU's TLB: a thread
 * keeps reading it on (with more than one CPU) another CPU while the
 * parent shrinks the heap, then reads it once more, which must kill it.
 * A stale TLB entry would let the read through.
 */
static volatile int *shrink_page;
static volatile int shrink_state;   /* 1: reader started; 2: page gone */

/* One load instruction for every read, so that the kernel's report of
   the fault (its pc) is the same whichever read faults: with one CPU the
   last, with more perhaps one in the loop. */
static __attribute__((noinline)) int read_shrink_page(void)
{
	return *shrink_page;
}

static void shrink_reader(void *arg)
{
	int sum = 0;

	(void)arg;
	sum += read_shrink_page();
	shrink_state = 1;
	while (shrink_state != 2)
		sum += read_shrink_page();
	sum += read_shrink_page();   /* must fault */
	exit(sum == 12345 ? 3 : 2);
}

static void test_sprocshrink(void)
{
	static char stack[8192];
	int pid, status;
	uintptr_t brk = (uintptr_t)sbrk(0);
	char *p;

	/* The break need not be on a page boundary: pad to one first. */
	sbrk((PAGE - (brk & (PAGE - 1))) & (PAGE - 1));
	p = sbrk(PAGE);
	CHECK(p != (char *)-1 && ((uintptr_t)p & (PAGE - 1)) == 0, "sbrk gave %p", p);
	shrink_page = (volatile int *)p;
	*shrink_page = 7;
	pid = sproc(shrink_reader, 0, stack + sizeof(stack));
	CHECK(pid > 0, "sproc: errno %d", errno);
	while (shrink_state != 1)
		yield();
	CHECK(sbrk(-PAGE) == p + PAGE, "shrink");
	shrink_state = 2;
	status = xwait(pid);
	CHECK(status == KILLED, "the reader read a freed page (status %d)", status);
}

/*
 * fork from a process whose sibling thread keeps writing: the child's
 * memory is a snapshot, so the thread's later writes (on another CPU,
 * through a TLB entry that fork must have shot down) must not show in it.
 */
static volatile int fork_counter, fork_stop;

static void counting_thread(void *arg)
{
	(void)arg;
	while (!fork_stop)
		fork_counter++;
}

static void test_sprocfork(void)
{
	static char stack[8192];
	int thread, child, at_fork;

	thread = sproc(counting_thread, 0, stack + sizeof(stack));
	CHECK(thread > 0, "sproc: errno %d", errno);
	while (fork_counter < 1000)
		yield();
	child = xfork();
	if (child == 0) {
		int v1 = fork_counter, v2;
		for (volatile int i = 0; i < 200000; i++)
			;
		v2 = fork_counter;
		exit(v1 == v2 ? 0 : 2);
	}
	at_fork = fork_counter;
	CHECK(xwait(child) == 0, "the thread's writes reached the child's copy");
	for (volatile int i = 0; i < 200000 && fork_counter == at_fork; i++)
		;
	CHECK(fork_counter != at_fork, "the thread stopped counting after the fork");
	fork_stop = 1;
	CHECK(xwait(thread) == 0, "thread failed");
}

/*
 * The process that made a thread exits first: the shared address space
 * must live on for the thread (and the thread, now init's child, is reaped
 * by init).
 */
static int orphan_pipe[2];

static void orphan_thread(void *arg)
{
	char *m;

	(void)arg;
	for (volatile int i = 0; i < 200000; i++)   /* outlive the creator */
		;
	m = malloc(10000);
	if (m)
		memset(m, 7, 10000);
	write(orphan_pipe[1], m && m[9999] == 7 ? "alive" : "wrong", 5);
}

static void test_sprocorphan(void)
{
	char got[8];
	int pid;

	CHECK(pipe(orphan_pipe) == 0, "pipe");
	if ((pid = xfork()) == 0) {
		static char stack[8192];
		exit(sproc(orphan_thread, 0, stack + sizeof(stack)) > 0 ? 0 : 2);
	}
	CHECK(xwait(pid) == 0, "sproc failed");
	close(orphan_pipe[1]);
	CHECK(readall(orphan_pipe[0], got, 5) == 5 && memcmp(got, "alive", 5) == 0,
	      "the orphaned thread did not report");
	CHECK(read(orphan_pipe[0], got, 1) == 0, "no EOF after the thread exited");
	close(orphan_pipe[0]);
}

/* ---- Time ---- */

static void test_sleep(void)
{
	int t0 = uptime(), t1;

	CHECK(t0 >= 0, "uptime");
	CHECK(sleep(3) == 0, "sleep: errno %d", errno);
	t1 = uptime();
	CHECK(t1 >= t0 + 3, "slept %d ticks, asked 3", t1 - t0);
	CHECK(ncpus() >= 1, "ncpus %d", ncpus());
	CHECK(getcpu() >= 0 && getcpu() < ncpus(), "getcpu");
	CHECK(yield() == 0, "yield");
}

/* ---- The runner ---- */

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "exitwait", test_exitwait },
	{ "forkmany", test_forkmany },
	{ "getpid", test_getpid },
	{ "exec", test_exec },
	{ "execargs", test_execargs },
	{ "execmany", test_execmany },
	{ "sh", test_sh },
	{ "pipe", test_pipe },
	{ "pipebig", test_pipebig },
	{ "pipeeof", test_pipeeof },
	{ "pipeclosed", test_pipeclosed },
	{ "fileio", test_fileio },
	{ "lseek", test_lseek },
	{ "dup", test_dup },
	{ "bigfile", test_bigfile },
	{ "diskfull", test_diskfull },
	{ "unlinkopen", test_unlinkopen },
	{ "dirs", test_dirs },
	{ "manyfiles", test_manyfiles },
	{ "link", test_link },
	{ "fdlimit", test_fdlimit },
	{ "fourfiles", test_fourfiles },
	{ "sharedfd", test_sharedfd },
	{ "createdelete", test_createdelete },
	{ "loader", test_loader },
	{ "sbrk", test_sbrk },
	{ "stack", test_stack },
	{ "cow", test_cow },
	{ "cowmany", test_cowmany },
	{ "cowcopyout", test_cowcopyout },
	{ "outofmemory", test_outofmemory },
	{ "forkbomb", test_forkbomb },
	{ "faults", test_faults },
	{ "kill", test_kill },
	{ "badfd", test_badfd },
	{ "badptr", test_badptr },
	{ "badcall", test_badcall },
	{ "sproc", test_sproc },
	{ "sprocsbrk", test_sprocsbrk },
	{ "sprocshrink", test_sprocshrink },
	{ "sprocfork", test_sprocfork },
	{ "sprocorphan", test_sprocorphan },
	{ "sleep", test_sleep },
};

#define NTESTS (int)(sizeof(tests) / sizeof(tests[0]))

static int wanted(int argc, char *argv[], const char *name)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* Run one test in a child; 1 if it passed. */
static int run_test(int i)
{
	int pid, status;

	test_name = tests[i].name;
	pid = fork();
	if (pid < 0) {
		printf("test %s: FAIL: fork: errno %d\n", test_name, errno);
		return 0;
	}
	if (pid == 0) {
		tests[i].fn();
		exit(0);
	}
	if (waitpid(pid, &status) != pid) {
		printf("test %s: FAIL: wait: errno %d\n", test_name, errno);
		return 0;
	}
	if (status == 0) {
		printf("test %s: ok\n", test_name);
		return 1;
	}
	if (status != REPORTED)
		printf("test %s: FAIL: %s (status %d)\n", test_name,
		       status == KILLED ? "killed" : "exited", status);
	return 0;
}

int main(int argc, char *argv[])
{
	int passed = 0, failed = 0;
	unsigned start_free;

	for (int i = 1; i < argc; i++) {
		int k;
		for (k = 0; k < NTESTS && strcmp(tests[k].name, argv[i]); k++)
			;
		if (k == NTESTS) {
			fprintf(stderr, "usertests: no test %s\n", argv[i]);
			return 2;
		}
	}
	/* A fresh scratch directory: tests use relative names. */
	if ((mkdir(SCRATCH) < 0 && errno != EEXIST) || chdir(SCRATCH) < 0) {
		printf("usertests: cannot use %s: errno %d\n", SCRATCH, errno);
		return 1;
	}
	start_free = free_pages();
	for (int i = 0; i < NTESTS; i++)
		if (wanted(argc, argv, tests[i].name)) {
			if (run_test(i))
				passed++;
			else
				failed++;
		}
	chdir("/");
	if (unlink(SCRATCH) < 0) {
		printf("test cleanup: FAIL: %s not empty (errno %d)\n", SCRATCH, errno);
		failed++;
	}
	/* Everything the tests took must have come back. */
	if (argc < 2) {
		unsigned end_free = free_pages();
		if (end_free + 16 >= start_free) {
			printf("test memleak: ok\n");
			passed++;
		} else {
			printf("test memleak: FAIL: %u pages fewer free than at the start\n",
			       start_free - end_free);
			failed++;
		}
	}
	printf("usertests: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
