/*
 * nfs.c - an NFS-style remote file system over the virtual network: the
 * client, for the inodes of the NFS mount (device NFSDEV), and the
 * in-kernel server, run by the nfsd system call.
 *
 * The paper (section 4.2.6) shares a persistent disk between VMs through
 * NFS; Disco remaps the pages NFS sends, so a client's read maps the
 * server's buffer-cache page. Here likewise: a READ of a whole block
 * replies with the server's buffer page itself, and the client moves the
 * page it receives into a buffer of its own (hal_net_remap, no copy); a
 * WRITE of a whole block is moved into the server's buffer the same way.
 *
 * The protocol is stateless, one request per operation, on file handles:
 * the server's device, the inode's generation (fs.h: one more each time
 * the inode is allocated, so that a handle to a removed file does not name
 * the next file given its inode) and the inode number, in one word, which
 * is also the client's inode number for the file. The client keeps nothing:
 * every ilock of a remote inode asks the server for its attributes and
 * every read and write goes to the server, so all clients see one file
 * system. A lost or refused request is an error for the process (-EIO or
 * the server's errno), never a panic. The server checks every request
 * (handles, names, offsets) against its own file system, and a client
 * cannot go above the exported directory by "..". It trusts handles: a
 * client that forges one reaches that file (as NFS version 2 does).
 */
#include "proc.h"
#include "buf.h"
#include "file.h"
#include "net.h"
#include <unix/stat.h>

enum { NFS_MOUNT = 1, NFS_GETATTR, NFS_LOOKUP, NFS_READ, NFS_WRITE, NFS_CREATE, NFS_REMOVE,
       NFS_LINK, NFS_TRUNC, NFS_UMOUNT };

/* A request and its reply (the reply fills in status and the attributes). */
struct nfs_msg {
	struct rpc_hdr rpc;
	uint32_t proc;
	int32_t status;          /* reply: 0 or -errno */
	uint32_t fh, fh2;        /* handles: the file or directory, LINK's directory */
	uint32_t off, len;       /* READ, WRITE: bytes; CREATE: len is the type */
	int32_t type, nlink;     /* reply: the attributes of fh */
	uint32_t size;
	char name[FS_DIRSIZ + 1];
};
_Static_assert(sizeof(struct nfs_msg) <= NET_HDR, "a request fits a header");

static uint32_t server;      /* the client's server, 0: not mounted */

/* A handle: device (2 bits), generation (12 bits), inode number (18 bits). */
#define FH_DEV(fh)  ((fh) >> 30)
#define FH_GEN(fh)  (((fh) >> 18) & 0xFFFu)
#define FH_INUM(fh) ((fh) & 0x3FFFFu)
#define FH_MAX_INODES (1u << 18)

/* ---- client ------------------------------------------------------------ */

/* Do request m (its proc and arguments set) with page out (or NULL), the
   reply's page into in (or NULL). 0 or -errno; m holds the reply. */
static int call(struct nfs_msg *m, void *out, void *in)
{
	int r = rpc_call(server, m, sizeof *m, out, m, sizeof *m, in);

	if (r < 0)
		return r;
	if (r < (int)sizeof *m)
		return -EIO;             /* a bad reply */
	return m->status < 0 ? m->status : 0;
}

static void set_attr(struct inode *ip, const struct nfs_msg *m)
{
	ip->type = (short)m->type;
	ip->nlink = (short)m->nlink;
	ip->size = m->size;
	ip->major = 0;
	ip->valid = 1;
}

void nfs_getattr(struct inode *ip)
{
	struct nfs_msg m = {.proc = NFS_GETATTR, .fh = ip->inum};

	if (call(&m, NULL, NULL) == 0) {
		set_attr(ip, &m);
	} else {
		/* Removed (or the server is gone): as a removed file looks
		   locally, what it was with no links; the server refuses
		   every request on it. */
		if (!ip->valid)
			ip->type = 0;
		ip->nlink = 0;
		ip->valid = 1;
	}
}

/* The inode for the handle in reply m, referenced, attributes set, not
   locked (the caller's ilock asks again). */
static struct inode *reply_inode(const struct nfs_msg *m, int *err)
{
	struct inode *ip = iget_inum(NFSDEV, m->fh);

	if (!ip)
		*err = -ENFILE;
	return ip;
}

static int name_ok(const char *name, struct nfs_msg *m)
{
	if (strlen(name) > FS_DIRSIZ)
		return 0;
	safestrcpy(m->name, name, sizeof m->name);
	return 1;
}

