/*
 * fsedge: file-system corner cases and their error numbers.
 */
#include "tlib.h"

int main(void)
{
	char buf[64], longname[80];
	struct stat st;
	int fd, p[2];

	/* A directory removed while it is the current one. */
	CHECK(mkdir("/gone") == 0, "mkdir");
	CHECK(chdir("/gone") == 0, "chdir");
	CHECK(unlink("/gone") == 0, "unlink an empty directory");
	CHECK(open("x", O_CREATE | O_RDWR) == -ENOENT, "create in a removed directory");
	CHECK(mkdir("y") == -ENOENT, "mkdir in a removed directory");
	CHECK(chdir("/") == 0, "chdir /");

	CHECK(mkdir("/e") == 0, "mkdir /e");
	CHECK(mkdir("/e") == -EEXIST, "mkdir existing");
	CHECK(unlink("/e/.") == -EINVAL, "unlink .");
	CHECK(unlink("/e/..") == -EINVAL, "unlink ..");
	CHECK(link("/e", "/e2") == -EPERM, "link a directory");
	CHECK(open("/e", O_RDWR) == -EISDIR, "open a directory for writing");
	CHECK(open("/e", O_CREATE | O_RDWR) == -EISDIR, "create over a directory");
	fd = open("/e/f", O_CREATE | O_RDWR);
	CHECK(fd >= 0, "create /e/f");
	CHECK(unlink("/e") == -ENOTEMPTY, "unlink a non-empty directory");
	CHECK(open("/e/f/g", O_RDONLY) == -ENOTDIR, "a file as a directory");
	CHECK(chdir("/e/f") == -ENOTDIR, "chdir to a file");
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
	fd = open("/e/f", O_WRONLY | O_APPEND);
	CHECK(write(fd, "more", 4) == 4, "append");
	close(fd);
	fd = open("/e/f", O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.size == 100007, "size after append %u", st.size);
	CHECK(write(fd, "x", 1) == -EBADF, "write to a read-only fd");
	close(fd);
	fd = open("/e/f", O_RDWR | O_TRUNC);
	CHECK(fstat(fd, &st) == 0 && st.size == 0, "size after O_TRUNC %u", st.size);
	CHECK(read(fd, buf, 1) == 0, "read at the end");
	close(fd);
	CHECK(open("/e/f", 3) == -EINVAL, "access mode 3");

	/* Links. */
	CHECK(link("/e/f", "/e/h") == 0, "link");
	CHECK(link("/e/f", "/e/h") == -EEXIST, "link over an existing name");
	fd = open("/e/h", O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.nlink == 2, "nlink %d", st.nlink);
	close(fd);
	CHECK(unlink("/e/f") == 0 && unlink("/e/h") == 0, "unlink both");
	CHECK(unlink("/e/h") == -ENOENT, "unlink twice");
	fd = open("/e", O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.type == T_DIR && st.nlink == 2, "dir nlink %d", st.nlink);
	close(fd);
	CHECK(unlink("/e") == 0, "unlink /e");

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
