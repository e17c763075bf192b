/*
 * fsedge: file-system corner cases and their error numbers. In the root
 * directory, or under the directory its argument names (test.sh and
 * disco-test.sh run it on a mounted disk and over NFS too).
 */
#include "tlib.h"

static const char *top = "";   /* prefixed to every absolute path below */

/* top + path, in one of a few rotating buffers. */
static const char *P(const char *path)
{
	static char bufs[4][128];
	static int next;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof bufs[0], "%s%s", top, path);
	return b;
}

int main(int argc, char **argv)
{
	char buf[64], longname[80];
	struct stat st;
	int fd, p[2];

	if (argc > 1)
		top = argv[1];

	/* A directory removed while it is the current one. */
	CHECK(mkdir(P("/gone")) == 0, "mkdir");
	CHECK(chdir(P("/gone")) == 0, "chdir");
	CHECK(unlink(P("/gone")) == 0, "unlink an empty directory");
	CHECK(open("x", O_CREATE | O_RDWR) == -ENOENT, "create in a removed directory");
	CHECK(mkdir("y") == -ENOENT, "mkdir in a removed directory");
	CHECK(chdir(P("/")) == 0, "chdir /");

	CHECK(mkdir(P("/e")) == 0, "mkdir /e");
	CHECK(mkdir(P("/e")) == -EEXIST, "mkdir existing");
	CHECK(unlink(P("/e/.")) == -EINVAL, "unlink .");
	CHECK(unlink(P("/e/..")) == -EINVAL, "unlink ..");
	CHECK(link(P("/e"), P("/e2")) == -EPERM, "link a directory");
	CHECK(open(P("/e"), O_RDWR) == -EISDIR, "open a directory for writing");
	CHECK(open(P("/e"), O_CREATE | O_RDWR) == -EISDIR, "create over a directory");
	fd = open(P("/e/f"), O_CREATE | O_RDWR);
	CHECK(fd >= 0, "create /e/f");
	CHECK(unlink(P("/e")) == -ENOTEMPTY, "unlink a non-empty directory");
	CHECK(open(P("/e/f/g"), O_RDONLY) == -ENOTDIR, "a file as a directory");
	CHECK(chdir(P("/e/f")) == -ENOTDIR, "chdir to a file");
	CHECK(mkdir("/") == -EINVAL || mkdir("/") == -EEXIST, "mkdir /");
	memset(longname, 'a', sizeof longname);
	longname[0] = '/';
	longname[79] = 0;
	CHECK(open(longname, O_CREATE | O_RDWR) == -ENAMETOOLONG, "a 78-byte name");
	CHECK(open("", O_RDONLY) == -ENOENT, "empty path");

	/* A hole reads as zeros; the size is the end of the last write. */
	CHECK(lseek(fd, 100000, SEEK_SET) == 100000, "lseek past the end");
	CHECK(write(fd, "end", 3) == 3, "write after the hole");
	CHECK(fstat(fd, &st) == 0 && st.size == 100003 && st.type == T_FILE, "size %u", st.size);
	CHECK(lseek(fd, 50000, SEEK_SET) == 50000, "lseek into the hole");
	memset(buf, 1, sizeof buf);
	CHECK(read(fd, buf, 8) == 8 && !buf[0] && !buf[7], "the hole reads as zeros");
	CHECK(lseek(fd, -3, SEEK_END) == 100000, "SEEK_END");
	CHECK(read(fd, buf, 10) == 3 && !memcmp(buf, "end", 3), "read the end");
	CHECK(lseek(fd, -1, SEEK_SET) == -EINVAL, "negative offset");
	CHECK(lseek(fd, 0, 9) == -EINVAL, "bad whence");
	close(fd);

	/* O_APPEND and O_TRUNC. */
	fd = open(P("/e/f"), O_WRONLY | O_APPEND);
	CHECK(write(fd, "more", 4) == 4, "append");
	close(fd);
	fd = open(P("/e/f"), O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.size == 100007, "size after append %u", st.size);
	CHECK(write(fd, "x", 1) == -EBADF, "write to a read-only fd");
	close(fd);
	fd = open(P("/e/f"), O_RDWR | O_TRUNC);
	CHECK(fstat(fd, &st) == 0 && st.size == 0, "size after O_TRUNC %u", st.size);
	CHECK(read(fd, buf, 1) == 0, "read at the end");
	close(fd);
	CHECK(open(P("/e/f"), 3) == -EINVAL, "access mode 3");

	/* Links. */
	CHECK(link(P("/e/f"), P("/e/h")) == 0, "link");
	CHECK(link(P("/e/f"), P("/e/h")) == -EEXIST, "link over an existing name");
	fd = open(P("/e/h"), O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.nlink == 2, "nlink %d", st.nlink);
	close(fd);
	CHECK(unlink(P("/e/f")) == 0 && unlink(P("/e/h")) == 0, "unlink both");
	CHECK(unlink(P("/e/h")) == -ENOENT, "unlink twice");
	fd = open(P("/e"), O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.type == T_DIR && st.nlink == 2, "dir nlink %d", st.nlink);
	close(fd);
	CHECK(unlink(P("/e")) == 0, "unlink /e");

	/* Pipes and the console do not seek. */
	CHECK(pipe(p) == 0, "pipe");
	CHECK(lseek(p[0], 0, SEEK_SET) == -ESPIPE, "lseek a pipe");
	CHECK(lseek(1, 0, SEEK_SET) == -ESPIPE, "lseek the console");
	CHECK(read(p[1], buf, 1) == -EBADF, "read the write end");
	close(p[0]);
	CHECK(write(p[1], "x", 1) == -EPIPE, "write with no reader");
	close(p[1]);
	CHECK(dup2(1, 16) == -EBADF, "dup2 out of range");
	CHECK(dup2(1, 9) == 9 && close(9) == 0, "dup2");
	CHECK(rawsys(999, 0, 0, 0) == -ENOSYS, "no such call");
	CHECK(halt(3) == -EPERM, "halt from another process than init");
	printf("fsedge: %s\n", tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