struct inode *nfs_lookup(struct inode *dp, const char *name, int *err)
{
	struct nfs_msg m = {.proc = NFS_LOOKUP, .fh = dp->inum};

	if (!name_ok(name, &m)) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if ((*err = call(&m, NULL, NULL)) < 0)
		return NULL;
	return reply_inode(&m, err);
}

struct inode *nfs_create(struct inode *dp, const char *name, short type, int *err)
{
	struct nfs_msg m = {.proc = NFS_CREATE, .fh = dp->inum, .len = (uint32_t)type};
	struct inode *ip = NULL;

	if (!name_ok(name, &m))
		*err = -ENAMETOOLONG;
	else if ((*err = call(&m, NULL, NULL)) == 0 && (ip = reply_inode(&m, err)) != NULL)
		ilock(ip);
	iput(dp);
	return ip;
}

int nfs_remove(struct inode *dp, const char *name)
{
	struct nfs_msg m = {.proc = NFS_REMOVE, .fh = dp->inum};
	int r = name_ok(name, &m) ? call(&m, NULL, NULL) : -ENAMETOOLONG;

	iput(dp);
	return r;
}

int nfs_link(struct inode *ip, struct inode *dp, const char *name)
{
	struct nfs_msg m = {.proc = NFS_LINK, .fh = ip->inum, .fh2 = dp->inum};
	int r = name_ok(name, &m) ? call(&m, NULL, NULL) : -ENAMETOOLONG;

	iput(ip);
	iput(dp);
	return r;
}

void nfs_trunc(struct inode *ip)
{
	struct nfs_msg m = {.proc = NFS_TRUNC, .fh = ip->inum};

	if (call(&m, NULL, NULL) == 0)
		set_attr(ip, &m);
}

/* Reads go a block at a time: the server's page arrives in a scratch
   buffer of ours (moved there by the monitor, shared with the server's
   buffer cache), and what was asked for is copied out of it. */
int nfs_read(struct inode *ip, int user, uint32_t dst, uint32_t off, uint32_t n)
{
	uint32_t done = 0;

	while (done < n) {
		uint32_t base = off - off % FS_BSIZE, skip = off - base, m;
		struct nfs_msg msg = {.proc = NFS_READ, .fh = ip->inum, .off = base, .len = FS_BSIZE};
		struct buf *b = bscratch();
		int r = call(&msg, NULL, b->data);

		if (r == 0 && msg.len > FS_BSIZE)
			r = -EIO;
		if (r == 0) {
			set_attr(ip, &msg);
			m = msg.len > skip ? MIN(n - done, msg.len - skip) : 0;
			if (m)
				r = either_copyout(user, dst, b->data + skip, m);
		}
		bforget(b);
		if (r < 0)
			return done ? (int)done : r;
		if (m == 0)
			break;               /* the end of the file */
		done += m;
		off += m;
		dst += m;
	}
	return (int)done;
}

/* Writes likewise: each piece of a block is copied into a scratch page
   at its offset in the block and sent; the server moves a whole block
   into its buffer cache without a copy. */
int nfs_write(struct inode *ip, int user, uint32_t src, uint32_t off, uint32_t n)
{
	uint32_t done = 0;

	if (off + n < off)
		return -EFBIG;
	while (done < n) {
		uint32_t skip = off % FS_BSIZE, m = MIN(n - done, FS_BSIZE - skip);
		struct nfs_msg msg = {.proc = NFS_WRITE, .fh = ip->inum, .off = off, .len = m};
		struct buf *b = bscratch();
		int r = either_copyin(user, b->data + skip, src, m);

		if (r == 0 && (r = call(&msg, b->data, NULL)) == 0)
			set_attr(ip, &msg);
		bforget(b);
		if (r < 0)
			return done ? (int)done : r;
		done += m;
		off += m;
		src += m;
	}
	return (int)done;
}

int nfs_mount(uint32_t addr, const char *path)
{
	struct nfs_msg m;
	int r = -EIO;

	if (!net_addr())
		return -ENXIO;           /* no network */
	server = addr;
	/* The server may still be booting: a few tries. */
	for (int t = 0; t < 5 && r == -EIO; t++) {
		m = (struct nfs_msg){.proc = NFS_MOUNT};
		r = call(&m, NULL, NULL);
	}
	if (r < 0 || (r = fs_mount_remote(path, m.fh)) < 0) {
		server = 0;
		return r;
	}
	return 0;
}

