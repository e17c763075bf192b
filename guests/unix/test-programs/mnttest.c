/*
 * mnttest: a second disk mounted on /mnt (the boot argument mount=1:/mnt,
 * fs.c). Paths cross into it and back out through "..", files made under
 * /mnt live on disk 1, and what would break the mount is refused. Leaves
 * /mnt/kept ("on disk 1\n") for test.sh to find on the image.
 */
#include "tlib.h"

/* fstat of path: its disk and inode number, or -1s. */
static void where(const char *path, int *dev, int *inum)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	*dev = *inum = -1;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		*dev = st.dev;
		*inum = st.ino;
	}
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	int dev, inum, fd;
	char buf[32];

	where("/mnt", &dev, &inum);
	CHECK(dev == 1 && inum == 1, "/mnt is the root of disk 1 (dev %d inode %d)", dev, inum);
	where("/mnt/..", &dev, &inum);
	CHECK(dev == 0 && inum == 1, "/mnt/.. is the root (dev %d inode %d)", dev, inum);
	CHECK(mkdir("/mnt/d") == 0, "mkdir /mnt/d");
	where("/mnt/d/..", &dev, &inum);
	CHECK(dev == 1 && inum == 1, "/mnt/d/.. is /mnt (dev %d inode %d)", dev, inum);

	/* Relative paths from inside. */
	CHECK(chdir("/mnt/d") == 0, "chdir /mnt/d");
	where("../../etc/rc", &dev, &inum);
	CHECK(dev == 0, "../../etc/rc is on the root disk (dev %d)", dev);
	CHECK(chdir("..") == 0 && chdir("..") == 0, "chdir .. twice");
	where(".", &dev, &inum);
	CHECK(dev == 0 && inum == 1, "two levels up from /mnt/d is / (dev %d inode %d)", dev, inum);

	/* A file made under /mnt is on disk 1. */
	fd = open("/mnt/kept", O_CREATE | O_TRUNC | O_RDWR);
	CHECK(fd >= 0 && write(fd, "on disk 1\n", 10) == 10, "write /mnt/kept");
	close(fd);
	where("/mnt/kept", &dev, &inum);
	CHECK(dev == 1, "/mnt/kept is on disk 1 (dev %d)", dev);
	fd = open("/mnt/kept", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 10 && memcmp(buf, "on disk 1\n", 10) == 0,
	      "read /mnt/kept back");
	close(fd);

	/* What the mount refuses. */
	CHECK(link("/mnt/kept", "/kept") == -EXDEV, "a link across disks");
	CHECK(link("/etc/rc", "/mnt/rc") == -EXDEV, "a link across disks, the other way");
	CHECK(unlink("/mnt") == -EBUSY, "unlink a mount point");
	CHECK(unlink("/mnt/d") == 0, "unlink /mnt/d");
	where("/mnt", &dev, &inum);
	CHECK(dev == 1, "still mounted (dev %d)", dev);

	printf("mnttest: %s\n", tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
