/*
 * file.h - open files and in-memory inodes.
 */
#ifndef FILE_H
#define FILE_H

#include "sleeplock.h"
#include <unix/fs.h>

struct file {
	enum { FD_NONE, FD_PIPE, FD_INODE, FD_CONSOLE } type;
	int ref;                 /* under the file table lock */
	char readable, writable, append;
	struct pipe *pipe;       /* FD_PIPE */
	struct inode *ip;        /* FD_INODE */
	uint32_t off;            /* FD_INODE: under ip->lock */
};

/* An inode in memory: a copy of the disk inode while valid. */
struct inode {
	uint32_t dev, inum;
	int ref;                 /* under the inode table lock */
	struct sleeplock lock;   /* protects everything below */
	int valid;
	short type, major, nlink;
	uint16_t gen;            /* the disk inode's generation (fs.h) */
	uint32_t size;
	uint32_t addrs[FS_NDIRECT + 2];
};

#define CONSOLE_MAJOR 1      /* T_DEV inodes with this major are the console */

/* file.c */
void file_init(void);
struct file *filealloc(void);
int fdalloc(struct file *f);
struct file *filedup(struct file *f);
void fileclose(struct file *f);
int filestat(struct file *f, uint32_t st_va);
int fileread(struct file *f, uint32_t va, int n);
int filewrite(struct file *f, uint32_t va, int n);
int fileseek(struct file *f, int off, int whence);

/* fs.c */
void fs_init(uint32_t dev);
/* Mount the file system on disk dev on the directory path names: 0, or
   -ENXIO (no such disk), -EINVAL (no file system on it), -ENOTDIR, -EBUSY
   (mounted already, or path is a mount point or a root), or namei's error. */
int fs_mount(uint32_t dev, const char *path);
int fs_mount_remote(const char *path, uint32_t root); /* NFSDEV on path (nfs.c) */
int fs_covered(const struct inode *ip);   /* the file system mounted on ip, or -1 */
struct inode *fs_mount_point(uint32_t dev); /* what file system dev covers, NULL for the root */
int fs_remote(uint32_t dev);              /* dev is the NFS mount: nfs.c does its work */
int fs_mounted(uint32_t dev);             /* dev holds a mounted file system */
uint32_t fs_root(uint32_t dev);           /* inode number of dev's root */
struct inode *iget_root(void);
struct inode *iget_inum(uint32_t dev, uint32_t inum);
struct inode *ialloc(uint32_t dev, short type, int *err);
uint32_t fs_ninodes(uint32_t dev);
void stati(struct inode *ip, struct stat *st);
void iupdate(struct inode *ip);
struct inode *idup(struct inode *ip);
void ilock(struct inode *ip);
void iunlock(struct inode *ip);
void iput(struct inode *ip);
void iunlockput(struct inode *ip);
void itrunc(struct inode *ip);
int readi(struct inode *ip, int user, uint32_t dst, uint32_t off, uint32_t n);
uint32_t file_block(struct inode *ip, uint32_t bn); /* disk block of file block bn, 0: none */
int writei(struct inode *ip, int user, uint32_t src, uint32_t off, uint32_t n);
int either_copyout(int user, uint32_t dst, const void *src, uint32_t n); /* user or kernel memory */
int either_copyin(int user, void *dst, uint32_t src, uint32_t n);
uint32_t file_block_alloc(struct inode *ip, uint32_t bn); /* file_block, allocating; 0: no space */

/* dir.c */
int namecmp(const char *a, const char *b);
struct inode *dirlookup(struct inode *dp, const char *name, uint32_t *poff, int *err);
int dirlink(struct inode *dp, const char *name, uint32_t inum);
int dir_isempty(struct inode *dp);
struct inode *namei(const char *path, int *err);
struct inode *nameiparent(const char *path, char *name, int *err);

/* syspath.c: what the path system calls do once the directory is found,
   also the NFS server's (nfs.c). dp (and ip) come referenced, not
   locked, and the references are used up. */
struct inode *create_in(struct inode *dp, const char *name, short type, int *err); /* locked */
int unlink_in(struct inode *dp, const char *name);
int link_in(struct inode *ip, struct inode *dp, const char *name);

/* nfs.c: the NFS client, for inodes of the NFS mount (fs_remote). */
struct inode *nfs_create(struct inode *dp, const char *name, short type, int *err);
int nfs_remove(struct inode *dp, const char *name);
int nfs_link(struct inode *ip, struct inode *dp, const char *name);
struct inode *nfs_lookup(struct inode *dp, const char *name, int *err);
void nfs_getattr(struct inode *ip);   /* refresh a locked inode's type, size, nlink */
int nfs_read(struct inode *ip, int user, uint32_t dst, uint32_t off, uint32_t n);
int nfs_write(struct inode *ip, int user, uint32_t src, uint32_t off, uint32_t n);
void nfs_trunc(struct inode *ip);
int nfs_mount(uint32_t server, const char *path);   /* the boot argument nfs=ADDR:PATH */
int nfs_serve(const char *export, int clients); /* nfsd: serve until clients unmounted */
void nfs_unmount(void);             /* at halt: tell the server this client is done */

/* pipe.c */
int pipealloc(struct file **f0, struct file **f1);
void pipeclose(struct pipe *p, int writable);
int piperead(struct pipe *p, uint32_t va, int n);
int pipewrite(struct pipe *p, uint32_t va, int n);

#endif