void nfs_unmount(void)
{
	struct nfs_msg m = {.proc = NFS_UMOUNT};

	if (server)
		call(&m, NULL, NULL);   /* the server may be gone: nothing to do then */
}

/* ---- server ------------------------------------------------------------ */

static struct inode *export_root;  /* the exported directory (referenced) */
static volatile uint32_t unmounts; /* NFS_UMOUNT requests served */

/* The inode a request's handle names, referenced and locked; NULL with
   *err set for a handle that names no file of ours (-ENOENT: stale). */
static struct inode *handle_inode(uint32_t fh, int *err)
{
	uint32_t dev = FH_DEV(fh), inum = FH_INUM(fh);
	struct inode *ip;

	if (dev >= NDISK || !fs_mounted(dev) || inum == 0 || inum >= fs_ninodes(dev) ||
	    !(ip = iget_inum(dev, inum))) {
		*err = -ENOENT;
		return NULL;
	}
	ilock(ip);
	if (ip->type == 0 || (ip->gen & 0xFFFu) != FH_GEN(fh)) {   /* removed: stale */
		iunlockput(ip);
		*err = -ENOENT;
		return NULL;
	}
	return ip;
}

static uint32_t handle(const struct inode *ip)
{
	return ip->dev << 30 | (ip->gen & 0xFFFu) << 18 | ip->inum;
}

/* Fill in reply m's handle and attributes from locked ip. */
static void attrs(struct nfs_msg *m, struct inode *ip)
{
	m->fh = handle(ip);
	m->type = ip->type;
	m->nlink = ip->nlink;
	m->size = ip->size;
}

/* The directory a request names (referenced, not locked), or NULL. */
static struct inode *dir_of(uint32_t fh, int *err)
{
	struct inode *dp = handle_inode(fh, err);

	if (dp && dp->type != T_DIR) {
		iunlockput(dp);
		*err = -ENOTDIR;
		return NULL;
	}
	if (dp)
		iunlock(dp);
	return dp;
}

static int lookup(struct nfs_msg *m)
{
	int err = 0;
	struct inode *dp = dir_of(m->fh, &err), *ip;

	if (!dp)
		return err;
	if (namecmp(m->name, "..") == 0 && dp == export_root) {
		ip = dp;                 /* not above the export */
	} else {
		ilock(dp);
		ip = dirlookup(dp, m->name, NULL, &err);
		iunlockput(dp);
		if (!ip)
			return err;
	}
	ilock(ip);
	attrs(m, ip);
	iunlockput(ip);
	return 0;
}

/* READ: a whole block of the file is sent as the buffer-cache page that
   holds it; anything else is read into the server's scratch page. */
static int do_read(struct nfs_msg *m, void *scratch, void **page, struct buf **held)
{
	int err = 0, n;
	struct inode *ip = handle_inode(m->fh, &err);
	uint32_t blk;

	if (!ip)
		return err;
	if (m->len > FS_BSIZE) {
		iunlockput(ip);
		return -EINVAL;
	}
	if (m->off % FS_BSIZE == 0 && m->len == FS_BSIZE && ip->type != T_DEV &&
	    m->off <= ip->size && (blk = file_block(ip, m->off / FS_BSIZE)) != 0) {
		*held = bread(ip->dev, blk);
		*page = (*held)->data;
		n = (int)MIN(FS_BSIZE, ip->size - m->off);
	} else {
		n = ip->type == T_DEV ? -EINVAL : readi(ip, 0, (uint32_t)scratch, m->off, m->len);
		*page = scratch;
	}
	if (n >= 0) {
		m->len = (uint32_t)n;
		attrs(m, ip);
	}
	iunlockput(ip);
	return n < 0 ? n : 0;
}

