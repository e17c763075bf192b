/*
 * dir.c - directories and path names.
 *
 * A directory is a file of struct fs_dirent (64 bytes: an inode number, 0
 * for a free slot, and a 60-byte name, NUL-padded, not always terminated).
 * Every directory holds "." and ".."; the link count of an inode is the
 * number of directory entries naming it, "." and ".." included (so a new
 * directory has 2, and each subdirectory adds 1 to its parent).
 */
#include "proc.h"
#include "file.h"
#include <unix/stat.h>

int namecmp(const char *a, const char *b)
{
	return strncmp(a, b, FS_DIRSIZ);
}

/* Look name up in directory dp (locked): its inode (referenced, not
   locked) and the entry's offset; or NULL with *err = -ENOENT (no such
   entry), -ENFILE (the inode table is full) or -EIO. */
struct inode *dirlookup(struct inode *dp, const char *name, uint32_t *poff, int *err)
{
	struct fs_dirent de;
	struct inode *ip;

	if (fs_remote(dp->dev))
		return nfs_lookup(dp, name, err);   /* the server's directory */

	for (uint32_t off = 0; off + sizeof de <= dp->size; off += sizeof de) {
		if (readi(dp, 0, (uint32_t)&de, off, sizeof de) != sizeof de) {
			*err = -EIO;
			return NULL;
		}
		if (de.inum == 0 || strncmp(name, de.name, FS_DIRSIZ) != 0)
			continue;
		if (poff)
			*poff = off;
		if (!(ip = iget_inum(dp->dev, de.inum)))
			*err = de.inum < fs_ninodes(dp->dev) ? -ENFILE : -EIO;
		return ip;
	}
	*err = -ENOENT;
	return NULL;
}

/* Add (name, inum) to directory dp (locked). 0 or a negative errno. */
int dirlink(struct inode *dp, const char *name, uint32_t inum)
{
	struct fs_dirent de;
	struct inode *ip;
	uint32_t off;

	if (fs_remote(dp->dev))
		return -EIO;             /* the server links (nfs_create, nfs_link) */
	int err;

	if ((ip = dirlookup(dp, name, NULL, &err)) != NULL) {
		iput(ip);
		return -EEXIST;
	}
	if (err != -ENOENT)
		return err;
	for (off = 0; off + sizeof de <= dp->size; off += sizeof de) {
		if (readi(dp, 0, (uint32_t)&de, off, sizeof de) != sizeof de)
			return -EIO;
		if (de.inum == 0)
			break;
	}
	memset(&de, 0, sizeof de);
	memcpy(de.name, name, MIN(strlen(name), FS_DIRSIZ));
	de.inum = inum;
	if (writei(dp, 0, (uint32_t)&de, off, sizeof de) != sizeof de)
		return -ENOSPC;
	return 0;
}

/* Does directory dp (locked) hold nothing but "." and ".."? */
int dir_isempty(struct inode *dp)
{
	struct fs_dirent de;

	for (uint32_t off = 2 * sizeof de; off + sizeof de <= dp->size; off += sizeof de) {
		if (readi(dp, 0, (uint32_t)&de, off, sizeof de) != sizeof de)
			return 0;
		if (de.inum != 0)
			return 0;
	}
	return 1;
}

/* Copy the next path element into name (FS_DIRSIZ bytes + NUL) and
   return the rest of the path, or NULL if there is none. *toolong is set
   if the element does not fit. */
static const char *skipelem(const char *path, char *name, int *toolong)
{
	const char *s;
	size_t len;

	while (*path == '/')
		path++;
	if (*path == 0)
		return NULL;
	s = path;
	while (*path != '/' && *path != 0)
		path++;
	len = path - s;
	if (len > FS_DIRSIZ) {
		*toolong = 1;
		len = FS_DIRSIZ;
	}
	memmove(name, s, len);
	name[len] = 0;
	while (*path == '/')
		path++;
	return path;
}

/* Walk a path: the inode it names (or, with parent, the inode of its
   directory, the last element copied into name). NULL with *err set if
   it does not exist. */
static struct inode *namex(const char *path, int parent, char *name, int *err)
{
	struct inode *ip, *next;
	int toolong = 0, d;

	if (*path == 0) {
		*err = -ENOENT;
		return NULL;
	}
	ip = *path == '/' ? iget_root() : idup(myproc()->cwd);
	if (!ip) {
		*err = -ENFILE;
		return NULL;
	}
	while ((path = skipelem(path, name, &toolong)) != NULL) {
		if (toolong) {
			iput(ip);
			*err = -ENAMETOOLONG;
			return NULL;
		}
		ilock(ip);
		if (ip->type != T_DIR) {
			iunlockput(ip);
			*err = -ENOTDIR;
			return NULL;
		}
		if (parent && *path == 0) {
			iunlock(ip);
			return ip;
		}
		if (namecmp(name, "..") == 0 && ip->inum == fs_root(ip->dev) && ip->dev != ROOTDEV) {
			/* Up from the root of a mounted file system: from
			   the directory it covers (fs.c). */
			iunlockput(ip);
			ip = idup(fs_mount_point(ip->dev));
			ilock(ip);
		}
		if ((next = dirlookup(ip, name, NULL, err)) == NULL) {
			iunlockput(ip);
			return NULL;
		}
		iunlockput(ip);
		ip = next;
		if ((d = fs_covered(ip)) >= 0) {
			/* A mount point: on into the root of its disk. */
			iput(ip);
			if (!(ip = iget_inum((uint32_t)d, fs_root((uint32_t)d)))) {
				*err = -ENFILE;
				return NULL;
			}
		}
	}
	if (parent) {               /* the path was "/" */
		iput(ip);
		*err = -EINVAL;
		return NULL;
	}
	return ip;
}

struct inode *namei(const char *path, int *err)
{
	char name[FS_DIRSIZ + 1];

	return namex(path, 0, name, err);
}

struct inode *nameiparent(const char *path, char *name, int *err)
{
	return namex(path, 1, name, err);
}
