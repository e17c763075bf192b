/*
 * fsstress: several processes use the file system at once (creating,
 * writing, reading back, linking, unlinking files and directories, in
 * their own directories and in a shared one), then the directory tree is
 * left clean. The image must pass fsck afterwards (test.sh runs it).
 * Under /fss, or under the directory its argument names (test.sh runs it
 * on a second disk mounted at /mnt too).
 */
#include "tlib.h"

#define NPROC 4
#define NFILES 12

static char buf[9000], rbuf[9000];
static const char *top = "/fss";   /* where it works */

static void fill(char *b, int n, int seed)
{
	unsigned x = seed * 2654435761u + 1;

	for (int i = 0; i < n; i++) {
		x = x * 1103515245u + 12345;
		b[i] = x >> 16;
	}
}

static int worker(int me)
{
	char dir[32], name[64], lname[64];
	int fails = 0;

	snprintf(dir, sizeof dir, "%s/d%d", top, me);
	if (mkdir(dir) < 0)
		return 1;
	for (int round = 0; round < 3; round++) {
		for (int f = 0; f < NFILES; f++) {
			int n = 100 + (me * 977 + f * 1531 + round * 313) % 8800, fd;

			snprintf(name, sizeof name, "%s/f%d", dir, f);
			fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
			if (fd < 0)
				return 2;
			fill(buf, n, me * 1000 + f + round);
			if (write(fd, buf, n) != n)
				fails++;
			lseek(fd, 0, SEEK_SET);
			if (read(fd, rbuf, sizeof rbuf) != n || memcmp(buf, rbuf, n))
				fails++;
			close(fd);
			/* A link in the shared directory, and its removal. */
			snprintf(lname, sizeof lname, "%s/shared/p%d-f%d", top, me, f);
			if (link(name, lname) < 0)
				fails++;
			if (f % 3 == 0 && unlink(lname) < 0)
				fails++;
		}
		for (int f = 0; f < NFILES; f++) {
			snprintf(lname, sizeof lname, "%s/shared/p%d-f%d", top, me, f);
			if (f % 3 != 0 && unlink(lname) < 0)
				fails++;
			if (round == 2) {
				snprintf(name, sizeof name, "%s/f%d", dir, f);
				if (unlink(name) < 0)
					fails++;
			}
		}
	}
	if (unlink(dir) < 0)
		fails++;
	return fails ? 3 : 0;
}

int main(int argc, char **argv)
{
	char shared[64];
	int status, bad = 0;

	if (argc > 1)
		top = argv[1];
	snprintf(shared, sizeof shared, "%s/shared", top);
	CHECK(mkdir(top) == 0, "mkdir %s", top);
	CHECK(mkdir(shared) == 0, "mkdir %s", shared);
	for (int i = 0; i < NPROC; i++)
		if (fork() == 0)
			exit(worker(i));
	while (wait(&status) > 0)
		if (status != 0) {
			printf("fsstress: a worker exited %d\n", status);
			bad++;
		}
	CHECK(unlink(shared) == 0, "unlink %s", shared);
	CHECK(unlink(top) == 0, "unlink %s", top);
	CHECK(bad == 0, "%d workers failed", bad);
	printf("fsstress: %d processes x %d files: %s\n", NPROC, NFILES,
	       tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