/* WRITE: a whole block is moved into the server's buffer for it. */
static int do_write(struct nfs_msg *m, void *page)
{
	int err = 0, n = (int)m->len;
	struct inode *ip = handle_inode(m->fh, &err);
	uint32_t skip = m->off % FS_BSIZE, blk;

	if (!ip)
		return err;
	if (ip->type != T_FILE || !page || m->len > FS_BSIZE - skip) {
		n = ip->type == T_DIR ? -EISDIR : -EINVAL;
	} else if (skip == 0 && m->len == FS_BSIZE) {
		if (!(blk = file_block_alloc(ip, m->off / FS_BSIZE))) {
			n = -ENOSPC;
		} else {
			struct buf *b = bread_nofill(ip->dev, blk);

			hal_net_remap(hal_kva2pa(page), hal_kva2pa(b->data));
			bdirty(b);
			brelse(b);
			if (m->off + FS_BSIZE > ip->size)
				ip->size = m->off + FS_BSIZE;
			iupdate(ip);
		}
	} else {
		n = writei(ip, 0, (uint32_t)page + skip, m->off, m->len);
	}
	if (n >= 0)
		attrs(m, ip);
	iunlockput(ip);
	return n < 0 ? n : 0;
}

static int do_create(struct nfs_msg *m)
{
	int err = 0;
	struct inode *dp = dir_of(m->fh, &err), *ip;

	if (!dp)
		return err;
	if (m->len != T_FILE && m->len != T_DIR) {
		iput(dp);
		return -EINVAL;
	}
	if (!(ip = create_in(dp, m->name, (short)m->len, &err)))
		return err;
	attrs(m, ip);
	iunlockput(ip);
	return 0;
}

static int do_link(struct nfs_msg *m)
{
	int err = 0;
	struct inode *ip = handle_inode(m->fh, &err), *dp;

	if (!ip)
		return err;
	iunlock(ip);
	if (!(dp = dir_of(m->fh2, &err))) {
		iput(ip);
		return err;
	}
	return link_in(ip, dp, m->name);
}

static int do_trunc(struct nfs_msg *m)
{
	int err = 0;
	struct inode *ip = handle_inode(m->fh, &err);

	if (!ip)
		return err;
	if (ip->type == T_FILE)
		itrunc(ip);
	attrs(m, ip);
	iunlockput(ip);
	return 0;
}

/* Answer one request. */
static void serve(struct rpc_req *q, void *scratch)
{
	struct nfs_msg m;
	struct buf *held = NULL;
	void *page = NULL;
	int err = 0;
	struct inode *dp;

	if (q->len < sizeof m) {
		memset(&m, 0, sizeof m);
		m.status = -EINVAL;      /* too short to be ours */
		rpc_reply(q, &m, sizeof m, NULL);
		return;
	}
	memmove(&m, q->hdr, sizeof m);
	m.name[FS_DIRSIZ] = 0;
	switch (m.proc) {
	case NFS_MOUNT:
		ilock(export_root);
		attrs(&m, export_root);
		iunlock(export_root);
		break;
	case NFS_GETATTR:
		if ((dp = handle_inode(m.fh, &err)) != NULL) {
			attrs(&m, dp);
			iunlockput(dp);
		}
		break;
	case NFS_LOOKUP: err = lookup(&m); break;
	case NFS_READ: err = do_read(&m, scratch, &page, &held); break;
	case NFS_WRITE: err = do_write(&m, q->page); break;
	case NFS_CREATE: err = do_create(&m); break;
	case NFS_REMOVE:
		err = (dp = dir_of(m.fh, &err)) != NULL ? unlink_in(dp, m.name) : err;
		break;
	case NFS_LINK: err = do_link(&m); break;
	case NFS_TRUNC: err = do_trunc(&m); break;
	case NFS_UMOUNT: atomic_add(&unmounts, 1); break;
	default: err = -EINVAL; break;
	}
	m.status = err;
	rpc_reply(q, &m, sizeof m, err == 0 ? page : NULL);
	if (held)
		brelse(held);
}

int nfs_serve(const char *export, int clients)
{
	struct rpc_req q;
	void *scratch;
	int err = 0;

	if (!net_addr())
		return -ENXIO;
	for (uint32_t d = 0; d < NDISK; d++)
		if (fs_mounted(d) && fs_ninodes(d) > FH_MAX_INODES)
			return -EINVAL;  /* its inode numbers do not fit a handle */
	if (!export_root) {
		struct inode *ip = namei(export, &err);

		if (!ip)
			return err;
		ilock(ip);
		if (ip->type != T_DIR || fs_remote(ip->dev)) {
			iunlockput(ip);
			return -ENOTDIR;
		}
		iunlock(ip);
		export_root = ip;
	}
	if (!(scratch = kalloc(PAGE_KDATA)))
		return -ENOMEM;
	while ((clients <= 0 || unmounts < (uint32_t)clients) && (err = rpc_next_call(&q)) == 0)
		serve(&q, scratch);
	kfree(scratch);
	return err;
}
